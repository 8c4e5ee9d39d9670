// AccountService: users, passwords, organization memberships, login sessions and API tokens.
//
// Secrets (session cookies, API tokens) are random, shown once, and stored only as SHA-256
// hashes. Passwords are stored as Argon2id hashes. Safe to call from any thread.
// Session cookies are 32 random bytes, API tokens `odp_` + 32 random bytes; passwords follow
// access/password_policy.h and are hashed with libsodium's crypto_pwhash_str at the
// "interactive" limits. A token's last_used is written at most once a minute. There is no
// cache: every authenticated request reads the token or session, the user and the memberships
// from the store (so a login or a logout counts on every server at once).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "access/policy.h"
#include "base/status.h"
#include "store/store.h"

namespace odp::access {

struct NewUser {
  std::string username;
  std::string email;
  std::string display_name;
  std::string password;
  bool sysadmin = false;
};

// The checks CreateUser and Register make before looking at the store: user name, e-mail,
// display name and password (ValidatePassword); kInvalidArgument naming every wrong field.
Status ValidateNewUser(const NewUser& u);

// A session just created: the cookie value is returned only here.
struct NewSession {
  std::string cookie_value;
  std::string csrf_token;
  Micros expires = 0;
  User user;
};

// What else a password change does. By default every other session and every API token of the
// user is revoked (whoever knew the old password may have made them).
struct PasswordChange {
  std::string keep_session_cookie;  // this session (the one making the change) stays open
  bool keep_tokens = false;         // the user asked to keep their API tokens
};

// What a login attempt is known by, besides the name and password.
struct LoginContext {
  std::string client_address;  // http::ClientAddress of the request; "" when unknown (CLI)
};

struct NewToken {
  std::string secret;  // shown once
  ApiToken token;
};

// Single-use links that set a password (access/account_links.cpp).
enum class LinkKind { kInvite, kReset };
const char* ToString(LinkKind k);  // "invite", "reset"

// How long a link may be used: an invitation a week, a password reset 30 minutes.
inline constexpr Micros kInvitationLifetime = 7LL * 24 * 3600 * 1000000;
inline constexpr Micros kResetLifetime = 30LL * 60 * 1000000;

// A link just made: the secret goes into the e-mail and is kept nowhere else.
struct NewLink {
  std::string secret;
  AccountLink link;
  User user;
};

// An invitation not used yet (it may have expired) and its account.
struct PendingInvitation {
  AccountLink link;
  User user;
  bool expired = false;
};

// Who an administrator invites: the account's fields (no password) and, optionally, the
// organization (id or slug) and role they get.
struct Invitee {
  std::string username;
  std::string email;
  std::string display_name;
  std::string organization;  // "" for none
  OrgRole role = OrgRole::kEditor;
};

class AccountService {
 public:
  // `organizations` is read only, to resolve the organization of a membership (id or slug).
  // Both must outlive the service.
  AccountService(store::AccountStore& store, store::CatalogStore& organizations)
      : store_(store), organizations_(organizations) {}

  // Validates and creates a user. Username: 2–60 of [a-z0-9_.-]; e-mail with one '@';
  // password by ValidatePassword (access/password_policy.h). kAlreadyExists when the username or
  // e-mail is taken (for sysadmins and the CLI; self-registration uses Register).
  // `privacy_notice_version` > 0: the version of the privacy notice the person accepted, recorded
  // with the account in the same transaction; 0 when none was asked for (CLI, sysadmins).
  Result<User> CreateUser(const NewUser& u, int privacy_notice_version = 0);
  // Self-registration: the same validation, but a taken username or e-mail is not told apart
  // from success (OK either way, after about the same time), so that registration cannot be
  // used to learn who has an account. The new user then signs in as usual.
  Status Register(const NewUser& u, int privacy_notice_version = 0);
  Result<User> GetUser(const std::string& id_or_username);
  // kNotFound when no account has this e-mail (compared without case).
  Result<User> GetUserByEmail(const std::string& email);
  Result<std::vector<User>> ListUsers();
  // Sets a password (checked by ValidatePassword) and revokes the user's sessions and API tokens
  // as `change` says.
  Status SetPassword(const std::string& user_id, const std::string& password,
                     const PasswordChange& change = {});
  Status SetDisabled(const std::string& user_id, bool disabled);

  // Records that the user accepted version `notice_version` (> 0) of the privacy notice now;
  // accepting a version again keeps the first time.
  Status RecordPrivacyConsent(const std::string& user_id, int notice_version);
  // The user's consents, newest version first.
  Result<std::vector<PrivacyConsent>> ListPrivacyConsents(const std::string& user_id);

  Status SetMembership(const std::string& user_id, const std::string& org_id, OrgRole role);
  Status RemoveMembership(const std::string& user_id, const std::string& org_id);
  // The memberships of the organization with id `org_id` (not a slug).
  Result<std::vector<Membership>> ListMembers(const std::string& org_id);

