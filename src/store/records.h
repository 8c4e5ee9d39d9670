// The records ODP keeps: plain structs shared by the store and the services above it.
// Rules about them (validation, permissions, workflow) live in the services, not here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"

namespace odp {

enum class AccessTier { kPublic, kRegistered, kShared, kInternal };
enum class DatasetState { kDraft, kPending, kPublished, kRejected, kWithdrawn, kDeleted };
enum class OrgRole { kMember, kEditor, kAdmin };

const char* ToString(AccessTier t);
const char* ToString(DatasetState s);
const char* ToString(OrgRole r);
std::optional<AccessTier> ParseAccessTier(const std::string& s);
std::optional<DatasetState> ParseDatasetState(const std::string& s);
std::optional<OrgRole> ParseOrgRole(const std::string& s);

struct Organization {
  std::string id;
  std::string slug;
  std::string title_vi;
  std::string title_en;
  std::string description_vi;
  std::string description_en;
  std::string parent_id;  // empty for a top-level agency
  std::string image_url;
  std::string email;
  Micros created = 0;
  Micros modified = 0;
};

enum class GroupKind { kSector, kTopic };
const char* ToString(GroupKind k);

// A term of one of the two editable taxonomies: sectors (lĩnh vực) and topics (chủ đề).
struct Group {
  std::string id;
  GroupKind kind = GroupKind::kSector;
  std::string slug;
  std::string title_vi;
  std::string title_en;
  std::string description_vi;
  std::string description_en;
  int position = 0;
  Micros created = 0;
};

struct License {
  std::string id;  // "cc-by-4.0"
  std::string title_vi;
  std::string title_en;
  std::string url;
  bool is_open = false;
  int position = 0;
};

struct Dataset {
  std::string id;
  std::string slug;
  std::string title_vi;
  std::string title_en;
  std::string description_vi;  // Markdown
  std::string description_en;
  std::string organization_id;
  std::vector<std::string> sector_ids;
  std::vector<std::string> topic_ids;
  std::vector<std::string> tags;
  std::string license_id;
  AccessTier access = AccessTier::kPublic;
  DatasetState state = DatasetState::kDraft;
  std::string update_frequency;  // "daily", "monthly", "annual", "irregular", ...
  std::string temporal_start;    // ISO date, may be empty
  std::string temporal_end;
  std::vector<std::string> spatial;  // administrative-unit codes
  std::string contact_name;
  std::string contact_email;
  std::string version;
  std::map<std::string, std::string> extras;
  std::string creator_id;
  std::string state_reason;  // the latest rejection or withdrawal reason
  // Who last submitted the dataset for review and when (0 and "" when never submitted, or when
  // submitted before these were recorded: the latest "submit" event then says it).
  std::string submitted_by;
  Micros submitted_at = 0;
  Micros created = 0;
  Micros modified = 0;
  Micros published = 0;  // 0 until first published
  // Changes to a published dataset held for review (CatalogService::UpdateDataset): a tier that
  // opens it to more readers, a new licence. Until a reviewer approves them, `access` and
  // `license_id` above stay in force everywhere. "" / nullopt when nothing is waiting.
  std::string pending_access;
  std::optional<std::string> pending_license_id;

