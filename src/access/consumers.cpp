#include "access/consumers.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "access/jwt.h"
#include "base/crypto.h"
#include "base/ids.h"
#include "base/log.h"
#include "text/input.h"
#include "text/utf8.h"

namespace odp::access {
namespace {

using json = nlohmann::json;

constexpr Micros kSecond = 1000000;
constexpr Micros kDay = 86400 * kSecond;
constexpr const char* kApiKeyPrefix = "odpk_";
constexpr const char* kClientIdPrefix = "odpc_";

bool Digit(char c) { return c >= '0' && c <= '9'; }

// "DDD.DD.DD.LDD" (see the header), already upper-cased.
bool ValidAgencyCode(const std::string& s) {
  static const char* kShape = "999.99.99.A99";
  if (s.size() != 13) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char want = kShape[i];
    if (want == '9' && !Digit(s[i])) return false;
    if (want == 'A' && !(s[i] >= 'A' && s[i] <= 'Z')) return false;
    if (want == '.' && s[i] != '.') return false;
  }
  return true;
}

bool ValidSystemCode(const std::string& s) {
  if (s.size() < 2 || s.size() > 40 || s.front() == '-' || s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || Digit(c) || c == '-'; });
}

using text::FreeText;
using text::PlainText;
using text::ValidEmail;
using text::ValidPhone;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

Status BadCredential() {
  return Status::Unauthenticated(
      "invalid, expired or revoked consumer credential",
      "Thông tin xác thực của hệ thống kết nối không hợp lệ, đã hết hạn hoặc đã bị thu hồi");
}

Status BadClient() {
  return Status::Unauthenticated("invalid client credentials",
                                 "Mã ứng dụng (client_id) hoặc mật khẩu ứng dụng không đúng");
}

Status NotFoundSystem(const std::string& id) {
  return Status(StatusCode::kNotFound, "consumer system not found: " + id,
                "Không tìm thấy hệ thống kết nối");
}

Status NoSuchSigningKey(const std::string& kid) {
  const std::string shown = kid.substr(0, 64);
  return {StatusCode::kNotFound, "signing key not found (or already retired): " + shown,
          "Không tìm thấy khoá ký (hoặc khoá đã bị thu hồi): " + shown};
}

bool Live(const ConsumerCredential& c, Micros now) {
  return c.revoked == 0 && (c.expires == 0 || now < c.expires);
}

}  // namespace

// An agency code belongs to the organization whose system under it the data unit approved
// first: another organization can neither register under it nor have a system approved under it
// (review finding F4: an organization's admin could claim another agency's code).
Status ConsumerService::CheckAgencyCodeFree(const ConsumerSystem& c) {
  ODP_ASSIGN_OR_RETURN(auto all, store_.ListConsumerSystems(""));
  for (const ConsumerSystem& other : all) {
    if (other.agency_code == c.agency_code && other.organization_id != c.organization_id &&
        other.state == "approved") {
      return Status::Conflict(
                 "the agency code " + c.agency_code + " belongs to another organization",
                 "Mã định danh " + c.agency_code + " đã thuộc về một cơ quan khác")
          .WithField("agency_code", "Mã định danh này đã thuộc về một cơ quan khác trên cổng");
    }
  }
  return Status::Ok();
}

