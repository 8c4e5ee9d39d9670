// Grants: the table-read decision as a table (caller × tier × state × grant), and the service's
// rules (who may grant, narrowing only, suspension, revocation, validity).
#include "access/grants.h"

#include <gtest/gtest.h>

#include "access/consumers.h"
#include "testing/temp_portal.h"

namespace odp::access {
namespace {

constexpr Micros kDay = 86400LL * 1000000;

enum class Caller { kAnonymous, kNoGrant, kGrant, kGrantOtherTable, kOtherSystemsGrant, kMember };

const char* Name(Caller c) {
  switch (c) {
    case Caller::kAnonymous: return "anonymous";
    case Caller::kNoGrant: return "consumer-without-grant";
    case Caller::kGrant: return "consumer-with-grant";
    case Caller::kGrantOtherTable: return "consumer-with-grant-on-another-table";
    case Caller::kOtherSystemsGrant: return "consumer-holding-another-systems-grant";
    case Caller::kMember: return "member";
  }
  return "?";
}

Principal MakeCaller(Caller c) {
  Principal p;
  if (c == Caller::kAnonymous) return p;
  if (c == Caller::kMember) {
    p.user_id = "u";
    p.roles["org"] = OrgRole::kMember;
    return p;
  }
  p.consumer_id = "sys";
  p.via = Principal::Via::kConsumerKey;
  Grant g;
  g.id = "g";
  g.consumer_id = c == Caller::kOtherSystemsGrant ? "other-sys" : "sys";
  g.dataset_id = "ds";
  g.resource_id = c == Caller::kGrantOtherTable ? "r2" : "r";
  g.state = "active";
  if (c != Caller::kNoGrant) {
    p.grants = std::make_shared<const std::vector<Grant>>(std::vector<Grant>{g});
  }
  return p;
}

TEST(GrantPolicyTest, TableReadDecisionFollowsTheTable) {
  using S = DatasetState;
  using T = AccessTier;
  const Caller callers[] = {Caller::kAnonymous,       Caller::kNoGrant,           Caller::kGrant,
                            Caller::kGrantOtherTable, Caller::kOtherSystemsGrant, Caller::kMember};
  int checked = 0, granted = 0;
  for (Caller c : callers) {
    const Principal p = MakeCaller(c);
    for (T t : {T::kPublic, T::kRegistered, T::kShared, T::kInternal}) {
      for (S s :
           {S::kDraft, S::kPending, S::kPublished, S::kRejected, S::kWithdrawn, S::kDeleted}) {
        TableAccess want = TableAccess::kNone;
        if (c == Caller::kMember && s != S::kDeleted) {
          want = TableAccess::kWhole;
        } else if (s == S::kPublished && t == T::kPublic) {
          want = TableAccess::kWhole;  // anyone, consumers too, reads public tables whole
        } else if (s == S::kPublished && c == Caller::kGrant) {
          want = TableAccess::kGranted;
        }
        const TableDecision d = DecideTableRead(p, {"org", t, s, "ds"}, "r");
        EXPECT_EQ(d.access, want) << Name(c) << " " << ToString(t) << " " << ToString(s);
        EXPECT_EQ(d.grant != nullptr, want == TableAccess::kGranted);
        // The dataset's metadata: readable exactly when some table of it is (a grant on
        // another table of the dataset opens the dataset, not this table).
        const bool dataset = Allowed(p, Action::kReadDataset, {"org", t, s, "ds"});
        const bool want_dataset =
            want != TableAccess::kNone || (c == Caller::kGrantOtherTable && s == S::kPublished);
        EXPECT_EQ(dataset, want_dataset) << Name(c) << " " << ToString(t) << " " << ToString(s);
        ++checked;
        granted += want == TableAccess::kGranted;
      }
    }
  }
  EXPECT_EQ(checked, 6 * 4 * 6);
  EXPECT_EQ(granted, 3);  // the grant's own table, published, in the three restricted tiers
}

TEST(GrantPolicyTest, SuspendedGrantOpensNothingAndWholeTableNeedsNoLimits) {
  Principal p = MakeCaller(Caller::kGrant);
  Grant g = p.grants->front();
  g.state = "suspended";
  p.grants = std::make_shared<const std::vector<Grant>>(std::vector<Grant>{g});
  EXPECT_EQ(DecideTableRead(p, {"org", AccessTier::kInternal, DatasetState::kPublished, "ds"}, "r")
                .access,
            TableAccess::kNone);
  Grant whole;
  EXPECT_TRUE(GrantCoversWholeTable(whole));
  whole.columns = R"(["a"])";
  EXPECT_FALSE(GrantCoversWholeTable(whole));
  whole.columns = "";
  whole.row_filter = "a=1";
  EXPECT_FALSE(GrantCoversWholeTable(whole));
  whole.row_filter = "";
  whole.masks = R"({"a":{"kind":"hash"}})";
  EXPECT_FALSE(GrantCoversWholeTable(whole));
}

TEST(GrantPolicyTest, ValidityBoundsAreHalfOpen) {
  Grant g;
  g.state = "active";
  g.valid_from = 10 * kDay;
  g.valid_to = 20 * kDay;
  EXPECT_FALSE(GrantInEffect(g, 10 * kDay - 1));
  EXPECT_TRUE(GrantInEffect(g, 10 * kDay));
  EXPECT_TRUE(GrantInEffect(g, 20 * kDay - 1));
  EXPECT_FALSE(GrantInEffect(g, 20 * kDay));
  g.valid_to = 0;
  EXPECT_TRUE(GrantInEffect(g, 1000 * kDay));
  g.state = "revoked";
  EXPECT_FALSE(GrantInEffect(g, 15 * kDay));
}

class GrantServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Organization o;
    o.id = "org-provider";
    o.slug = "so-y-te";
    o.title_vi = o.title_en = "Sở Y tế";
    ASSERT_TRUE(portal_.store->InsertOrganization(o).ok());
    o.id = "org-consumer";
    o.slug = "so-lao-dong";
    o.title_vi = o.title_en = "Sở Lao động";
    ASSERT_TRUE(portal_.store->InsertOrganization(o).ok());
    provider_admin_.user_id = "u-provider";
    provider_admin_.roles["org-provider"] = OrgRole::kAdmin;
    provider_editor_.user_id = "u-editor";
    provider_editor_.roles["org-provider"] = OrgRole::kEditor;
    consumer_admin_.user_id = "u-consumer";
    consumer_admin_.roles["org-consumer"] = OrgRole::kAdmin;

