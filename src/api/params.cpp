#include "api/params.h"

#include <limits>
#include <string>

#include "base/parse.h"
#include "text/vietnamese.h"

namespace odp::api {

namespace {

constexpr std::string_view kBadParameterPrefix = "bad parameter ";

Status TooDeep(std::string_view name) {
  const std::string limit = std::to_string(kMaxRequestJsonDepth);
  return BadParameter(name, "Dữ liệu JSON lồng quá sâu (tối đa " + limit + " cấp)",
                      "JSON nested too deeply (at most " + limit + " levels)");
}

Status NotText(std::string_view name) {
  return BadParameter(name, "Phải là chuỗi ký tự, không phải danh sách hay đối tượng",
                      "must be text, not a list or an object");
}

}  // namespace

bool JsonNestsDeeperThan(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped byte cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[':
      case '{':
        if (++depth > max_depth) return true;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;  // a stray closer makes the text invalid; never count below 0
        break;
      default: break;
    }
  }
  return false;
}

Status BadParameter(std::string_view name, std::string_view problem_vi,
                    std::string_view problem_en) {
  const std::string n(name);
  Status s = Status::InvalidArgument(
      std::string(kBadParameterPrefix) + "\"" + n + "\": " + std::string(problem_en),
      n == "body" ? std::string(problem_vi) : "Tham số \"" + n + "\": " + std::string(problem_vi));
  s.WithField(n, std::string(problem_vi) + " (" + std::string(problem_en) + ")");
  return s;
}

bool IsBadParameter(const Status& s) {
  return s.code() == StatusCode::kInvalidArgument && s.message().rfind(kBadParameterPrefix, 0) == 0;
}

Result<json> ParseRequestJson(std::string_view text, std::string_view name) {
  if (JsonNestsDeeperThan(text, kMaxRequestJsonDepth)) return TooDeep(name);
  return json::parse(text.begin(), text.end(), nullptr, false);
}

Result<json> ParseJsonObject(std::string_view body) {
  if (body.empty()) return json::object();
  ODP_ASSIGN_OR_RETURN(json j, ParseRequestJson(body));
  if (j.is_discarded()) {
    return Status::InvalidArgument(
        "the body is not valid JSON (or not UTF-8)",
        "Nội dung gửi lên không phải JSON hợp lệ (hoặc không phải UTF-8)");
  }
  if (!j.is_object()) {
    return Status::InvalidArgument("the body must be a JSON object",
                                   "Nội dung phải là một đối tượng JSON");
  }
  return j;
}

std::optional<std::string> ScalarText(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number() || v.is_null()) return v.dump();  // a scalar: no recursion
  return std::nullopt;
}

Result<int64_t> JsonInteger(const json& v) {
  if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t{std::numeric_limits<int64_t>::max()}) {
    return Status::InvalidArgument("integer out of range", "Số nguyên quá lớn");
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) return ParseInt(v.get_ref<const std::string&>());
  return Status::InvalidArgument("not an integer", "Không phải số nguyên");
}

Result<std::string> JsonStringField(const json& obj, const char* key) {
  if (!obj.is_object()) return std::string();
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return Status::InvalidArgument(std::string(key) + " must be text",
                                   std::string(key) + " phải là chuỗi ký tự");
  }
  return it->get<std::string>();
}

// FieldReader ---------------------------------------------------------------------------------

void FieldReader::Str(const char* key, std::optional<std::string>& out) {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return;
  if (it->is_string()) {
    out = it->get<std::string>();
  } else if (it->is_number() || it->is_boolean()) {
    out = *ScalarText(*it);
  } else {
    errors_.WithField(key, "Phải là chuỗi ký tự");
    bad_ = true;
  }
}

void FieldReader::StrList(const char* key, std::optional<std::vector<std::string>>& out) {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return;
  if (!it->is_array()) {
    errors_.WithField(key, "Phải là danh sách chuỗi");
    bad_ = true;
    return;
  }
  std::vector<std::string> v;
  for (const auto& e : *it) {
    if (e.is_string()) {
      v.push_back(e.get<std::string>());
    } else if (e.is_object() && e.contains("name") && e["name"].is_string()) {
      v.push_back(e["name"].get<std::string>());  // CKAN's [{"name": "..."}] form
    } else {
      errors_.WithField(key, "Phải là danh sách chuỗi");
      bad_ = true;
      return;
    }
  }
  out = std::move(v);
}