  bool HasPendingChange() const {
    return !pending_access.empty() || pending_license_id.has_value();
  }
};

struct Resource {
  std::string id;
  std::string dataset_id;
  std::string name;
  std::string description;
  std::string format;  // "CSV", "XLSX", ...
  std::string mimetype;
  std::string url;  // for links; empty for uploads
  bool upload = false;
  std::string sha256;  // of the current version (uploads)
  int64_t size = 0;
  std::string filename;  // original file name, NFC
  int version = 0;       // current version number (uploads), 1-based
  int position = 0;
  Micros created = 0;
  Micros modified = 0;
};

struct ResourceVersion {
  std::string resource_id;
  int version = 0;
  std::string sha256;
  int64_t size = 0;
  std::string filename;
  std::string mimetype;
  std::string created_by;
  Micros created = 0;
};

// One transition or change in a dataset's life, shown as its history.
struct DatasetEvent {
  int64_t id = 0;
  std::string dataset_id;
  std::string actor_id;
  std::string action;  // "create", "update", "submit", "publish", "reject", "withdraw", "delete"
  std::string from_state;
  std::string to_state;
  std::string reason;
  Micros at = 0;
};

// How often something of a dataset was seen or downloaded on one day (or, summed, in one month).
// `kind` is "view" (the dataset's page: `resource_id` ""; a table's page: its resource) or
// "download"; `format` says how: views "page" or "table", downloads "file" (the stored file) or
// the export's format ("csv", "tsv", "json", "ndjson", "geojson", "xlsx", "datapackage").
// `organization_id` is the dataset's agency when the count was first stored.
struct UsageCount {
  std::string day;  // "2026-12-07", Viet Nam time; "2026-12" in monthly sums
  std::string kind;
  std::string format;
  std::string dataset_id;
  std::string resource_id;
  std::string organization_id;
  int64_t count = 0;
};

struct User {
  std::string id;
  std::string username;
  std::string email;
  std::string display_name;
  std::string password_hash;
  bool sysadmin = false;
  bool disabled = false;
  Micros created = 0;
};

// A user's consent to one version of the site's privacy notice (registration asks for it; the
// account page asks again when the notice changes).
struct PrivacyConsent {
  std::string user_id;
  int notice_version = 0;
  Micros accepted = 0;
};

// A single-use link that lets a person set their password: an invitation ("invite", sent when
// an administrator creates the account) or a password reset ("reset", asked for from the login
// page). Only the SHA-256 of the link's secret is kept; the secret is in the e-mail alone.
struct AccountLink {
  std::string token_hash;  // SHA-256 hex of the secret
  std::string kind;        // "invite", "reset"
  std::string user_id;
  std::string created_by;  // the administrator's user id (invitations); "" for resets
  Micros created = 0;
  Micros expires = 0;
  Micros used = 0;  // when it was used or revoked; 0 while it may still be used
};

struct Membership {
  std::string user_id;
  std::string organization_id;
  OrgRole role = OrgRole::kMember;
};

struct ApiToken {
  std::string id;
  std::string user_id;
  std::string name;
  std::string token_hash;  // SHA-256 hex of the secret; the secret itself is never stored
  Micros created = 0;
  Micros last_used = 0;
  bool revoked = false;
};

struct Session {
  std::string id_hash;  // SHA-256 hex of the cookie value
  std::string user_id;
  std::string csrf_token;
  Micros created = 0;
  Micros expires = 0;
};

// Failed sign-ins counted under one key ("account:<user id or login>", "address:<ip>"), shared
// by every server on the database.
struct LoginFailures {
  std::string key;
  int64_t failures = 0;
  Micros last_failure = 0;
};

// One entry of the catalogue's change feed ("dataset" id, "organization" id, "group" id,
// "license" id, "settings").
struct CatalogChange {
  int64_t seq = 0;
  std::string kind;
  std::string key;
  std::string origin;  // the server that made it (each process has a random id)
  Micros at = 0;
};

// A background job (today: loading a file into the datastore), shared by every server on the
// database: claimed by one, kept alive by its heartbeats, taken over when they stop.
struct JobRecord {
  std::string kind;  // "datastore"
  std::string resource_id;
  int version = 0;
  std::string file;     // absolute path of the file to read
  std::string options;  // how to read it (JSON)
  // "queued", "running", "indexing", "cancelling" (asked to stop while running elsewhere),
  // "done", "failed", "cancelled"
  std::string state;
  std::string error_vi, error_en;
  int64_t rows = 0;
  std::string owner;  // the server running it, "" when none
  Micros heartbeat = 0;
  Micros updated = 0;
};

// An information system of an agency that calls ODP (issue 17's "consumer system"), registered
// by an admin of its organization and approved or refused by the provincial data unit.
// States: "pending" → "approved" | "refused"; "approved" → "revoked" (for good). Contacts are
// kept as a JSON array of {name, email, phone, role} objects.
struct ConsumerSystem {
  std::string id;
  std::string organization_id;  // the ODP organization that registered it (and may manage it)
  std::string agency_code;      // the agency's code under Decision 20/2020 (e.g. "H41.01")
  std::string system_code;      // unique within the agency: [a-z0-9-], 2–40
  std::string name;
  std::string description;
  std::string contacts;  // JSON array text
  std::string technical_name, technical_email, technical_phone;
  std::string state;          // "pending", "approved", "refused", "revoked"
  std::string reason;         // the refusal's or revocation's reason
  std::string registered_by;  // user id
  std::string decided_by;     // user id of the last decision ("" while pending)
  Micros created = 0;
  Micros decided = 0;
  Micros modified = 0;
};

// A credential of a consumer system. Kind "api_key": the key is sent in X-API-Key and found by
// the SHA-256 of the whole key (`secret_hash`); `lookup` is its short public prefix, shown in
// lists. Kind "oauth_client": `lookup` is the client_id and `secret_hash` the SHA-256 of the
// client secret. Secrets are shown once and never stored. `expires` 0 = never.
struct ConsumerCredential {
  std::string id;
  std::string system_id;
  std::string kind;  // "api_key", "oauth_client"
  std::string name;
  std::string lookup;
  std::string secret_hash;
  std::string created_by;
  Micros created = 0;
  Micros expires = 0;
  Micros last_used = 0;
  Micros revoked = 0;  // when it was revoked, 0 = live
};

// An Ed25519 key that signs the OAuth access tokens. The newest key signs; older ones stay in
// the JWKS (and verify) until `retired` (0 = not retired).
struct SigningKey {
  std::string kid;
  std::string public_key;  // 32 bytes, URL-safe base64
  std::string secret_key;  // 64 bytes (libsodium's seed‖public form), URL-safe base64
  Micros created = 0;
  Micros retired = 0;
};

// A grant: an approved consumer system may read one table (a resource of a dataset), possibly
// only some columns (`columns`, a JSON array of column ids; "" = every column), only the rows a
// filter in the REST filter grammar selects (`row_filter`, a query string such as
// "district=Ba%20%C4%90%C3%ACnh&year[gte]=2020"; "" = every row), with columns masked (`masks`,
// a JSON object of column id → mask, access/masks.h; "" = none), from `valid_from` to `valid_to`
// (0 = open-ended), within a quota (`requests_per_day`, `rows_per_day`) and a rate
// (`requests_per_minute`); 0 = no limit. States: "active" ⇄ "suspended"; either → "revoked" (for
// good). `service_id` and `request_id` name where it came from (the sharing catalogue's service
// and the request approved), when it came from one. access/grants.h has the rules.
struct Grant {
  std::string id;
  std::string consumer_id;      // the consumer system
  std::string organization_id;  // the providing organization (the dataset's)
  std::string dataset_id;
  std::string resource_id;
  std::optional<std::string> service_id;
  std::optional<std::string> request_id;
  std::string columns;     // JSON array text, "" = all
  std::string row_filter;  // REST filter grammar as a query string, "" = all rows
  std::string masks;       // JSON object text, "" = none
  Micros valid_from = 0;
  Micros valid_to = 0;  // 0 = no end
  int64_t requests_per_day = 0;
  int64_t rows_per_day = 0;
  int64_t requests_per_minute = 0;
  std::string state;                    // "active", "suspended", "revoked"
  std::string reason;                   // of the last suspension or the revocation
  std::string created_by, modified_by;  // user ids
  Micros created = 0;
  Micros modified = 0;
};

// Requests and rows counted against a quota: `scope` is "g:<grant id>" or "s:<consumer id>",
// `window` "d:2026-12-07" (a day, Viet Nam time) or "m:<minutes since the epoch, 12 digits>".
struct QuotaCount {
  std::string scope;
  std::string window;
  int64_t requests = 0;
  int64_t rows = 0;
};

}  // namespace odp
