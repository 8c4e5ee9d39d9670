#include "store/store.h"

#include "store/sql_store.h"

namespace odp {

const char* ToString(AccessTier t) {
  switch (t) {
    case AccessTier::kPublic: return "public";
    case AccessTier::kRegistered: return "registered";
    case AccessTier::kShared: return "shared";
    case AccessTier::kInternal: return "internal";
  }
  return "internal";
}

const char* ToString(DatasetState s) {
  switch (s) {
    case DatasetState::kDraft: return "draft";
    case DatasetState::kPending: return "pending";
    case DatasetState::kPublished: return "published";
    case DatasetState::kRejected: return "rejected";
    case DatasetState::kWithdrawn: return "withdrawn";
    case DatasetState::kDeleted: return "deleted";
  }
  return "draft";
}

const char* ToString(OrgRole r) {
  switch (r) {
    case OrgRole::kMember: return "member";
    case OrgRole::kEditor: return "editor";
    case OrgRole::kAdmin: return "admin";
  }
  return "member";
}

const char* ToString(GroupKind k) { return k == GroupKind::kSector ? "sector" : "topic"; }

std::optional<AccessTier> ParseAccessTier(const std::string& s) {
  for (auto t :
       {AccessTier::kPublic, AccessTier::kRegistered, AccessTier::kShared, AccessTier::kInternal}) {
    if (s == ToString(t)) return t;
  }
  return std::nullopt;
}

std::optional<DatasetState> ParseDatasetState(const std::string& s) {
  for (auto t : {DatasetState::kDraft, DatasetState::kPending, DatasetState::kPublished,
                 DatasetState::kRejected, DatasetState::kWithdrawn, DatasetState::kDeleted}) {
    if (s == ToString(t)) return t;
  }
  return std::nullopt;
}

std::optional<OrgRole> ParseOrgRole(const std::string& s) {
  for (auto r : {OrgRole::kMember, OrgRole::kEditor, OrgRole::kAdmin}) {
    if (s == ToString(r)) return r;
  }
  return std::nullopt;
}

namespace store {

bool IsPostgresUrl(const std::string& db_url) {
  return db_url.rfind("postgresql:", 0) == 0 || db_url.rfind("postgres:", 0) == 0;
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& db_url, bool migrate) {
  std::string path = db_url;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  if (IsPostgresUrl(db_url)) return OpenPostgresStore(db_url, migrate);
  return OpenSqliteStore(path, migrate);
}

}  // namespace store
}  // namespace odp
