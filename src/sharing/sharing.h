// SharingService: inter-agency data sharing (issue 17) — the sharing catalogue, requests and the
// provider's decisions under the two-working-day clock, and the deadline job.
//
// Parties and rights (access/policy.h):
//   - An organization's admins offer one of its datasets' tables, or a subset of its columns,
//     for sharing (kOfferSharing): titles, legal basis, terms, the fields with descriptions, a
//     few sample rows (real rows, masked where the publisher says) and an OpenAPI fragment
//     built from the fields. They may edit or withdraw the offer.
//   - Members of any organization (and sysadmins) read the catalogue (kReadSharingCatalogue):
//     what is offered, never the data beyond the sample.
//   - A member of an organization requests a service for one of its approved consumer systems
//     (kRequestSharing on the system's organization): columns (a subset of the offered ones), a
//     row filter (the REST filter grammar: `field=value` or `field[op]=value` joined by `&`),
//     purpose, legal basis (document number and date, a letter as PDF in the blob store),
//     period, expected volume, personal data and its legal basis, a contact.
//   - The provider's admins (kDecideSharing) approve — possibly narrower: fewer columns, a row
//     filter added to the requested one, masks, a shorter period, quotas and a rate — refuse
//     with written reasons, or ask for more information, which the requester answers.
//   - A request is visible to members of the requesting organization, admins of the provider
//     and sysadmins; to anyone else it does not exist (kNotFound, as a missing one).
// The states and the clock are sharing/request_flow.h's; deadlines come from
// sharing/calendar.h. Every step is an event (who, when, what, why), listed with the request.
//
// The approved terms are kept in the shape a grant is made from (`terms` of the request's JSON):
// {dataset_id, resource_id, columns[], row_filter, masks{column: "hide"|"partial"|"year"|
// "hash"}, valid_from, valid_to ("YYYY-MM-DD"), quota_requests_per_day, quota_rows_per_day,
// rate_per_minute} (0 = no limit).
//
// Approval makes the grant. Approve checks the terms, has access::GrantService::Prepare check
// the grant they describe (the provider's admins may grant the table; the consumer system is
// approved), and then writes the decision, its event and the grant in one transaction, the
// decision being a compare-and-set on the request's state: a retried or concurrent approval
// finds the request approved (kConflict) and never makes a second grant. The grant carries the
// request's id (Grant::request_id) and the request its grant's (`grant_id` in its document);
// Get fills SharingRequest::grant, read live, so a suspension or revocation shows on the request.
// The approved filter may use only approved columns that are not dropped (what the grant shows).
//
// Notifications (sharing/notifications.h; each goes to the bell and by e-mail): a new request and
// an answer to a question go to the provider's admins; a question to the requester; a decision
// to the requester and the consumer's contacts (the system's contacts, its technical contact
// and the request's contact, by e-mail); one working day left to the provider's admins; overdue
// to the data unit (sysadmins) and the provider's admins; a grant or an API key expiring within
// kExpiryNoticeDays to the consumer's organization admins and contacts (a grant's also to the
// provider's admins); a daily quota of a grant used to kQuotaNoticePercent % to the consumer's
// organization admins and contacts. CheckDeadlines sends the deadline notices, each once per
// deadline even with several servers (store MarkSharingRequest is a compare-and-set);
// CheckExpiries and NoteQuotaUse claim theirs (store ClaimNotice) once per item and end date, and
// once per grant and day.
//
// Audit: with a sink, every administrative step is an event of the log: "sharing.service_offered"
// / "_updated" / "_withdrawn", "sharing.request_submitted", "sharing.info_requested",
// "sharing.info_answered", "sharing.request_approved" (and "grant.created" for its grant),
// "sharing.request_refused", "sharing.request_withdrawn", "sharing.reminder_sent",
// "sharing.request_overdue", and the calendar's changes (sharing/calendar.h).
// Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "access/grants.h"
#include "access/policy.h"
#include "sharing/calendar.h"
#include "sharing/notifications.h"
#include "sharing/request_flow.h"
#include "store/audit_store.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace odp::datastore {
class Datastore;
}