void FieldReader::StrMap(const char* key, std::optional<std::map<std::string, std::string>>& out) {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return;
  std::map<std::string, std::string> m;
  if (it->is_object()) {
    for (const auto& [k, v] : it->items()) {
      if (!v.is_string()) {
        errors_.WithField(key, "Giá trị phải là chuỗi");
        bad_ = true;
        return;
      }
      m[k] = v.get<std::string>();
    }
  } else if (it->is_array()) {  // CKAN extras: [{"key": k, "value": v}]
    for (const auto& e : *it) {
      if (!e.is_object() || !e.contains("key") || !e["key"].is_string() || !e.contains("value") ||
          !e["value"].is_string()) {
        errors_.WithField(key, "Phải là danh sách {key, value}");
        bad_ = true;
        return;
      }
      m[e["key"].get<std::string>()] = e["value"].get<std::string>();
    }
  } else {
    errors_.WithField(key, "Phải là đối tượng");
    bad_ = true;
    return;
  }
  out = std::move(m);
}

void FieldReader::Int(const char* key, std::optional<int>& out) {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return;
  Result<int64_t> v = JsonInteger(*it);
  if (v.ok() && *v >= std::numeric_limits<int>::min() && *v <= std::numeric_limits<int>::max()) {
    out = static_cast<int>(*v);
    return;
  }
  errors_.WithField(key, "Phải là số nguyên");
  bad_ = true;
}

Status FieldReader::status() const { return bad_ ? errors_ : Status::Ok(); }

// CKAN ----------------------------------------------------------------------------------------

Result<json> ReadCkanArgs(const http::Request& req) {
  json args = json::object();
  auto add_pairs = [&](const std::vector<std::pair<std::string, std::string>>& pairs) {
    for (const auto& [k, v] : pairs) {
      if (!args.contains(k)) {
        args[k] = v;
      } else if (args[k].is_array()) {
        args[k].push_back(v);
      } else {
        args[k] = json::array({args[k], v});
      }
    }
  };
  if (req.method == "GET" || req.method == "HEAD") {
    add_pairs(req.query);
    return args;
  }
  if (req.Header("content-type").rfind("application/x-www-form-urlencoded", 0) == 0) {
    auto pairs = http::ParseQuery(req.body);
    // A form whose only key is a JSON object is that object (CKAN accepts this).
    if (pairs.size() == 1 && pairs[0].second.empty()) {
      ODP_ASSIGN_OR_RETURN(json j, ParseRequestJson(pairs[0].first));
      if (j.is_object()) return j;
    }
    add_pairs(pairs);
    return args;
  }
  if (req.body.empty()) return args;
  ODP_ASSIGN_OR_RETURN(json j, ParseRequestJson(req.body));
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("JSON Error: request body must be a JSON object",
                                   "Lỗi JSON: nội dung gửi lên phải là một đối tượng JSON");
  }
  return j;
}

void CkanArgs::Fail(Status s) {
  if (status_.ok()) status_ = std::move(s);
}

std::string CkanArgs::Str(const char* key) {
  auto it = args_.find(key);
  if (it == args_.end() || it->is_null()) return {};
  if (auto text = ScalarText(*it)) return *text;
  Fail(NotText(key));
  return {};
}

std::optional<long> CkanArgs::Int(const char* key) {
  auto it = args_.find(key);
  if (it == args_.end() || it->is_null()) return std::nullopt;
  if (Result<int64_t> v = JsonInteger(*it); v.ok()) return *v;
  Fail(Status::InvalidArgument(std::string("invalid integer: ") + key,
                               "Số nguyên không hợp lệ: " + std::string(key))
           .WithField(key, "Invalid integer"));
  return std::nullopt;
}

bool CkanArgs::Bool(const char* key, bool def) const {
  auto it = args_.find(key);
  if (it == args_.end() || it->is_null()) return def;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string()) {
    std::string s = text::FoldVietnamese(it->get<std::string>());
    return s == "true" || s == "1" || s == "yes" || s == "on";
  }
  if (it->is_number()) return it->get<double>() != 0;
  return def;
}

std::vector<std::string> CkanArgs::List(const char* key) {
  auto it = args_.find(key);
  std::vector<std::string> out;
  if (it == args_.end() || it->is_null()) return out;
  const json* list = &*it;
  json parsed;
  if (it->is_string()) {
    auto j = ParseRequestJson(it->get_ref<const std::string&>(), key);
    if (!j.ok()) {
      Fail(j.status());
      return out;
    }
    if (!j->is_array()) {
      out.push_back(it->get<std::string>());
      return out;
    }
    parsed = std::move(*j);
    list = &parsed;
  }
  if (list->is_array()) {
    for (const auto& e : *list) {
      if (e.is_string()) out.push_back(e.get<std::string>());
    }
  }
  return out;
}

}  // namespace odp::api
