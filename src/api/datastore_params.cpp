#include "api/datastore_params.h"

#include <algorithm>
#include <set>

#include "base/crypto.h"
#include "base/parse.h"

namespace odp::api {

namespace {

// "a asc, b desc" (CKAN) or "a,-b" (REST).
Status ParseSort(const std::string& text, std::vector<std::pair<std::string, bool>>& out) {
  for (const auto& part : SplitList(text, ',')) {
    auto words = SplitList(part, ' ');
    std::string id = words[0];
    bool desc = false;
    if (id.size() > 1 && id[0] == '-') {
      id = id.substr(1);
      desc = true;
    }
    if (words.size() == 2) {
      if (words[1] == "desc" || words[1] == "DESC") {
        desc = true;
      } else if (words[1] != "asc" && words[1] != "ASC") {
        words.push_back("bad");
      }
    }
    if (words.size() > 2) {
      return Status::InvalidArgument("invalid sort", "Sắp xếp không hợp lệ")
          .WithField("sort", "Sắp xếp dạng \"cột asc, cột desc\" hoặc \"cột,-cột\"");
    }
    out.emplace_back(id, desc);
  }
  return Status::Ok();
}

// Sets `out` to `n` when it is an integer from `min` to `max`; otherwise records in `bad` that
// `key` must be one and returns false.
bool TakeInteger(const Result<int64_t>& n, const char* key, int64_t min, int64_t max, int64_t& out,
                 Status& bad) {
  if (n.ok() && *n >= min && *n <= max) {
    out = *n;
    return true;
  }
  bad.WithField(key, "Phải là số nguyên từ " + std::to_string(min) + " đến " + std::to_string(max));
  return false;
}

const std::set<std::string>& ReservedParams() {
  static const std::set<std::string> k = {
      "q",      "fields", "sort",     "limit",   "offset", "cursor", "include_total", "version",
      "format", "bom",    "group_by", "metrics", "order",  "labels", "dialect",       "include_id"};
  return k;
}

}  // namespace

std::vector<std::string> SplitList(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s + sep) {
    if (c == sep) {
      std::string_view t = cur;  // trimmed of spaces and tabs, as datastore::Trim does
      while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
      while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
      if (!t.empty()) out.emplace_back(t);
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

Result<datastore::AggregateQuery> ParseAggregateQuery(const http::Request& req,
                                                      datastore::Query filter) {
  datastore::AggregateQuery a;
  a.filter = std::move(filter);
  a.group_by = SplitList(req.Param("group_by"), ',');
  for (const auto& m : SplitList(req.Param("metrics"), ',')) {
    auto colon = m.find(':');
    a.metrics.push_back(colon == std::string::npos
                            ? datastore::Metric{m, ""}
                            : datastore::Metric{m.substr(0, colon), m.substr(colon + 1)});
  }
  a.order_by_value = req.Param("order") == "value";
  a.limit = 1000;
  if (req.HasParam("limit")) {
    Result<int64_t> limit = ParseInt(req.Param("limit"));
    if (!limit.ok()) {
      return Status::InvalidArgument("limit must be a number", "limit phải là số")
          .WithField("limit", "Phải là số nguyên từ 1 đến 10000");
    }
    a.limit = std::clamp<int64_t>(*limit, 1, 10000);
  }
  return a;
}

Result<std::vector<json>> DecodeCursor(std::string_view text) {
  const Status invalid = Status::InvalidArgument("invalid cursor", "Con trỏ trang không hợp lệ")
                             .WithField("cursor", "Dùng giá trị \"next\" của trang trước");
  auto raw = Base64UrlDecode(text);
  if (!raw) return invalid;
  ODP_ASSIGN_OR_RETURN(json j, ParseRequestJson(*raw, "cursor"));
  if (!j.is_array()) return invalid;
  // A sort key is the row's values: scalars only (they are bound as query parameters).
  for (const auto& v : j) {
    if (v.is_array() || v.is_object()) return invalid;
  }
  return j.get<std::vector<json>>();
}

std::string EncodeCursor(const std::vector<json>& key) { return Base64UrlEncode(json(key).dump()); }

Result<datastore::Query> ParseDatastoreQuery(const json& a) {
  datastore::Query q;
  Status bad = Status::InvalidArgument("invalid datastore query", "Truy vấn dữ liệu không hợp lệ");
  bool has_bad = false;
  if (a.contains("filters") && !a["filters"].is_null()) {
    json parsed;
    const json* f = &a["filters"];
    if (f->is_string()) {
      ODP_ASSIGN_OR_RETURN(parsed, ParseRequestJson(f->get_ref<const std::string&>(), "filters"));
      f = &parsed;
    }
    if (!f->is_object()) {
      bad.WithField("filters", "Bộ lọc phải là đối tượng JSON {\"cột\": giá trị}");
      has_bad = true;
    } else {
      // {"cột": giá trị} or {"cột": [giá trị, …]}, values scalars: nothing deeper is read.
      const Status not_scalar =
          BadParameter("filters", "Giá trị lọc phải là chuỗi, số hoặc danh sách của chúng",
                       "filter values must be text, numbers or lists of them");
      for (const auto& [k, v] : f->items()) {
        std::vector<std::string>& values = q.filters[k];
        if (!v.is_array()) {
          auto text = ScalarText(v);
          if (!text) return not_scalar;
          values.push_back(std::move(*text));
          continue;
        }
        for (const json& x : v) {
          auto text = ScalarText(x);
          if (!text) return not_scalar;
          values.push_back(std::move(*text));
        }
      }
    }
  }
  auto text_param = [&](const char* key) -> Result<std::optional<std::string>> {
    if (!a.contains(key) || a[key].is_null()) return std::optional<std::string>();
    const json& v = a[key];
    if (v.is_array() || v.is_object()) {
      return BadParameter(key, "Phải là chuỗi ký tự, không phải danh sách hay đối tượng",
                          "must be text, not a list or an object");
    }
    return v.is_string() ? std::optional<std::string>(v.get<std::string>()) : std::nullopt;
  };
  // CKAN's {"column": "text"} form of q is accepted and ignored (docs/api.md); a list is refused.
  if (!(a.contains("q") && a["q"].is_object())) {
    ODP_ASSIGN_OR_RETURN(std::optional<std::string> words, text_param("q"));
    if (words) q.q = std::move(*words);
  }
  if (a.contains("fields") && a["fields"].is_array()) {
    for (const auto& x : a["fields"]) {
      if (!x.is_string()) {
        return BadParameter("fields", "Phải là danh sách tên cột",
                            "must be a list of column names");
      }
      q.fields.push_back(x.get<std::string>());
    }
  } else {
    ODP_ASSIGN_OR_RETURN(std::optional<std::string> fields, text_param("fields"));
    if (fields) q.fields = SplitList(*fields, ',');
  }
  ODP_ASSIGN_OR_RETURN(std::optional<std::string> sort, text_param("sort"));
  if (sort) {
    if (Status s = ParseSort(*sort, q.sort); !s.ok()) {
      bad.WithField("sort", s.fields().at("sort"));
      has_bad = true;
    }
  }
  auto integer = [&](const char* key, int64_t& out, int64_t min, int64_t max) {
    if (a.contains(key) && !TakeInteger(JsonInteger(a[key]), key, min, max, out, bad))
      has_bad = true;
  };
  integer("limit", q.limit, 0, 32000);
  integer("offset", q.offset, 0, int64_t{1} << 40);
  if (a.contains("include_total")) {
    const json& v = a["include_total"];
    q.include_total =
        v.is_boolean() ? v.get<bool>() : !(v.is_string() && (v == "false" || v == "0"));
  }
  if (has_bad) return bad;
  return q;
}

Result<datastore::Query> ParseRestQuery(const http::Request& req) {
  datastore::Query q;
  q.limit = 100;
  Status bad = Status::InvalidArgument("invalid datastore query", "Truy vấn dữ liệu không hợp lệ");
  bool has_bad = false;
  for (const auto& [key, value] : req.query) {
    if (ReservedParams().count(key) || key.empty() || key[0] == '_') {
      if (key != "_id" && key.rfind("_id[", 0) != 0) continue;
    }
    // field=value, field[op]=value
    std::string field = key;
    datastore::Op op = datastore::Op::kEq;
    if (auto open = key.find('['); open != std::string::npos && key.back() == ']') {
      field = key.substr(0, open);
      auto parsed = datastore::ParseOp(key.substr(open + 1, key.size() - open - 2));
      if (!parsed) {
        bad.WithField(
            key,
            "Phép so sánh không hỗ trợ (eq, ne, lt, lte, gt, gte, in, contains, startswith, null, "
            "notnull)");
        has_bad = true;
        continue;
      }
      op = *parsed;
    }
    datastore::Condition c{field, op, {}};
    if (op == datastore::Op::kIn) {
      c.values = SplitList(value, ',');
    } else if (op == datastore::Op::kIsNull || op == datastore::Op::kNotNull) {
      // "x[null]=false" means the opposite.
      if (value == "false" || value == "0") {
        c.op = op == datastore::Op::kIsNull ? datastore::Op::kNotNull : datastore::Op::kIsNull;
      }
    } else {
      c.values = {value};
    }
    q.where.push_back(std::move(c));
  }
  q.q = req.Param("q");
  if (req.HasParam("fields")) q.fields = SplitList(req.Param("fields"), ',');
  if (req.HasParam("sort")) {
    if (Status s = ParseSort(req.Param("sort"), q.sort); !s.ok()) {
      bad.WithField("sort", s.fields().at("sort"));
      has_bad = true;
    }
  }
  auto integer = [&](const char* key, int64_t& out, int64_t min, int64_t max) {
    if (req.HasParam(key) && !TakeInteger(ParseInt(req.Param(key)), key, min, max, out, bad))
      has_bad = true;
  };
  integer("limit", q.limit, 0, 10000);
  integer("offset", q.offset, 0, int64_t{1} << 40);
  if (req.HasParam("include_total")) {
    std::string v = req.Param("include_total");
    q.include_total = !(v == "false" || v == "0");
  }
  if (req.HasParam("cursor") && !req.Param("cursor").empty()) {
    auto key = DecodeCursor(req.Param("cursor"));
    if (!key.ok() && IsBadParameter(key.status())) return key.status();  // nested too deeply
    if (!key.ok()) {
      bad.WithField("cursor", "Dùng giá trị \"next\" của trang trước");
      has_bad = true;
    } else {
      q.after = std::move(*key);
    }
  }
  if (has_bad) return bad;
  return q;
}

}  // namespace odp::api
