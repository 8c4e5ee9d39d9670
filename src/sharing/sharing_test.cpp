// The sharing service on a real store (SQLite, or PostgreSQL under ODP_TEST_PG): the deadline
// computation across Tết, 30/4–1/5, 2/9 and announced substitutions; the request's steps with the
// clock; the deadline job's notices; filters and masks.
#include "sharing/sharing.h"

#include <gtest/gtest.h>

#include "base/ids.h"
#include "testing/temp_portal.h"

namespace odp::sharing {
namespace {

// 10:00 Viet Nam time on `day`.
Micros At(const std::string& day, int hour = 10) {
  return StartOfVietnamDay(*ParseCivilDate(day)) + int64_t{hour} * 3600 * 1000000;
}

std::string DueDay(Micros deadline) { return FormatCivilDate(VietnamDateOf(deadline)); }

access::Principal Member(const std::string& id, const std::string& org, OrgRole role) {
  access::Principal p;
  p.user_id = id;
  p.username = id;
  p.roles[org] = role;
  return p;
}

class SharingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::Store& st = *portal_.store;
    for (const char* org : {"provider", "requester"}) {
      Organization o;
      o.id = o.slug = org;
      o.title_vi = o.title_en = org;
      ASSERT_TRUE(st.InsertOrganization(o).ok());
    }
    for (auto [id, org, role] : {std::tuple{"padmin", "provider", OrgRole::kAdmin},
                                 std::tuple{"rmember", "requester", OrgRole::kMember}}) {
      User u;
      u.id = u.username = id;
      u.email = std::string(id) + "@example.gov.vn";
      ASSERT_TRUE(st.InsertUser(u).ok());
      ASSERT_TRUE(st.PutMembership({id, org, role}).ok());
    }
    User root;
    root.id = root.username = "root";
    root.email = "root@example.gov.vn";
    root.sysadmin = true;
    ASSERT_TRUE(st.InsertUser(root).ok());
    ConsumerSystem c;
    c.id = "sys";
    c.organization_id = "requester";
    c.agency_code = "000.00.01.H41";
    c.system_code = "mot-cua";
    c.name = "Một cửa";
    c.contacts = R"([{"name":"Lê Thị Liên","email":"lien@stp.gov.vn"}])";
    c.technical_email = "kythuat@stp.gov.vn";
    c.state = "approved";
    ASSERT_TRUE(st.InsertConsumerSystem(c).ok());
    SharedServiceRecord s;
    s.id = "svc";
    s.organization_id = "provider";
    s.dataset_id = "ds";
    s.resource_id = "res";
    s.state = "offered";
    s.doc = R"({"title_vi":"Hộ kinh doanh","title_en":"Households",)"
            R"("fields":[{"id":"ten"},{"id":"huyen"},{"id":"so_cccd"}]})";
    ASSERT_TRUE(st.PutSharedService(s).ok());
    Dataset d;
    d.id = "ds";
    d.slug = "ho-kinh-doanh";
    d.organization_id = "provider";
    d.state = DatasetState::kPublished;
    d.access = AccessTier::kShared;
    d.created = d.modified = 1;
    ASSERT_TRUE(st.InsertDataset(d).ok());
    Resource res;
    res.id = "res";
    res.dataset_id = "ds";
    res.name = "Hộ kinh doanh";
    res.created = res.modified = 1;
    ASSERT_TRUE(st.InsertResource(res).ok());
    // Every notice as the senders see it (the e-mail sender's view).
    notifications_.AddSender([this](const std::vector<NotificationRecord>& stored,
                                    const Notice& notice, const std::vector<std::string>& emails) {
      sent_.push_back({notice.kind, stored.size(), emails});
      return Status::Ok();
    });
    letter_ = portal_.blobs->Put("%PDF-1.4\n% thư đề nghị\n").value().sha256;
    service_ =
        std::make_unique<SharingService>(st, *portal_.blobs, nullptr, notifications_, grants_,
                                         SharingOptions{.now = [this] { return now_; }});
  }

