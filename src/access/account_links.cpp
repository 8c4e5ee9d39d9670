// AccountService: invitations, password resets and the user search (declared in accounts.h).
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "access/accounts.h"
#include "access/password_policy.h"
#include "base/crypto.h"
#include "base/ids.h"
#include "base/log.h"
#include "text/utf8.h"
#include "text/vietnamese.h"

namespace odp::access {
namespace {

// The same words for a link that never existed, expired or was used.
Status DeadLink() {
  return {StatusCode::kNotFound, "this link has expired or was already used",
          "Liên kết đã hết hạn hoặc đã được dùng"};
}

// A name or address as it may appear in a log line: no control characters, bounded.
std::string ForLog(const std::string& s) {
  std::string out;
  for (char c : s.substr(0, 100)) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f || c == '"') ? '?' : c;
  }
  return out;
}

std::string LowerAscii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

const char* ToString(LinkKind k) { return k == LinkKind::kInvite ? "invite" : "reset"; }

Result<User> AccountService::CreateInvitedUser(const Invitee& in) {
  // The account's fields are checked as for any new account; the password is the person's to
  // choose later, so a strong throw-away one stands in for the check and is never stored.
  NewUser check{in.username, in.email, in.display_name, RandomToken(24), false};
  ODP_RETURN_IF_ERROR(ValidateNewUser(check));
  std::optional<Organization> org;
  if (!in.organization.empty()) {
    auto o = organizations_.GetOrganization(in.organization);
    if (!o.ok()) {
      return Status::InvalidArgument("unknown organization", "Không có cơ quan này")
          .WithField("organization", "Không có cơ quan này");
    }
    org = *o;
  }
  if (store_.GetUser(in.username).ok()) {
    return Status::AlreadyExists("user name already taken", "Tên đăng nhập đã được dùng")
        .WithField("username", "Tên đăng nhập đã được dùng");
  }
  if (store_.GetUserByEmail(in.email).ok()) {
    return Status::AlreadyExists("e-mail already registered", "E-mail đã được đăng ký")
        .WithField("email", "E-mail đã được đăng ký");
  }
  User u;
  u.id = NewUuid();
  u.username = in.username;
  u.email = in.email;
  u.display_name = in.display_name.empty() ? in.username : in.display_name;
  u.password_hash = "";  // no password: Login never accepts an empty hash
  u.created = NowMicros();
  ODP_RETURN_IF_ERROR(store_.Transaction([&]() -> Status {
    ODP_RETURN_IF_ERROR(store_.InsertUser(u));
    if (!org) return Status::Ok();
    return store_.PutMembership({u.id, org->id, in.role});
  }));
  LogInfo(fmt::format("account \"{}\" created by invitation", ForLog(u.username)));
  return u;
}

Result<NewLink> AccountService::IssueLink(const std::string& user_id, LinkKind kind,
                                          const std::string& created_by, Micros now) {
  ODP_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  if (u.disabled) return Status::Conflict("account disabled", "Tài khoản đã bị khoá");
  if (kind == LinkKind::kInvite && !u.password_hash.empty()) {
    return Status::Conflict("this account already has a password",
                            "Tài khoản này đã đặt mật khẩu; không cần mời lại");
  }
  NewLink nl;
  nl.secret = RandomToken(32);
  nl.user = u;
  nl.link.token_hash = Sha256Hex(nl.secret);
  nl.link.kind = ToString(kind);
  nl.link.user_id = u.id;
  nl.link.created_by = created_by;
  nl.link.created = now;
  nl.link.expires = now + (kind == LinkKind::kInvite ? kInvitationLifetime : kResetLifetime);
  ODP_RETURN_IF_ERROR(store_.Transaction([&]() -> Status {
    ODP_RETURN_IF_ERROR(store_.RevokeAccountLinks(u.id, nl.link.kind, now).status());
    return store_.InsertAccountLink(nl.link);
  }));
  return nl;
}

Result<NewLink> AccountService::CheckLink(const std::string& secret, Micros now) {
  if (secret.empty() || secret.size() > 200) return DeadLink();
  auto link = store_.GetAccountLink(Sha256Hex(secret));
  if (!link.ok()) {
    return link.status().code() == StatusCode::kNotFound ? DeadLink() : link.status();
  }
  if (link->used != 0 || link->expires <= now) return DeadLink();
  auto user = store_.GetUser(link->user_id);
  if (!user.ok() || user->disabled) return DeadLink();
  return NewLink{"", *link, *user};
}