Result<ConsumerSystem> ConsumerService::Register(const Principal& who,
                                                 const ConsumerRegistration& in) {
  if (!who.authenticated()) {
    return Status::PermissionDenied("sign in to register a consumer system",
                                    "Hãy đăng nhập để đăng ký hệ thống kết nối");
  }
  auto org = organizations_.GetOrganization(in.organization);
  if (!org.ok()) {
    return Status::InvalidArgument("unknown organization", "Không có cơ quan này")
        .WithField("organization", "Không có cơ quan này");
  }
  if (!Allowed(who, Action::kRegisterConsumer, {org->id})) {
    return Status::PermissionDenied(
        "only the organization's admins may register its systems",
        "Chỉ quản trị viên của cơ quan mới được đăng ký hệ thống kết nối của cơ quan");
  }
  ConsumerSystem c;
  c.agency_code = Upper(Trim(in.agency_code));
  c.system_code = Lower(Trim(in.system_code));
  c.name = Trim(in.name);
  c.description = Trim(in.description);
  c.technical_name = Trim(in.technical.name);
  c.technical_email = Trim(in.technical.email);
  c.technical_phone = Trim(in.technical.phone);
  Status bad =
      Status::InvalidArgument("invalid consumer system", "Thông tin hệ thống kết nối không hợp lệ");
  if (!ValidAgencyCode(c.agency_code)) {
    bad.WithField("agency_code",
                  "Mã định danh cơ quan theo Quyết định 20/2020/QĐ-TTg có dạng 000.00.12.H41");
  }
  if (!ValidSystemCode(c.system_code))
    bad.WithField("system_code", "Mã hệ thống gồm 2–40 ký tự a-z, 0-9 và dấu gạch ngang");
  if (!PlainText(c.name, 200, true))
    bad.WithField("name", "Tên hệ thống là bắt buộc (tối đa 200 ký tự)");
  if (!FreeText(c.description, 4000, false))
    bad.WithField("description", "Mô tả tối đa 4000 ký tự");
  if (!PlainText(c.technical_name, 200, true))
    bad.WithField("technical_name", "Cần họ tên người phụ trách kỹ thuật");
  if (!ValidEmail(c.technical_email))
    bad.WithField("technical_email", "Địa chỉ e-mail không hợp lệ");
  if (!ValidPhone(c.technical_phone))
    bad.WithField("technical_phone", "Số điện thoại không hợp lệ");
  if (in.contacts.size() > 10) bad.WithField("contacts", "Tối đa 10 người liên hệ");
  json contacts = json::array();
  for (size_t i = 0; i < in.contacts.size() && i < 10; ++i) {
    const ConsumerContact& k = in.contacts[i];
    ConsumerContact t{Trim(k.name), Trim(k.email), Trim(k.phone), Trim(k.role)};
    if (!PlainText(t.name, 200, true) || !ValidEmail(t.email) || !ValidPhone(t.phone) ||
        !PlainText(t.role, 100, false)) {
      bad.WithField("contacts." + std::to_string(i),
                    "Người liên hệ cần họ tên, e-mail hợp lệ; số điện thoại nếu có phải hợp lệ");
      continue;
    }
    contacts.push_back(
        {{"name", t.name}, {"email", t.email}, {"phone", t.phone}, {"role", t.role}});
  }
  if (!bad.fields().empty()) return bad;
  c.id = NewUuid();
  c.organization_id = org->id;
  c.contacts = contacts.dump();
  c.state = "pending";
  c.registered_by = who.user_id;
  c.created = c.modified = NowMicros();
  ODP_RETURN_IF_ERROR(CheckAgencyCodeFree(c));
  Status s = store_.InsertConsumerSystem(c);
  if (s.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("the agency already has a system with this code",
                                 "Cơ quan đã có hệ thống kết nối với mã này")
        .WithField("system_code", "Mã hệ thống này đã được đăng ký cho cơ quan");
  }
  ODP_RETURN_IF_ERROR(s);
  LogInfo("consumer system registered: " + c.agency_code + "/" + c.system_code + " by " +
          who.username);
  Audit("consumer.registered", who, c, "{}");
  return c;
}

void ConsumerService::Audit(const std::string& kind, const Principal& who, const ConsumerSystem& c,
                            const std::string& details_json) {
  if (audit_ == nullptr) return;
  json d = json::parse(details_json, nullptr, false);
  if (!d.is_object()) d = json::object();
  d["agency_code"] = c.agency_code;
  d["system_code"] = c.system_code;
  audit_->Record(store::AuditEvent(kind, who.AuditActor(), c.organization_id, c.id,
                                   d.dump(-1, ' ', false, json::error_handler_t::replace)));
}