  RequestDraft Draft() {
    RequestDraft d;
    d.service_id = "svc";
    d.consumer_id = "sys";
    d.columns = {"ten", "huyen", "so_cccd"};
    d.row_filter = "huyen=Ba Vì";
    d.purpose = "Giải quyết thủ tục hành chính";
    d.legal_document_number = "123/UBND-VX";
    d.legal_document_date = "2026-01-05";
    d.letter_sha256 = letter_;
    d.period_from = "2026-01-01";
    d.period_to = "2026-12-31";
    d.contact_name = "Nguyễn Văn A";
    d.contact_email = "a@example.gov.vn";
    return d;
  }

  struct Sent {
    std::string kind;
    size_t users = 0;
    std::vector<std::string> emails;
  };

  testing::TempPortal portal_;
  Notifications notifications_{*portal_.store};
  access::GrantService grants_{*portal_.store, *portal_.store, *portal_.store};
  std::vector<Sent> sent_;
  std::unique_ptr<SharingService> service_;
  Micros now_ = At("2026-02-13");
  std::string letter_;
  const access::Principal provider_ = Member("padmin", "provider", OrgRole::kAdmin);
  const access::Principal requester_ = Member("rmember", "requester", OrgRole::kMember);
  const access::Principal root_ = testing::TempPortal::Sysadmin();
};

TEST_F(SharingTest, DeadlineIsTwoWorkingDaysAcrossTet) {
  // Friday before Tết 2026 (16–20/2): the weekends and the five days of Tết are skipped.
  EXPECT_EQ(DueDay(service_->calendar().Deadline(At("2026-02-13")).value()), "2026-02-24");
  EXPECT_EQ(service_->calendar().Deadline(At("2026-02-13")).value(),
            EndOfVietnamDay({2026, 2, 24}));
}

TEST_F(SharingTest, DeadlineSkipsReunificationAndLabourDays) {
  // Wednesday 29/4/2026: 30/4 and 1/5 are holidays, then the weekend.
  EXPECT_EQ(DueDay(service_->calendar().Deadline(At("2026-04-29")).value()), "2026-05-05");
}

TEST_F(SharingTest, DeadlineSkipsBothNationalDayDays) {
  // Monday 31/8/2026: 1/9 and 2/9 are off.
  EXPECT_EQ(DueDay(service_->calendar().Deadline(At("2026-08-31")).value()), "2026-09-04");
}

TEST_F(SharingTest, AnnouncedDayOffAndMakeUpSaturdayMoveTheDeadline) {
  // The government announces Monday 4/5 off, worked back on Saturday 9/5.
  ASSERT_TRUE(service_->calendar().PutDay(root_, "2026-05-04", "day_off", "Thông báo 1/2026").ok());
  ASSERT_TRUE(
      service_->calendar().PutDay(root_, "2026-05-09", "working_day", "Thông báo 1/2026").ok());
  EXPECT_EQ(DueDay(service_->calendar().Deadline(At("2026-04-29")).value()), "2026-05-06");
  EXPECT_EQ(DueDay(service_->calendar().Deadline(At("2026-05-07")).value()), "2026-05-09");
  // Removing the announcement restores the plain calendar.
  ASSERT_TRUE(service_->calendar().DeleteDay(root_, "2026-05-04").ok());
  EXPECT_EQ(DueDay(service_->calendar().Deadline(At("2026-04-29")).value()), "2026-05-05");
}

TEST_F(SharingTest, OnlyTheDataUnitEditsTheCalendar) {
  EXPECT_EQ(service_->calendar().PutDay(provider_, "2026-05-04", "day_off", "x").code(),
            StatusCode::kPermissionDenied);
  Status bad = service_->calendar().PutDay(root_, "2026-02-30", "holiday", "");
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.fields().size(), 3u);
}

