// ExternalAccounts: which portal account a person vouched for by the identity provider signs in
// to, and the admin's rule that may give them a role.
//
// Resolve() decides, in this order:
//  1. linking from the account page (`request.link_user_id` set): the identity is linked to
//     that account, unless it already belongs to another one (kAlreadyExists);
//  2. an identity linked before (issuer + subject): its account;
//  3. an account whose e-mail equals the provider's, only when the provider says the address
//     is verified (`email_verified: true`): linked to it;
//  4. otherwise a new plain account: no password (it cannot sign in with one until its owner
//     sets one through a reset link), no roles, not a sysadmin. Its user name comes from
//     `preferred_username`, the e-mail's local part or the name, folded to [a-z0-9_.-]
//     ("Nguyễn Văn An" → "nguyen-van-an"), with "-2", "-3", … when taken; its e-mail is the
//     provider's when no account has it, else (or when there is none) a placeholder
//     "oidc-<16 hex>@users.invalid" (RFC 2606: never delivered).
// Roles never come from the provider, except by the admin's RoleMapping (oidc/relying_party.h):
// when the merged claims match it and the account is not yet a member of the organization, it
// becomes one with the mapped role (a membership changed by hand later is left as it is).
// Safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "oidc/relying_party.h"
#include "store/store.h"

namespace odp::oidc {

struct ResolvedAccount {
  User user;
  std::string how;           // "linked", "account page", "verified e-mail", "new account"
  std::string role_granted;  // "editor of so-gd" when the mapping gave a role now, else ""
};

// True when the claims (a JSON object) match `m`: the claim is a string equal to the value, a
// number or boolean written like it, or an array containing such a value.
bool ClaimMatches(const std::string& claims_json, const RoleMapping& m);

class ExternalAccounts {
 public:
  // The stores must outlive it.
  ExternalAccounts(store::AccountStore& accounts, store::ExternalIdentityStore& identities,
                   store::CatalogStore& catalog)
      : accounts_(accounts), identities_(identities), catalog_(catalog) {}

  Result<ResolvedAccount> Resolve(const VerifiedIdentity& who, const RoleMapping& mapping,
                                  Micros now = NowMicros());
  // The identities linked to the account, oldest first.
  Result<std::vector<ExternalIdentity>> List(const std::string& user_id);
  // Unlinks one of the account's identities; kNotFound when it has no such identity.
  Status Unlink(const std::string& user_id, const std::string& issuer, const std::string& subject);
  // Where the accounts it creates and the roles it grants are recorded (the audit log); null:
  // only logged.
  void SetAuditSink(store::AuditSink* sink) { audit_ = sink; }

 private:
  Result<User> CreateAccount(const VerifiedIdentity& who, Micros now);
  Status ApplyMapping(const User& u, const std::string& claims_json, const RoleMapping& m,
                      std::string& granted);

  store::AccountStore& accounts_;
  store::ExternalIdentityStore& identities_;
  store::CatalogStore& catalog_;
  store::AuditSink* audit_ = nullptr;
};

}  // namespace odp::oidc