  // Checks a login (username or e-mail) and password; opens a session of `ttl` microseconds.
  // A wrong user, a disabled user and a wrong password give the same kUnauthenticated error
  // after the same Argon2id work. Failures are counted per account and per client address
  // (access/login_throttle.h); while either is blocked every attempt, right or wrong, gets
  // kResourceExhausted with the same words whether or not the account exists, and counts as
  // one more failure (so ignoring the delays leads to the lock). Failures and refusals are
  // logged with the login name and address (never the password).
  Result<NewSession> Login(const std::string& login, const std::string& password, Micros ttl,
                           const LoginContext& context = {});
  // Opens a session for an account whose owner another party authenticated (`method`, such as
  // "OpenID Connect", names it in the log). Refused like a password login while the client
  // address is blocked by failed sign-ins (kResourceExhausted, the same words), and for a
  // disabled account (kUnauthenticated). Logged with the user name and address.
  Result<NewSession> OpenVerifiedSession(const std::string& user_id, Micros ttl,
                                         const LoginContext& context, const std::string& method);
  // Counts a failed sign-in through `method` against the client address (there is no account to
  // count it against) and logs it with `reason`; the caller answers the person.
  void CountVerifiedFailure(const std::string& method, const std::string& reason,
                            const LoginContext& context);
  // Checks the password of a signed-in user (before a password change), counted and throttled
  // like a login. OK, kUnauthenticated or kResourceExhausted.
  Status CheckPassword(const std::string& user_id, const std::string& password,
                       const LoginContext& context = {});
  // Until when the account is locked by failed sign-ins (0 when it is not locked).
  Result<Micros> LockedUntil(const std::string& user_id);
  // Lifts the lock and forgets the account's failed sign-ins (a sysadmin's action).
  Status Unlock(const std::string& user_id);
  Status Logout(const std::string& cookie_value);

  // The principal behind a session cookie / an API token; kUnauthenticated when unknown,
  // expired, revoked or the user is disabled.
  Result<Principal> PrincipalFromSession(const std::string& cookie_value);
  Result<Principal> PrincipalFromToken(const std::string& secret);
  // The principal for a user id (memberships loaded).
  Result<Principal> PrincipalOf(const std::string& user_id);

  // Invitations and password resets ------------------------------------------------------
  // Creates an account without a password (nobody can sign in to it until the invitation is
  // used) and, when `in.organization` is set, its membership; kInvalidArgument naming the wrong
  // fields, kAlreadyExists for a taken user name or e-mail. The caller then issues the link.
  Result<User> CreateInvitedUser(const Invitee& in);
  // Makes a new link of `kind` for the user; the user's older unused links of that kind stop
  // working. Invitations are only for accounts that have no password yet (kConflict
  // otherwise); neither kind is made for a disabled account.
  Result<NewLink> IssueLink(const std::string& user_id, LinkKind kind,
                            const std::string& created_by = "", Micros now = NowMicros());
  // The link behind `secret` and its user, while it may be used; otherwise kNotFound with the
  // same words whether it never existed, expired or was used.
  Result<NewLink> CheckLink(const std::string& secret, Micros now = NowMicros());
  // Uses the link: sets `password` (ValidatePassword), marks the link used (once: a second use,
  // even at the same moment, fails), ends every session and API token of the user, lifts a
  // sign-in lock, and for an invitation records consent to the privacy notice
  // `privacy_notice_version` (required > 0 for invitations). Logged. Returns the user.
  Result<User> UseLink(const std::string& secret, const std::string& password,
                       int privacy_notice_version, Micros now = NowMicros());
  // Invited accounts that have not set a password yet (not disabled), newest first, each with
  // its latest unused invitation (`link.token_hash` "" when there is none: revoked, or its
  // e-mail not sent yet; `expired` then true).
  Result<std::vector<PendingInvitation>> ListPendingInvitations(Micros now = NowMicros());
  // Makes the user's unused invitations unusable; kNotFound when there was none.
  Status RevokeInvitation(const std::string& user_id);
  // Counts a password-reset request for `email` from `context`, before anything is looked up:
  // kResourceExhausted (the same words for every address) past kResetsPerAddress requests for
  // the address or kResetsPerClient from the client address within kResetWindow; OK otherwise,
  // whether or not an account has that e-mail.
  Status CountResetRequest(const std::string& email, const LoginContext& context,
                           Micros now = NowMicros());
  static constexpr int kResetsPerAddress = 3;
  static constexpr int kResetsPerClient = 10;
  static constexpr Micros kResetWindow = 30LL * 60 * 1000000;

  // Users whose user name, display name or e-mail contains every word of `query`, compared
  // without tone marks or case ("nguyen van" finds "Nguyễn Văn An"); at most `limit` (1–50),
  // by user name. An empty query finds nobody.
  Result<std::vector<User>> SearchUsers(const std::string& query, int limit = 20);

  Result<NewToken> CreateToken(const std::string& user_id, const std::string& name);
  Result<std::vector<ApiToken>> ListTokens(const std::string& user_id);
  Status RevokeToken(const std::string& user_id, const std::string& token_id);

  // Sign-ins (succeeded, failed, refused), accounts created, disabled and unlocked, sysadmin
  // rights, memberships and API tokens are recorded there (kinds "login.*", "account.*",
  // "membership.*", "token.*"); null: nowhere. The service is not told who acts for the
  // membership, disabling and unlocking calls, so those name only whom they change. Set before use.
  void SetAuditSink(store::AuditSink* sink) { audit_ = sink; }

 private:
  void Audit(const std::string& kind, const std::string& actor, const std::string& organization,
             const std::string& subject, const std::string& details_json);
  // The throttling check and accounting around one password verification.
  Status Throttled(const std::string& account_key, const std::string& login,
                   const LoginContext& context);
  void CountFailure(const std::string& account_key, const std::string& login,
                    const LoginContext& context, bool refused);

  store::AccountStore& store_;
  store::CatalogStore& organizations_;
  store::AuditSink* audit_ = nullptr;
};

}  // namespace odp::access