namespace odp::sharing {

using json = nlohmann::json;

inline constexpr int64_t kMaxLetterBytes = 10LL << 20;  // 10 MB
inline constexpr int kExpiryNoticeDays = 7;     // a grant or key ending this soon is announced
inline constexpr int kQuotaNoticePercent = 80;  // of a daily quota: announced once that day

// What an admin offers.
struct ServiceOffer {
  std::string resource_id;  // a table of a dataset of the offering organization
  std::string title_vi, title_en;
  std::string description_vi, description_en;
  std::string legal_basis;                          // the law or decision that allows sharing it
  std::string terms;                                // conditions of use
  std::vector<std::string> columns;                 // offered columns; empty = all
  std::map<std::string, std::string> descriptions;  // column -> description
  std::map<std::string, std::string> sample_masks;  // column -> mask of the sample rows
  bool personal_data = false;
};

// A table the caller may offer: of a dataset of an organization they admin, loaded.
struct OfferableTable {
  std::string resource_id;
  std::string dataset_title_vi, dataset_title_en;
  std::string resource_name;
  std::vector<std::string> columns;
};

// A shared service: its record and its document (titles, legal basis, terms, personal_data,
// fields [{id, label, type, description}], sample {columns, rows}).
struct SharedService {
  SharedServiceRecord record;
  json doc;
};

// What a requester asks for.
struct RequestDraft {
  std::string service_id;
  std::string consumer_id;
  std::vector<std::string> columns;  // empty = every offered column
  std::string row_filter;
  std::string purpose;
  std::string legal_document_number;
  std::string legal_document_date;  // YYYY-MM-DD
  std::string letter_sha256;        // a PDF already in the blob store
  std::string letter_filename;
  std::string period_from, period_to;  // YYYY-MM-DD
  int64_t expected_requests_per_day = 0;
  int64_t expected_rows_per_day = 0;
  bool personal_data = false;
  std::string personal_data_basis;  // required when personal_data
  std::string contact_name, contact_email, contact_phone;
};

// An approval's terms; empty or zero fields take the request's.
struct ApprovalTerms {
  std::vector<std::string> columns;          // ⊆ the requested columns
  std::string row_filter;                    // added (AND) to the requested filter
  std::map<std::string, std::string> masks;  // column -> "hide", "partial", "year", "hash"
  std::string valid_from, valid_to;          // within the requested period
  int64_t quota_requests_per_day = 0;
  int64_t quota_rows_per_day = 0;
  int64_t rate_per_minute = 0;
  std::string note;
};

// A request with its document (what was asked; `terms` once approved; the last question and
// answer) and its history.
struct SharingRequest {
  SharingRequestRecord record;
  json doc;
  std::vector<SharingEventRecord> events;  // filled by Get only
  std::optional<Grant> grant;              // the approval's grant, as it is now (Get, Approve)
};

// The requests a caller sees, by role.
struct RequestLists {
  std::vector<SharingRequest> mine;      // of the caller's organizations (as requester)
  std::vector<SharingRequest> incoming;  // to organizations the caller admins (as provider)
};

struct SharingOptions {
  std::function<Micros()> now = [] { return NowMicros(); };  // tests move the clock
  // The portal's one mask secret (access/masks.h), for the hash masks of offers' samples: the
  // same key as the grants', so a sample shows what a grant's reader will read.
  std::string mask_key = {};
};

class SharingService {
 public:
  // Every reference must outlive the service; `datastore` may be null (no tables: no offers).
  SharingService(store::Store& store, store::BlobStore& blobs, datastore::Datastore* datastore,
                 Notifications& notifications, access::GrantService& grants,
                 SharingOptions options = {});

  // Administrative events go to `sink` (which must outlive the service); set before use.
  void SetAuditSink(store::AuditSink* sink);

  SharingCalendar& calendar() { return calendar_; }
  Notifications& notifications() { return notifications_; }

  // The catalogue.
  Result<SharedService> Offer(const access::Principal& who, const ServiceOffer& offer);
  Result<SharedService> UpdateOffer(const access::Principal& who, const std::string& id,
                                    const ServiceOffer& offer);
  Result<SharedService> WithdrawOffer(const access::Principal& who, const std::string& id);
  // The tables `who` may offer (empty for anyone who admins no organization).
  std::vector<OfferableTable> OfferableTables(const access::Principal& who);
  // Offered services (and, for their providers, withdrawn ones), newest first.
  Result<std::vector<SharedService>> Catalogue(const access::Principal& who);
  Result<SharedService> GetService(const access::Principal& who, const std::string& id);
  // The service's OpenAPI 3.1 fragment (paths and schema of its rows).
  Result<json> ServiceOpenApi(const access::Principal& who, const std::string& id,
                              const std::string& site_url);

