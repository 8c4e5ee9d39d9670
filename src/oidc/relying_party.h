// RelyingParty: sign-in with the province's public-service portal account through OpenID Connect
// (Core 1.0, authorization code flow) with PKCE S256 (RFC 7636) and discovery (OpenID Connect
// Discovery 1.0). The portal is the relying party; the provider's `iss` + `sub` name a person.
//
// Flow. Begin() makes a random `state` (32 bytes), `nonce` (32 bytes) and PKCE verifier (48
// bytes), stores the sign-in (store/identity_store.h: the SHA-256 of the state, the nonce, the
// verifier, where to land, the account to link) for kSignInLifetime, and returns the provider's
// authorization address and the state, which the page sets as a short-lived HttpOnly cookie
// (binding the sign-in to the browser that started it). Complete() checks that the state in the
// callback equals the cookie's, takes the stored sign-in (once: a replayed callback finds
// nothing), exchanges the code at the token endpoint (client_secret_basic, with the verifier),
// verifies the ID token (oidc/id_token.h: RS256 signature with the provider's key, iss, aud,
// azp, exp, iat, nonce), then reads the userinfo endpoint (when there is one) with the access
// token and keeps its claims only when its `sub` is the ID token's.
//
// Provider metadata and keys. The discovery document (`<issuer>/.well-known/openid-configuration`)
// must name exactly the configured issuer; it is kept for kDiscoveryLifetime. The key set (JWKS)
// is kept for kKeysLifetime; a token signed with a `kid` the set lacks makes one fetch of the set
// (key rotation), at most once per kKeysRefetchInterval, so that forged kids cannot make the
// portal hammer the provider. Every address (issuer, endpoints) must be https, or http on a
// loopback host (test providers). Answers are bounded (oidc/http_client.h).
//
// Settings (setting "oidc_settings", saved in /admin/settings) override the defaults given at
// construction (configuration: ODP_OIDC_*) once saved; they are read at every call, so a change
// counts on every server at once. The client secret is never shown back.
//
// Thread-safe: every method may be called from any thread; the caches are guarded by mu_.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "oidc/http_client.h"
#include "oidc/id_token.h"
#include "store/store.h"

namespace odp::oidc {

inline constexpr Micros kSignInLifetime = 10LL * 60 * 1000000;
inline constexpr Micros kDiscoveryLifetime = 3600LL * 1000000;
inline constexpr Micros kKeysLifetime = 3600LL * 1000000;
inline constexpr Micros kKeysRefetchInterval = 30LL * 1000000;

// An admin's rule for roles (the only way roles come from the provider): a person whose claim
// `claim` is `value` (or, for an array claim, contains it) becomes `role` ("member", "editor" or
// "admin") of `organization` (id or slug) at sign-in, when they are not a member of it yet. All
// four empty: no rule.
struct RoleMapping {
  std::string claim;
  std::string value;
  std::string organization;
  std::string role = "member";

  bool set() const { return !claim.empty(); }
};

struct OidcSettings {
  bool enabled = false;
  std::string issuer;  // "https://dichvucong.hue.gov.vn"
  std::string client_id;
  std::string client_secret;
  std::string label_vi = "Đăng nhập bằng tài khoản Cổng dịch vụ công";
  std::string label_en = "Sign in with your public-service portal account";
  RoleMapping mapping;

  // Enabled with an issuer and a client id (a secret may be empty for a public client).
  bool ready() const { return enabled && !issuer.empty() && !client_id.empty(); }
};

// What the settings form shows: everything but the secret, told apart only as set or not.
struct OidcSettingsView {
  OidcSettings settings;  // client_secret always ""
  bool secret_set = false;
  bool from_store = false;  // false: the configuration's defaults are in force
};

// Checks the issuer (https, or http on localhost/127.0.0.1/[::1]; no query, fragment, user or
// control characters), the client id and secret (printable ASCII, at most 200 bytes), the labels
// (UTF-8 without control characters, at most 100 bytes), and the mapping (claim and value
// printable, role one of member/editor/admin, an organization when a claim is set);
// kInvalidArgument naming each wrong field ("oidc_issuer", "oidc_client_id", …).
Status ValidateOidcSettings(const OidcSettings& s);

// True for an address the portal may call or send a browser to: https://, or http:// on a
// loopback host.
bool AllowedProviderUrl(const std::string& url);

struct SignInRequest {
  std::string return_to = "/";  // a local path
  std::string link_user_id;     // "" to sign in; an account id to link the identity to it
  std::string lang = "vi";
};

struct Authorization {
  std::string url;    // the provider's authorization endpoint with every parameter
  std::string state;  // to set as the browser's cookie
};

// A person the provider vouched for, with what the sign-in asked for.
struct VerifiedIdentity {
  IdTokenClaims claims;     // userinfo's email/name fill in what the ID token lacks
  std::string claims_json;  // ID token claims over userinfo claims (a JSON object)
  SignInState request;      // the stored sign-in (return_to, link_user_id, lang)
};

class RelyingParty {
 public:
  // `redirect_uri` is the portal's callback ("<site>/login/oidc/callback"). `settings` and
  // `identities` must outlive it.
  RelyingParty(store::SettingsStore& settings, store::ExternalIdentityStore& identities,
               OidcSettings defaults, std::string redirect_uri,
               std::unique_ptr<HttpClient> http = NewCurlHttpClient());

  // The settings in force: the stored ones once saved, else the defaults.
  OidcSettings Settings() const;
  OidcSettingsView View() const;
  // Stores `s` (validated). An empty secret keeps the stored one unless `clear_secret`.
  Status Save(OidcSettings s, bool clear_secret);
  const std::string& redirect_uri() const { return redirect_uri_; }

  // Starts a sign-in; kUnavailable when sign-in with the provider is off or its discovery
  // document cannot be read.
  Result<Authorization> Begin(const SignInRequest& request, Micros now = NowMicros());
  // Finishes it from the callback's `state` and `code` and the browser's state cookie;
  // kUnauthenticated (the same words for the person whatever failed; the log names the reason)
  // or kUnavailable when the provider cannot be reached.
  Result<VerifiedIdentity> Complete(const std::string& state, const std::string& state_cookie,
                                    const std::string& code, Micros now = NowMicros());

 private:
  struct Metadata {
    std::string issuer;
    std::string authorization_endpoint;
    std::string token_endpoint;
    std::string userinfo_endpoint;  // "" when none
    std::string jwks_uri;
    Micros fetched = 0;
  };
  struct KeySet {
    std::string jwks_uri;
    std::vector<RsaJwk> keys;
    Micros fetched = 0;
  };

  Result<Metadata> Discover(const std::string& issuer, Micros now);
  Result<std::vector<RsaJwk>> Keys(const Metadata& m, const std::string& kid, Micros now);
  Result<std::vector<RsaJwk>> FetchKeys(const std::string& jwks_uri);

  store::SettingsStore& settings_;
  store::ExternalIdentityStore& identities_;
  const OidcSettings defaults_;
  const std::string redirect_uri_;
  std::unique_ptr<HttpClient> http_;
  std::mutex mu_;
  Metadata metadata_;          // guarded by mu_; fetched == 0 when none
  KeySet keys_;                // guarded by mu_
  Micros last_key_fetch_ = 0;  // guarded by mu_: when the set was last fetched (any reason)
};

}  // namespace odp::oidc
