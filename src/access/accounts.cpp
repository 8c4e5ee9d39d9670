#include "access/accounts.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "access/login_throttle.h"
#include "access/password_policy.h"
#include "base/crypto.h"
#include "base/ids.h"
#include "base/log.h"
#include "text/utf8.h"

namespace odp::access {
namespace {

bool ValidUsername(const std::string& s) {
  if (s.size() < 2 || s.size() > 60) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.')) {
      return false;
    }
  }
  return true;
}

bool ValidEmail(const std::string& s) {
  auto at = s.find('@');
  return s.size() <= 254 && at != std::string::npos && at > 0 && at + 1 < s.size() &&
         s.find('@', at + 1) == std::string::npos && s.find(' ') == std::string::npos &&
         !text::HasControlCharacters(s);
}

Status BadLogin() {
  return Status::Unauthenticated("wrong user name or password", "Sai tên đăng nhập hoặc mật khẩu");
}

// The same words whether or not the account exists.
Status ThrottledLogin() {
  return Status::ResourceExhausted(
      "too many failed sign-ins: wait a few minutes and try again, or ask an administrator to "
      "unlock the account",
      "Đăng nhập sai quá nhiều lần: hãy đợi vài phút rồi thử lại, hoặc nhờ quản trị viên mở khoá "
      "tài khoản");
}

constexpr const char* kAccountKey = "account:";
constexpr const char* kAddressKey = "address:";

// A hash to verify against when there is no (usable) account, so that the answer takes as
// long as a wrong password.
const std::string& DummyHash() {
  static const std::string kDummy = HashPassword("timing-equaliser").value();
  return kDummy;
}

// The counter key of an account: its id when it exists, else the login name as typed (lower
// case, bounded), so that unknown names are throttled exactly like real ones.
std::string AccountKey(const Result<User>& user, const std::string& login) {
  if (user.ok()) return kAccountKey + user->id;
  std::string name = login.substr(0, 254);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return kAccountKey + name;
}

// A login name as it may appear in a log line: no control characters, bounded.
std::string ForLog(const std::string& s) {
  std::string out;
  for (char c : s.substr(0, 100)) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f || c == '"') ? '?' : c;
  }
  return out;
}

Result<User> FindLogin(store::AccountStore& store, const std::string& login) {
  return login.find('@') != std::string::npos ? store.GetUserByEmail(login) : store.GetUser(login);
}

}  // namespace

Status ValidateNewUser(const NewUser& in) {
  Status bad = Status::InvalidArgument("invalid user", "Thông tin tài khoản không hợp lệ");
  bool invalid = false;
  if (!ValidUsername(in.username)) {
    bad.WithField("username", "Tên đăng nhập gồm 2–60 ký tự a-z, 0-9, '_', '-', '.'");
    invalid = true;
  }
  if (!ValidEmail(in.email)) {
    bad.WithField("email", "Địa chỉ e-mail không hợp lệ");
    invalid = true;
  }
  if (!text::IsValidUtf8(in.display_name) || text::HasControlCharacters(in.display_name) ||
      in.display_name.size() > 200) {
    bad.WithField("display_name", "Tên hiển thị không hợp lệ");
    invalid = true;
  }
  Status pw = ValidatePassword(in.password, in.username, in.email);
  if (!pw.ok()) {
    bad.WithField("password", pw.fields().begin()->second);
    invalid = true;
  }
  return invalid ? bad : Status::Ok();
}