  // Requests.
  // The approved consumer systems `who` may request data for (those of their organizations).
  std::vector<ConsumerSystem> RequestableConsumers(const access::Principal& who);
  Result<SharingRequest> Submit(const access::Principal& who, const RequestDraft& draft);
  Result<SharingRequest> Get(const access::Principal& who, const std::string& id);
  Result<RequestLists> List(const access::Principal& who);
  Result<SharingRequest> AskInfo(const access::Principal& who, const std::string& id,
                                 const std::string& question);
  Result<SharingRequest> Answer(const access::Principal& who, const std::string& id,
                                const std::string& answer);
  Result<SharingRequest> Approve(const access::Principal& who, const std::string& id,
                                 const ApprovalTerms& terms);
  Result<SharingRequest> Refuse(const access::Principal& who, const std::string& id,
                                const std::string& reasons);
  Result<SharingRequest> Withdraw(const access::Principal& who, const std::string& id,
                                  const std::string& reason);
  // The letter of a request the caller may see: its blob's hash and file name.
  Result<std::pair<std::string, std::string>> Letter(const access::Principal& who,
                                                     const std::string& id);

  // The data unit's board (kViewSharingBoard): requests whose clock runs and whose deadline
  // passed, the most overdue first.
  Result<std::vector<SharingRequest>> Overdue(const access::Principal& who);

  // The deadline job: reminders one working day before the deadline, notices when it passed.
  // Returns how many notices it sent.
  Result<int> CheckDeadlines();
  // The expiry job: notices for active grants and live API keys or OAuth clients that end
  // within kExpiryNoticeDays, once per item and end date. Returns how many it sent.
  Result<int> CheckExpiries();
  // Told by the read paths after a grant's call was counted: `requests` and `rows` used today.
  // At kQuotaNoticePercent % of a daily quota it sends the notice, once per grant and day (a
  // map in memory keeps the store from being asked again on this server).
  void NoteQuotaUse(const Grant& g, int64_t requests, int64_t rows, Micros now);

  // Checks a row filter against the columns of a table: `field=value` or `field[op]=value`
  // pairs joined by `&` (URL-encoded as in a query string), each field one of `columns`.
  static Status ValidateRowFilter(const std::string& filter,
                                  const std::vector<std::string>& columns);
  // Masks one sample value of an offer as a grant with the mask named `mask` shows it (the
  // masks module, access/masks.h, with the mask a grant's "partial" means: access::DefaultMask):
  // "partial" → "0912***456", "year" → "1990", "hash" → the keyed hash under `key`; "drop" →
  // "•••" (the column is not shown at all; the sample marks its place). A null result (a
  // "year" of something not a date) is "". Another name leaves the value as it is.
  static std::string MaskValue(const std::string& value, const std::string& mask,
                               std::string_view key = {});

 private:
  Result<SharedService> BuildOffer(const access::Principal& who, const ServiceOffer& offer,
                                   SharedServiceRecord base);
  Result<SharedService> LoadService(const std::string& id);
  Result<SharingRequest> Visible(const access::Principal& who, const std::string& id);
  // Applies a step: checks the state machine, writes the request (compare and set on its
  // state) and the event in one transaction.
  // `also` runs inside the same transaction (the approval's grant).
  Result<SharingRequest> Step(const access::Principal& who, SharingRequest r, RequestStep step,
                              const std::string& note, const json& details,
                              const std::function<Status()>& also = nullptr);
  void Audit(const std::string& kind, const std::string& actor, const std::string& organization,
             const std::string& subject, const json& details);
  // Who hears for a consumer system: its organization's admins, and the addresses of its
  // contacts and technical contact.
  std::pair<std::vector<std::string>, std::vector<std::string>> ConsumerAudience(
      const std::string& consumer_id);
  bool SeesRequest(const access::Principal& who, const SharingRequestRecord& r) const;
  std::vector<std::string> AdminsOf(const std::string& organization_id);
  std::vector<std::string> DataUnit();
  std::string OrgTitle(const std::string& organization_id);

  store::Store& store_;
  store::BlobStore& blobs_;
  datastore::Datastore* datastore_;
  Notifications& notifications_;
  access::GrantService& grants_;
  SharingCalendar calendar_;
  const SharingOptions options_;
  store::AuditSink* audit_ = nullptr;  // set before use

  std::mutex quota_mu_;
  std::map<std::string, std::string> quota_noticed_;  // grant id -> day told; guarded by quota_mu_
};

// The JSON of a request for APIs and pages: the record's columns, the document, the clock
// ({deadline, state: "running"|"stopped"|"done", overdue, working_days_left}) and the events.
json RequestJson(const SharingRequest& r, Micros now, WorkingCalendar* calendar);
json ServiceJson(const SharedService& s);

}  // namespace odp::sharing
