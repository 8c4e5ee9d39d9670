// AccountService: users, passwords, organization memberships, login sessions and API tokens.
//
// Secrets (session cookies, API tokens) are random, shown once, and stored only as SHA-256
// hashes. Passwords are stored as Argon2id hashes. Safe to call from any thread.
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

// A session just created: the cookie value is returned only here.
struct NewSession {
  std::string cookie_value;
  std::string csrf_token;
  Micros expires = 0;
  User user;
};

struct NewToken {
  std::string secret;  // shown once
  ApiToken token;
};

class AccountService {
 public:
  explicit AccountService(store::Store& store) : store_(store) {}

  // Validates and creates a user. Username: 2–60 of [a-z0-9_.-]; e-mail with one '@';
  // password at least 8 characters.
  Result<User> CreateUser(const NewUser& u);
  Result<User> GetUser(const std::string& id_or_username);
  Result<std::vector<User>> ListUsers();
  Status SetPassword(const std::string& user_id, const std::string& password);
  Status SetDisabled(const std::string& user_id, bool disabled);

  Status SetMembership(const std::string& user_id, const std::string& org_id, OrgRole role);
  Status RemoveMembership(const std::string& user_id, const std::string& org_id);

  // Checks a login (username or e-mail) and password; opens a session of `ttl` microseconds.
  // A wrong user and a wrong password give the same kUnauthenticated error.
  Result<NewSession> Login(const std::string& login, const std::string& password, Micros ttl);
  Status Logout(const std::string& cookie_value);

  // The principal behind a session cookie / an API token; kUnauthenticated when unknown,
  // expired, revoked or the user is disabled.
  Result<Principal> PrincipalFromSession(const std::string& cookie_value);
  Result<Principal> PrincipalFromToken(const std::string& secret);
  // The principal for a user id (memberships loaded).
  Result<Principal> PrincipalOf(const std::string& user_id);

  Result<NewToken> CreateToken(const std::string& user_id, const std::string& name);
  Result<std::vector<ApiToken>> ListTokens(const std::string& user_id);
  Status RevokeToken(const std::string& user_id, const std::string& token_id);

 private:
  store::Store& store_;
};

}  // namespace odp::access