Result<std::vector<ConsumerSystem>> ConsumerService::List(const Principal& who,
                                                          const std::string& state) {
  if (!who.authenticated()) {
    return Status::PermissionDenied("sign in to see consumer systems",
                                    "Hãy đăng nhập để xem các hệ thống kết nối");
  }
  std::vector<ConsumerSystem> out;
  auto keep = [&](std::vector<ConsumerSystem> list) {
    for (auto& c : list) {
      if (state.empty() || c.state == state) out.push_back(std::move(c));
    }
  };
  if (Allowed(who, Action::kDecideConsumer, {})) {
    ODP_ASSIGN_OR_RETURN(auto all, store_.ListConsumerSystems(""));
    keep(std::move(all));
    return out;
  }
  for (const auto& [org_id, role] : who.roles) {
    if (!Allowed(who, Action::kManageConsumer, {org_id})) continue;
    ODP_ASSIGN_OR_RETURN(auto mine, store_.ListConsumerSystems(org_id));
    keep(std::move(mine));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.created > b.created; });
  return out;
}

Result<ConsumerSystem> ConsumerService::Visible(const Principal& who, const std::string& id) {
  if (id.size() > 100) return NotFoundSystem(id.substr(0, 100));
  auto c = store_.GetConsumerSystem(id);
  if (!c.ok()) {
    if (c.status().code() == StatusCode::kNotFound) return NotFoundSystem(id);
    return c.status();
  }
  if (!Allowed(who, Action::kManageConsumer, {c->organization_id}) &&
      !Allowed(who, Action::kDecideConsumer, {})) {
    return NotFoundSystem(id);
  }
  return c;
}

Result<ConsumerSystem> ConsumerService::Get(const Principal& who, const std::string& id) {
  return Visible(who, id);
}

Result<ConsumerSystem> ConsumerService::Decide(const Principal& who, const std::string& id,
                                               const std::string& to,
                                               const std::string& reason_in) {
  ODP_ASSIGN_OR_RETURN(ConsumerSystem c, Visible(who, id));
  const std::string reason = Trim(reason_in);
  if (to != "revoked" && !Allowed(who, Action::kDecideConsumer, {})) {
    return Status::PermissionDenied(
        "only the provincial data unit (sysadmins) approves or refuses consumer systems",
        "Chỉ đơn vị quản lý dữ liệu của tỉnh (quản trị hệ thống) mới được duyệt hoặc từ chối");
  }
  const bool ok_from = (to == "approved" && (c.state == "pending" || c.state == "refused")) ||
                       (to == "refused" && c.state == "pending") ||
                       (to == "revoked" && c.state != "revoked");
  if (!ok_from) {
    return Status::Conflict(
        "a " + c.state + " consumer system cannot become " + to,
        "Không thể chuyển hệ thống kết nối từ trạng thái " + c.state + " sang " + to);
  }
  if (to == "approved") ODP_RETURN_IF_ERROR(CheckAgencyCodeFree(c));
  if (to != "approved" && !FreeText(reason, 2000, true)) {
    return Status::InvalidArgument("a reason is required", "Cần ghi rõ lý do")
        .WithField("reason", "Cần ghi rõ lý do (tối đa 2000 ký tự)");
  }
  const Micros now = NowMicros();
  const std::string from = c.state;
  c.state = to;
  c.reason = to == "approved" ? "" : reason;
  c.decided_by = who.user_id;
  c.decided = c.modified = now;
  ODP_RETURN_IF_ERROR(store_.Transaction([&]() -> Status {
    ODP_RETURN_IF_ERROR(store_.UpdateConsumerSystem(c, from));
    if (to == "revoked") ODP_RETURN_IF_ERROR(store_.RevokeConsumerCredentialsOf(c.id, now));
    return Status::Ok();
  }));
  LogInfo("consumer system " + c.agency_code + "/" + c.system_code + " " + to + " by " +
          who.username);
  Audit("consumer." + to, who, c, json{{"from", from}, {"reason", c.reason}}.dump());
  return c;
}