Result<User> AccountService::UseLink(const std::string& secret, const std::string& password,
                                     int privacy_notice_version, Micros now) {
  ODP_ASSIGN_OR_RETURN(NewLink nl, CheckLink(secret, now));
  const bool invite = nl.link.kind == ToString(LinkKind::kInvite);
  if (invite && privacy_notice_version <= 0) {
    return Status::InvalidArgument("the privacy notice must be accepted",
                                   "Cần đồng ý với thông báo về quyền riêng tư")
        .WithField("accept_privacy", "Cần đồng ý với thông báo về quyền riêng tư");
  }
  User u = nl.user;
  if (Status pw = ValidatePassword(password, u.username, u.email); !pw.ok()) return pw;
  ODP_ASSIGN_OR_RETURN(u.password_hash, HashPassword(password));
  ODP_RETURN_IF_ERROR(store_.Transaction([&]() -> Status {
    // The compare-and-set on the link first: of two uses at once, one changes nothing.
    Status used = store_.UseAccountLink(nl.link.token_hash, now);
    if (used.code() == StatusCode::kNotFound) return DeadLink();
    ODP_RETURN_IF_ERROR(used);
    ODP_RETURN_IF_ERROR(store_.UpdateUser(u));
    // Whatever the old password let anyone open ends here, and so do the other links.
    ODP_RETURN_IF_ERROR(store_.RevokeAccountLinks(u.id, "reset", now).status());
    ODP_RETURN_IF_ERROR(store_.RevokeAccountLinks(u.id, "invite", now).status());
    ODP_RETURN_IF_ERROR(store_.RevokeTokensOfUser(u.id));
    ODP_RETURN_IF_ERROR(store_.DeleteSessionsOfUser(u.id));
    ODP_RETURN_IF_ERROR(store_.ClearLoginFailures("account:" + u.id));
    if (!invite) return Status::Ok();
    return store_.InsertPrivacyConsent({u.id, privacy_notice_version, now});
  }));
  LogInfo(fmt::format("password of account \"{}\" set through {} link", ForLog(u.username),
                      invite ? "an invitation" : "a password-reset"));
  return u;
}

Result<std::vector<PendingInvitation>> AccountService::ListPendingInvitations(Micros now) {
  ODP_ASSIGN_OR_RETURN(auto links, store_.ListAccountLinks(ToString(LinkKind::kInvite)));
  std::map<std::string, AccountLink> latest;  // user id -> newest unused invitation
  for (auto& l : links) latest.try_emplace(l.user_id, std::move(l));
  ODP_ASSIGN_OR_RETURN(auto users, store_.ListUsers());
  std::vector<PendingInvitation> out;
  for (auto& u : users) {
    if (!u.password_hash.empty() || u.disabled) continue;
    PendingInvitation p;
    auto it = latest.find(u.id);
    if (it != latest.end()) p.link = it->second;
    p.expired = p.link.token_hash.empty() || p.link.expires <= now;
    p.user = std::move(u);
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const PendingInvitation& a, const PendingInvitation& b) {
    return a.user.created > b.user.created;
  });
  return out;
}

Result<User> AccountService::GetUserByEmail(const std::string& email) {
  return store_.GetUserByEmail(email);
}

Status AccountService::RevokeInvitation(const std::string& user_id) {
  ODP_ASSIGN_OR_RETURN(User u, store_.GetUser(user_id));
  ODP_ASSIGN_OR_RETURN(int n,
                       store_.RevokeAccountLinks(u.id, ToString(LinkKind::kInvite), NowMicros()));
  if (n == 0) return Status::NotFound("invitation", u.username);
  LogInfo(fmt::format("invitation of account \"{}\" revoked", ForLog(u.username)));
  return Status::Ok();
}

Status AccountService::CountResetRequest(const std::string& email, const LoginContext& context,
                                         Micros now) {
  const Micros forget_before = now - kResetWindow;
  auto address =
      store_.AddLoginFailure("reset:" + LowerAscii(email.substr(0, 254)), now, forget_before);
  bool blocked = address.ok() && address->failures > kResetsPerAddress;
  if (!context.client_address.empty()) {
    auto client = store_.AddLoginFailure("reset-ip:" + context.client_address, now, forget_before);
    blocked = blocked || (client.ok() && client->failures > kResetsPerClient);
  }
  if (!blocked) return Status::Ok();
  LogWarn(fmt::format("password-reset request refused (throttled): \"{}\" from {}", ForLog(email),
                      context.client_address.empty() ? "-" : context.client_address));
  return Status::ResourceExhausted(
      "too many password-reset requests: wait half an hour and try again",
      "Đã yêu cầu đặt lại mật khẩu quá nhiều lần: hãy đợi nửa giờ rồi thử lại");
}

Result<std::vector<User>> AccountService::SearchUsers(const std::string& query, int limit) {
  limit = std::clamp(limit, 1, 50);
  if (query.size() > 200 || !text::IsValidUtf8(query)) return std::vector<User>{};
  std::vector<std::string> words = text::Tokenize(query);
  if (words.empty()) return std::vector<User>{};
  for (auto& w : words) w = text::FoldVietnamese(w);
  ODP_ASSIGN_OR_RETURN(auto users, store_.ListUsers());  // by user name
  std::vector<User> out;
  for (auto& u : users) {
    const std::string hay = text::FoldVietnamese(u.username + " " + u.display_name + " " + u.email);
    bool all = std::all_of(words.begin(), words.end(),
                           [&](const std::string& w) { return hay.find(w) != std::string::npos; });
    if (!all) continue;
    out.push_back(std::move(u));
    if (static_cast<int>(out.size()) >= limit) break;
  }
  return out;
}

}  // namespace odp::access
