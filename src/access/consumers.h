// ConsumerService: other agencies' information systems that call ODP ("consumer systems"), their
// registration and approval, their credentials, and the authentication of their calls.
//
// Parties. An admin of an organization registers a system for it (the agency code of Decision
// 20/2020/QĐ-TTg, a system code, a name, contacts and a technical contact); the provincial data
// unit, which in ODP is the sysadmins, approves it or refuses it with a reason. Admins of the
// organization and sysadmins may then issue and revoke its credentials and withdraw (revoke)
// the whole system; a revoked system stays revoked. The permissions are access/policy.h's
// kRegisterConsumer, kManageConsumer and kDecideConsumer. A caller who may not see a system gets
// kNotFound for it, as if it did not exist.
//
// Agency codes. The electronic identification code of Decision 20/2020/QĐ-TTg as agencies use it
// in document exchange: four groups `DDD.DD.DD.LDD`, level 4 to level 1 from left to right; the
// last group (level 1) is a capital letter and two digits (H41 is a province, G01 a ministry),
// the others digits: "000.00.00.H41" is the provincial People's Committee, "000.00.12.H41" one of
// its departments, "000.01.12.H41" a unit under it. Lower-case letters are accepted and stored in
// capitals. System codes are 2–40 of [a-z0-9-], unique within an agency code.
//
// Credentials. Per system, each kind has at most two live (not revoked, not expired) at once, so
// a key can be rotated without a gap: issue the second, move the callers, revoke the first.
//   - API keys: "odpk_" + 32 random bytes (URL-safe base64), sent as `X-API-Key`. Shown once;
//     stored as SHA-256 (the key is high-entropy, so a fast hash suffices), found by that hash.
//   - OAuth 2.0 clients (client credentials grant, RFC 6749 §4.4): a public client_id "odpc_…"
//     and a secret shown once, stored as SHA-256 and compared in constant time. IssueToken trades
//     them for an access token: a JWT signed with Ed25519 (access/jwt.h), valid `token_ttl`.
//   Each credential expires (`expires_in_days`, 1–730, default 365).
//
// Revocation everywhere within a second. There is no cache of credentials or systems: an API key
// is looked up on every call, and an access token, after its signature, is checked against its
// credential and system on every call (one read each). Revoking a key, a client or a system is
// one write to the shared database, so every server refuses the next call. The signing keys are
// cached (refreshed every `key_refresh`, and at once when a token names an unknown kid), but
// whether the key that signed a token is retired is read from the database on every call too
// (one read by primary key), and the key about to sign a new token likewise, so retiring a key
// is also one write that every server sees at its next call.
//
// Signing keys live in the database (`signing_keys`; the secret half readable by whoever reads the
// database, like every other secret's hash there: protect the database). The newest key signs; a
// rotation adds a new key and retires the keys replaced more than token_ttl + clock skew ago, so
// no token still valid loses its key. A leaked key is retired at once instead
// (RetireSigningKey): every token it signed is refused from then on, and when it was the key
// that signs, a fresh one takes its place in the same transaction. The JWKS lists the keys not
// retired.
//
// Tokens carry `aud` = `audience` (the portal's public base URL unless configured otherwise) and
// are accepted only with it, so a token minted for another service that shares the issuer name
// is not a token for this one.
//
// What a consumer principal may do. AuthenticateKey/AuthenticateToken return a Principal with
// no user id and no roles (Via::kConsumerKey / kConsumerToken, consumer_id set): the policy gives
// it exactly what an anonymous caller gets until grants (issue 17's sharing) say more. The
// principal's `consumer_id` and `credential_id` are what grants will be looked up by and what
// usage records will name.
// Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "access/jwt.h"
#include "access/policy.h"
#include "base/status.h"
#include "store/store.h"

namespace odp::access {

struct ConsumerContact {
  std::string name;
  std::string email;
  std::string phone;
  std::string role;  // what they do for the system ("lãnh đạo", "vận hành", …)
};

struct ConsumerRegistration {
  std::string organization;  // id or slug of the registering organization
  std::string agency_code;
  std::string system_code;
  std::string name;
  std::string description;
  std::vector<ConsumerContact> contacts;  // at most 10
  ConsumerContact technical;              // name and e-mail required
};

struct CredentialRequest {
  std::string kind;  // "api_key" or "oauth_client"
  std::string name;  // a label, up to 200 characters
  int expires_in_days = 365;
};

// A credential just issued: the secret is returned only here.
struct NewCredential {
  ConsumerCredential credential;
  std::string secret;     // the API key, or the OAuth client secret
  std::string client_id;  // oauth_client only
};

struct AccessToken {
  std::string token;
  int64_t expires_in = 0;  // seconds
};

struct ConsumerOptions {
  std::string issuer = "odp";           // `iss` of the tokens: the portal's site URL
  std::string audience = "odp";         // `aud` of the tokens: the portal's site URL too
  Micros token_ttl = 300LL * 1000000;   // access tokens live five minutes
  Micros key_refresh = 10LL * 1000000;  // how often the signing keys are re-read
  int max_live_per_kind = 2;
};

inline constexpr size_t kMaxApiKeyBytes = 128;
inline constexpr size_t kMaxClientIdBytes = 128;
inline constexpr size_t kMaxClientSecretBytes = 256;

class ConsumerService {
 public:
  // Both stores must outlive the service.
  ConsumerService(store::ConsumerStore& store, store::CatalogStore& organizations,
                  ConsumerOptions options = {})
      : store_(store), organizations_(organizations), options_(std::move(options)) {}