Result<ConsumerSystem> ConsumerService::Approve(const Principal& who, const std::string& id) {
  return Decide(who, id, "approved", "");
}
Result<ConsumerSystem> ConsumerService::Refuse(const Principal& who, const std::string& id,
                                               const std::string& reason) {
  return Decide(who, id, "refused", reason);
}
Result<ConsumerSystem> ConsumerService::Revoke(const Principal& who, const std::string& id,
                                               const std::string& reason) {
  return Decide(who, id, "revoked", reason);
}

Result<NewCredential> ConsumerService::IssueCredential(const Principal& who,
                                                       const std::string& system_id,
                                                       const CredentialRequest& r) {
  ODP_ASSIGN_OR_RETURN(ConsumerSystem c, Visible(who, system_id));
  if (!Allowed(who, Action::kManageConsumer, {c.organization_id})) return NotFoundSystem(system_id);
  if (c.state != "approved") {
    return Status::Conflict("credentials are issued only to approved systems",
                            "Chỉ cấp thông tin xác thực cho hệ thống kết nối đã được duyệt");
  }
  Status bad =
      Status::InvalidArgument("invalid credential request", "Yêu cầu cấp khoá không hợp lệ");
  if (r.kind != "api_key" && r.kind != "oauth_client")
    bad.WithField("kind", "Loại khoá phải là api_key hoặc oauth_client");
  const std::string name = Trim(r.name);
  if (!PlainText(name, 200, false)) bad.WithField("name", "Tên khoá tối đa 200 ký tự");
  if (r.expires_in_days < 1 || r.expires_in_days > 730)
    bad.WithField("expires_in_days", "Thời hạn từ 1 đến 730 ngày");
  if (!bad.fields().empty()) return bad;
  const Micros now = NowMicros();
  NewCredential out;
  ODP_RETURN_IF_ERROR(store_.Transaction([&]() -> Status {
    ODP_ASSIGN_OR_RETURN(auto existing, store_.ListConsumerCredentials(c.id));
    int live = 0;
    for (const auto& e : existing) live += e.kind == r.kind && Live(e, now);
    if (live >= options_.max_live_per_kind) {
      return Status::Conflict(
          "two credentials of this kind are live: revoke one before issuing another",
          "Hệ thống đã có hai khoá loại này còn hiệu lực: hãy thu hồi một khoá trước khi cấp khoá "
          "mới");
    }
    ConsumerCredential& k = out.credential;
    k.id = NewUuid();
    k.system_id = c.id;
    k.kind = r.kind;
    k.created_by = who.user_id;
    k.created = now;
    k.expires = now + r.expires_in_days * kDay;
    if (r.kind == "api_key") {
      out.secret = kApiKeyPrefix + RandomToken(32);
      k.lookup = out.secret.substr(0, 13);
      k.secret_hash = Sha256Hex(out.secret);
    } else {
      out.client_id = kClientIdPrefix + RandomToken(16);
      out.secret = RandomToken(32);
      k.lookup = out.client_id;
      k.secret_hash = Sha256Hex(out.secret);
    }
    k.name = name.empty() ? k.lookup : name;
    return store_.InsertConsumerCredential(k);
  }));
  LogInfo("consumer credential " + out.credential.lookup + " (" + r.kind + ") issued to " +
          c.agency_code + "/" + c.system_code + " by " + who.username);
  Audit("consumer.credential_issued", who, c,
        json{{"credential", out.credential.id},
             {"kind", r.kind},
             {"lookup", out.credential.lookup},
             {"expires", out.credential.expires}}
            .dump());
  return out;
}

Result<std::vector<ConsumerCredential>> ConsumerService::ListCredentials(
    const Principal& who, const std::string& system_id) {
  ODP_ASSIGN_OR_RETURN(ConsumerSystem c, Visible(who, system_id));
  ODP_ASSIGN_OR_RETURN(auto list, store_.ListConsumerCredentials(c.id));
  for (auto& k : list) k.secret_hash.clear();
  return list;
}

