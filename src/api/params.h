// What callers send, read safely: request JSON with a nesting limit, JSON object bodies and
// CKAN action parameters (the datastore's query parameters are in api/datastore_params.h).
// Pure: no services and no I/O, so the fuzz target fuzz/params_fuzz.cpp drives every reader
// here with arbitrary bytes.
//
// Two rules hold for every reader:
// - A caller's bytes become JSON only through ParseRequestJson, which refuses nesting deeper
//   than kMaxRequestJsonDepth before nlohmann builds anything. Nothing recursive (nlohmann's
//   parser and destructor, dump) ever meets a deep value, so one request cannot exhaust a
//   worker's stack.
// - A caller's value is never serialised again. Where text is expected, a string is taken as
//   it is and a number or boolean becomes its text; an array or object is a bad parameter
//   (BadParameter), answered with 400 naming the parameter.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "http/request.h"

namespace odp::api {

using json = nlohmann::json;

// The deepest nesting of arrays and objects accepted in request JSON. CKAN and REST requests
// need three or four levels; 32 leaves room for any honest client.
inline constexpr int kMaxRequestJsonDepth = 32;

// True when the arrays and objects in `text` nest deeper than `max_depth`, counting brackets
// outside strings (a backslash escapes the next byte inside a string). Reads the bytes once
// and stops at the first bracket too deep. For invalid JSON the count may be higher than what
// a parser would reach, never lower, so a false answer is a promise that parsing `text` builds
// no value deeper than `max_depth`.
bool JsonNestsDeeperThan(std::string_view text, int max_depth);

// A parameter refused for its form rather than its value: an array or object where text is
// expected, or JSON nested too deeply. kInvalidArgument, with `name` as the field and the
// problem in Vietnamese then English; every route answers it with 400 (CKAN routes keep 409
// for invalid values, as CKAN does).
Status BadParameter(std::string_view name, std::string_view problem_vi,
                    std::string_view problem_en);
bool IsBadParameter(const Status& s);

// Parses caller-supplied JSON text (a body, a form key, a parameter holding JSON, a cursor).
// Returns the value, discarded (is_discarded()) when `text` is not valid JSON or not UTF-8,
// as nlohmann's parse(text, nullptr, false) does; or a BadParameter named `name` when it nests
// deeper than kMaxRequestJsonDepth: "Dữ liệu JSON lồng quá sâu (tối đa 32 cấp)".
Result<json> ParseRequestJson(std::string_view text, std::string_view name = "body");

// Parses a JSON object body (REST v1): an empty body is {}; invalid JSON, invalid UTF-8 or a
// non-object is kInvalidArgument; too deep is ParseRequestJson's BadParameter.
Result<json> ParseJsonObject(std::string_view body);

// The text of a scalar (string as it is, number, boolean, null as "null"); nullopt for an
// array or object, which callers refuse rather than serialise.
std::optional<std::string> ScalarText(const json& v);

// Checked reads of one value of a caller's JSON, for the places that would otherwise call
// nlohmann's throwing get<>() or value(). Their errors are kInvalidArgument with a generic
// message; callers name the field in their own words (WithField) as their routes answer.
//
// An integer with CKAN's coercion: a JSON integer, or a string holding one in decimal ("10",
// "-3", "+4", as ParseInt in base/parse.h reads it). Refused: other types, fractions, and JSON
// numbers beyond int64_t.
Result<int64_t> JsonInteger(const json& v);
// The string at `obj[key]`: "" when `obj` is not an object, or the key is absent or null;
// refused when it holds anything but a string.
Result<std::string> JsonStringField(const json& obj, const char* key);

// Reads optional typed fields of a REST body into inputs, recording wrong types. Str accepts
// strings, numbers and booleans; StrList a list of strings (or CKAN's [{"name": …}]); StrMap an
// object of strings (or CKAN's [{"key", "value"}]); Int an integer or a string holding one.
class FieldReader {
 public:
  explicit FieldReader(const json& obj) : obj_(obj) {}
  void Str(const char* key, std::optional<std::string>& out);
  void StrList(const char* key, std::optional<std::vector<std::string>>& out);
  void StrMap(const char* key, std::optional<std::map<std::string, std::string>>& out);
  void Int(const char* key, std::optional<int>& out);
  // OK, or kInvalidArgument naming every field of the wrong type.
  Status status() const;

 private:
  const json& obj_;
  Status errors_ =
      Status::InvalidArgument("fields have the wrong type", "Trường có kiểu dữ liệu sai");
  bool bad_ = false;
};

// CKAN ----------------------------------------------------------------------------------------

// The parameters of a CKAN action from a request without a spooled file: the GET query
// (repeated keys become lists), an urlencoded form (a form whose only key is a JSON object is
// that object, as CKAN accepts), or a JSON object body. A body that is not a JSON object is
// kInvalidArgument "JSON Error: …"; JSON nested too deeply is a BadParameter.
Result<json> ReadCkanArgs(const http::Request& req);

// Reads CKAN action parameters with CKAN's coercions ("10" and 10 are both 10). Remembers the
// first problem: a BadParameter (an array or object where text is expected, JSON text nested
// too deeply) or an invalid integer (kInvalidArgument, field -> "Invalid integer").
// `args` must outlive the reader.
class CkanArgs {
 public:
  explicit CkanArgs(const json& args) : args_(args) {}

  // Text: a string, or a number or boolean as text; "" when absent or null.
  std::string Str(const char* key);
  // An integer, or a string holding one; nullopt when absent, null or invalid.
  std::optional<long> Int(const char* key);
  // A boolean, a number (non-zero) or "true"/"1"/"yes"/"on"; `def` when absent or null.
  bool Bool(const char* key, bool def) const;
  // A list of strings: a JSON list (other elements are skipped), a string holding a JSON list,
  // or one plain string; empty when absent.
  std::vector<std::string> List(const char* key);

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

 private:
  void Fail(Status s);

  const json& args_;
  Status status_;
};

}  // namespace odp::api
