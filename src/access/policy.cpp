#include "access/policy.h"

namespace odp::access {

std::string Principal::AuditActor() const {
  if (consumer()) return "consumer:" + consumer_id;
  if (authenticated()) return "user:" + user_id;
  return "anonymous";
}

const OrgRole* Principal::RoleIn(const std::string& org_id) const {
  auto it = roles.find(org_id);
  return it == roles.end() ? nullptr : &it->second;
}

const char* ToString(Action a) {
  switch (a) {
    case Action::kReadDataset: return "read_dataset";
    case Action::kCreateDataset: return "create_dataset";
    case Action::kUpdateDataset: return "update_dataset";
    case Action::kDeleteDataset: return "delete_dataset";
    case Action::kSubmitDataset: return "submit_dataset";
    case Action::kPublishDataset: return "publish_dataset";
    case Action::kRejectDataset: return "reject_dataset";
    case Action::kWithdrawDataset: return "withdraw_dataset";
    case Action::kManageOrganization: return "manage_organization";
    case Action::kCreateOrganization: return "create_organization";
    case Action::kManageTaxonomy: return "manage_taxonomy";
    case Action::kManageUsers: return "manage_users";
    case Action::kRegisterConsumer: return "register_consumer";
    case Action::kManageConsumer: return "manage_consumer";
    case Action::kDecideConsumer: return "decide_consumer";
    case Action::kReadSharingCatalogue: return "read_sharing_catalogue";
    case Action::kOfferSharing: return "offer_sharing";
    case Action::kRequestSharing: return "request_sharing";
    case Action::kDecideSharing: return "decide_sharing";
    case Action::kManageCalendar: return "manage_calendar";
    case Action::kViewSharingBoard: return "view_sharing_board";
    case Action::kManageGrant: return "manage_grant";
  }
  return "unknown";
}

namespace {

bool AtLeast(const OrgRole* role, OrgRole needed) {
  return role != nullptr && static_cast<int>(*role) >= static_cast<int>(needed);
}

// The dataset read rule without grants.
bool ReadAllowedWithoutGrants(const Principal& who, const Target& t, const OrgRole* role) {
  if (t.state == DatasetState::kDeleted) return false;
  if (role != nullptr) return true;  // any member of the owning organization
  if (t.state != DatasetState::kPublished) return false;
  switch (t.access) {
    case AccessTier::kPublic: return true;
    case AccessTier::kRegistered: return who.authenticated();
    case AccessTier::kShared:
    case AccessTier::kInternal: return false;
  }
  return false;
}

// The consumer's grant in effect for a table of the published dataset `t` (any table when
// `resource_id` is empty): the oldest, or null.
const Grant* GrantOf(const Principal& who, const Target& t, const std::string& resource_id) {
  if (!who.consumer() || who.authenticated() || !who.grants || t.dataset_id.empty() ||
      t.state != DatasetState::kPublished) {
    return nullptr;
  }
  const Grant* found = nullptr;
  for (const Grant& g : *who.grants) {
    if (g.consumer_id != who.consumer_id || g.dataset_id != t.dataset_id || g.state != "active") {
      continue;
    }
    if (!resource_id.empty() && g.resource_id != resource_id) continue;
    if (found == nullptr || g.created < found->created ||
        (g.created == found->created && g.id < found->id)) {
      found = &g;
    }
  }
  return found;
}

bool ReadAllowed(const Principal& who, const Target& t, const OrgRole* role) {
  return ReadAllowedWithoutGrants(who, t, role) || GrantOf(who, t, "") != nullptr;
}

const OrgRole* RoleOf(const Principal& who, const std::string& org_id, bool sysadmin) {
  static const OrgRole kAdminRole = OrgRole::kAdmin;
  return sysadmin ? &kAdminRole : who.authenticated() ? who.RoleIn(org_id) : nullptr;
}

}  // namespace

bool Allowed(const Principal& who, Action action, const Target& t) {
  // A sysadmin acts as an admin of every organization; the workflow's state rules still hold.
  static const OrgRole kAdminRole = OrgRole::kAdmin;
  // Rights come from a user: a caller without a user id (anonymous, a consumer system) is never
  // a sysadmin nor a member, whatever else its principal says.
  const bool sysadmin = who.sysadmin && who.authenticated();
  const OrgRole* role = sysadmin              ? &kAdminRole
                        : who.authenticated() ? who.RoleIn(t.organization_id)
                                              : nullptr;
  const bool deleted = t.state == DatasetState::kDeleted;
  switch (action) {
    case Action::kReadDataset: return sysadmin || ReadAllowed(who, t, role);
    case Action::kCreateDataset: return AtLeast(role, OrgRole::kEditor);
    case Action::kUpdateDataset: return !deleted && AtLeast(role, OrgRole::kEditor);
    case Action::kSubmitDataset:
      return AtLeast(role, OrgRole::kEditor) &&
             (t.state == DatasetState::kDraft || t.state == DatasetState::kRejected ||
              t.state == DatasetState::kWithdrawn);
    case Action::kDeleteDataset:
      if (deleted) return false;
      if (t.state == DatasetState::kDraft || t.state == DatasetState::kRejected) {
        return AtLeast(role, OrgRole::kEditor);
      }
      return AtLeast(role, OrgRole::kAdmin);
    case Action::kPublishDataset:
      return AtLeast(role, OrgRole::kAdmin) &&
             (t.state == DatasetState::kPending || t.state == DatasetState::kDraft ||
              t.state == DatasetState::kWithdrawn);
    case Action::kRejectDataset:
      return AtLeast(role, OrgRole::kAdmin) && t.state == DatasetState::kPending;
    case Action::kWithdrawDataset:
      return AtLeast(role, OrgRole::kAdmin) && t.state == DatasetState::kPublished;
    case Action::kManageOrganization:
    case Action::kRegisterConsumer:
    case Action::kManageConsumer:
    case Action::kOfferSharing:
    case Action::kDecideSharing: return AtLeast(role, OrgRole::kAdmin);
    case Action::kRequestSharing: return AtLeast(role, OrgRole::kMember);
    case Action::kReadSharingCatalogue:
      return sysadmin || (who.authenticated() && !who.roles.empty());
    case Action::kManageGrant: return AtLeast(role, OrgRole::kAdmin);
    case Action::kCreateOrganization:
    case Action::kManageTaxonomy:
    case Action::kManageUsers:
    case Action::kDecideConsumer:
    case Action::kManageCalendar:
    case Action::kViewSharingBoard: return sysadmin;
  }
  return false;
}

bool MayApproveSubmission(const Principal& who, DatasetState state, const std::string& submitter_id,
                          SelfApproval rule) {
  if (rule == SelfApproval::kAllowed || state != DatasetState::kPending) return true;
  if (submitter_id.empty() || !who.authenticated()) return true;
  return who.user_id != submitter_id;
}

bool GrantInEffect(const Grant& g, Micros now) {
  return g.state == "active" && (g.valid_from == 0 || now >= g.valid_from) &&
         (g.valid_to == 0 || now < g.valid_to);
}

bool GrantCoversWholeTable(const Grant& g) {
  auto empty_json = [](const std::string& s) {
    return s.empty() || s == "[]" || s == "{}" || s == "null";
  };
  return empty_json(g.columns) && g.row_filter.empty() && empty_json(g.masks);
}

TableDecision DecideTableRead(const Principal& who, const Target& t,
                              const std::string& resource_id) {
  const bool sysadmin = who.sysadmin && who.authenticated();
  if (sysadmin || ReadAllowedWithoutGrants(who, t, RoleOf(who, t.organization_id, sysadmin))) {
    return {TableAccess::kWhole, nullptr};
  }
  if (resource_id.empty()) return {};
  if (const Grant* g = GrantOf(who, t, resource_id)) return {TableAccess::kGranted, g};
  return {};
}

}  // namespace odp::access