    Dataset d;
    d.id = "ds";
    d.slug = "benh-vien";
    d.organization_id = "org-provider";
    d.state = DatasetState::kPublished;
    d.access = AccessTier::kInternal;
    d.created = d.modified = 1;
    ASSERT_TRUE(portal_.store->InsertDataset(d).ok());
    Resource r;
    r.id = "res";
    r.dataset_id = "ds";
    r.name = "Bệnh viện";
    r.created = r.modified = 1;
    ASSERT_TRUE(portal_.store->InsertResource(r).ok());

    consumers_ = std::make_unique<ConsumerService>(*portal_.store, *portal_.store);
    ConsumerRegistration reg;
    reg.organization = "so-lao-dong";
    reg.agency_code = "000.00.15.H41";
    reg.system_code = "bhxh";
    reg.name = "Hệ thống bảo hiểm";
    reg.technical = {"Lê Văn Kỹ", "ky@sld.gov.vn", "", ""};
    auto sys = consumers_->Register(consumer_admin_, reg);
    ASSERT_TRUE(sys.ok()) << sys.status().ToString();
    system_id_ = consumers_->Approve(testing::TempPortal::Sysadmin(), sys->id).value().id;
    service_ = std::make_unique<GrantService>(*portal_.store, *portal_.store, *portal_.store);
  }