TEST_F(SharingTest, AskingForInformationStopsTheClockAndTheAnswerRestartsIt) {
  auto r = service_->Submit(requester_, Draft());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->record.state, "submitted");
  EXPECT_EQ(DueDay(r->record.deadline), "2026-02-24");
  // The provider's admin was told.
  EXPECT_EQ(notifications_.Unread(provider_).value(), 1);

  now_ = At("2026-02-23");
  auto asked = service_->AskInfo(provider_, r->record.id, "Bổ sung quyết định giao nhiệm vụ");
  ASSERT_TRUE(asked.ok()) << asked.status().message();
  EXPECT_EQ(asked->record.state, "info_requested");
  EXPECT_EQ(asked->record.deadline, 0);
  EXPECT_EQ(notifications_.Unread(requester_).value(), 1);
  // The requester may not decide; the provider may not answer.
  EXPECT_EQ(service_->Answer(provider_, r->record.id, "x").status().code(),
            StatusCode::kPermissionDenied);

  now_ = At("2026-03-02");  // a Monday
  auto answered = service_->Answer(requester_, r->record.id, "Đã bổ sung");
  ASSERT_TRUE(answered.ok()) << answered.status().message();
  EXPECT_EQ(answered->record.state, "submitted");
  EXPECT_EQ(DueDay(answered->record.deadline), "2026-03-04");
  EXPECT_EQ(answered->events.size(), 3u);
}

TEST_F(SharingTest, ApprovalMayOnlyNarrowWhatWasAsked) {
  auto r = service_->Submit(requester_, Draft());
  ASSERT_TRUE(r.ok());
  ApprovalTerms wider;
  wider.columns = {"ten", "dia_chi"};
  wider.valid_to = "2027-06-30";
  Status s = service_->Approve(provider_, r->record.id, wider).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(s.fields().count("columns"));
  EXPECT_TRUE(s.fields().count("valid_to"));
  EXPECT_EQ(service_->Approve(requester_, r->record.id, {}).status().code(),
            StatusCode::kPermissionDenied);

  ApprovalTerms narrower;
  narrower.columns = {"ten", "huyen", "so_cccd"};
  narrower.row_filter = "ten[startswith]=Công ty";
  narrower.masks = {{"so_cccd", "partial"}};
  narrower.valid_to = "2026-06-30";
  narrower.quota_requests_per_day = 1000;
  narrower.rate_per_minute = 60;
  auto ok = service_->Approve(provider_, r->record.id, narrower);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->record.state, "approved");
  const json& t = ok->doc["terms"];
  EXPECT_EQ(t["columns"], json::array({"ten", "huyen", "so_cccd"}));
  EXPECT_EQ(t["row_filter"], "huyen=Ba Vì&ten[startswith]=Công ty");
  EXPECT_EQ(t["masks"]["so_cccd"], "partial");
  EXPECT_EQ(t["valid_from"], "2026-01-01");
  EXPECT_EQ(t["valid_to"], "2026-06-30");
  EXPECT_EQ(t["resource_id"], "res");
  EXPECT_EQ(t["consumer_id"], "sys");
  // A decided request takes no further step.
  EXPECT_EQ(service_->Refuse(provider_, r->record.id, "muộn").status().code(),
            StatusCode::kConflict);
}

TEST_F(SharingTest, ApprovalMakesExactlyOneGrantWithTheNarrowedTerms) {
  auto r = service_->Submit(requester_, Draft());
  ASSERT_TRUE(r.ok());
  ApprovalTerms terms;
  terms.columns = {"ten", "huyen", "so_cccd"};
  terms.row_filter = "ten[startswith]=Công ty";
  terms.masks = {{"so_cccd", "partial"}};
  terms.valid_to = "2026-06-30";
  terms.quota_requests_per_day = 100;
  terms.quota_rows_per_day = 5000;
  terms.rate_per_minute = 10;
  auto approved = service_->Approve(provider_, r->record.id, terms);
  ASSERT_TRUE(approved.ok()) << approved.status().message();
  auto grants = portal_.store->ListGrants("sys", "", "").value();
  ASSERT_EQ(grants.size(), 1u);
  const Grant& g = grants[0];
  EXPECT_EQ(g.request_id.value_or(""), r->record.id);
  EXPECT_EQ(g.service_id.value_or(""), "svc");
  EXPECT_EQ(g.organization_id, "provider");
  EXPECT_EQ(g.resource_id, "res");
  EXPECT_EQ(access::GrantColumns(g), (std::vector<std::string>{"ten", "huyen", "so_cccd"}));
  EXPECT_EQ(g.row_filter, "huyen=Ba Vì&ten[startswith]=Công ty");
  const access::ColumnMasks masks = access::GrantMasks(g);
  ASSERT_EQ(masks.count("so_cccd"), 1u);
  EXPECT_EQ(masks.at("so_cccd").kind, access::MaskKind::kPartial);
  EXPECT_EQ(g.valid_from, StartOfVietnamDay({2026, 1, 1}));
  EXPECT_EQ(g.valid_to, StartOfVietnamDay({2026, 7, 1}));  // all of 30/6 included
  EXPECT_EQ(g.requests_per_day, 100);
  EXPECT_EQ(g.rows_per_day, 5000);
  EXPECT_EQ(g.requests_per_minute, 10);
  EXPECT_EQ(g.state, "active");
  EXPECT_EQ(approved->doc["grant_id"], g.id);
  // A retried approval is refused and makes no second grant.
  EXPECT_EQ(service_->Approve(provider_, r->record.id, terms).status().code(),
            StatusCode::kConflict);
  EXPECT_EQ(portal_.store->ListGrants("sys", "", "").value().size(), 1u);
  // The request shows its grant as it is now: revoked once revoked.
  ASSERT_TRUE(grants_.Revoke(provider_, g.id, "Hết nhu cầu").ok());
  auto seen = service_->Get(requester_, r->record.id).value();
  ASSERT_TRUE(seen.grant.has_value());
  json j = RequestJson(seen, now_, nullptr);
  EXPECT_EQ(j["grant"]["id"], g.id);
  EXPECT_EQ(j["grant"]["state"], "revoked");
  EXPECT_EQ(j["grant"]["reason"], "Hết nhu cầu");
}

