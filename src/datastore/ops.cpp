// The query language's plain parts (query.h): the names of the REST filter operators and the
// columns a query selects, apart from the query code so that the API's parameter readers and
// their fuzz target need nothing else of the datastore.
#include "datastore/query.h"

namespace odp::datastore {

namespace {

constexpr std::pair<Op, const char*> kOps[] = {
    {Op::kEq, "eq"},
    {Op::kNe, "ne"},
    {Op::kLt, "lt"},
    {Op::kLe, "lte"},
    {Op::kGt, "gt"},
    {Op::kGe, "gte"},
    {Op::kIn, "in"},
    {Op::kContains, "contains"},
    {Op::kStartsWith, "startswith"},
    {Op::kIsNull, "null"},
    {Op::kNotNull, "notnull"},
};

}  // namespace

const char* OpName(Op op) {
  for (const auto& [o, name] : kOps) {
    if (o == op) return name;
  }
  return "eq";
}

std::optional<Op> ParseOp(std::string_view name) {
  for (const auto& [o, n] : kOps) {
    if (name == n) return o;
  }
  if (name == "le") return Op::kLe;
  if (name == "ge") return Op::kGe;
  return std::nullopt;
}

std::vector<Field> SelectedColumns(const TableInfo& t, const Query& q) {
  std::vector<Field> out;
  if (q.fields.empty()) {
    out = t.fields;
  } else {
    for (const auto& id : q.fields) {
      for (const auto& f : t.fields) {
        if (f.id == id) out.push_back(f);
      }
    }
  }
  for (auto& f : out) {
    auto m = q.masks.find(f.id);
    if (m == q.masks.end()) continue;
    f.type = m->second.kind == access::MaskKind::kYear ? ColumnType::kInteger : ColumnType::kString;
  }
  return out;
}

}  // namespace odp::datastore
