// Invitations of new accounts, for sysadmins: the queueing of the account e-mails that the pages,
// the REST routes and the CLI share, and the REST routes themselves.
//
//   GET    /api/v1/invitations                 the pending invitations (sent or not, expired
//                                              or not), oldest first
//   POST   /api/v1/invitations                 {username, email, display_name?, organization?,
//                                              role?}: creates the account without a password
//                                              and queues the e-mail; 201 with the invitation
//   POST   /api/v1/invitations/{user}/resend   a new link by e-mail (the older one stops
//                                              working); 202; 409 once a password is set
//   DELETE /api/v1/invitations/{user}          the unused links stop working; 204; 404 when the
//                                              user has none
//
// Everyone else gets 403 (401 anonymous). Errors carry both languages and, for bad input, the
// fields (`details.fields`), the same words the page /admin/invitations shows.
#pragma once

#include <string>

#include "access/accounts.h"
#include "api/context.h"
#include "api/router.h"
#include "base/status.h"

namespace odp::jobs {
class Jobs;
}

namespace odp::api {

// The job kind whose handler (web/account_mail.cpp) makes the link and sends the e-mail. The
// payload names the account, never a secret: the link is made inside the job, so that it is
// stored nowhere but in the e-mail.
inline constexpr const char* kAccountMailJobKind = "account.mail";

// Queues the invitation e-mail of `user_id` (made by `admin_id`, "" for the CLI). Any server on
// the database whose job runner knows the kind sends it. kUnavailable when `jobs` is null.
Status QueueInvitationMail(jobs::Jobs* jobs, const std::string& user_id,
                           const std::string& admin_id);
// Queues a password-reset e-mail to the account with `email`; the job looks the address up, so
// the caller cannot tell whether it exists.
Status QueuePasswordResetMail(jobs::Jobs* jobs, const std::string& email);

// The invitee from an administrator's input, as the page, the REST route and the CLI read it:
// `role` ("member", "editor", "admin"; "" for the default, editor) matters only with an
// organization, and an unknown one is kInvalidArgument on the field "role".
Result<access::Invitee> MakeInvitee(std::string username, std::string email,
                                    std::string display_name, std::string organization,
                                    const std::string& role);

// Creates the invited account (access::AccountService::CreateInvitedUser) and queues its e-mail.
Result<User> Invite(access::AccountService& accounts, jobs::Jobs* jobs,
                    const access::Invitee& invitee, const std::string& admin_id);

void RegisterInvitations(Router& router, ApiContext& ctx);

}  // namespace odp::api
