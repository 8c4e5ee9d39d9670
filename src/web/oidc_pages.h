// Sign-in with the province's public-service portal account (OpenID Connect; the flow is
// oidc/relying_party.h, the choice of account oidc/external_accounts.h), in the browser:
//
// - GET `/login/oidc[?next=/path]`: starts a sign-in (a 404 page when it is off) and sends the
//   browser to the provider, with the cookie `odp_oidc` (the state: HttpOnly, SameSite=Lax,
//   Path=/login/oidc, ten minutes, Secure with ODP_SECURE_COOKIES);
// - GET `/login/oidc/callback?state=&code=` (the redirect URI registered at the provider, always
//   without `/en`): finishes it, opens a session, clears the state cookie and lands on `next`
//   (or on /profile after linking), in the language the sign-in started in; any failure is a
//   401 page with the same words, logged and counted against the client address;
// - POST `/profile/oidc`: a signed-in user links their provider account (CSRF-checked);
// - POST `/profile/oidc/unlink`: removes a link (refused when it is the account's only way in).
#pragma once

#include <nlohmann/json.hpp>

#include "web/page.h"

namespace odp::web {

// The login page's button: {"label", "url"} when sign-in with the provider is on, else null.
nlohmann::json OidcButton(Page& p);
// The profile page's part: the linked identities and the link button; null when it is off and
// nothing is linked.
nlohmann::json OidcProfile(Page& p);

void RegisterOidcPages(api::Router& router, WebContext& web);

}  // namespace odp::web
