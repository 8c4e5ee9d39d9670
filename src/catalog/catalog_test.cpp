#include "catalog/catalog.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "testing/temp_portal.h"

namespace odp::catalog {
namespace {

using access::Action;
using access::Principal;

class CatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OrganizationInput in;
    in.title_vi = "Sở Giáo dục và Đào tạo";
    in.slug = "so-giao-duc";
    org_ = catalog().CreateOrganization(admin_, in).value();
    OrganizationInput other;
    other.title_vi = "Sở Y tế";
    other_org_ = catalog().CreateOrganization(admin_, other).value();
    editor_ = Member(OrgRole::kEditor);
    org_admin_ = Member(OrgRole::kAdmin);
  }
  CatalogService& catalog() { return *portal_.catalog; }
  Principal Member(OrgRole role) {
    Principal p;
    p.user_id = "user-" + std::string(ToString(role));
    p.roles[org_.id] = role;
    return p;
  }
  DatasetInput Input(const std::string& title) {
    DatasetInput in;
    in.title_vi = title;
    in.organization = "so-giao-duc";
    return in;
  }
  EntryPtr Published(const std::string& title, const std::string& access = "public") {
    DatasetInput in = Input(title);
    in.access = access;
    EntryPtr e = catalog().CreateDataset(editor_, in).value();
    EXPECT_TRUE(catalog().Transition(editor_, e->dataset.id, Action::kSubmitDataset, "").ok());
    return catalog().Transition(org_admin_, e->dataset.id, Action::kPublishDataset, "").value();
  }

  testing::TempPortal portal_;
  Principal admin_ = testing::TempPortal::Sysadmin();
  Principal editor_, org_admin_, anonymous_;
  Organization org_, other_org_;
};

TEST_F(CatalogTest, SlugComesFromTheVietnameseTitleAndStaysUnique) {
  auto a = catalog().CreateDataset(editor_, Input("Danh sách trường học tỉnh Huế"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)->dataset.slug, "danh-sach-truong-hoc-tinh-hue");
  auto b = catalog().CreateDataset(editor_, Input("Danh sách trường học tỉnh Huế"));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)->dataset.slug, "danh-sach-truong-hoc-tinh-hue-2");
  DatasetInput explicit_slug = Input("Khác");
  explicit_slug.slug = "danh-sach-truong-hoc-tinh-hue";
  EXPECT_EQ(catalog().CreateDataset(editor_, explicit_slug).status().code(),
            StatusCode::kAlreadyExists);
}

