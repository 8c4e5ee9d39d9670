#include "store/copy.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>

#include "base/crypto.h"
#include "store/pg_db.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace odp::store {
namespace {

struct TableSpec {
  const char* name;
  const char* columns;
  const char* order;  // rows in an order that inserts parents first
};

// Same columns on both back-ends (see migrations.cpp).
const std::vector<TableSpec>& Specs() {
  static const std::vector<TableSpec> kSpecs = {
      {"settings", "key, value", "key"},
      {"organizations",
       "id, slug, title_vi, title_en, description_vi, description_en, parent_id, image_url, email, "
       "created, modified",
       ""},  // by depth, below
      {"groups",
       "id, kind, slug, title_vi, title_en, description_vi, description_en, position, created",
       "id"},
      {"licenses", "id, title_vi, title_en, url, is_open, position", "id"},
      {"datasets", "id, slug, organization_id, state, access, doc, created, modified", "id"},
      {"resources", "id, dataset_id, position, doc, created, modified", "id"},
      {"resource_versions",
       "resource_id, version, sha256, size, filename, mimetype, created_by, created",
       "resource_id, version"},
      {"dataset_events", "id, dataset_id, actor_id, action, from_state, to_state, reason, at",
       "id"},
      {"users", "id, username, email, display_name, password_hash, sysadmin, disabled, created",
       "id"},
      {"memberships", "user_id, organization_id, role", "user_id, organization_id"},
      {"api_tokens", "id, user_id, name, token_hash, created, last_used, revoked", "id"},
      {"sessions", "id_hash, user_id, csrf_token, created, expires", "id_hash"},
      {"login_failures", "key, failures, last_failure", "key"},
      {"privacy_consents", "user_id, notice_version, accepted", "user_id, notice_version"},
      {"external_identities", "issuer, subject, user_id, email, created, last_used",
       "issuer, subject"},
      {"oidc_sign_ins",
       "state_hash, issuer, nonce, code_verifier, return_to, link_user_id, lang, created, expires",
       "state_hash"},
      {"account_links", "token_hash, kind, user_id, created_by, created, expires, used",
       "token_hash"},
      {"published_snapshots", "dataset_id, snapshot, at", "dataset_id"},
      {"catalog_changes", "seq, kind, key, origin, at", "seq"},
      {"jobs",
       "kind, resource_id, version, file, options, state, error_vi, error_en, rows, owner, "
       "heartbeat, updated",
       "kind, resource_id, version"},
      {"job_runs",
       "id, kind, key, payload, state, cancel_requested, attempts, max_attempts, run_at, owner, "
       "lease_until, "
       "progress, message, error, schedule_id, created, started, finished, updated",
       "id"},
      {"job_schedules", "id, kind, payload, spec, max_attempts, next_run, last_run, updated", "id"},
      {"consumer_systems",
       "id, organization_id, agency_code, system_code, name, description, contacts, "
       "technical_name, "
       "technical_email, technical_phone, state, reason, registered_by, decided_by, created, "
       "decided, modified",
       "id"},
      {"consumer_credentials",
       "id, system_id, kind, name, lookup, secret_hash, created_by, created, expires, last_used, "
       "revoked",
       "id"},
      {"signing_keys", "kid, public_key, secret_key, created, retired", "kid"},
      {"usage_counts", "day, kind, format, dataset_id, resource_id, organization_id, count",
       "day, kind, format, dataset_id, resource_id"},
      {"shared_services",
       "id, organization_id, dataset_id, resource_id, state, doc, created_by, created, modified",
       "id"},
      {"sharing_requests",
       "id, service_id, provider_org, requester_org, consumer_id, state, submitted, deadline, "
       "reminded, overdue_notified, letter_sha256, doc, created_by, created, modified",
       "id"},
      {"sharing_events", "seq, request_id, actor_id, action, from_state, to_state, note, doc, at",
       "seq"},
      {"calendar_days", "day, kind, note, updated_by, updated", "day"},
      {"notifications", "id, user_id, kind, subject_id, text_vi, text_en, link, created, read_at",
       "id"},
      {"audit_log",
       "seq, at, kind, actor, organization, subject, request_id, status, rows_answered, bytes, "
       "duration_us, body, prev_hash, hash",
       "seq"},
      {"audit_checkpoints", "seq, hash, at, kid, signature", "seq"},
      {"audit_keys", "kid, public_key, secret_key, created", "kid"},
      {"grants",
       "id, consumer_id, organization_id, dataset_id, resource_id, service_id, request_id, "
       "columns, row_filter, masks, valid_from, valid_to, requests_per_day, rows_per_day, "
       "requests_per_minute, state, reason, created_by, modified_by, created, modified",
       "id"},
      {"quota_counts", "scope, period, requests, row_count", "scope, period"},
      {"follows",
       "id, email, kind, target_id, lang, confirm_hash, confirm_expires, unsubscribe_token, "
       "created, "
       "confirmed, last_seen",
       "id"},
      {"follow_requests", "id, email, client, at", "id"},
      {"notice_claims", "key, at", "key"},
  };
  return kSpecs;
}

std::string SelectAll(const TableSpec& t) {
  if (std::string(t.name) == "organizations") {
    // Parents before their children, whatever the depth.
    return "WITH RECURSIVE tree(id, depth) AS (SELECT id, 0 FROM organizations WHERE parent_id IS "
           "NULL "
           "UNION ALL SELECT o.id, tree.depth + 1 FROM organizations o JOIN tree ON o.parent_id = "
           "tree.id) "
           "SELECT o.id, o.slug, o.title_vi, o.title_en, o.description_vi, o.description_en, "
           "o.parent_id, "
           "o.image_url, o.email, o.created, o.modified FROM organizations o JOIN tree ON tree.id "
           "= o.id "
           "ORDER BY tree.depth, o.id";
  }
  return std::string("SELECT ") + t.columns + " FROM " + t.name + " ORDER BY " + t.order;
}

int ColumnCount(const TableSpec& t) {
  return static_cast<int>(
             std::count(t.columns, t.columns + std::char_traits<char>::length(t.columns), ',')) +
         1;
}

Result<std::unique_ptr<sql::Connection>> Connect(const std::string& url) {
  if (IsPostgresUrl(url)) {
    ODP_ASSIGN_OR_RETURN(auto c, internal::PgConnection::Open(url));
    return std::unique_ptr<sql::Connection>(std::move(c));
  }
  std::string path = url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
  ODP_ASSIGN_OR_RETURN(auto c, internal::SqliteConnection::Open(path));
  return std::unique_ptr<sql::Connection>(std::move(c));
}

// A row's canonical text: values separated by 0x1f, NULL as 0x00.
std::string RowText(const sql::Statement& st, int columns) {
  std::string row;
  for (int c = 0; c < columns; ++c) {
    if (c) row += '\x1f';
    if (st.IsNull(c)) {
      row += '\0';
    } else {
      row += st.Text(c);
    }
  }
  return row;
}

Result<std::vector<TableCopy>> FingerprintOn(sql::Connection& conn) {
  std::vector<TableCopy> out;
  for (const auto& t : Specs()) {
    ODP_ASSIGN_OR_RETURN(auto st,
                         conn.Prepare(std::string("SELECT ") + t.columns + " FROM " + t.name));
    const int columns = ColumnCount(t);
    std::vector<std::string> hashes;
    for (;;) {
      ODP_ASSIGN_OR_RETURN(bool row, st->Step());
      if (!row) break;
      hashes.push_back(Sha256Hex(RowText(*st, columns)));
    }
    std::sort(hashes.begin(), hashes.end());
    std::string all;
    all.reserve(hashes.size() * 64);
    for (const auto& h : hashes) all += h;
    out.push_back({t.name, static_cast<int64_t>(hashes.size()), Sha256Hex(all)});
  }
  return out;
}

}  // namespace