TEST_F(SharingTest, ApprovalCannotHideAColumnTheRowFilterUses) {
  auto r = service_->Submit(requester_, Draft());  // filtered on huyen
  ASSERT_TRUE(r.ok());
  ApprovalTerms terms;
  terms.columns = {"ten", "so_cccd"};
  Status s = service_->Approve(provider_, r->record.id, terms).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(s.fields().count("row_filter"));
  terms.columns = {"ten", "huyen"};
  terms.masks = {{"huyen", "drop"}};
  EXPECT_TRUE(
      service_->Approve(provider_, r->record.id, terms).status().fields().count("row_filter"));
  EXPECT_TRUE(portal_.store->ListGrants("sys", "", "").value().empty());
  EXPECT_EQ(service_->Get(provider_, r->record.id).value().record.state, "submitted");
}

TEST_F(SharingTest, DecisionsGoToTheRequesterAndTheConsumersContacts) {
  auto r = service_->Submit(requester_, Draft());
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(sent_.empty());
  EXPECT_EQ(sent_.back().kind, "sharing_request");
  EXPECT_EQ(sent_.back().users, 1u);  // padmin
  ASSERT_TRUE(service_->Refuse(provider_, r->record.id, "Không đúng thẩm quyền").ok());
  EXPECT_EQ(sent_.back().kind, "sharing_decision");
  EXPECT_EQ(sent_.back().users, 1u);  // rmember (the requester organization has no admin)
  EXPECT_EQ(sent_.back().emails, (std::vector<std::string>{"lien@stp.gov.vn", "kythuat@stp.gov.vn",
                                                           "a@example.gov.vn"}));
}

TEST_F(SharingTest, GrantsEndingWithinAWeekAreAnnouncedOnce) {
  auto r = service_->Submit(requester_, Draft());
  ASSERT_TRUE(r.ok());
  ApprovalTerms terms;
  terms.valid_to = "2026-02-20";
  ASSERT_TRUE(service_->Approve(provider_, r->record.id, terms).ok());
  now_ = At("2026-02-10");  // ends after 20/2: more than a week away
  EXPECT_EQ(service_->CheckExpiries().value(), 0);
  now_ = At("2026-02-15");
  const size_t before = sent_.size();
  EXPECT_EQ(service_->CheckExpiries().value(), 1);
  EXPECT_EQ(service_->CheckExpiries().value(), 0);  // once
  ASSERT_EQ(sent_.size(), before + 1);
  EXPECT_EQ(sent_.back().kind, "grant_expiry");
  EXPECT_EQ(sent_.back().users, 1u);  // the provider's admin
  EXPECT_EQ(sent_.back().emails.size(), 2u);
  // A second service (another server) finds it claimed.
  SharingService other(*portal_.store, *portal_.blobs, nullptr, notifications_, grants_,
                       SharingOptions{.now = [this] { return now_; }});
  EXPECT_EQ(other.CheckExpiries().value(), 0);
}

