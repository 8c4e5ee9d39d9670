#include "datastore/table.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include "text/vietnamese.h"

namespace odp::datastore {

namespace {

constexpr std::pair<IssueKind, const char*> kIssueKinds[] = {
    {IssueKind::kDuplicateKey, "duplicate_key"},
    {IssueKind::kEmptyColumn, "empty_column"},
    {IssueKind::kExtraCells, "extra_cells"},
    {IssueKind::kFormulaError, "formula_error"},
    {IssueKind::kLegacyTextDecoded, "legacy_text_decoded"},
    {IssueKind::kLegacyTextKept, "legacy_text_kept"},
    {IssueKind::kLeftOut, "left_out"},
    {IssueKind::kMissingKey, "missing_key"},
    {IssueKind::kNotANumber, "not_a_number"},
    {IssueKind::kNulRemoved, "nul_removed"},
    {IssueKind::kPlaceholderNull, "placeholder_null"},
    {IssueKind::kSchemaColumnMissing, "schema_column_missing"},
    {IssueKind::kTypeDemoted, "type_demoted"},
    {IssueKind::kTypeMismatch, "type_mismatch"},
    {IssueKind::kUnterminatedQuote, "unterminated_quote"},
};

constexpr std::pair<JobState, const char*> kJobStates[] = {
    {JobState::kQueued, "queued"},     {JobState::kRunning, "running"},
    {JobState::kIndexing, "indexing"}, {JobState::kDone, "done"},
    {JobState::kFailed, "failed"},     {JobState::kCancelled, "cancelled"},
};

}  // namespace

const char* ToString(IssueKind k) {
  for (const auto& [kind, name] : kIssueKinds) {
    if (kind == k) return name;
  }
  return "";
}

std::optional<IssueKind> ParseIssueKind(std::string_view name) {
  for (const auto& [kind, n] : kIssueKinds) {
    if (name == n) return kind;
  }
  return std::nullopt;
}

const char* ToString(JobState s) {
  for (const auto& [state, name] : kJobStates) {
    if (state == s) return name;
  }
  return "";
}

std::optional<JobState> ParseJobState(std::string_view name) {
  for (const auto& [state, n] : kJobStates) {
    if (name == n) return state;
  }
  return std::nullopt;
}

bool IsLoading(JobState s) {
  return s == JobState::kQueued || s == JobState::kRunning || s == JobState::kIndexing;
}

std::map<std::string, int64_t> IssueCountsByName(const TableInfo& t) {
  std::map<std::string, int64_t> out;
  for (const auto& [kind, n] : t.issue_counts) out[ToString(kind)] = n;
  return out;
}

// Declared in datastore/internal.h; here, with the table's other plain values, so that the
// ingest steps need no database (fuzz/header_fuzz.cpp).
void AddIssue(TableInfo& t, IngestIssue issue) {
  ++t.issue_counts[issue.kind];
  if (t.issues.size() < kMaxIssues) t.issues.push_back(std::move(issue));
}

const Field& IdField() {
  static const Field kId{"_id", "_id", ColumnType::kInteger, NumberStyle::kInternational, ""};
  return kId;
}

std::vector<std::string> ColumnIds(const std::vector<std::string>& labels) {
  std::vector<std::string> ids;
  std::set<std::string> taken = {"_id"};
  for (size_t i = 0; i < labels.size(); ++i) {
    std::string id = text::Slugify(labels[i], 60);
    std::replace(id.begin(), id.end(), '-', '_');
    if (id.empty()) id = "cot_" + std::to_string(i + 1);
    if (std::isdigit(static_cast<unsigned char>(id[0]))) id = "c_" + id;
    std::string unique = id;
    for (int n = 2; taken.count(unique); ++n) unique = id + "_" + std::to_string(n);
    taken.insert(unique);
    ids.push_back(unique);
  }
  return ids;
}

bool Unresolved(const PersonalFinding& f) { return f.review.decision.empty(); }

LoadOptions MergeOptions(LoadOptions base, const LoadOptions& change) {
  for (const auto& c : change.fields) {
    auto f = std::find_if(base.fields.begin(), base.fields.end(),
                          [&](const FieldOverride& x) { return x.id == c.id; });
    if (f == base.fields.end()) {
      base.fields.push_back(c);
      continue;
    }
    if (c.type) f->type = c.type;
    if (!c.label.empty()) f->label = c.label;
    if (c.description) f->description = c.description;
  }
  if (!change.primary_key.empty()) base.primary_key = change.primary_key;
  for (const auto& r : change.reviews) {
    std::erase_if(base.reviews, [&](const ColumnReview& x) { return x.column == r.column; });
    if (!r.decision.empty()) base.reviews.push_back(r);
  }
  if (!change.format.empty()) base.format = change.format;
  if (!change.encoding.empty()) base.encoding = change.encoding;
  if (!change.records.empty()) base.records = change.records;
  // A row number: set by a positive value, cleared (found from the file again) by a negative one.
  auto row = [](int64_t& into, int64_t change) {
    if (change > 0) into = change;
    if (change < 0) into = 0;
  };
  row(base.header_row, change.header_row);
  row(base.first_row, change.first_row);
  row(base.last_row, change.last_row);
  if (change.wide_to_long != 0) base.wide_to_long = change.wide_to_long > 0 ? 1 : 0;
  if (change.sheet >= 0 || change.all_sheets) {
    base.sheet = change.sheet;
    base.all_sheets = change.all_sheets;
  }
  return base;
}

}  // namespace odp::datastore
