#include "access/accounts.h"

#include "base/crypto.h"
#include "base/ids.h"
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

Status ValidPassword(const std::string& p) {
  if (p.size() < 8) {
    return Status::InvalidArgument("password must have at least 8 characters",
                                   "Mật khẩu phải có ít nhất 8 ký tự")
        .WithField("password", "Mật khẩu phải có ít nhất 8 ký tự");
  }
  if (p.size() > 1024 || !text::IsValidUtf8(p)) {
    return Status::InvalidArgument("password is not valid", "Mật khẩu không hợp lệ")
        .WithField("password", "Mật khẩu không hợp lệ");
  }
  return Status::Ok();
}

Status BadLogin() {
  return Status::Unauthenticated("wrong user name or password",
                                 "Sai tên đăng nhập hoặc mật khẩu");
}

}  // namespace

Result<User> AccountService::CreateUser(const NewUser& in) {
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
  Status pw = ValidPassword(in.password);
  if (!pw.ok()) {
    bad.WithField("password", pw.fields().begin()->second);
    invalid = true;
  }
  if (invalid) return bad;
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
  ODP_RETURN_IF_ERROR(store_.InsertUser(u));
  return u;
}

Result<User> AccountService::GetUser(const std::string& key) { return store_.GetUser(key); }

Result<std::vector<User>> AccountService::ListUsers() { return store_.ListUsers(); }

Status AccountService::SetPassword(const std::string& user_id, const std::string& password) {
  ODP_RETURN_IF_ERROR(ValidPassword(password));
  ODP_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  ODP_ASSIGN_OR_RETURN(u.password_hash, HashPassword(password));
  ODP_RETURN_IF_ERROR(store_.UpdateUser(u));
  return store_.DeleteSessionsOfUser(u.id);
}

Status AccountService::SetDisabled(const std::string& user_id, bool disabled) {
  ODP_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  u.disabled = disabled;
  ODP_RETURN_IF_ERROR(store_.UpdateUser(u));
  if (disabled) return store_.DeleteSessionsOfUser(u.id);
  return Status::Ok();
}

Status AccountService::SetMembership(const std::string& user_id, const std::string& org_id,
                                     OrgRole role) {
  ODP_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  ODP_ASSIGN_OR_RETURN(Organization o, store_.GetOrganization(org_id));
  return store_.PutMembership({u.id, o.id, role});
}

Status AccountService::RemoveMembership(const std::string& user_id, const std::string& org_id) {
  ODP_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  ODP_ASSIGN_OR_RETURN(Organization o, store_.GetOrganization(org_id));
  return store_.DeleteMembership(u.id, o.id);
}

Result<NewSession> AccountService::Login(const std::string& login, const std::string& password,
                                         Micros ttl) {
  auto user = login.find('@') != std::string::npos ? store_.GetUserByEmail(login)
                                                   : store_.GetUser(login);
  if (!user.ok()) {
    // Spend the same time as a real check so that timing does not reveal which users exist.
    static const std::string kDummy = HashPassword("timing-equaliser").value();
    (void)VerifyPassword(kDummy, password);
    return BadLogin();
  }
  if (user->disabled || !VerifyPassword(user->password_hash, password)) return BadLogin();
  NewSession ns;
  ns.cookie_value = RandomToken(32);
  ns.csrf_token = RandomToken(24);
  ns.expires = NowMicros() + ttl;
  ns.user = *user;
  Session s{Sha256Hex(ns.cookie_value), user->id, ns.csrf_token, NowMicros(), ns.expires};
  ODP_RETURN_IF_ERROR(store_.InsertSession(s));
  // Logins are rare enough to carry the clean-up of expired sessions.
  (void)store_.DeleteExpiredSessions(NowMicros());
  return ns;
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
  return nt;
}

Result<std::vector<ApiToken>> AccountService::ListTokens(const std::string& user_id) {
  return store_.ListTokens(user_id);
}

Status AccountService::RevokeToken(const std::string& user_id, const std::string& token_id) {
  return store_.RevokeToken(user_id, token_id);
}

}  // namespace odp::access
