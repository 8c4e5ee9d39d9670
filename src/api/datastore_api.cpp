#include "api/datastore_api.h"

#include "api/api.h"
#include "api/upload.h"

namespace odp::api {

namespace {

std::vector<std::string> SplitList(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s + sep) {
    if (c == sep) {
      std::string_view t = datastore::Trim(cur);
      if (!t.empty()) out.emplace_back(t);
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

std::string ValueText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

}  // namespace

Result<datastore::Query> ParseDatastoreQuery(const json& a) {
  datastore::Query q;
  Status bad = Status::InvalidArgument("invalid datastore query", "Truy vấn dữ liệu không hợp lệ");
  bool has_bad = false;
  if (a.contains("filters") && !a["filters"].is_null()) {
    json f = a["filters"];
    if (f.is_string()) f = json::parse(f.get<std::string>(), nullptr, false);
    if (!f.is_object()) {
      bad.WithField("filters", "Bộ lọc phải là đối tượng JSON {\"cột\": giá trị}");
      has_bad = true;
    } else {
      for (const auto& [k, v] : f.items()) {
        if (v.is_array()) {
          for (const auto& x : v) q.filters[k].push_back(ValueText(x));
        } else {
          q.filters[k].push_back(ValueText(v));
        }
      }
    }
  }
  if (a.contains("q") && a["q"].is_string()) q.q = a["q"].get<std::string>();
  if (a.contains("fields")) {
    if (a["fields"].is_array()) {
      for (const auto& x : a["fields"]) {
        if (x.is_string()) q.fields.push_back(x.get<std::string>());
      }
    } else if (a["fields"].is_string()) {
      q.fields = SplitList(a["fields"].get<std::string>(), ',');
    }
  }
  if (a.contains("sort") && a["sort"].is_string()) {
    for (const auto& part : SplitList(a["sort"].get<std::string>(), ',')) {
      auto words = SplitList(part, ' ');
      bool desc = words.size() > 1 && (words[1] == "desc" || words[1] == "DESC");
      if (words.size() > 2 || (words.size() == 2 && !desc && words[1] != "asc" && words[1] != "ASC")) {
        bad.WithField("sort", "Sắp xếp dạng \"cột asc, cột desc\"");
        has_bad = true;
        continue;
      }
      q.sort.emplace_back(words[0], desc);
    }
  }
  auto integer = [&](const char* key, int64_t& out, int64_t min, int64_t max) {
    if (!a.contains(key)) return;
    const json& v = a[key];
    try {
      int64_t n = v.is_number_integer() ? v.get<int64_t>() : std::stoll(v.get<std::string>());
      if (n < min || n > max) throw std::out_of_range("range");
      out = n;
    } catch (...) {
      bad.WithField(key, "Phải là số nguyên từ " + std::to_string(min) + " đến " + std::to_string(max));
      has_bad = true;
    }
  };
  integer("limit", q.limit, 0, 32000);
  integer("offset", q.offset, 0, int64_t{1} << 40);
  if (a.contains("include_total")) {
    const json& v = a["include_total"];
    q.include_total = v.is_boolean() ? v.get<bool>() : !(v.is_string() && (v == "false" || v == "0"));
  }
  if (has_bad) return bad;
  return q;
}

void RegisterDatastore(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  // The table behind a resource: its schema, row count, validation report and the newest load.
  router.Add("GET", "/api/v1/resources/{id}/datastore", WithAuth(ctx, [c](http::Request&, const PathParams& p,
                                                                         const access::Principal& who) {
    std::string rid = p.at("id");
    auto res = c->catalog.GetResource(who, rid);
    if (!res.ok() || !c->datastore) return ErrorResponse(Status::NotFound("resource", rid));
    json out = json::object();
    out["resource_id"] = rid;
    if (auto job = c->datastore->Job(rid); job.ok()) {
      out["job"] = {{"version", job->version}, {"state", job->state}, {"rows_done", job->rows_done},
                    {"bytes_done", job->bytes_done}, {"bytes_total", job->bytes_total}};
      if (!job->error_en.empty()) {
        out["job"]["error"] = {{"message", job->error_en}, {"message_vi", job->error_vi}};
      }
    } else {
      out["job"] = nullptr;
    }
    if (auto t = c->datastore->Table(rid); t.ok()) {
      json fields = json::array();
      for (const auto& f : t->fields) {
        fields.push_back({{"name", f.id}, {"title", f.label}, {"type", datastore::ToString(f.type)}});
      }
      json issues = json::array();
      for (const auto& i : t->issues) {
        issues.push_back({{"kind", i.kind}, {"line", i.line}, {"column", i.column}, {"message", i.message_en},
                          {"message_vi", i.message_vi}});
      }
      out["table"] = {{"version", t->version}, {"rows", t->rows}, {"header_line", t->header_line},
                      {"delimiter", std::string(1, t->delimiter)}, {"schema", {{"fields", fields}}},
                      {"issues", issues}, {"issue_counts", t->issue_counts}};
    } else {
      out["table"] = nullptr;
    }
    return JsonResponse(200, out);
  }));
  // CKAN's dump path: the whole table (or a query of it) as a file.
  router.Add("GET", "/datastore/dump/{id}", WithAuth(ctx, [c](http::Request& req, const PathParams& p,
                                                              const access::Principal& who) {
    std::string rid = p.at("id");
    auto res = c->catalog.GetResource(who, rid);
    if (!res.ok() || !c->datastore) return ErrorResponse(Status::NotFound("resource", rid));
    auto table = c->datastore->Table(rid);
    if (!table.ok()) return ErrorResponse(table.status());
    json args = json::object();
    for (const auto& [k, v] : req.query) args[k] = v;
    args.erase("limit");
    auto q = ParseDatastoreQuery(args);
    if (!q.ok()) return ErrorResponse(q.status());
    q->limit = 0;  // everything
    if (req.HasParam("limit")) {
      try {
        q->limit = std::stoll(req.Param("limit"));
      } catch (...) {
        return ErrorResponse(Status::InvalidArgument("limit must be a number", "limit phải là số"));
      }
    }
    std::string format = req.HasParam("format") ? req.Param("format") : "csv";
    bool bom = req.Param("bom") != "false" && req.Param("bom") != "False" && req.Param("bom") != "0";
    // Columns in the order the rows will have them.
    std::vector<datastore::Field> columns = datastore::SelectedColumns(*table, *q);
    http::Response r;
    std::string base = res->second.name.empty() ? rid : res->second.name;
    std::string& out = r.body;
    Status s;
    if (format == "csv" || format == "tsv") {
      char delim = format == "tsv" ? '\t' : ',';
      if (bom && format == "csv") out = "\xEF\xBB\xBF";
      std::vector<json> header;
      header.push_back("_id");
      for (const auto& f : columns) header.push_back(f.label);
      datastore::AppendDelimitedRow(out, header, delim);
      s = c->datastore->Scan(*table, *q, [&out, delim](const std::vector<json>& row) {
        datastore::AppendDelimitedRow(out, row, delim);
        return true;
      });
      r.Set("Content-Type", format == "csv" ? "text/csv; charset=utf-8" : "text/tab-separated-values; charset=utf-8");
    } else if (format == "json") {
      out = "{\"fields\":[{\"id\":\"_id\",\"type\":\"int\"}";
      for (const auto& f : columns) out += ",{\"id\":" + json(f.id).dump() + "}";
      out += "],\"records\":[";
      bool first = true;
      s = c->datastore->Scan(*table, *q, [&out, &first](const std::vector<json>& row) {
        out += first ? "" : ",";
        first = false;
        out += json(row).dump(-1, ' ', false, json::error_handler_t::replace);
        return true;
      });
      out += "]}";
      r.Set("Content-Type", "application/json; charset=utf-8");
    } else {
      return ErrorResponse(Status::InvalidArgument("format must be csv, tsv or json",
                                                   "Định dạng phải là csv, tsv hoặc json"));
    }
    if (!s.ok()) return ErrorResponse(s);
    std::string ext = "." + format;
    if (base.size() > 4 && base.compare(base.size() - 4, 4, ".csv") == 0) base.resize(base.size() - 4);
    r.Set("Content-Disposition", ContentDisposition(base + ext));
    r.Set("Cache-Control", "no-cache");
    return r;
  }));
}

}  // namespace odp::api