const std::vector<std::string>& CopiedTables() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> v;
    for (const auto& t : Specs()) v.emplace_back(t.name);
    return v;
  }();
  return kNames;
}

Result<std::vector<TableCopy>> Fingerprint(const std::string& url) {
  ODP_ASSIGN_OR_RETURN(auto conn, Connect(url));
  return FingerprintOn(*conn);
}

Result<std::vector<TableCopy>> CopyDatabase(const std::string& from_url,
                                            const std::string& to_url) {
  // Both schemas at the latest version, so that the columns agree.
  ODP_RETURN_IF_ERROR(OpenStore(from_url, true).status());
  ODP_RETURN_IF_ERROR(OpenStore(to_url, true).status());
  ODP_ASSIGN_OR_RETURN(auto from, Connect(from_url));
  ODP_ASSIGN_OR_RETURN(auto to, Connect(to_url));
  const bool pg = to->dialect() == sql::Dialect::kPostgres;

  for (const auto& t : Specs()) {
    ODP_ASSIGN_OR_RETURN(auto st, to->Prepare(std::string("SELECT COUNT(*) FROM ") + t.name));
    ODP_ASSIGN_OR_RETURN(bool row, st->Step());
    if (row && st->Int(0) > 0) {
      return Status::Conflict(
          std::string("the target database is not empty (table ") + t.name + " has " +
              std::to_string(st->Int(0)) + " rows); copy into a new database",
          "Cơ sở dữ liệu đích đã có dữ liệu; hãy sao chép vào một cơ sở dữ liệu mới");
    }
  }

  ODP_RETURN_IF_ERROR(to->Exec(pg ? "BEGIN" : "BEGIN IMMEDIATE"));
  auto copy_all = [&]() -> Status {
    for (const auto& t : Specs()) {
      const int columns = ColumnCount(t);
      // Rows go in batches of kBatch per INSERT: one round trip per batch, not per row.
      constexpr int kBatch = 200;
      auto insert_of = [&](int rows) {
        std::string sql = std::string("INSERT INTO ") + t.name + " (" + t.columns + ") VALUES ";
        for (int r = 0; r < rows; ++r) {
          sql += r ? ",(" : "(";
          for (int c = 0; c < columns; ++c) sql += c ? ",?" : "?";
          sql += ")";
        }
        return sql;
      };
      const std::string full = insert_of(kBatch);
      std::vector<std::optional<std::string>> pending;
      auto flush = [&]() -> Status {
        const int rows = static_cast<int>(pending.size()) / columns;
        if (rows == 0) return Status::Ok();
        ODP_ASSIGN_OR_RETURN(auto write, to->Prepare(rows == kBatch ? full : insert_of(rows)));
        for (size_t i = 0; i < pending.size(); ++i) {
          if (pending[i]) {
            write->Bind(static_cast<int>(i + 1), *pending[i]);
          } else {
            write->BindNull(static_cast<int>(i + 1));
          }
        }
        pending.clear();
        Status s = write->Run();
        if (!s.ok()) return Status::Internal(std::string("copying ") + t.name + ": " + s.message());
        return Status::Ok();
      };
      ODP_ASSIGN_OR_RETURN(auto read, from->Prepare(SelectAll(t)));
      for (;;) {
        ODP_ASSIGN_OR_RETURN(bool row, read->Step());
        if (!row) break;
        for (int c = 0; c < columns; ++c) {
          pending.push_back(read->IsNull(c) ? std::nullopt
                                            : std::optional<std::string>(read->Text(c)));
        }
        if (static_cast<int>(pending.size()) == kBatch * columns) ODP_RETURN_IF_ERROR(flush());
      }
      ODP_RETURN_IF_ERROR(flush());
    }
    // The audit chain's head follows the copied records (audit_head holds one row already).
    ODP_RETURN_IF_ERROR(to->Exec(
        "UPDATE audit_head SET seq = (SELECT COALESCE(MAX(seq), 0) FROM audit_log), hash = "
        "COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '') WHERE id = 1"));
    if (pg) {
      // Serial columns continue after the copied numbers.
      for (const char* seq : {"dataset_events.id", "catalog_changes.seq", "sharing_events.seq"}) {
        std::string table(seq, std::strchr(seq, '.'));
        std::string column(std::strchr(seq, '.') + 1);
        ODP_RETURN_IF_ERROR(to->Exec("SELECT setval(pg_get_serial_sequence('" + table + "', '" +
                                     column + "'), COALESCE((SELECT MAX(" + column + ") FROM " +
                                     table + "), 0) + 1, false)"));
      }
    }
    return Status::Ok();
  };
  // Verified inside the transaction: a difference leaves the target as empty as it was.
  std::vector<TableCopy> want;
  auto verify = [&]() -> Status {
    ODP_ASSIGN_OR_RETURN(want, FingerprintOn(*from));
    ODP_ASSIGN_OR_RETURN(auto got, FingerprintOn(*to));
    for (size_t i = 0; i < want.size(); ++i) {
      if (want[i].rows != got[i].rows || want[i].checksum != got[i].checksum) {
        return Status::Internal("verification failed for table " + want[i].table + ": " +
                                std::to_string(want[i].rows) + " rows copied as " +
                                std::to_string(got[i].rows) +
                                (want[i].checksum != got[i].checksum ? ", checksums differ" : ""));
      }
    }
    return Status::Ok();
  };
  Status s = copy_all();
  if (s.ok()) s = verify();
  if (!s.ok()) {
    (void)to->Exec("ROLLBACK");
    return s;
  }
  ODP_RETURN_IF_ERROR(to->Exec("COMMIT"));
  return want;
}

}  // namespace odp::store