Status ConsumerService::RevokeCredential(const Principal& who, const std::string& system_id,
                                         const std::string& credential_id) {
  ODP_ASSIGN_OR_RETURN(ConsumerSystem c, Visible(who, system_id));
  if (!Allowed(who, Action::kManageConsumer, {c.organization_id}) &&
      !Allowed(who, Action::kDecideConsumer, {})) {
    return NotFoundSystem(system_id);
  }
  auto k = store_.GetConsumerCredential(credential_id);
  if (!k.ok() || k->system_id != c.id || k->revoked != 0) {
    return Status(StatusCode::kNotFound,
                  "live credential not found: " + credential_id.substr(0, 100),
                  "Không tìm thấy khoá còn hiệu lực");
  }
  ODP_RETURN_IF_ERROR(store_.RevokeConsumerCredential(k->id, NowMicros()));
  LogInfo("consumer credential " + k->lookup + " of " + c.agency_code + "/" + c.system_code +
          " revoked by " + who.username);
  Audit("consumer.credential_revoked", who, c,
        json{{"credential", k->id}, {"kind", k->kind}, {"lookup", k->lookup}}.dump());
  return Status::Ok();
}

Result<ConsumerSystem> ConsumerService::LiveSystemOf(const ConsumerCredential& k, Micros now) {
  if (!Live(k, now)) return BadCredential();
  auto c = store_.GetConsumerSystem(k.system_id);
  if (!c.ok()) {
    if (c.status().code() == StatusCode::kNotFound) return BadCredential();
    return c.status();
  }
  if (c->state != "approved") return BadCredential();
  return c;
}

Principal ConsumerService::ConsumerPrincipal(const ConsumerCredential& k, Principal::Via via,
                                             Micros now) {
  Principal p;
  p.via = via;
  p.consumer_id = k.system_id;
  p.credential_id = k.id;
  // Recording last use at most once a minute keeps authenticated reads from writing.
  if (now - k.last_used > 60 * kSecond) (void)store_.TouchConsumerCredential(k.id, now);
  return p;
}

Result<Principal> ConsumerService::AuthenticateKey(std::string_view key) {
  if (key.size() > kMaxApiKeyBytes || key.rfind(kApiKeyPrefix, 0) != 0) return BadCredential();
  const std::string hash = Sha256Hex(key);
  auto k = store_.FindConsumerCredentialByHash(hash);
  if (!k.ok()) {
    if (k.status().code() == StatusCode::kNotFound) return BadCredential();
    return k.status();
  }
  if (k->kind != "api_key" || !SecretsEqual(hash, k->secret_hash)) return BadCredential();
  const Micros now = NowMicros();
  ODP_RETURN_IF_ERROR(LiveSystemOf(*k, now).status());
  return ConsumerPrincipal(*k, Principal::Via::kConsumerKey, now);
}

Result<AccessToken> ConsumerService::IssueToken(std::string_view client_id,
                                                std::string_view secret) {
  if (client_id.empty() || client_id.size() > kMaxClientIdBytes || secret.empty() ||
      secret.size() > kMaxClientSecretBytes) {
    return BadClient();
  }
  const std::string hash = Sha256Hex(secret);
  auto k = store_.FindConsumerCredentialByLookup("oauth_client", std::string(client_id));
  if (!k.ok() && k.status().code() != StatusCode::kNotFound) return k.status();
  // Compare against something of the same length either way, so that an unknown client takes as
  // long as a wrong secret.
  static const std::string kNoSuchClient(64, '0');
  const bool match = SecretsEqual(hash, k.ok() ? k->secret_hash : kNoSuchClient);
  if (!k.ok() || !match) return BadClient();
  const Micros now = NowMicros();
  auto c = LiveSystemOf(*k, now);
  if (!c.ok()) return c.status().code() == StatusCode::kUnauthenticated ? BadClient() : c.status();
  ODP_ASSIGN_OR_RETURN(auto keys, SigningKeys(Refresh::kIfStale));
  if (keys.empty()) {
    // The first token ever: make the first signing key (two servers doing this at once each
    // add one; both are published and either verifies).
    SigningKey fresh = NewSigningKey(now);
    ODP_RETURN_IF_ERROR(store_.InsertSigningKey(fresh));
    ODP_ASSIGN_OR_RETURN(keys, SigningKeys(Refresh::kNow));
    if (keys.empty()) return Status::Internal("no signing key after creating one");
  }
  // Another server may have retired the key we cached as the newest a moment ago.
  if (!CheckKeyLive(keys.front().kid).ok()) {
    ODP_ASSIGN_OR_RETURN(keys, SigningKeys(Refresh::kNow));
    if (keys.empty()) return Status::Unavailable("no token signing key: ask a sysadmin to rotate");
  }
  TokenClaims claims;
  claims.issuer = options_.issuer;
  claims.audience = options_.audience;
  claims.subject = c->id;
  claims.client_id = k->lookup;
  claims.token_id = NewUuid();
  claims.issued_at = now / kSecond * kSecond;
  claims.expires = claims.issued_at + options_.token_ttl;
  AccessToken t;
  t.token = SignToken(claims, keys.front());
  if (t.token.empty()) return Status::Internal("signing key " + keys.front().kid + " is damaged");
  t.expires_in = options_.token_ttl / kSecond;
  (void)ConsumerPrincipal(*k, Principal::Via::kConsumerToken, now);  // records the use
  return t;
}