  GrantInput Input() {
    GrantInput in;
    in.consumer_id = system_id_;
    in.resource_id = "res";
    in.columns = {"ten", "so_dien_thoai", "ngay_sinh"};
    in.masks["so_dien_thoai"] = {MaskKind::kPartial, 4, 3};
    in.row_filter = "huyen=Phong%20%C4%90i%E1%BB%81n";
    in.requests_per_day = 100;
    return in;
  }

  Principal Consumer() {
    Principal p;
    p.consumer_id = system_id_;
    p.via = Principal::Via::kConsumerKey;
    return p;
  }

  testing::TempPortal portal_;
  Principal provider_admin_, provider_editor_, consumer_admin_;
  std::unique_ptr<ConsumerService> consumers_;
  std::unique_ptr<GrantService> service_;
  std::string system_id_;
};

TEST_F(GrantServiceTest, OnlyTheProvidersAdminsGrant) {
  EXPECT_EQ(service_->Create(provider_editor_, Input()).status().code(),
            StatusCode::kPermissionDenied);
  // The consumer's own admin cannot even see the internal dataset: not found.
  EXPECT_EQ(service_->Create(consumer_admin_, Input()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->Create(Consumer(), Input()).status().code(), StatusCode::kNotFound);
  auto g = service_->Create(provider_admin_, Input());
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->state, "active");
  EXPECT_EQ(g->organization_id, "org-provider");
  EXPECT_EQ(g->dataset_id, "ds");
  EXPECT_FALSE(g->service_id.has_value());
  EXPECT_TRUE(service_->Create(testing::TempPortal::Sysadmin(), Input()).ok());
}

TEST_F(GrantServiceTest, RefusesUnapprovedSystemsAndBadShapes) {
  GrantInput in = Input();
  in.consumer_id = "nope";
  auto s = service_->Create(provider_admin_, in).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(s.fields().count("consumer_id"));
  in = Input();
  in.masks["dia_chi"] = {MaskKind::kHash};  // not among the granted columns
  EXPECT_TRUE(service_->Create(provider_admin_, in).status().fields().count("masks"));
  in = Input();
  in.columns = {"ten", "ten"};
  EXPECT_TRUE(service_->Create(provider_admin_, in).status().fields().count("columns"));
  in = Input();
  in.requests_per_day = -1;
  EXPECT_TRUE(service_->Create(provider_admin_, in).status().fields().count("requests_per_day"));
  in = Input();
  in.valid_from = 10 * kDay;
  in.valid_to = 5 * kDay;
  EXPECT_TRUE(service_->Create(provider_admin_, in).status().fields().count("valid_to"));
}

