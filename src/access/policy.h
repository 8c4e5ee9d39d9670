// The permission policy: every "may this caller do that?" decision in ODP is made here.
//
// Deny by default: an action is allowed only by an explicit rule below. The rules:
//   - A sysadmin acts as an admin of every organization and reads everything, deleted
//     datasets included; the workflow's state rules bind sysadmins too.
//   - Reading a published dataset: `public` by anyone, `registered` by any logged-in user,
//     `shared` and `internal` by members of the owning organization (grants to other agencies
//     arrive with the sharing capability).
//   - Reading an unpublished dataset (draft, pending, rejected, withdrawn): members of the
//     owning organization. Deleted datasets: sysadmins only.
//   - Creating and editing (not deleted): editors and admins of the owning organization.
//   - Submitting (from draft, rejected or withdrawn): editors and admins.
//   - Deleting a draft or rejected dataset: editors and admins; any other: admins.
//   - Publishing (from pending, draft or withdrawn), rejecting (pending only), withdrawing
//     (published only), editing the organization and its members: admins.
//   - Organizations, taxonomies, licences and users: sysadmins.
//   - Consumer systems (other agencies' information systems calling ODP; access/consumers.h):
//     an organization's admins register systems for it (kRegisterConsumer), and see them, issue,
//     rotate and revoke their credentials and withdraw them (kManageConsumer). Approving or
//     refusing a registration (kDecideConsumer) is the provincial data unit's: sysadmins. A
//     consumer system itself is not a user: its principal has no user id and no roles, so no rule
//     here allows it anything beyond what an anonymous caller may do, except through grants.
//   - Inter-agency sharing (sharing/sharing.h): the sharing catalogue (what is offered, never the
//     data) is read by members of any organization and sysadmins (kReadSharingCatalogue; the
//     target's organization is ignored). An organization's admins offer its datasets for sharing
//     (kOfferSharing) and decide the requests made to it (kDecideSharing). Any member of an
//     organization may request a service for one of its consumer systems (kRequestSharing, the
//     target being the requesting organization). The provincial data unit (sysadmins) keeps the
//     announced calendar days (kManageCalendar) and watches the board of overdue requests
//     (kViewSharingBoard).
//   - Grants (access/grants.h): an organization's admins (and sysadmins) create, narrow,
//     suspend and revoke the grants of its datasets' tables (kManageGrant). A consumer principal
//     carries the grants in effect for its system (`Principal::grants`); each one lets it read
//     the metadata of the published dataset that holds the granted table (whatever its tier) and
//     that table through the grant's restriction (DecideTableRead). A grant never opens an
//     unpublished or deleted dataset, and nothing else: outside its grants a consumer reads
//     what an anonymous caller reads.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/records.h"

namespace odp::access {

// Who is calling. An anonymous caller has an empty user_id.
struct Principal {
  std::string user_id;
  std::string username;
  bool sysadmin = false;
  std::map<std::string, OrgRole> roles;  // organization id -> role
  // How the caller proved who they are; cookie sessions need CSRF tokens on writes.
  // kConsumerKey / kConsumerToken: a consumer system (X-API-Key, or an OAuth access token); then
  // user_id is empty and `consumer_id` names the system.
  enum class Via { kNone, kSession, kToken, kConsumerKey, kConsumerToken } via = Via::kNone;
  std::string csrf_token;     // for session callers
  std::string consumer_id;    // the consumer system calling, for kConsumerKey / kConsumerToken
  std::string credential_id;  // the consumer credential that authenticated it
  // The consumer system's grants in effect at this call (GrantService::InEffect), or null.
  std::shared_ptr<const std::vector<Grant>> grants;

  bool consumer() const { return !consumer_id.empty(); }

  bool authenticated() const { return !user_id.empty(); }
  // Neither a user nor a consumer system: what caches of public answers may serve.
  bool anonymous() const { return user_id.empty() && consumer_id.empty(); }
  // The caller's role in `org_id`, if any.
  const OrgRole* RoleIn(const std::string& org_id) const;
  // How the audit log names the caller: "user:<id>", "consumer:<id>" or "anonymous".
  std::string AuditActor() const;
};

enum class Action {
  kReadDataset,
  kCreateDataset,
  kUpdateDataset,
  kDeleteDataset,
  kSubmitDataset,
  kPublishDataset,
  kRejectDataset,
  kWithdrawDataset,
  kManageOrganization,
  kCreateOrganization,
  kManageTaxonomy,
  kManageUsers,
  kRegisterConsumer,
  kManageConsumer,
  kDecideConsumer,
  kReadSharingCatalogue,
  kOfferSharing,
  kRequestSharing,
  kDecideSharing,
  kManageCalendar,
  kViewSharingBoard,
  kManageGrant,
};

const char* ToString(Action a);

// What the policy needs to know about the target. For organization-level actions only
// `organization_id` matters. `dataset_id` is what grants name; left empty, no grant applies.
struct Target {
  std::string organization_id;
  AccessTier access = AccessTier::kInternal;
  DatasetState state = DatasetState::kDraft;
  std::string dataset_id{};
};

bool Allowed(const Principal& who, Action action, const Target& target);

// Convenience for dataset reads.
inline bool CanRead(const Principal& who, const Dataset& d) {
  return Allowed(who, Action::kReadDataset, {d.organization_id, d.access, d.state, d.id});
}

// Separation of duties: whoever submitted a dataset for review does not approve (publish) it,
// sysadmins included, unless the site allows it (SelfApproval::kAllowed: the setting for small
// agencies where one person does both). The rule is about a submission: it binds only the
// publication of a dataset awaiting review (state pending) whose submitter is known; an admin
// publishing their own draft directly submitted nothing. `false` means the caller must leave the
// decision to another reviewer; whether the caller may publish at all is Allowed()'s question.
enum class SelfApproval { kForbidden, kAllowed };
bool MayApproveSubmission(const Principal& who, DatasetState state, const std::string& submitter_id,
                          SelfApproval rule);

// Whether grant `g` is in effect at `now`: active, and `now` within [valid_from, valid_to)
// (a bound of 0 is open).
bool GrantInEffect(const Grant& g, Micros now);
// Whether `g` lets its system read the table whole: every column, every row, no mask. Only such
// a grant lets it download the resource's original file or name the table in SQL.
bool GrantCoversWholeTable(const Grant& g);

// How a caller may read the table of resource `resource_id` in the dataset `t`:
//   - kWhole: as the dataset's readers do (the rules above without grants): every row and
//     column;
//   - kGranted: through `grant` only (a consumer whose grants in effect include one for this
//     resource of a published dataset it may not otherwise read): its columns, rows and masks;
//   - kNone: not at all, and the table must answer as one that does not exist.
// When a consumer holds several grants for one table the oldest in effect applies.
enum class TableAccess { kNone, kWhole, kGranted };
struct TableDecision {
  TableAccess access = TableAccess::kNone;
  const Grant* grant = nullptr;  // kGranted only; points into who.grants
};
TableDecision DecideTableRead(const Principal& who, const Target& t,
                              const std::string& resource_id);

}  // namespace odp::access