TEST_F(CatalogTest, CreateRejectsMissingTitleUnknownOrganizationAndBadFields) {
  DatasetInput in;
  in.organization = "khong-ton-tai";
  in.access = "secret";
  in.temporal_start = "2024-13-01";
  auto r = catalog().CreateDataset(admin_, in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(r.status().fields().count("owner_org"));
  EXPECT_TRUE(r.status().fields().count("access"));
  DatasetInput no_title = Input("");
  auto r2 = catalog().CreateDataset(editor_, no_title);
  ASSERT_FALSE(r2.ok());
  EXPECT_TRUE(r2.status().fields().count("title_vi"));
}

TEST_F(CatalogTest, MembersCannotCreateAndOutsidersGetPermissionDenied) {
  EXPECT_EQ(catalog().CreateDataset(Member(OrgRole::kMember), Input("X y")).status().code(),
            StatusCode::kPermissionDenied);
  Principal outsider;
  outsider.user_id = "x";
  outsider.roles[other_org_.id] = OrgRole::kAdmin;
  EXPECT_EQ(catalog().CreateDataset(outsider, Input("X y")).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(CatalogTest, WorkflowRecordsEveryTransitionWithReasons) {
  EntryPtr e = catalog().CreateDataset(editor_, Input("Điểm thi tốt nghiệp")).value();
  const std::string id = e->dataset.id;
  ASSERT_TRUE(catalog().Transition(editor_, id, Action::kSubmitDataset, "").ok());
  // The editor cannot approve their own work.
  EXPECT_EQ(catalog().Transition(editor_, id, Action::kPublishDataset, "").status().code(),
            StatusCode::kPermissionDenied);
  // Rejecting needs a reason.
  EXPECT_EQ(catalog().Transition(org_admin_, id, Action::kRejectDataset, " ").status().code(),
            StatusCode::kInvalidArgument);
  auto rejected = catalog().Transition(org_admin_, id, Action::kRejectDataset, "Thiếu mô tả cột");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ((*rejected)->dataset.state, DatasetState::kRejected);
  EXPECT_EQ((*rejected)->dataset.state_reason, "Thiếu mô tả cột");
  ASSERT_TRUE(catalog().Transition(editor_, id, Action::kSubmitDataset, "").ok());
  ASSERT_TRUE(catalog().Transition(org_admin_, id, Action::kPublishDataset, "").ok());
  // Withdrawing a published dataset; rejecting it now is a state conflict.
  EXPECT_EQ(catalog().Transition(org_admin_, id, Action::kRejectDataset, "x").status().code(),
            StatusCode::kConflict);
  ASSERT_TRUE(catalog().Transition(org_admin_, id, Action::kWithdrawDataset, "Dữ liệu sai").ok());
  auto history = catalog().History(org_admin_, id);
  ASSERT_TRUE(history.ok());
  std::vector<std::string> actions;
  for (const auto& ev : *history) actions.push_back(ev.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"create", "submit", "reject", "submit", "publish",
                                               "withdraw"}));
  EXPECT_EQ((*history)[2].reason, "Thiếu mô tả cột");
  EXPECT_EQ((*history)[2].actor_id, org_admin_.user_id);
}

TEST_F(CatalogTest, RestrictedAndUnpublishedDatasetsAreNotFoundForOutsiders) {
  EntryPtr draft = catalog().CreateDataset(editor_, Input("Bản nháp")).value();
  EntryPtr internal = Published("Dữ liệu nội bộ", "internal");
  EntryPtr registered = Published("Dữ liệu cho người đăng ký", "registered");
  Principal user;
  user.user_id = "someone";
  EXPECT_EQ(catalog().GetDataset(anonymous_, draft->dataset.slug).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(catalog().GetDataset(user, internal->dataset.slug).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(catalog().GetDataset(anonymous_, registered->dataset.slug).status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(catalog().GetDataset(user, registered->dataset.slug).ok());
  EXPECT_TRUE(catalog().GetDataset(Member(OrgRole::kMember), internal->dataset.slug).ok());
}

TEST_F(CatalogTest, SearchFoldsTonesAndHidesWhatTheCallerCannotSee) {
  Published("Giáo dục mầm non");
  Published("Giáo dục nội bộ", "internal");
  catalog().CreateDataset(editor_, Input("Giáo dục bản nháp")).value();
  SearchRequest req;
  req.q = "giao duc";
  req.facet_fields = {"access", "organization"};
  SearchResponse anon = catalog().Search(anonymous_, req);
  EXPECT_EQ(anon.total, 1);
  ASSERT_EQ(anon.facets["access"].size(), 1u);
  EXPECT_EQ(anon.facets["access"][0].value, "public");
  SearchResponse member = catalog().Search(Member(OrgRole::kMember), req);
  EXPECT_EQ(member.total, 2);
  req.include_unpublished = true;
  EXPECT_EQ(catalog().Search(Member(OrgRole::kMember), req).total, 3);
  EXPECT_EQ(catalog().Search(anonymous_, req).total, 1);
  req.include_restricted = false;
  EXPECT_EQ(catalog().Search(Member(OrgRole::kMember), req).total,
            2);  // public ones, draft included
}

TEST_F(CatalogTest, SearchSortsTitlesInVietnameseOrder) {
  Published("Đường giao thông");
  Published("Dân số");
  Published("Ăn uống");
  Published("An toàn");
  SearchRequest req;
  req.sort = SortOrder::kTitleAsc;
  req.limit = 10;
  std::vector<std::string> titles;
  for (const auto& e : catalog().Search(anonymous_, req).results)
    titles.push_back(e->dataset.title_vi);
  EXPECT_EQ(titles, (std::vector<std::string>{"An toàn", "Ăn uống", "Dân số", "Đường giao thông"}));
}

TEST_F(CatalogTest, SubmitterCannotApproveTheirOwnSubmissionSysadminsIncluded) {
  // An organization admin who submits is bound by the rule; a second admin approves.
  EntryPtr e = catalog().CreateDataset(org_admin_, Input("Danh sách chợ")).value();
  const std::string id = e->dataset.id;
  auto submitted = catalog().Transition(org_admin_, id, Action::kSubmitDataset, "");
  ASSERT_TRUE(submitted.ok());
  EXPECT_EQ((*submitted)->dataset.submitted_by, org_admin_.user_id);
  EXPECT_GT((*submitted)->dataset.submitted_at, 0);
  auto own = catalog().Transition(org_admin_, id, Action::kPublishDataset, "");
  ASSERT_EQ(own.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(own.status().message_vi().find("không thể tự duyệt"), std::string::npos);
  EXPECT_EQ(catalog().GetDataset(org_admin_, id).value()->dataset.state, DatasetState::kPending);
  EXPECT_EQ(catalog().Transition(admin_, id, Action::kPublishDataset, "").value()->dataset.state,
            DatasetState::kPublished);
  // A sysadmin who submitted is refused as well; another reviewer publishes.
  EntryPtr s = catalog().CreateDataset(admin_, Input("Danh sách bến xe")).value();
  ASSERT_TRUE(catalog().Transition(admin_, s->dataset.id, Action::kSubmitDataset, "").ok());
  EXPECT_EQ(
      catalog().Transition(admin_, s->dataset.id, Action::kPublishDataset, "").status().code(),
      StatusCode::kPermissionDenied);
  EXPECT_TRUE(catalog().Transition(org_admin_, s->dataset.id, Action::kPublishDataset, "").ok());
  // The submitter is kept in the store: a fresh read says who and when.
  auto stored = portal_.store->GetDataset(id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->submitted_by, org_admin_.user_id);
  EXPECT_EQ(stored->submitted_at, (*submitted)->dataset.submitted_at);
}

TEST_F(CatalogTest, SelfApprovalSettingLetsTheSubmitterPublish) {
  EntryPtr e = catalog().CreateDataset(org_admin_, Input("Giá đất")).value();
  ASSERT_TRUE(catalog().Transition(org_admin_, e->dataset.id, Action::kSubmitDataset, "").ok());
  ASSERT_EQ(
      catalog().Transition(org_admin_, e->dataset.id, Action::kPublishDataset, "").status().code(),
      StatusCode::kPermissionDenied);
  SiteSettings allowed = portal_.settings->Get();
  allowed.allow_self_approval = "1";
  ASSERT_TRUE(portal_.settings->Save(allowed).ok());
  EXPECT_TRUE(catalog().Transition(org_admin_, e->dataset.id, Action::kPublishDataset, "").ok());
  // Any other value is refused by the settings' validation.
  allowed.allow_self_approval = "yes";
  EXPECT_EQ(portal_.settings->Save(allowed).code(), StatusCode::kInvalidArgument);
}

TEST_F(CatalogTest, AdminPublishingTheirOwnDraftDirectlyIsNotASubmission) {
  EntryPtr e = catalog().CreateDataset(org_admin_, Input("Trạm xe buýt")).value();
  EXPECT_TRUE(catalog().Transition(org_admin_, e->dataset.id, Action::kPublishDataset, "").ok());
}

TEST_F(CatalogTest, PendingDatasetWithoutRecordedSubmitterFallsBackToTheSubmitEvent) {
  EntryPtr e = catalog().CreateDataset(org_admin_, Input("Điểm thu gom rác")).value();
  ASSERT_TRUE(catalog().Transition(org_admin_, e->dataset.id, Action::kSubmitDataset, "").ok());
  // As a dataset submitted before the submitter was recorded: only the history names them.
  Dataset old = portal_.store->GetDataset(e->dataset.id).value();
  old.submitted_by.clear();
  old.submitted_at = 0;
  ASSERT_TRUE(portal_.store->UpdateDataset(old).ok());
  auto fresh = CatalogService::Open(*portal_.store, *portal_.store, *portal_.store, *portal_.blobs);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(
      (*fresh)->Transition(org_admin_, e->dataset.id, Action::kPublishDataset, "").status().code(),
      StatusCode::kPermissionDenied);
}

TEST_F(CatalogTest, FileUploadsReplacementsAndSchemaChangesAppearInTheHistory) {
  EntryPtr e = catalog().CreateDataset(editor_, Input("Danh sách thư viện")).value();
  auto v1 = portal_.blobs->Put("ten,so\nA,1\n");
  ASSERT_TRUE(v1.ok());
  auto added = catalog().AddResource(editor_, e->dataset.slug, {},
                                     UploadedFile{*v1, "Thư viện.csv", "", {}});
  ASSERT_TRUE(added.ok());
  auto v2 = portal_.blobs->Put("ten,so\nA,1\nB,2\n");
  ASSERT_TRUE(catalog()
                  .UpdateResource(editor_, added->second.id, {},
                                  UploadedFile{*v2, "Thư viện 2.csv", "", {}})
                  .ok());
  ASSERT_TRUE(
      catalog().RecordTableChange(editor_, added->second.id, "types: so; header_row: 2").ok());
  // Only whoever may edit the dataset records a change of its table.
  EXPECT_EQ(catalog().RecordTableChange(Member(OrgRole::kMember), added->second.id, "x").code(),
            StatusCode::kPermissionDenied);
  ASSERT_TRUE(catalog().DeleteResource(editor_, added->second.id).ok());
  auto history = catalog().History(editor_, e->dataset.id);
  ASSERT_TRUE(history.ok());
  std::vector<std::string> seen;
  for (const auto& ev : *history) {
    seen.push_back(ev.action + "|" + ev.reason);
    EXPECT_EQ(ev.actor_id, editor_.user_id);
    EXPECT_GT(ev.at, 0);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "create|", "file_upload|Thư viện.csv", "file_replace|Thư viện 2.csv → v2",
                      "schema_change|types: so; header_row: 2", "resource_delete|Thư viện.csv"}));
}

TEST_F(CatalogTest, ReplacingAFileKeepsTheIdAndAddsAVersion) {
  EntryPtr e = Published("Danh sách trường");
  auto v1 = portal_.blobs->Put("ten,so\nA,1\n");
  ASSERT_TRUE(v1.ok());
  auto added = catalog().AddResource(editor_, e->dataset.slug, {},
                                     UploadedFile{*v1, "Danh sách.csv", "", {}});
  ASSERT_TRUE(added.ok());
  const Resource r = added->second;
  EXPECT_EQ(r.format, "CSV");
  EXPECT_EQ(r.version, 1);
  auto v2 = portal_.blobs->Put("ten,so\nA,1\nB,2\n");
  auto replaced =
      catalog().UpdateResource(editor_, r.id, {}, UploadedFile{*v2, "Danh sách 2.csv", "", {}});
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(replaced->second.id, r.id);
  EXPECT_EQ(replaced->second.version, 2);
  auto old = catalog().OpenDownload(anonymous_, r.id, 1);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->sha256, v1->sha256);
  std::ifstream in(old->path);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), "ten,so\nA,1\n");
  auto current = catalog().OpenDownload(anonymous_, r.id, 0);
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->size, v2->size);
  EXPECT_EQ(catalog().ListVersions(anonymous_, r.id)->size(), 2u);
}