TEST_F(SharingTest, KeysEndingWithinAWeekAreAnnouncedOnce) {
  ConsumerCredential k;
  k.id = "key-1";
  k.system_id = "sys";
  k.kind = "api_key";
  k.name = "máy chủ chính";
  k.lookup = "odp_abc";
  k.secret_hash = std::string(64, '0');
  k.created = now_;
  k.expires = now_ + int64_t{3} * 86400 * 1000000;
  ASSERT_TRUE(portal_.store->InsertConsumerCredential(k).ok());
  EXPECT_EQ(service_->CheckExpiries().value(), 1);
  EXPECT_EQ(sent_.back().kind, "key_expiry");
  EXPECT_EQ(service_->CheckExpiries().value(), 0);
}

TEST_F(SharingTest, AQuotaUsedToEightyPercentIsAnnouncedOncePerDay) {
  auto r = service_->Submit(requester_, Draft());
  ASSERT_TRUE(r.ok());
  ApprovalTerms terms;
  terms.quota_requests_per_day = 10;
  ASSERT_TRUE(service_->Approve(provider_, r->record.id, terms).ok());
  const Grant g = portal_.store->ListGrants("sys", "", "").value().at(0);
  const size_t before = sent_.size();
  service_->NoteQuotaUse(g, 7, 0, now_);
  EXPECT_EQ(sent_.size(), before);
  service_->NoteQuotaUse(g, 8, 0, now_);
  service_->NoteQuotaUse(g, 9, 0, now_);
  ASSERT_EQ(sent_.size(), before + 1);
  EXPECT_EQ(sent_.back().kind, "quota_nearly_used");
  // Another server on the same day says nothing; the next day counts again.
  SharingService other(*portal_.store, *portal_.blobs, nullptr, notifications_, grants_,
                       SharingOptions{.now = [this] { return now_; }});
  other.NoteQuotaUse(g, 9, 0, now_);
  EXPECT_EQ(sent_.size(), before + 1);
  service_->NoteQuotaUse(g, 8, 0, now_ + int64_t{86400} * 1000000);
  EXPECT_EQ(sent_.size(), before + 2);
}

TEST_F(SharingTest, RefusalNeedsWrittenReasons) {
  auto r = service_->Submit(requester_, Draft());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(service_->Refuse(provider_, r->record.id, "  ").status().code(),
            StatusCode::kInvalidArgument);
  auto refused = service_->Refuse(provider_, r->record.id, "Không đúng thẩm quyền");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->record.state, "refused");
  EXPECT_EQ(refused->events.back().note, "Không đúng thẩm quyền");
  EXPECT_EQ(refused->events.back().actor_id, "padmin");
}

TEST_F(SharingTest, ALetterThatIsNotAPdfIsRefused) {
  RequestDraft d = Draft();
  d.letter_sha256 = portal_.blobs->Put("<html>not a pdf</html>").value().sha256;
  Status s = service_->Submit(requester_, d).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(s.fields().count("letter"));
  d.letter_sha256 = std::string(64, 'a');  // not stored
  EXPECT_TRUE(service_->Submit(requester_, d).status().fields().count("letter"));
}