Result<User> AccountService::CreateUser(const NewUser& in, int privacy_notice_version) {
  ODP_RETURN_IF_ERROR(ValidateNewUser(in));
  if (store_.GetUser(in.username).ok()) {
    return Status::AlreadyExists("user name already taken", "Tên đăng nhập đã được dùng")
        .WithField("username", "Tên đăng nhập đã được dùng");
  }
  if (store_.GetUserByEmail(in.email).ok()) {
    return Status::AlreadyExists("e-mail already registered", "E-mail đã được đăng ký")
        .WithField("email", "E-mail đã được đăng ký");
  }
  ODP_ASSIGN_OR_RETURN(std::string hash, HashPassword(in.password));
  User u;
  u.id = NewUuid();
  u.username = in.username;
  u.email = in.email;
  u.display_name = in.display_name.empty() ? in.username : in.display_name;
  u.password_hash = hash;
  u.sysadmin = in.sysadmin;
  u.created = NowMicros();
  ODP_RETURN_IF_ERROR(store_.Transaction([&]() -> Status {
    ODP_RETURN_IF_ERROR(store_.InsertUser(u));
    if (privacy_notice_version <= 0) return Status::Ok();
    return store_.InsertPrivacyConsent({u.id, privacy_notice_version, u.created});
  }));
  Audit("account.created", "", "", u.id,
        nlohmann::json{{"username", u.username}, {"sysadmin", u.sysadmin}}.dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace));
  return u;
}

Status AccountService::Register(const NewUser& in, int privacy_notice_version) {
  NewUser u = in;
  u.sysadmin = false;
  auto created = CreateUser(u, privacy_notice_version);
  if (created.ok()) return Status::Ok();
  if (created.status().code() != StatusCode::kAlreadyExists) return created.status();
  // Taken: answer as if created, after the hashing a creation would have done.
  (void)HashPassword(in.password);
  LogInfo("registration of an already used user name or e-mail answered as accepted: " +
          ForLog(in.username));
  return Status::Ok();
}

Result<User> AccountService::GetUser(const std::string& key) { return store_.GetUser(key); }

Result<std::vector<User>> AccountService::ListUsers() { return store_.ListUsers(); }

Status AccountService::SetPassword(const std::string& user_id, const std::string& password,
                                   const PasswordChange& change) {
  ODP_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  ODP_RETURN_IF_ERROR(ValidatePassword(password, u.username, u.email));
  ODP_ASSIGN_OR_RETURN(u.password_hash, HashPassword(password));
  return store_.Transaction([&]() -> Status {
    ODP_RETURN_IF_ERROR(store_.UpdateUser(u));
    if (!change.keep_tokens) ODP_RETURN_IF_ERROR(store_.RevokeTokensOfUser(u.id));
    if (change.keep_session_cookie.empty()) return store_.DeleteSessionsOfUser(u.id);
    return store_.DeleteOtherSessionsOfUser(u.id, Sha256Hex(change.keep_session_cookie));
  });
}

Status AccountService::SetDisabled(const std::string& user_id, bool disabled) {
  ODP_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  u.disabled = disabled;
  ODP_RETURN_IF_ERROR(store_.UpdateUser(u));
  Audit(disabled ? "account.disabled" : "account.enabled", "", "", u.id, "{}");
  if (disabled) return store_.DeleteSessionsOfUser(u.id);
  return Status::Ok();
}

Status AccountService::RecordPrivacyConsent(const std::string& user_id, int notice_version) {
  if (notice_version <= 0) {
    return Status::InvalidArgument("no privacy notice version to accept",
                                   "Chưa có thông báo về quyền riêng tư để đồng ý");
  }
  ODP_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  return store_.InsertPrivacyConsent({u.id, notice_version, NowMicros()});
}

Result<std::vector<PrivacyConsent>> AccountService::ListPrivacyConsents(
    const std::string& user_id) {
  return store_.ListPrivacyConsents(user_id);
}

Status AccountService::SetMembership(const std::string& user_id, const std::string& org_id,
                                     OrgRole role) {
  ODP_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  ODP_ASSIGN_OR_RETURN(Organization o, organizations_.GetOrganization(org_id));
  ODP_RETURN_IF_ERROR(store_.PutMembership({u.id, o.id, role}));
  Audit("membership.set", "", o.id, u.id,
        nlohmann::json{{"role", std::string(ToString(role))}}.dump());
  return Status::Ok();
}

