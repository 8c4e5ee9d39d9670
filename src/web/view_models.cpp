#include "web/view_models.h"

#include <map>
#include <set>

#include "datastore/personal_data.h"
#include "http/request.h"

namespace odp::web {

std::string FacetTitle(const Page& p, const std::string& field, const std::string& value) {
  if (field == "organization") {
    if (auto o = p.api.catalog.GetOrganization(value); o.ok())
      return p.Pick(o->title_vi, o->title_en);
  } else if (field == "sector" || field == "topic" || field == "groups") {
    if (auto g = p.api.catalog.GetGroup(value); g.ok()) return p.Pick(g->title_vi, g->title_en);
  } else if (field == "license_id") {
    if (auto l = p.api.catalog.GetLicense(value); l.ok()) return p.Pick(l->title_vi, l->title_en);
  } else if (field == "access") {
    if (auto t = ParseAccessTier(value)) return AccessLabel(p, *t);
  }
  return value;
}

std::string Excerpt(const std::string& markdown, size_t max) {
  std::string out;
  bool space = false;
  for (char c : markdown) {
    if (c == '#' || c == '*' || c == '_' || c == '`' || c == '>' || c == '[' || c == ']') continue;
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() >= max) break;
  }
  if (out.size() >= max) {
    size_t cut = out.rfind(' ');
    if (cut != std::string::npos && cut > max / 2) out.resize(cut);
    // Never end inside a UTF-8 sequence.
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0xC0) out.pop_back();
    out += "…";
  }
  return out;
}

json DatasetCard(const Page& p, const catalog::DatasetEntry& e) {
  const Dataset& d = e.dataset;
  json c;
  c["url"] = p.Url("/datasets/" + d.slug);
  c["slug"] = d.slug;
  c["title"] = p.Pick(d.title_vi, d.title_en);
  c["excerpt"] = Excerpt(p.Pick(d.description_vi, d.description_en), 220);
  if (auto o = p.api.catalog.GetOrganization(d.organization_id); o.ok()) {
    c["org"] = p.Pick(o->title_vi, o->title_en);
    c["org_url"] = p.Url("/organizations/" + o->slug);
  }
  std::set<std::string> formats;
  for (const auto& r : e.resources) {
    if (!r.format.empty()) formats.insert(r.format);
  }
  c["formats"] = json::array();
  for (const auto& f : formats) c["formats"].push_back(f);
  c["updated"] = p.Date(d.modified);
  c["state"] = ToString(d.state);
  c["state_label"] = StateLabel(p, d.state);
  c["access"] = ToString(d.access);
  c["access_label"] = AccessLabel(p, d.access);
  c["restricted"] = d.access != AccessTier::kPublic;
  c["unpublished"] = d.state != DatasetState::kPublished;
  return c;
}

std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    out += out.empty() ? "?" : "&";
    out += http::UrlEncode(k) + "=" + http::UrlEncode(v);
  }
  return out;
}

std::string FrequencyLabel(const Page& p, const std::string& code) {
  if (code.empty()) return "";
  const std::string& t = p.T("freq_" + code);
  return t.rfind("freq_", 0) == 0 ? code : t;
}

namespace {

// A schema change as CatalogService::RecordTableChange stored it ("types: a, b; header_row: 3;
// all_sheets: on") in the page's language ("Kiểu cột: a, b; Dòng tiêu đề: 3; …"); parts it does
// not know stay as they are.
std::string SchemaChangeText(const Page& p, const std::string& stored) {
  static const std::set<std::string> kKeys = {
      "types",     "names",    "descriptions", "sheet",   "encoding",   "header_row",
      "first_row", "last_row", "primary_key",  "records", "all_sheets", "wide_to_long"};
  static const std::set<std::string> kWords = {"auto", "on", "off"};
  std::string out;
  size_t start = 0;
  while (start < stored.size()) {
    size_t end = stored.find("; ", start);
    if (end == std::string::npos) end = stored.size();
    std::string part = stored.substr(start, end - start);
    size_t colon = part.find(": ");
    if (colon != std::string::npos && kKeys.count(part.substr(0, colon)) != 0) {
      std::string value = part.substr(colon + 2);
      if (kWords.count(value) != 0) value = p.T("schema_change_" + value);
      part = p.T("schema_change_" + part.substr(0, colon)) + ": " + value;
    }
    out += (out.empty() ? "" : "; ") + part;
    start = end + 2;
  }
  return out.empty() ? p.T("schema_change_reload") : out;
}

}  // namespace

json HistoryView(const Page& p, const std::string& dataset_id, bool with_actors, size_t max) {
  json h = json::array();
  auto history = p.api.catalog.History(p.who, dataset_id);
  if (!history.ok()) return h;
  std::map<std::string, std::string> names;  // actor id -> username, looked up once each
  for (auto it = history->rbegin(); it != history->rend() && h.size() < max; ++it) {
    json ev = {{"when", p.Date(it->at, true)}, {"action", p.T("event_" + it->action)}};
    if (with_actors) {
      auto [name, fresh] = names.try_emplace(it->actor_id, it->actor_id);
      if (fresh) {
        if (auto u = p.api.accounts.GetUser(it->actor_id); u.ok()) name->second = u->username;
      }
      ev["actor"] = name->second;
      ev["reason"] = it->action == "schema_change" ? SchemaChangeText(p, it->reason) : it->reason;
    }
    h.push_back(std::move(ev));
  }
  return h;
}

std::string StateLabel(const Page& p, DatasetState s) {
  return p.T(std::string("state_") + ToString(s));
}
std::string AccessLabel(const Page& p, AccessTier t) {
  return p.T(std::string("access_") + ToString(t));
}

std::string CellText(const Page& p, const json& v, const ColumnDisplay& column) {
  if (v.is_boolean()) return p.T(v.get<bool>() ? "value_true" : "value_false");
  return DisplayText(v, column, p.lang);
}

json PersonalDataView(const Page& p, const datastore::TableInfo& t) {
  json out = json::array();
  for (const auto& f : t.personal_data) {
    auto kind = datastore::ParsePersonalKind(f.kind);
    std::string examples;
    for (const auto& e : f.examples) examples += (examples.empty() ? "" : ", ") + e;
    std::string status;
    if (f.review.decision == "not_personal") {
      status = p.T("personal_not_personal") + ": " + f.review.reason;
    } else if (f.review.decision == "mask") {
      status = p.T("personal_masked") + ": " + p.T("personal_mask_" + f.review.mask);
    } else {
      status = p.T("personal_unreviewed");
    }
    if (!f.review.decision.empty()) {
      status += " (" + f.review.by + ", " + p.Date(f.review.at, true) + ")";
    }
    out.push_back(
        {{"label", f.label},
         {"column", f.column},
         {"kind", kind ? (p.en() ? datastore::LabelEn(*kind) : datastore::LabelVi(*kind)) : f.kind},
         {"share", std::to_string(static_cast<int>(f.share * 100 + 0.5)) + " %"},
         {"examples", examples},
         {"status", status},
         {"unresolved", datastore::Unresolved(f)}});
  }
  return out;
}

}  // namespace odp::web