TEST_F(SharingTest, OutsidersDoNotSeeARequest) {
  auto r = service_->Submit(requester_, Draft());
  ASSERT_TRUE(r.ok());
  const access::Principal outsider = Member("x", "other", OrgRole::kAdmin);
  EXPECT_EQ(service_->Get(outsider, r->record.id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(service_->Get(provider_, r->record.id).ok());
  EXPECT_TRUE(service_->Get(requester_, r->record.id).ok());
  EXPECT_TRUE(service_->Get(root_, r->record.id).ok());
  auto lists = service_->List(requester_).value();
  EXPECT_EQ(lists.mine.size(), 1u);
  EXPECT_EQ(lists.incoming.size(), 0u);
  EXPECT_EQ(service_->List(provider_).value().incoming.size(), 1u);
  EXPECT_EQ(service_->List(outsider).value().mine.size(), 0u);
}

TEST_F(SharingTest, TheDeadlineJobRemindsOnceAndReportsOverdueOnce) {
  now_ = At("2026-12-07");  // Monday: due Wednesday 9/12
  auto r = service_->Submit(requester_, Draft());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(DueDay(r->record.deadline), "2026-12-09");
  const int64_t provider_before = notifications_.Unread(provider_).value();
  EXPECT_EQ(service_->CheckDeadlines().value(), 0);  // Monday: nothing yet
  now_ = At("2026-12-08");                           // Tuesday: one working day left
  EXPECT_EQ(service_->CheckDeadlines().value(), 1);
  EXPECT_EQ(service_->CheckDeadlines().value(), 0);  // once
  EXPECT_EQ(notifications_.Unread(provider_).value(), provider_before + 1);
  EXPECT_TRUE(service_->Overdue(root_).value().empty());
  now_ = At("2026-12-10");  // Thursday: overdue
  EXPECT_EQ(service_->CheckDeadlines().value(), 1);
  EXPECT_EQ(service_->CheckDeadlines().value(), 0);
  EXPECT_EQ(notifications_.Unread(root_).value(), 1);
  auto board = service_->Overdue(root_).value();
  ASSERT_EQ(board.size(), 1u);
  EXPECT_EQ(board[0].record.id, r->record.id);
  EXPECT_EQ(service_->Overdue(provider_).status().code(), StatusCode::kPermissionDenied);
  auto events = service_->Get(root_, r->record.id).value().events;
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].action, "remind");
  EXPECT_EQ(events[2].action, "overdue");
  // The clock as the pages show it.
  auto cal = service_->calendar().Current().value();
  json j = RequestJson(service_->Get(root_, r->record.id).value(), now_, cal.get());
  EXPECT_EQ(j["clock"]["state"], "running");
  EXPECT_EQ(j["clock"]["overdue"], true);
}

TEST_F(SharingTest, RowFiltersNameOfferedColumnsAndKnownOperators) {
  const std::vector<std::string> cols = {"huyen", "nam"};
  EXPECT_TRUE(SharingService::ValidateRowFilter("", cols).ok());
  EXPECT_TRUE(SharingService::ValidateRowFilter("huyen=Ba Vì&nam[gte]=2020", cols).ok());
  EXPECT_FALSE(SharingService::ValidateRowFilter("xa=1", cols).ok());
  EXPECT_FALSE(SharingService::ValidateRowFilter("nam[like]=1", cols).ok());
  EXPECT_FALSE(SharingService::ValidateRowFilter("huyen", cols).ok());
}

// A sample is masked as the grant made from the request will mask its reads (access/masks.h):
// a partial mask keeps 4 and 3 characters, so a short name shows nothing of itself.
TEST_F(SharingTest, SampleMasksAreTheGrantsMasks) {
  EXPECT_EQ(SharingService::MaskValue("0912345456", "partial"), "0912***456");
  EXPECT_EQ(SharingService::MaskValue("Nguyễn", "partial"), "***");
  EXPECT_EQ(SharingService::MaskValue("1990-05-17", "year"), "1990");
  EXPECT_EQ(SharingService::MaskValue("17/05/1990", "year"), "1990");
  EXPECT_EQ(SharingService::MaskValue("chưa rõ", "year"), "");  // nothing of it is shown
  EXPECT_EQ(SharingService::MaskValue("001090000123", "drop"), "•••");
  EXPECT_EQ(SharingService::MaskValue("x", "none"), "x");
  const std::string key = "the portal's mask key, at least 32 bytes";
  const std::string hashed = SharingService::MaskValue("001090000123", "hash", key);
  EXPECT_EQ(hashed, access::MaskText({access::MaskKind::kHash}, "001090000123", key).value_or(""));
  EXPECT_EQ(hashed.rfind("h:", 0), 0u);
  for (const char* mask : {"partial", "year"}) {
    const access::ColumnMask grant = access::DefaultMask(*access::ParseMaskKind(mask));
    EXPECT_EQ(SharingService::MaskValue("0912345456", mask, key),
              access::MaskText(grant, "0912345456", key).value_or(""));
  }
}

}  // namespace
}  // namespace odp::sharing