Status AccountService::RemoveMembership(const std::string& user_id, const std::string& org_id) {
  ODP_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  ODP_ASSIGN_OR_RETURN(Organization o, organizations_.GetOrganization(org_id));
  ODP_RETURN_IF_ERROR(store_.DeleteMembership(u.id, o.id));
  Audit("membership.removed", "", o.id, u.id, "{}");
  return Status::Ok();
}

Result<std::vector<Membership>> AccountService::ListMembers(const std::string& org_id) {
  return store_.ListMembershipsOfOrganization(org_id);
}

Status AccountService::Throttled(const std::string& account_key, const std::string& login,
                                 const LoginContext& context) {
  Micros now = NowMicros();
  auto account = store_.GetLoginFailures(account_key);
  bool blocked = account.ok() && BlockedUntil(*account, kAccountRule) > now;
  if (!blocked && !context.client_address.empty()) {
    auto address = store_.GetLoginFailures(kAddressKey + context.client_address);
    blocked = address.ok() && BlockedUntil(*address, kAddressRule) > now;
  }
  if (!blocked) return Status::Ok();
  // An attempt made while blocked counts too: whoever ignores the delays reaches the lock.
  CountFailure(account_key, login, context, /*refused=*/true);
  return ThrottledLogin();
}

void AccountService::CountFailure(const std::string& account_key, const std::string& login,
                                  const LoginContext& context, bool refused) {
  Micros now = NowMicros();
  auto account = store_.AddLoginFailure(account_key, now, now - kAccountRule.forget_after);
  int64_t address_failures = 0;
  if (!context.client_address.empty()) {
    auto address = store_.AddLoginFailure(kAddressKey + context.client_address, now,
                                          now - kAddressRule.forget_after);
    if (address.ok()) address_failures = address->failures;
  }
  int64_t failures = account.ok() ? account->failures : 0;
  LogWarn(fmt::format(
      "{}: account \"{}\" from {} ({} failures on the account, {} from the address)",
      refused ? "sign-in refused (throttled)" : "failed sign-in", ForLog(login),
      context.client_address.empty() ? "-" : context.client_address, failures, address_failures));
  Audit(refused ? "login.refused" : "login.failed", "anonymous", "", "",
        nlohmann::json{{"login", login.substr(0, 200)},
                       {"address", context.client_address},
                       {"failures", failures}}
            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  if (failures == kAccountRule.lock_after) {
    LogWarn(fmt::format("account \"{}\" locked after {} failed sign-ins", ForLog(login), failures));
  }
}

Result<NewSession> AccountService::Login(const std::string& login, const std::string& password,
                                         Micros ttl, const LoginContext& context) {
  auto user = FindLogin(store_, login);
  const std::string key = AccountKey(user, login);
  ODP_RETURN_IF_ERROR(Throttled(key, login, context));
  // Every path verifies one Argon2id hash, so that timing does not reveal which users exist
  // or are disabled.
  // An invited account has no password until its invitation is used: it never matches.
  const bool has_password = user.ok() && !user->password_hash.empty();
  bool matches =
      VerifyPassword(has_password ? user->password_hash : DummyHash(), password) && has_password;
  if (!user.ok() || user->disabled || !matches) {
    CountFailure(key, login, context, /*refused=*/false);
    return BadLogin();
  }
  (void)store_.ClearLoginFailures(key);
  NewSession ns;
  ns.cookie_value = RandomToken(32);
  ns.csrf_token = RandomToken(24);
  ns.expires = NowMicros() + ttl;
  ns.user = *user;
  Session s{Sha256Hex(ns.cookie_value), user->id, ns.csrf_token, NowMicros(), ns.expires};
  ODP_RETURN_IF_ERROR(store_.InsertSession(s));
  // Logins are rare enough to carry the clean-up of expired sessions.
  (void)store_.DeleteExpiredSessions(NowMicros());
  Audit("login.succeeded", "user:" + user->id, "", user->id,
        nlohmann::json{{"address", context.client_address}}.dump());
  return ns;
}

Result<NewSession> AccountService::OpenVerifiedSession(const std::string& user_id, Micros ttl,
                                                       const LoginContext& context,
                                                       const std::string& method) {
  const std::string address = context.client_address.empty() ? "-" : context.client_address;
  if (!context.client_address.empty()) {
    auto f = store_.GetLoginFailures(kAddressKey + context.client_address);
    if (f.ok() && BlockedUntil(*f, kAddressRule) > NowMicros()) {
      LogWarn(fmt::format("sign-in through {} refused (throttled) from {}", method, address));
      return ThrottledLogin();
    }
  }
  ODP_ASSIGN_OR_RETURN(User user, store_.GetUser(user_id));
  if (user.disabled) {
    LogWarn(fmt::format("sign-in through {} to disabled account \"{}\" from {}", method,
                        ForLog(user.username), address));
    return Status::Unauthenticated("account disabled", "Tài khoản đã bị khoá");
  }
  NewSession ns;
  ns.cookie_value = RandomToken(32);
  ns.csrf_token = RandomToken(24);
  ns.expires = NowMicros() + ttl;
  ns.user = user;
  Session s{Sha256Hex(ns.cookie_value), user.id, ns.csrf_token, NowMicros(), ns.expires};
  ODP_RETURN_IF_ERROR(store_.InsertSession(s));
  (void)store_.DeleteExpiredSessions(NowMicros());
  LogInfo(fmt::format("signed in through {}: account \"{}\" from {}", method, ForLog(user.username),
                      address));
  Audit("login.succeeded", "user:" + user.id, "", user.id,
        nlohmann::json{{"address", context.client_address}, {"method", method}}.dump());
  return ns;
}

void AccountService::CountVerifiedFailure(const std::string& method, const std::string& reason,
                                          const LoginContext& context) {
  Micros now = NowMicros();
  int64_t failures = 0;
  if (!context.client_address.empty()) {
    auto f = store_.AddLoginFailure(kAddressKey + context.client_address, now,
                                    now - kAddressRule.forget_after);
    if (f.ok()) failures = f->failures;
  }
  LogWarn(fmt::format("failed sign-in through {} from {} ({} failures from the address): {}",
                      method, context.client_address.empty() ? "-" : context.client_address,
                      failures, ForLog(reason)));
  Audit("login.failed", "anonymous", "", "",
        nlohmann::json{{"method", method},
                       {"reason", reason.substr(0, 200)},
                       {"address", context.client_address},
                       {"failures", failures}}
            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Status AccountService::CheckPassword(const std::string& user_id, const std::string& password,
                                     const LoginContext& context) {
  auto user = store_.GetUser(user_id);
  if (!user.ok()) return BadLogin();
  const std::string key = AccountKey(user, user->username);
  ODP_RETURN_IF_ERROR(Throttled(key, user->username, context));
  bool matches = !user->password_hash.empty() && VerifyPassword(user->password_hash, password);
  if (user->disabled || !matches) {
    CountFailure(key, user->username, context, /*refused=*/false);
    return BadLogin();
  }
  (void)store_.ClearLoginFailures(key);
  return Status::Ok();
}

Result<Micros> AccountService::LockedUntil(const std::string& user_id) {
  ODP_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  auto f = store_.GetLoginFailures(kAccountKey + u.id);
  if (!f.ok())
    return f.status().code() == StatusCode::kNotFound ? Result<Micros>(Micros{0}) : f.status();
  Micros until = BlockedUntil(*f, kAccountRule);
  return until > NowMicros() ? until : 0;
}

Status AccountService::Unlock(const std::string& user_id) {
  ODP_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  ODP_RETURN_IF_ERROR(store_.ClearLoginFailures(kAccountKey + u.id));
  LogInfo("account \"" + ForLog(u.username) + "\" unlocked");
  Audit("account.unlocked", "", "", u.id, "{}");
  return Status::Ok();
}

Status AccountService::Logout(const std::string& cookie_value) {
  return store_.DeleteSession(Sha256Hex(cookie_value));
}

Result<Principal> AccountService::PrincipalOf(const std::string& user_id) {
  ODP_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  if (u.disabled) return Status::Unauthenticated("account disabled", "Tài khoản đã bị khoá");
  Principal p;
  p.user_id = u.id;
  p.username = u.username;
  p.sysadmin = u.sysadmin;
  ODP_ASSIGN_OR_RETURN(auto memberships, store_.ListMembershipsOfUser(u.id));
  for (const auto& m : memberships) p.roles[m.organization_id] = m.role;
  return p;
}

Result<Principal> AccountService::PrincipalFromSession(const std::string& cookie_value) {
  auto s = store_.GetSession(Sha256Hex(cookie_value));
  if (!s.ok() || s->expires < NowMicros()) {
    return Status::Unauthenticated("session expired", "Phiên đăng nhập đã hết hạn");
  }
  ODP_ASSIGN_OR_RETURN(Principal p, PrincipalOf(s->user_id));
  p.via = Principal::Via::kSession;
  p.csrf_token = s->csrf_token;
  return p;
}

Result<Principal> AccountService::PrincipalFromToken(const std::string& secret) {
  auto t = store_.GetTokenByHash(Sha256Hex(secret));
  if (!t.ok() || t->revoked) {
    return Status::Unauthenticated("invalid or revoked API token",
                                   "Khoá API không hợp lệ hoặc đã bị thu hồi");
  }
  ODP_ASSIGN_OR_RETURN(Principal p, PrincipalOf(t->user_id));
  p.via = Principal::Via::kToken;
  // Recording last use at most once a minute keeps token-authenticated reads from writing.
  Micros now = NowMicros();
  if (now - t->last_used > 60'000'000) (void)store_.TouchToken(t->id, now);
  return p;
}

Result<NewToken> AccountService::CreateToken(const std::string& user_id, const std::string& name) {
  ODP_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  if (!text::IsValidUtf8(name) || text::HasControlCharacters(name) || name.size() > 200) {
    return Status::InvalidArgument("invalid token name", "Tên khoá không hợp lệ")
        .WithField("name", "Tên khoá không hợp lệ");
  }
  NewToken nt;
  nt.secret = "odp_" + RandomToken(32);
  nt.token.id = NewUuid();
  nt.token.user_id = u.id;
  nt.token.name = name.empty() ? "api" : name;
  nt.token.token_hash = Sha256Hex(nt.secret);
  nt.token.created = NowMicros();
  ODP_RETURN_IF_ERROR(store_.InsertToken(nt.token));
  Audit("token.created", "user:" + u.id, "", u.id, nlohmann::json{{"token", nt.token.id}}.dump());
  return nt;
}

Result<std::vector<ApiToken>> AccountService::ListTokens(const std::string& user_id) {
  return store_.ListTokens(user_id);
}

Status AccountService::RevokeToken(const std::string& user_id, const std::string& token_id) {
  ODP_RETURN_IF_ERROR(store_.RevokeToken(user_id, token_id));
  Audit("token.revoked", "user:" + user_id, "", user_id,
        nlohmann::json{{"token", token_id}}.dump(-1, ' ', false,
                                                 nlohmann::json::error_handler_t::replace));
  return Status::Ok();
}

void AccountService::Audit(const std::string& kind, const std::string& actor,
                           const std::string& organization, const std::string& subject,
                           const std::string& details_json) {
  if (audit_ == nullptr) return;
  audit_->Record(store::AuditEvent(kind, actor, organization, subject, details_json));
}

}  // namespace odp::access