Result<Principal> ConsumerService::AuthenticateToken(std::string_view token) {
  const Micros now = NowMicros();
  ODP_ASSIGN_OR_RETURN(auto keys, SigningKeys(Refresh::kIfStale));
  auto claims = VerifyToken(token, keys, Expectation(), now);
  if (!claims.ok() && claims.status().message() == "invalid access token: unknown key id") {
    // Another server may have rotated the key a moment ago.
    ODP_ASSIGN_OR_RETURN(keys, SigningKeys(Refresh::kUnknownKid));
    claims = VerifyToken(token, keys, Expectation(), now);
  }
  if (!claims.ok()) return claims.status();
  // The cached keys may not know yet that the key was retired (on this server or another).
  ODP_RETURN_IF_ERROR(CheckKeyLive(claims->key_id));
  // The signature says who; the database says whether they still may (revocation).
  auto k = store_.FindConsumerCredentialByLookup("oauth_client", claims->client_id);
  if (!k.ok()) return k.status().code() == StatusCode::kNotFound ? BadCredential() : k.status();
  if (k->system_id != claims->subject) return BadCredential();
  ODP_RETURN_IF_ERROR(LiveSystemOf(*k, now).status());
  return ConsumerPrincipal(*k, Principal::Via::kConsumerToken, now);
}

Result<ConsumerSystem> ConsumerService::SystemOf(const Principal& consumer) {
  if (!consumer.consumer()) return NotFoundSystem("");
  return store_.GetConsumerSystem(consumer.consumer_id);
}

Result<std::vector<SigningKey>> ConsumerService::SigningKeys(Refresh refresh) {
  std::lock_guard<std::mutex> lock(keys_mu_);
  const Micros now = NowMicros();
  const Micros age = now - keys_read_;
  if (keys_read_ == 0 || age < 0 || age >= options_.key_refresh || refresh == Refresh::kNow ||
      (refresh == Refresh::kUnknownKid && age >= kSecond)) {
    ODP_ASSIGN_OR_RETURN(auto all, store_.ListSigningKeys());
    keys_.clear();
    for (auto& k : all) {
      if (k.retired == 0) keys_.push_back(std::move(k));
    }
    keys_read_ = now;
  }
  return keys_;
}