  const ConsumerOptions& options() const { return options_; }

  // Registration and decisions. Register validates every field (kInvalidArgument with a problem
  // per field), and gives kAlreadyExists when the agency already has that system code.
  Result<ConsumerSystem> Register(const Principal& who, const ConsumerRegistration& r);
  // The systems `who` may see: every one for sysadmins, those of the organizations they admin
  // otherwise; `state` ("" = every state) filters.
  Result<std::vector<ConsumerSystem>> List(const Principal& who, const std::string& state = "");
  Result<ConsumerSystem> Get(const Principal& who, const std::string& id);
  // pending or refused → approved.
  Result<ConsumerSystem> Approve(const Principal& who, const std::string& id);
  // pending → refused; `reason` is required.
  Result<ConsumerSystem> Refuse(const Principal& who, const std::string& id,
                                const std::string& reason);
  // pending, approved or refused → revoked, with every credential; `reason` is required.
  Result<ConsumerSystem> Revoke(const Principal& who, const std::string& id,
                                const std::string& reason);

  // Credentials of an approved system (kConflict otherwise, and when two of the kind are live).
  Result<NewCredential> IssueCredential(const Principal& who, const std::string& system_id,
                                        const CredentialRequest& request);
  Result<std::vector<ConsumerCredential>> ListCredentials(const Principal& who,
                                                          const std::string& system_id);
  Status RevokeCredential(const Principal& who, const std::string& system_id,
                          const std::string& credential_id);

  // Authentication. Every failure is kUnauthenticated with the same words for the caller.
  Result<Principal> AuthenticateKey(std::string_view api_key);
  Result<AccessToken> IssueToken(std::string_view client_id, std::string_view client_secret);
  Result<Principal> AuthenticateToken(std::string_view token);
  // The system behind a consumer principal (for "who am I").
  Result<ConsumerSystem> SystemOf(const Principal& consumer);

  // Signing keys. Rotate is the data unit's (sysadmins); the JWKS is public.
  Result<SigningKey> RotateSigningKey(const Principal& who);
  // Retires `kid` now (kNotFound when no key not retired has that kid). Returns the key that
  // signs from now on: a fresh one when `kid` was the newest, else the newest as it was.
  Result<SigningKey> RetireSigningKey(const Principal& who, const std::string& kid);
  Result<std::vector<SigningKey>> ListSigningKeys(const Principal& who);  // secret halves blanked
  Result<std::string> Jwks();

  // Registrations, decisions, credentials issued and revoked, key rotations and retirements are
  // recorded there (kinds "consumer.*"); null: nowhere. Set before use.
  void SetAuditSink(store::AuditSink* sink) { audit_ = sink; }

 private:
  void Audit(const std::string& kind, const Principal& who, const ConsumerSystem& c,
             const std::string& details_json);
  Result<ConsumerSystem> Visible(const Principal& who, const std::string& id);
  // kConflict when another organization has a system approved under `c.agency_code`.
  Status CheckAgencyCodeFree(const ConsumerSystem& c);
  Result<ConsumerSystem> Decide(const Principal& who, const std::string& id, const std::string& to,
                                const std::string& reason);
  // The live credential `c` of an approved system, or kUnauthenticated.
  Result<ConsumerSystem> LiveSystemOf(const ConsumerCredential& c, Micros now);
  Principal ConsumerPrincipal(const ConsumerCredential& c, Principal::Via via, Micros now);
  // The keys not retired, newest first: re-read when older than key_refresh, or at once.
  // kUnknownKid re-reads them at most once a second (a token naming a kid we do not know may
  // be a rotation on another server, or a forgery: forgeries must not hammer the database).
  enum class Refresh { kIfStale, kUnknownKid, kNow };
  Result<std::vector<SigningKey>> SigningKeys(Refresh refresh);
  // kUnauthenticated when the database says `kid` is retired (or gone): the cache may be stale.
  Status CheckKeyLive(const std::string& kid);
  TokenExpectation Expectation() const { return {options_.issuer, options_.audience}; }

  store::ConsumerStore& store_;
  store::CatalogStore& organizations_;
  const ConsumerOptions options_;

  store::AuditSink* audit_ = nullptr;

  std::mutex keys_mu_;
  std::vector<SigningKey> keys_;  // guarded by keys_mu_
  Micros keys_read_ = 0;          // guarded by keys_mu_
};

}  // namespace odp::access
