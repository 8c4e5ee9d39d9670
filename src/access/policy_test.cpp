// The permission policy as a table: every role × action × access tier × dataset state.
#include "access/policy.h"

#include <set>

#include <gtest/gtest.h>

namespace odp::access {
namespace {

enum class Role {
  kAnonymous,
  kRegistered,
  kOtherOrgAdmin,
  kMember,
  kEditor,
  kAdmin,
  kSysadmin,
  kConsumerSystem,
  kConsumerWithGrant
};

const char* Name(Role r) {
  switch (r) {
    case Role::kAnonymous: return "anonymous";
    case Role::kRegistered: return "registered";
    case Role::kOtherOrgAdmin: return "admin-of-other-org";
    case Role::kMember: return "member";
    case Role::kEditor: return "editor";
    case Role::kAdmin: return "admin";
    case Role::kSysadmin: return "sysadmin";
    case Role::kConsumerSystem: return "consumer-system";
    case Role::kConsumerWithGrant: return "consumer-with-grant";
  }
  return "?";
}

Principal Make(Role r) {
  Principal p;
  if (r == Role::kAnonymous) return p;
  if (r == Role::kConsumerWithGrant) {
    // A consumer system holding an active grant on a table of the dataset "ds".
    p.consumer_id = "system";
    p.via = Principal::Via::kConsumerKey;
    Grant g;
    g.id = "g";
    g.consumer_id = "system";
    g.dataset_id = "ds";
    g.resource_id = "r";
    g.state = "active";
    p.grants = std::make_shared<const std::vector<Grant>>(std::vector<Grant>{g});
    return p;
  }
  if (r == Role::kConsumerSystem) {
    // A consumer system of the owning organization: authenticated, but not a user.
    p.consumer_id = "system";
    p.credential_id = "key";
    p.via = Principal::Via::kConsumerKey;
    return p;
  }
  p.user_id = "u";
  switch (r) {
    case Role::kOtherOrgAdmin: p.roles["other"] = OrgRole::kAdmin; break;
    case Role::kMember: p.roles["org"] = OrgRole::kMember; break;
    case Role::kEditor: p.roles["org"] = OrgRole::kEditor; break;
    case Role::kAdmin: p.roles["org"] = OrgRole::kAdmin; break;
    case Role::kSysadmin: p.sysadmin = true; break;
    default: break;
  }
  return p;
}

using S = DatasetState;
const std::set<S> kAll = {S::kDraft,    S::kPending,   S::kPublished,
                          S::kRejected, S::kWithdrawn, S::kDeleted};
const std::set<S> kLive = {S::kDraft, S::kPending, S::kPublished, S::kRejected, S::kWithdrawn};

// The specification: for an action and a role, the states in which it is allowed, and whether
// the access tier matters (only for reads by outsiders).
struct Rule {
  Action action;
  Role role;
  std::set<S> states;
  std::set<AccessTier> tiers;  // empty = every tier
};

const std::vector<Rule>& Spec() {
  using A = Action;
  using T = AccessTier;
  static const std::vector<Rule> kSpec = {
      {A::kReadDataset, Role::kAnonymous, {S::kPublished}, {T::kPublic}},
      // Without a grant a consumer system reads what anonymous callers read, nothing more; a
      // grant opens the published dataset that holds its table, whatever the tier.
      {A::kReadDataset, Role::kConsumerSystem, {S::kPublished}, {T::kPublic}},
      {A::kReadDataset, Role::kConsumerWithGrant, {S::kPublished}, {}},
      {A::kReadDataset, Role::kRegistered, {S::kPublished}, {T::kPublic, T::kRegistered}},
      {A::kReadDataset, Role::kOtherOrgAdmin, {S::kPublished}, {T::kPublic, T::kRegistered}},
      {A::kReadDataset, Role::kMember, kLive, {}},
      {A::kReadDataset, Role::kEditor, kLive, {}},
      {A::kReadDataset, Role::kAdmin, kLive, {}},
      {A::kReadDataset, Role::kSysadmin, kAll, {}},
      {A::kCreateDataset, Role::kEditor, kAll, {}},
      {A::kCreateDataset, Role::kAdmin, kAll, {}},
      {A::kCreateDataset, Role::kSysadmin, kAll, {}},
      {A::kUpdateDataset, Role::kEditor, kLive, {}},
      {A::kUpdateDataset, Role::kAdmin, kLive, {}},
      {A::kUpdateDataset, Role::kSysadmin, kLive, {}},
      {A::kSubmitDataset, Role::kEditor, {S::kDraft, S::kRejected, S::kWithdrawn}, {}},
      {A::kSubmitDataset, Role::kAdmin, {S::kDraft, S::kRejected, S::kWithdrawn}, {}},
      {A::kSubmitDataset, Role::kSysadmin, {S::kDraft, S::kRejected, S::kWithdrawn}, {}},
      {A::kDeleteDataset, Role::kEditor, {S::kDraft, S::kRejected}, {}},
      {A::kDeleteDataset, Role::kAdmin, kLive, {}},
      {A::kDeleteDataset, Role::kSysadmin, kLive, {}},
      {A::kPublishDataset, Role::kAdmin, {S::kPending, S::kDraft, S::kWithdrawn}, {}},
      {A::kPublishDataset, Role::kSysadmin, {S::kPending, S::kDraft, S::kWithdrawn}, {}},
      {A::kRejectDataset, Role::kAdmin, {S::kPending}, {}},
      {A::kRejectDataset, Role::kSysadmin, {S::kPending}, {}},
      {A::kWithdrawDataset, Role::kAdmin, {S::kPublished}, {}},
      {A::kWithdrawDataset, Role::kSysadmin, {S::kPublished}, {}},
      {A::kManageOrganization, Role::kAdmin, kAll, {}},
      {A::kManageOrganization, Role::kSysadmin, kAll, {}},
      {A::kCreateOrganization, Role::kSysadmin, kAll, {}},
      {A::kManageTaxonomy, Role::kSysadmin, kAll, {}},
      {A::kManageUsers, Role::kSysadmin, kAll, {}},
      {A::kRegisterConsumer, Role::kAdmin, kAll, {}},
      {A::kRegisterConsumer, Role::kSysadmin, kAll, {}},
      {A::kManageConsumer, Role::kAdmin, kAll, {}},
      {A::kManageConsumer, Role::kSysadmin, kAll, {}},
      {A::kDecideConsumer, Role::kSysadmin, kAll, {}},
      // Sharing: the catalogue is for members of any organization (the target's is ignored).
      {A::kReadSharingCatalogue, Role::kOtherOrgAdmin, kAll, {}},
      {A::kReadSharingCatalogue, Role::kMember, kAll, {}},
      {A::kReadSharingCatalogue, Role::kEditor, kAll, {}},
      {A::kReadSharingCatalogue, Role::kAdmin, kAll, {}},
      {A::kReadSharingCatalogue, Role::kSysadmin, kAll, {}},
      {A::kOfferSharing, Role::kAdmin, kAll, {}},
      {A::kOfferSharing, Role::kSysadmin, kAll, {}},
      {A::kRequestSharing, Role::kMember, kAll, {}},
      {A::kRequestSharing, Role::kEditor, kAll, {}},
      {A::kRequestSharing, Role::kAdmin, kAll, {}},
      {A::kRequestSharing, Role::kSysadmin, kAll, {}},
      {A::kDecideSharing, Role::kAdmin, kAll, {}},
      {A::kDecideSharing, Role::kSysadmin, kAll, {}},
      {A::kManageCalendar, Role::kSysadmin, kAll, {}},
      {A::kViewSharingBoard, Role::kSysadmin, kAll, {}},
      {A::kManageGrant, Role::kAdmin, kAll, {}},
      {A::kManageGrant, Role::kSysadmin, kAll, {}},
  };
  return kSpec;
}

bool Expected(Action a, Role r, AccessTier t, S s) {
  for (const Rule& rule : Spec()) {
    if (rule.action != a || rule.role != r) continue;
    return rule.states.count(s) && (rule.tiers.empty() || rule.tiers.count(t));
  }
  return false;  // deny by default
}

TEST(PolicyTest, EveryRoleActionTierAndStateFollowsTheTable) {
  const Role roles[] = {Role::kAnonymous, Role::kRegistered,     Role::kOtherOrgAdmin,
                        Role::kMember,    Role::kEditor,         Role::kAdmin,
                        Role::kSysadmin,  Role::kConsumerSystem, Role::kConsumerWithGrant};
  const Action actions[] = {
      Action::kReadDataset,          Action::kCreateDataset,   Action::kUpdateDataset,
      Action::kDeleteDataset,        Action::kSubmitDataset,   Action::kPublishDataset,
      Action::kRejectDataset,        Action::kWithdrawDataset, Action::kManageOrganization,
      Action::kCreateOrganization,   Action::kManageTaxonomy,  Action::kManageUsers,
      Action::kRegisterConsumer,     Action::kManageConsumer,  Action::kDecideConsumer,
      Action::kReadSharingCatalogue, Action::kOfferSharing,    Action::kRequestSharing,
      Action::kDecideSharing,        Action::kManageCalendar,  Action::kViewSharingBoard,
      Action::kManageGrant};
  const AccessTier tiers[] = {AccessTier::kPublic, AccessTier::kRegistered, AccessTier::kShared,
                              AccessTier::kInternal};
  int checked = 0, allowed = 0;
  for (Role r : roles) {
    Principal p = Make(r);
    for (Action a : actions) {
      for (AccessTier t : tiers) {
        for (S s : kAll) {
          bool want = Expected(a, r, t, s);
          EXPECT_EQ(Allowed(p, a, {"org", t, s, "ds"}), want)
              << Name(r) << " " << ToString(a) << " " << ToString(t) << " " << ToString(s);
          ++checked;
          allowed += want;
        }
      }
    }
  }
  EXPECT_EQ(checked, 9 * 22 * 4 * 6);
  EXPECT_GT(allowed, 0);
  EXPECT_LT(allowed, checked);
}

TEST(PolicyTest, AnonymousCallerWithRolesMapIsStillAnonymous) {
  Principal p;  // no user id: roles must be ignored
  p.roles["org"] = OrgRole::kAdmin;
  EXPECT_FALSE(Allowed(p, Action::kReadDataset, {"org", AccessTier::kInternal, S::kPublished}));
}

TEST(PolicyTest, ConsumerSystemWithRolesGainsNoUserRights) {
  // Even a principal built wrongly (a consumer with roles or a sysadmin flag but no user id)
  // gets nothing beyond anonymous: rights come from a user id, never from the system.
  Principal p;
  p.consumer_id = "system";
  p.via = Principal::Via::kConsumerKey;
  p.roles["org"] = OrgRole::kAdmin;
  p.sysadmin = true;
  EXPECT_FALSE(p.authenticated());
  EXPECT_FALSE(Allowed(p, Action::kDecideConsumer, {"org"}));
  EXPECT_FALSE(Allowed(p, Action::kReadDataset, {"org", AccessTier::kPublic, S::kDeleted}));
  EXPECT_FALSE(Allowed(p, Action::kReadDataset, {"org", AccessTier::kRegistered, S::kPublished}));
  EXPECT_FALSE(Allowed(p, Action::kManageConsumer, {"org"}));
  EXPECT_FALSE(Allowed(p, Action::kRegisterConsumer, {"org"}));
  EXPECT_FALSE(Allowed(p, Action::kReadSharingCatalogue, {}));
  EXPECT_FALSE(Allowed(p, Action::kRequestSharing, {"org"}));
  EXPECT_TRUE(Allowed(p, Action::kReadDataset, {"org", AccessTier::kPublic, S::kPublished}));
}

// Separation of duties as a table: caller × state × submitter × site setting.
TEST(PolicyTest, SubmitterMayNotApproveOwnSubmissionUnlessTheSiteAllowsIt) {
  Principal submitter;
  submitter.user_id = "u-submitter";
  submitter.roles["org"] = OrgRole::kAdmin;
  Principal sysadmin_submitter = submitter;
  sysadmin_submitter.sysadmin = true;
  Principal other;
  other.user_id = "u-reviewer";
  other.roles["org"] = OrgRole::kAdmin;
  struct Row {
    const Principal* who;
    DatasetState state;
    std::string submitter_id;
    SelfApproval rule;
    bool allowed;
  };
  const SelfApproval kNo = SelfApproval::kForbidden;
  const SelfApproval kYes = SelfApproval::kAllowed;
  const std::vector<Row> rows = {
      {&submitter, S::kPending, "u-submitter", kNo, false},
      {&sysadmin_submitter, S::kPending, "u-submitter", kNo, false},
      {&other, S::kPending, "u-submitter", kNo, true},
      {&submitter, S::kPending, "u-submitter", kYes, true},
      {&sysadmin_submitter, S::kPending, "u-submitter", kYes, true},
      {&submitter, S::kPending, "", kNo, true},           // submitter unknown: nothing to separate
      {&submitter, S::kDraft, "u-submitter", kNo, true},  // not a submission: own draft
      {&submitter, S::kWithdrawn, "u-submitter", kNo, true},  // republishing after withdrawal
      {&submitter, S::kRejected, "u-submitter", kNo, true},
  };
  int checked = 0;
  for (const Row& r : rows) {
    EXPECT_EQ(MayApproveSubmission(*r.who, r.state, r.submitter_id, r.rule), r.allowed)
        << r.who->user_id << (r.who->sysadmin ? " (sysadmin)" : "") << " " << ToString(r.state)
        << " submitter=" << r.submitter_id << " allowed=" << (r.rule == kYes);
    ++checked;
  }
  EXPECT_EQ(checked, 9);
}

}  // namespace
}  // namespace odp::access