Result<SigningKey> ConsumerService::RotateSigningKey(const Principal& who) {
  if (!Allowed(who, Action::kDecideConsumer, {})) {
    return Status::PermissionDenied("only sysadmins rotate the token signing key",
                                    "Chỉ quản trị hệ thống mới được thay khoá ký mã truy cập");
  }
  const Micros now = NowMicros();
  SigningKey fresh = NewSigningKey(now);
  ODP_RETURN_IF_ERROR(store_.Transaction([&]() -> Status {
    ODP_ASSIGN_OR_RETURN(auto all, store_.ListSigningKeys());  // newest first
    ODP_RETURN_IF_ERROR(store_.InsertSigningKey(fresh));
    // A key replaced (by the next newer one) long enough ago signs no token still valid.
    Micros replaced_at = now;
    for (const SigningKey& k : all) {
      if (k.retired == 0 && now - replaced_at > options_.token_ttl + kClockSkew) {
        ODP_RETURN_IF_ERROR(store_.RetireSigningKey(k.kid, now));
      }
      replaced_at = k.created;
    }
    return Status::Ok();
  }));
  (void)SigningKeys(Refresh::kNow);
  LogInfo("token signing key rotated to " + fresh.kid + " by " + who.username);
  if (audit_ != nullptr) {
    audit_->Record(
        store::AuditEvent("consumer.signing_key_rotated", who.AuditActor(), "", fresh.kid, "{}"));
  }
  fresh.secret_key.clear();
  return fresh;
}

Status ConsumerService::CheckKeyLive(const std::string& kid) {
  auto k = store_.GetSigningKey(kid);
  if (!k.ok()) {
    if (k.status().code() == StatusCode::kNotFound) return BadCredential();
    return k.status();
  }
  if (k->retired != 0) return BadCredential();
  return Status::Ok();
}

Result<SigningKey> ConsumerService::RetireSigningKey(const Principal& who, const std::string& kid) {
  if (!Allowed(who, Action::kDecideConsumer, {})) {
    return Status::PermissionDenied("only sysadmins retire a token signing key",
                                    "Chỉ quản trị hệ thống mới được thu hồi khoá ký mã truy cập");
  }
  if (kid.empty() || kid.size() > 64) return NoSuchSigningKey(kid);
  const Micros now = NowMicros();
  SigningKey signer;
  bool fresh_made = false;
  ODP_RETURN_IF_ERROR(store_.Transaction([&]() -> Status {
    ODP_ASSIGN_OR_RETURN(auto all, store_.ListSigningKeys());  // newest first
    std::vector<SigningKey> live;
    for (auto& k : all) {
      if (k.retired == 0) live.push_back(std::move(k));
    }
    auto it =
        std::find_if(live.begin(), live.end(), [&](const SigningKey& k) { return k.kid == kid; });
    if (it == live.end()) return NoSuchSigningKey(kid);
    const bool was_signer = it == live.begin();
    ODP_RETURN_IF_ERROR(store_.RetireSigningKey(kid, now));
    if (was_signer) {
      // The retired key signed new tokens: one not leaked takes over at once, so that token
      // issuance does not fall back on an older key that may be on its way out.
      signer = NewSigningKey(now);
      fresh_made = true;
      return store_.InsertSigningKey(signer);
    }
    signer = live.front();
    return Status::Ok();
  }));
  (void)SigningKeys(Refresh::kNow);
  LogInfo("token signing key " + kid + " retired by " + who.username +
          (fresh_made ? "; new signing key " + signer.kid : std::string()));
  if (audit_ != nullptr) {
    const nlohmann::json details = {{"signing_kid", signer.kid}, {"fresh", fresh_made}};
    audit_->Record(store::AuditEvent("consumer.signing_key_retired", who.AuditActor(), "", kid,
                                     details.dump()));
  }
  signer.secret_key.clear();
  return signer;
}

Result<std::vector<SigningKey>> ConsumerService::ListSigningKeys(const Principal& who) {
  if (!Allowed(who, Action::kDecideConsumer, {})) {
    return Status::PermissionDenied("only sysadmins see the signing keys",
                                    "Chỉ quản trị hệ thống mới xem được khoá ký");
  }
  ODP_ASSIGN_OR_RETURN(auto all, store_.ListSigningKeys());
  for (auto& k : all) k.secret_key.clear();
  return all;
}

Result<std::string> ConsumerService::Jwks() {
  ODP_ASSIGN_OR_RETURN(auto keys, SigningKeys(Refresh::kIfStale));
  return JwksJson(keys);
}

}  // namespace odp::access
