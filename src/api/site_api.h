// The site's identity over HTTP: who runs the portal (Decree 42/2022), its terms of use and
// privacy notice, and its emblem.
//
//   GET   /api/v1/site              public: every setting (SiteJson), with `logo` (the emblem's
//                                   address) and `privacy_version` as a number
//   PATCH /api/v1/site              sysadmins: a JSON object of the editable string settings
//                                   (catalog::ApplySettingsPatch); 400 naming each wrong field,
//                                   else 200 with the new settings. A changed privacy notice
//                                   gets a new version.
//   GET   /site/logo/{sha256}.{png|jpg}
//                                   the uploaded emblem, only while it is the current one (404
//                                   otherwise: the blob store is never served by hash), cached
//                                   for a year (the address changes with the file)
//
// The emblem is uploaded in /admin/settings (web/admin_pages.cpp).
#pragma once

#include "api/context.h"
#include "api/response.h"
#include "api/router.h"
#include "catalog/settings.h"

namespace odp::api {

// The settings as the API shows them.
json SiteJson(const catalog::SiteSettings& s);

void RegisterSite(Router& router, ApiContext& ctx);

}  // namespace odp::api