TEST_F(GrantServiceTest, NarrowingOnlyNarrows) {
  Grant g = service_->Create(provider_admin_, Input()).value();
  GrantNarrowing wider;
  wider.columns = std::vector<std::string>{"ten", "dia_chi"};
  EXPECT_EQ(service_->Narrow(provider_admin_, g.id, wider).status().code(),
            StatusCode::kInvalidArgument);
  GrantNarrowing higher;
  higher.requests_per_day = 1000;
  EXPECT_EQ(service_->Narrow(provider_admin_, g.id, higher).status().code(),
            StatusCode::kInvalidArgument);
  GrantNarrowing unlimited;
  unlimited.requests_per_day = 0;  // 0 is "no limit": wider
  EXPECT_EQ(service_->Narrow(provider_admin_, g.id, unlimited).status().code(),
            StatusCode::kInvalidArgument);
  GrantNarrowing narrower;
  narrower.columns = std::vector<std::string>{"ten", "so_dien_thoai"};
  narrower.row_filter = "nam[gte]=2020";
  narrower.masks = ColumnMasks{{"ten", {MaskKind::kHash}}};
  narrower.requests_per_day = 10;
  narrower.valid_to = 30 * kDay;
  auto n = service_->Narrow(provider_admin_, g.id, narrower);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(GrantColumns(*n), (std::vector<std::string>{"ten", "so_dien_thoai"}));
  EXPECT_EQ(n->row_filter, "huyen=Phong%20%C4%90i%E1%BB%81n&nam[gte]=2020");
  EXPECT_EQ(GrantMasks(*n).size(), 2u);
  EXPECT_EQ(n->requests_per_day, 10);
  GrantNarrowing later;
  later.valid_to = 0;  // no end: later than any end
  EXPECT_EQ(service_->Narrow(provider_admin_, g.id, later).status().code(),
            StatusCode::kInvalidArgument);
  // A mask can become a drop, not another mask.
  GrantNarrowing remask;
  remask.masks = ColumnMasks{{"ten", {MaskKind::kPartial, 1, 1}}};
  EXPECT_EQ(service_->Narrow(provider_admin_, g.id, remask).status().code(),
            StatusCode::kInvalidArgument);
  // The consumer's side sees the grant but may not change it.
  EXPECT_EQ(service_->Narrow(consumer_admin_, g.id, narrower).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(GrantServiceTest, SuspendResumeRevokeAndWhatIsInEffect) {
  Grant g = service_->Create(provider_admin_, Input()).value();
  const Micros now = NowMicros();
  EXPECT_EQ(service_->InEffect(system_id_, now).value().size(), 1u);
  EXPECT_EQ(service_->Suspend(provider_admin_, g.id, "").status().code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(service_->Suspend(provider_admin_, g.id, "kiểm tra an toàn").ok());
  EXPECT_TRUE(service_->InEffect(system_id_, now).value().empty());
  ASSERT_TRUE(service_->Resume(provider_admin_, g.id).ok());
  EXPECT_EQ(service_->InEffect(system_id_, now).value().size(), 1u);
  ASSERT_TRUE(service_->Revoke(provider_admin_, g.id, "hết nhu cầu").ok());
  EXPECT_TRUE(service_->InEffect(system_id_, now).value().empty());
  EXPECT_EQ(service_->Resume(provider_admin_, g.id).status().code(), StatusCode::kConflict);
  EXPECT_EQ(service_->Revoke(provider_admin_, g.id, "lại").status().code(), StatusCode::kConflict);
  // Expired and not yet valid grants are not in effect.
  GrantInput later = Input();
  later.valid_from = now + 10 * kDay;
  ASSERT_TRUE(service_->Create(provider_admin_, later).ok());
  EXPECT_TRUE(service_->InEffect(system_id_, now).value().empty());
  EXPECT_EQ(service_->InEffect(system_id_, now + 11 * kDay).value().size(), 1u);
}

TEST_F(GrantServiceTest, WhoSeesWhichGrants) {
  Grant g = service_->Create(provider_admin_, Input()).value();
  EXPECT_TRUE(service_->Get(provider_admin_, g.id).ok());
  EXPECT_TRUE(service_->Get(consumer_admin_, g.id).ok());
  EXPECT_TRUE(service_->Get(Consumer(), g.id).ok());
  EXPECT_EQ(service_->Get(provider_editor_, g.id).status().code(), StatusCode::kNotFound);
  Principal other = Consumer();
  other.consumer_id = "another-system";
  EXPECT_EQ(service_->Get(other, g.id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->List(provider_admin_, {}).value().size(), 1u);
  EXPECT_EQ(service_->List(consumer_admin_, {}).value().size(), 1u);
  EXPECT_EQ(service_->List(Consumer(), {}).value().size(), 1u);
  EXPECT_TRUE(service_->List(other, {}).value().empty());
  EXPECT_TRUE(service_->List(provider_editor_, {}).value().empty());
  EXPECT_TRUE(service_->List(Principal{}, {}).value().empty());
  GrantFilter revoked;
  revoked.state = "revoked";
  EXPECT_TRUE(service_->List(provider_admin_, revoked).value().empty());
}

}  // namespace
}  // namespace odp::access
