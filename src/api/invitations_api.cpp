#include "api/invitations_api.h"

#include <nlohmann/json.hpp>

#include "api/handler.h"
#include "api/params.h"
#include "api/response.h"
#include "base/time.h"
#include "jobs/jobs.h"
#include "mail/mailer.h"

namespace odp::api {

using json = nlohmann::json;

namespace {

using access::Principal;
using http::Request;
using http::Response;

Status QueueAccountMail(jobs::Jobs* jobs, const json& payload) {
  if (jobs == nullptr) return Status::Unavailable("this server runs no jobs");
  return jobs->Enqueue(kAccountMailJobKind, "", payload.dump()).status();
}

std::string Iso(Micros t) { return t > 0 ? FormatIsoSeconds(t) : ""; }

}  // namespace

Status QueueInvitationMail(jobs::Jobs* jobs, const std::string& user_id,
                           const std::string& admin_id) {
  return QueueAccountMail(jobs, {{"kind", "invite"}, {"user_id", user_id}, {"by", admin_id}});
}

Status QueuePasswordResetMail(jobs::Jobs* jobs, const std::string& email) {
  return QueueAccountMail(jobs, {{"kind", "reset"}, {"email", email}});
}

Result<access::Invitee> MakeInvitee(std::string username, std::string email,
                                    std::string display_name, std::string organization,
                                    const std::string& role) {
  access::Invitee in{std::move(username), std::move(email), std::move(display_name),
                     std::move(organization), OrgRole::kEditor};
  if (in.organization.empty() || role.empty()) return in;
  std::optional<OrgRole> r = ParseOrgRole(role);
  if (!r) {
    return Status::InvalidArgument("unknown role", "Vai trò không hợp lệ")
        .WithField("role", "Vai trò không hợp lệ");
  }
  in.role = *r;
  return in;
}

Result<User> Invite(access::AccountService& accounts, jobs::Jobs* jobs,
                    const access::Invitee& invitee, const std::string& admin_id) {
  // Without a job runner the account would wait for an e-mail that nothing sends.
  if (jobs == nullptr) return Status::Unavailable("this server runs no jobs");
  ODP_ASSIGN_OR_RETURN(User u, accounts.CreateInvitedUser(invitee));
  ODP_RETURN_IF_ERROR(QueueInvitationMail(jobs, u.id, admin_id));
  return u;
}

namespace {

// Sysadmins only.
Status MayInvite(const Principal& who) {
  if (!who.authenticated()) {
    return Status::Unauthenticated("sign in to manage invitations",
                                   "Hãy đăng nhập để quản lý lời mời");
  }
  if (!who.sysadmin) {
    return Status::PermissionDenied("only system administrators invite people",
                                    "Chỉ quản trị hệ thống mới mời được người dùng");
  }
  return Status::Ok();
}

json InvitationJson(const User& u, const AccountLink& link, bool expired) {
  return {{"id", u.id},
          {"username", u.username},
          {"email", u.email},
          {"display_name", u.display_name},
          {"created", Iso(u.created)},
          {"sent", !link.token_hash.empty()},
          {"sent_at", Iso(link.created)},
          {"expires", Iso(link.expires)},
          {"expired", expired}};
}

// The pending invitation of `id_or_username`: kNotFound for a user who has none to resend
// (kConflict once a password is set or the account is disabled).
Result<User> InvitedUser(ApiContext& ctx, const std::string& id_or_username) {
  ODP_ASSIGN_OR_RETURN(User u, ctx.accounts.GetUser(id_or_username));
  if (!u.password_hash.empty()) {
    return Status::Conflict("the account already has a password", "Tài khoản này đã đặt mật khẩu");
  }
  if (u.disabled) return Status::Conflict("the account is disabled", "Tài khoản này đã bị khoá");
  return u;
}

Result<Response> ListInvitations(ApiContext& ctx, Request&, const PathParams&,
                                 const Principal& who) {
  ODP_RETURN_IF_ERROR(MayInvite(who));
  ODP_ASSIGN_OR_RETURN(auto pending, ctx.accounts.ListPendingInvitations());
  json list = json::array();
  for (const auto& p : pending) list.push_back(InvitationJson(p.user, p.link, p.expired));
  return JsonResponse(200, {{"invitations", std::move(list)}});
}

Result<Response> CreateInvitation(ApiContext& ctx, Request& req, const PathParams&,
                                  const Principal& who) {
  ODP_RETURN_IF_ERROR(MayInvite(who));
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  std::optional<std::string> username, email, display_name, organization, role;
  FieldReader f(j);
  f.Str("username", username);
  f.Str("email", email);
  f.Str("display_name", display_name);
  f.Str("organization", organization);
  f.Str("role", role);
  ODP_RETURN_IF_ERROR(f.status());
  ODP_ASSIGN_OR_RETURN(
      access::Invitee in,
      MakeInvitee(username.value_or(""), email.value_or(""), display_name.value_or(""),
                  organization.value_or(""), role.value_or("")));
  ODP_ASSIGN_OR_RETURN(User u, Invite(ctx.accounts, ctx.jobs, in, who.user_id));
  json out = InvitationJson(u, {}, false);
  out["organization"] = in.organization;
  out["role"] = in.organization.empty() ? "" : ToString(in.role);
  out["mail_configured"] = ctx.mailer != nullptr && ctx.mailer->Settings().configured();
  Response r = JsonResponse(201, out);
  r.Set("Location", "/api/v1/invitations/" + u.username);
  return r;
}

Result<Response> ResendInvitation(ApiContext& ctx, Request&, const PathParams& p,
                                  const Principal& who) {
  ODP_RETURN_IF_ERROR(MayInvite(who));
  ODP_ASSIGN_OR_RETURN(User u, InvitedUser(ctx, p.at("user")));
  ODP_RETURN_IF_ERROR(QueueInvitationMail(ctx.jobs, u.id, who.user_id));
  return JsonResponse(202, {{"username", u.username}, {"queued", true}});
}

Result<Response> RevokeInvitation(ApiContext& ctx, Request&, const PathParams& p,
                                  const Principal& who) {
  ODP_RETURN_IF_ERROR(MayInvite(who));
  ODP_ASSIGN_OR_RETURN(User u, ctx.accounts.GetUser(p.at("user")));
  ODP_RETURN_IF_ERROR(ctx.accounts.RevokeInvitation(u.id));
  return NoContent();
}

}  // namespace

void RegisterInvitations(Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/invitations", ListInvitations);
  AddRoute(router, ctx, "POST", "/api/v1/invitations", CreateInvitation);
  AddRoute(router, ctx, "POST", "/api/v1/invitations/{user}/resend", ResendInvitation);
  AddRoute(router, ctx, "DELETE", "/api/v1/invitations/{user}", RevokeInvitation);
}

}  // namespace odp::api
