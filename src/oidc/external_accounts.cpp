#include "oidc/external_accounts.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/crypto.h"
#include "base/ids.h"
#include "base/log.h"
#include "text/input.h"
#include "text/utf8.h"
#include "text/vietnamese.h"

namespace odp::oidc {
namespace {

using json = nlohmann::json;

std::string ForLog(const std::string& s) {
  std::string out;
  for (char c : s.substr(0, 100)) {
    auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f || c == '"') ? '?' : c;
  }
  return out;
}

// A user name made of [a-z0-9_.-] from what the provider says, 2–50 characters; "" when nothing
// usable is left.
std::string UsernameFrom(const std::string& wanted) {
  if (!text::IsValidUtf8(wanted)) return "";
  std::string folded = text::FoldVietnamese(wanted.substr(0, 200));
  std::string out;
  for (char c : folded) {
    auto u = static_cast<unsigned char>(c);
    char l = static_cast<char>(std::tolower(u));
    bool keep = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '_' || l == '.';
    if (keep) {
      out += l;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  while (!out.empty() && (out.front() == '.' || out.front() == '-')) out.erase(0, 1);
  if (out.size() > 50) out.resize(50);
  return out.size() >= 2 ? out : "";
}

bool ValueMatches(const json& v, const std::string& want) {
  if (v.is_string()) return v.get<std::string>() == want;
  if (v.is_number_integer() || v.is_boolean()) return v.dump() == want;
  return false;
}

}  // namespace

bool ClaimMatches(const std::string& claims_json, const RoleMapping& m) {
  if (!m.set() || m.value.empty()) return false;
  json c = json::parse(claims_json, nullptr, /*allow_exceptions=*/false);
  if (!c.is_object()) return false;
  auto it = c.find(m.claim);
  if (it == c.end()) return false;
  if (it->is_array()) {
    for (const json& v : *it) {
      if (ValueMatches(v, m.value)) return true;
    }
    return false;
  }
  return ValueMatches(*it, m.value);
}

Result<User> ExternalAccounts::CreateAccount(const VerifiedIdentity& who, Micros now) {
  const IdTokenClaims& c = who.claims;
  std::string base = UsernameFrom(c.preferred_username);
  if (base.empty() && !c.email.empty()) base = UsernameFrom(c.email.substr(0, c.email.find('@')));
  if (base.empty()) base = UsernameFrom(c.name);
  if (base.empty()) base = "nguoi-dung";
  std::string username = base;
  for (int i = 2; accounts_.GetUser(username).ok(); ++i) {
    username = i < 100 ? fmt::format("{}-{}", base, i) : base + "-" + RandomToken(4);
    if (i > 120) return Status::Internal("no free user name for " + base);
  }
  User u;
  u.id = NewUuid();
  u.username = username;
  const bool email_free = text::ValidEmail(c.email) && !accounts_.GetUserByEmail(c.email).ok();
  u.email = email_free
                ? c.email
                : "oidc-" + Sha256Hex(c.issuer + "\n" + c.subject).substr(0, 16) + "@users.invalid";
  u.display_name = text::PlainText(c.name, 200, true) ? c.name : username;
  u.password_hash = "";  // no password: Login never accepts an empty hash
  u.created = now;
  ODP_RETURN_IF_ERROR(accounts_.InsertUser(u));
  if (audit_ != nullptr) {
    audit_->Record(store::AuditEvent(
        "account.created", "", "", u.id,
        nlohmann::json{{"username", u.username}, {"sysadmin", false}, {"issuer", c.issuer}}.dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace)));
  }
  return u;
}

Status ExternalAccounts::ApplyMapping(const User& u, const std::string& claims_json,
                                      const RoleMapping& m, std::string& granted) {
  if (!ClaimMatches(claims_json, m)) return Status::Ok();
  auto org = catalog_.GetOrganization(m.organization);
  if (!org.ok()) {
    LogWarn("OpenID Connect role mapping names an unknown organization: " + ForLog(m.organization));
    return Status::Ok();
  }
  ODP_ASSIGN_OR_RETURN(auto memberships, accounts_.ListMembershipsOfUser(u.id));
  for (const Membership& ms : memberships) {
    if (ms.organization_id == org->id) return Status::Ok();
  }
  ODP_RETURN_IF_ERROR(
      accounts_.PutMembership({u.id, org->id, ParseOrgRole(m.role).value_or(OrgRole::kMember)}));
  granted = m.role + " of " + org->slug;
  if (audit_ != nullptr) {
    audit_->Record(store::AuditEvent(
        "membership.granted", "", org->id, u.id,
        nlohmann::json{{"role", m.role}, {"by", "oidc-claim"}, {"claim", m.claim}}.dump(
            -1, ' ', false, nlohmann::json::error_handler_t::replace)));
  }
  LogInfo(fmt::format("account \"{}\" became {} by the OpenID Connect claim {}", ForLog(u.username),
                      granted, ForLog(m.claim)));
  return Status::Ok();
}

Result<ResolvedAccount> ExternalAccounts::Resolve(const VerifiedIdentity& who,
                                                  const RoleMapping& mapping, Micros now) {
  const IdTokenClaims& c = who.claims;
  ResolvedAccount out;
  ODP_RETURN_IF_ERROR(identities_.Transaction([&]() -> Status {
    auto linked = identities_.GetExternalIdentity(c.issuer, c.subject);
    if (!who.request.link_user_id.empty()) {
      if (linked.ok() && linked->user_id != who.request.link_user_id) {
        return Status::AlreadyExists(
            "this identity is linked to another account",
            "Tài khoản Cổng dịch vụ công này đã được liên kết với một tài khoản khác");
      }
      ODP_ASSIGN_OR_RETURN(out.user, accounts_.GetUser(who.request.link_user_id));
      out.how = "account page";
      if (linked.ok()) return identities_.TouchExternalIdentity(c.issuer, c.subject, now);
      return identities_.InsertExternalIdentity(
          {c.issuer, c.subject, out.user.id, c.email, now, now});
    }
    if (linked.ok()) {
      ODP_ASSIGN_OR_RETURN(out.user, accounts_.GetUser(linked->user_id));
      out.how = "linked";
      return identities_.TouchExternalIdentity(c.issuer, c.subject, now);
    }
    if (linked.status().code() != StatusCode::kNotFound) return linked.status();
    auto same_email = c.email_verified && text::ValidEmail(c.email)
                          ? accounts_.GetUserByEmail(c.email)
                          : Result<User>(Status::NotFound("user", ""));
    if (same_email.ok()) {
      out.user = *same_email;
      out.how = "verified e-mail";
    } else {
      ODP_ASSIGN_OR_RETURN(out.user, CreateAccount(who, now));
      out.how = "new account";
    }
    return identities_.InsertExternalIdentity(
        {c.issuer, c.subject, out.user.id, c.email, now, now});
  }));
  if (mapping.set())
    ODP_RETURN_IF_ERROR(ApplyMapping(out.user, who.claims_json, mapping, out.role_granted));
  LogInfo(fmt::format("OpenID Connect identity {} of {} → account \"{}\" ({})", ForLog(c.subject),
                      ForLog(c.issuer), ForLog(out.user.username), out.how));
  return out;
}

Result<std::vector<ExternalIdentity>> ExternalAccounts::List(const std::string& user_id) {
  return identities_.ListExternalIdentities(user_id);
}

Status ExternalAccounts::Unlink(const std::string& user_id, const std::string& issuer,
                                const std::string& subject) {
  return identities_.DeleteExternalIdentity(user_id, issuer, subject);
}

}  // namespace odp::oidc