TEST_F(CatalogTest, AResourceLookedUpThenDeletedIsNotFound) {
  // Lookups by resource id remember the resource's dataset; a deleted resource must still be
  // gone, for reads and for edits.
  EntryPtr e = Published("Danh sách chợ");
  auto blob = portal_.blobs->Put("ten\nA\n");
  ASSERT_TRUE(blob.ok());
  auto added =
      catalog().AddResource(editor_, e->dataset.slug, {}, UploadedFile{*blob, "Chợ.csv", "", {}});
  ASSERT_TRUE(added.ok());
  const std::string id = added->second.id;
  ASSERT_TRUE(catalog().GetResource(anonymous_, id).ok());
  ASSERT_TRUE(catalog().DeleteResource(editor_, id).ok());
  EXPECT_EQ(catalog().GetResource(anonymous_, id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(catalog().DeleteResource(editor_, id).code(), StatusCode::kNotFound);
  EXPECT_EQ(catalog().UpdateResource(editor_, id, {}, std::nullopt).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(catalog().GetResource(anonymous_, "no-such-resource").status().code(),
            StatusCode::kNotFound);
}

TEST_F(CatalogTest, FileNamesWithPathsOrControlCharactersAreRefused) {
  EntryPtr e = Published("Tệp");
  auto blob = portal_.blobs->Put("x");
  for (const char* bad : {"../../etc/passwd", "a/b.csv", "bad\nname.csv", "..", "c:\\x.csv"}) {
    auto r = catalog().AddResource(editor_, e->dataset.slug, {}, UploadedFile{*blob, bad, "", {}});
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(catalog().GetDataset(anonymous_, e->dataset.slug).value()->resources.empty());
}

TEST_F(CatalogTest, ServiceReloadsTheSameCatalogueFromTheStore) {
  Published("Giá đất năm 2024");
  auto reopened =
      CatalogService::Open(*portal_.store, *portal_.store, *portal_.store, *portal_.blobs);
  ASSERT_TRUE(reopened.ok());
  SearchRequest req;
  req.q = "gia dat";
  EXPECT_EQ((*reopened)->Search(anonymous_, req).total, 1);
  EXPECT_EQ((*reopened)->ListGroups(GroupKind::kSector).size(), 15u);
  EXPECT_EQ((*reopened)->ListGroups(GroupKind::kTopic).size(), 11u);
  EXPECT_EQ((*reopened)->ListLicenses().size(), 5u);
}

TEST_F(CatalogTest, OrganizationParentCannotFormACycle) {
  OrganizationInput child;
  child.title_vi = "Phòng Giáo dục";
  child.parent = "so-giao-duc";
  auto c = catalog().CreateOrganization(admin_, child);
  ASSERT_TRUE(c.ok());
  OrganizationInput loop;
  loop.parent = c->slug;
  EXPECT_EQ(catalog().UpdateOrganization(admin_, "so-giao-duc", loop).status().code(),
            StatusCode::kInvalidArgument);
}

// Issue 14: an editor could switch a published `internal` dataset to `public` at once.
TEST_F(CatalogTest, OpeningThePublishedTierOrChangingTheLicenceWaitsForReview) {
  EntryPtr e = Published("Số liệu nội bộ", "internal");
  ASSERT_EQ(e->dataset.access, AccessTier::kInternal);
  DatasetInput change;
  change.access = "public";
  change.license_id = "odc-by";
  auto held = catalog().UpdateDataset(editor_, e->dataset.id, change);
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  EXPECT_EQ((*held)->dataset.access, AccessTier::kInternal);
  EXPECT_EQ((*held)->dataset.pending_access, "public");
  ASSERT_TRUE((*held)->dataset.pending_license_id.has_value());
  EXPECT_NE((*held)->dataset.license_id, "odc-by");
  // The old tier is in force: anonymous callers still cannot read it, after a reload too.
  EXPECT_EQ(catalog().GetDataset(anonymous_, e->dataset.id).status().code(), StatusCode::kNotFound);
  auto reloaded =
      CatalogService::Open(*portal_.store, *portal_.store, *portal_.store, *portal_.blobs);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ((*reloaded)->GetDataset(anonymous_, e->dataset.id).status().code(),
            StatusCode::kNotFound);
  // Editors cannot approve their own change; a reviewer can.
  EXPECT_EQ(catalog().ApproveChange(editor_, e->dataset.id).status().code(),
            StatusCode::kPermissionDenied);
  auto approved = catalog().ApproveChange(org_admin_, e->dataset.id);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ((*approved)->dataset.access, AccessTier::kPublic);
  EXPECT_EQ((*approved)->dataset.license_id, "odc-by");
  EXPECT_FALSE((*approved)->dataset.HasPendingChange());
  EXPECT_TRUE(catalog().GetDataset(anonymous_, e->dataset.id).ok());
  EXPECT_EQ(catalog().ApproveChange(org_admin_, e->dataset.id).status().code(),
            StatusCode::kConflict);
}

TEST_F(CatalogTest, ClosingATierAppliesAtOnceAndRejectedChangesAreDropped) {
  EntryPtr e = Published("Số liệu công khai", "registered");
  DatasetInput open;
  open.access = "public";
  ASSERT_TRUE(catalog().UpdateDataset(editor_, e->dataset.id, open).ok());
  EXPECT_EQ(catalog().RejectChange(org_admin_, e->dataset.id, "").status().code(),
            StatusCode::kInvalidArgument);
  auto rejected = catalog().RejectChange(org_admin_, e->dataset.id, "Chưa được phép công khai");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ((*rejected)->dataset.access, AccessTier::kRegistered);
  EXPECT_FALSE((*rejected)->dataset.HasPendingChange());
  DatasetInput close;
  close.access = "internal";
  auto closed = catalog().UpdateDataset(editor_, e->dataset.id, close);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ((*closed)->dataset.access, AccessTier::kInternal);
  EXPECT_FALSE((*closed)->dataset.HasPendingChange());
  // An organization admin's own change is the review.
  auto by_admin = catalog().UpdateDataset(org_admin_, e->dataset.id, open);
  ASSERT_TRUE(by_admin.ok());
  EXPECT_EQ((*by_admin)->dataset.access, AccessTier::kPublic);
}

}  // namespace
}  // namespace odp::catalog

namespace odp::catalog {
namespace {

TEST_F(CatalogTest, DatasetsBeyondTheEntryCacheAreReloadedFromTheStore) {
  catalog().SetEntryCacheLimitForTest(3);
  std::vector<EntryPtr> made;
  for (int i = 0; i < 10; ++i) made.push_back(Published("Số liệu quan trắc " + std::to_string(i)));
  for (const auto& e : made) {
    auto got = catalog().GetDataset(anonymous_, e->dataset.slug);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ((*got)->dataset.title_vi, e->dataset.title_vi);
  }
  SearchRequest req;
  req.q = "quan trac";
  req.limit = 20;
  SearchResponse r = catalog().Search(anonymous_, req);
  EXPECT_EQ(r.total, 10);
  EXPECT_EQ(r.results.size(), 10u);
  req.ids_only = true;
  SearchResponse ids = catalog().Search(anonymous_, req);
  EXPECT_EQ(ids.ids.size(), 10u);
  EXPECT_TRUE(ids.results.empty());
  // A write to an evicted dataset starts from what the store holds.
  DatasetInput patch;
  patch.title_en = "Monitoring 0";
  auto updated = catalog().UpdateDataset(org_admin_, made[0]->dataset.id, patch);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ((*updated)->dataset.title_vi, "Số liệu quan trắc 0");
  EXPECT_EQ(catalog().GetDataset(anonymous_, made[0]->dataset.slug).value()->dataset.title_en,
            "Monitoring 0");
}
}  // namespace
}  // namespace odp::catalog
