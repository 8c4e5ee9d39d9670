// GrantService: grants of shared data, the bond between an approved consumer system and one
// table (a resource of a dataset) that its agency may read: which columns, which rows, which
// columns masked, for how long, and how much (store/records.h's Grant says the fields).
//
// Who. The providing organization's admins (the admins of the dataset's organization) and
// sysadmins create, narrow, suspend, resume and revoke grants (policy kManageGrant). They, the
// admins of the consumer system's organization, and the consumer system itself (its principal)
// see a grant; for anyone else it does not exist (kNotFound).
//
// Lifecycle. A grant is created "active" for an approved system, on a resource of a dataset
// that is not deleted. It can only be narrowed afterwards (Narrow): fewer columns, a row filter
// added to the one it has (both must hold), more masks, an earlier end, lower limits; a wider
// grant is a new grant. "active" ⇄ "suspended" (Suspend, with a reason; Resume); either →
// "revoked" (with a reason), for good. Every change is compare-and-set on `modified`.
//
// What the caller checks first. The service does not see the datastore: that the columns and the
// row filter name columns of the table (and the filter parses) is the API's check
// (api/grant_reads.h) before Create and Narrow.
//
// Audit. With a sink (SetAuditSink), every change is an administrative event of the log:
// "grant.created", "grant.narrowed", "grant.suspended", "grant.resumed", "grant.revoked" (actor
// the caller, organization the provider, subject the grant, details GrantAuditDetails). A grant
// made by approving a sharing request is created by the sharing service (Prepare, then its own
// transaction), which records "grant.created" itself.
//
// In effect. InEffect(system, now) is what a consumer principal carries (access/policy.h): the
// system's active grants whose validity holds now. It reads the store on every call (no cache),
// so a suspension, a revocation or an end takes effect on every server at the next call.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "access/masks.h"
#include "access/policy.h"
#include "base/status.h"
#include "store/audit_store.h"
#include "store/store.h"

namespace odp::access {

struct GrantInput {
  std::string consumer_id;
  std::string resource_id;
  std::optional<std::string> service_id;
  std::optional<std::string> request_id;
  std::vector<std::string> columns;  // empty: every column
  std::string row_filter;            // REST filter grammar as a query string; "": every row
  ColumnMasks masks;
  Micros valid_from = 0;  // 0: from now
  Micros valid_to = 0;    // 0: no end
  int64_t requests_per_day = 0;
  int64_t rows_per_day = 0;
  int64_t requests_per_minute = 0;
};

// What Narrow may change; absent fields stay. Each must narrow: `columns` a subset of the
// grant's (any list when it has every column), `row_filter` is added to the grant's (both hold),
// `masks` are added (a column already masked keeps its mask unless the new one is "drop"),
// `valid_to` not later, limits not higher (0 is "no limit", the highest).
struct GrantNarrowing {
  std::optional<std::vector<std::string>> columns;
  std::optional<std::string> row_filter;
  std::optional<ColumnMasks> masks;
  std::optional<Micros> valid_to;
  std::optional<int64_t> requests_per_day;
  std::optional<int64_t> rows_per_day;
  std::optional<int64_t> requests_per_minute;
};

struct GrantFilter {
  std::string consumer_id;  // "" = any
  std::string dataset_id;   // "" = any
  std::string state;        // "" = any
};

inline constexpr size_t kMaxRowFilterBytes = 4096;
inline constexpr int64_t kMaxQuota = int64_t{1} << 40;

// The grant's columns (empty: every column) and masks, parsed from their stored JSON.
std::vector<std::string> GrantColumns(const Grant& g);
ColumnMasks GrantMasks(const Grant& g);
// The terms of `g` as the JSON object text of its audit events.
std::string GrantAuditDetails(const Grant& g);

class GrantService {
 public:
  // The stores must outlive the service.
  GrantService(store::GrantStore& grants, store::ConsumerStore& consumers,
               store::CatalogStore& catalog)
      : grants_(grants), consumers_(consumers), catalog_(catalog) {}

  // Whether `who` may grant the table of `resource_id` (kNotFound when it cannot even see it,
  // kPermissionDenied when it sees it but is not an admin of its organization): what the API
  // asks before it checks the grant against the table, so that nobody else learns its columns.
  Status CheckCanGrant(const Principal& who, const std::string& resource_id);
  // The grant `id` when `who` may change it (as Narrow would answer otherwise).
  Result<Grant> ForChange(const Principal& who, const std::string& id);

  // Administrative events go to `sink` (which must outlive the service); set before use.
  void SetAuditSink(store::AuditSink* sink) { audit_ = sink; }

  // The grant `in` describes, checked as Create checks it, with a new id, not stored: for a
  // caller that stores it in a transaction of its own (an approval of a sharing request).
  Result<Grant> Prepare(const Principal& who, const GrantInput& in);
  Result<Grant> Create(const Principal& who, const GrantInput& in);
  Result<Grant> Narrow(const Principal& who, const std::string& id, const GrantNarrowing& n);
  Result<Grant> Suspend(const Principal& who, const std::string& id, const std::string& reason);
  Result<Grant> Resume(const Principal& who, const std::string& id);
  Result<Grant> Revoke(const Principal& who, const std::string& id, const std::string& reason);
  Result<Grant> Get(const Principal& who, const std::string& id);
  // The grants `who` may see (above), newest first.
  Result<std::vector<Grant>> List(const Principal& who, const GrantFilter& filter);
  // The active grants of `consumer_id` valid at `now`.
  Result<std::vector<Grant>> InEffect(const std::string& consumer_id, Micros now);

 private:
  // The grant when `who` may see it (kNotFound otherwise); `manage`: when `who` may manage it.
  Result<Grant> Visible(const Principal& who, const std::string& id, bool manage);
  Result<Grant> Save(Grant g, Micros from_modified);
  void Audit(const std::string& kind, const Principal& who, const Grant& g);

  store::GrantStore& grants_;
  store::ConsumerStore& consumers_;
  store::CatalogStore& catalog_;
  store::AuditSink* audit_ = nullptr;  // set before use
};

}  // namespace odp::access
