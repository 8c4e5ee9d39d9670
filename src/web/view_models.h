// Turning catalogue records into template views, in the page's language.
#pragma once

#include "catalog/catalog.h"
#include "datastore/table.h"
#include "web/display.h"
#include "web/page.h"

namespace odp::web {

// Title of a facet value in the page's language ("organization" "so-y-te" → "Sở Y tế").
std::string FacetTitle(const Page& p, const std::string& field, const std::string& value);

// A dataset as a search result card: url, title, org, excerpt, formats, updated.
json DatasetCard(const Page& p, const catalog::DatasetEntry& e);

// The plain-text start of a Markdown description, at most `max` bytes, cut at a word.
std::string Excerpt(const std::string& markdown, size_t max);

// "?a=1&b=2" from pairs (empty when none).
std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params);

// An update frequency in the page's language ("annual" → "Hằng năm"); the code when unknown.
std::string FrequencyLabel(const Page& p, const std::string& code);

// A resource's table as the dataset page previews it: the first 10 rows, the columns, the row
// and column counts and the first 20 problems of the load report (false when the resource has
// no table). Defined with the dataset page (web/public_pages.cpp); the review page shows the same.
json TablePreview(const Page& p, const Resource& r, const std::string& slug);

// A dataset's history, newest first, at most `max` events: when and what for everyone; with
// `with_actors`, also who (username) and the reason given (for a schema change, what changed, in
// the page's language; for files, the file's name).
json HistoryView(const Page& p, const std::string& dataset_id, bool with_actors, size_t max);

// Labels for workflow states and access tiers in the page's language.
std::string StateLabel(const Page& p, DatasetState s);
// A datastore value as a person reads it (web/display.h): numbers with the language's digit
// groups and decimal mark, dates as the language writes them, province codes by name where
// `column` says so, booleans as words, null as nothing.
std::string CellText(const Page& p, const json& v, const ColumnDisplay& column = {});
std::string AccessLabel(const Page& p, AccessTier t);

// The columns of `t` flagged as personal data, for a page: the column, its kind, the share of
// matching cells, the masked examples and what a reviewer decided (or that nobody has yet).
json PersonalDataView(const Page& p, const datastore::TableInfo& t);

}  // namespace odp::web
