// The records and the store role of sign-in through an outside identity provider (OpenID
// Connect, issue 18; the rules are oidc/'s, oidc/relying_party.h): which account an identity of
// a provider belongs to, and the short-lived records of sign-ins in progress.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "store/transactions.h"

namespace odp {

// An identity at a provider (`issuer` + `subject`, the ID token's `iss` and `sub`) linked to a
// portal account. One identity belongs to at most one account; an account may have several.
struct ExternalIdentity {
  std::string issuer;
  std::string subject;
  std::string user_id;
  std::string email;  // the provider's address when the link was made ("" when it gave none)
  Micros created = 0;
  Micros last_used = 0;
};

// A sign-in sent to the provider and not back yet, keyed by the SHA-256 of its `state`. Used at
// most once (TakeSignInState) and only before `expires`.
struct SignInState {
  std::string state_hash;
  std::string issuer;         // the provider it was sent to
  std::string nonce;          // expected in the ID token
  std::string code_verifier;  // PKCE (RFC 7636), sent with the code
  std::string return_to;      // local path to land on afterwards
  std::string link_user_id;   // "" for a sign-in; an account id to link the identity to
  std::string lang;           // "vi" or "en": the language of the pages afterwards
  Micros created = 0;
  Micros expires = 0;
};

namespace store {

class ExternalIdentityStore : public virtual Transactions {
 public:
  // kAlreadyExists when (issuer, subject) is linked already.
  virtual Status InsertExternalIdentity(const ExternalIdentity& e) = 0;
  virtual Result<ExternalIdentity> GetExternalIdentity(const std::string& issuer,
                                                       const std::string& subject) = 0;
  // The user's identities, oldest first.
  virtual Result<std::vector<ExternalIdentity>> ListExternalIdentities(
      const std::string& user_id) = 0;
  virtual Status TouchExternalIdentity(const std::string& issuer, const std::string& subject,
                                       Micros at) = 0;
  // kNotFound when the user has no such identity.
  virtual Status DeleteExternalIdentity(const std::string& user_id, const std::string& issuer,
                                        const std::string& subject) = 0;

  virtual Status InsertSignInState(const SignInState& s) = 0;
  // Removes and returns the record (expired or not: the caller checks); kNotFound when there is
  // none. Atomic: of two calls with the same hash at once, one gets the record.
  virtual Result<SignInState> TakeSignInState(const std::string& state_hash) = 0;
  // Removes the records that expired before `now`.
  virtual Status DeleteExpiredSignInStates(Micros now) = 0;

 protected:
  ~ExternalIdentityStore() = default;
};

}  // namespace store
}  // namespace odp
