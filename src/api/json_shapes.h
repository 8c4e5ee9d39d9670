// The JSON shapes of catalogue records: ODP's own (REST v1) and CKAN's (Action API), built from
// the same service records so the two never disagree.
#pragma once

#include "api/context.h"
#include "api/response.h"

namespace odp::api {

// REST v1 ---------------------------------------------------------------------------------
json OrganizationJson(const Organization& o);
json GroupJson(const Group& g);
json LicenseJson(const License& l);
json ResourceJson(const ApiContext& ctx, const Resource& r, const Dataset& d);
json DatasetJson(const ApiContext& ctx, const catalog::DatasetEntry& e);
json UserJson(const User& u, bool with_email);

// CKAN --------------------------------------------------------------------------------------
json CkanOrganization(const Organization& o, int package_count);
json CkanGroup(const Group& g, int package_count);
json CkanResource(const ApiContext& ctx, const Resource& r, const Dataset& d);
json CkanPackage(const ApiContext& ctx, const catalog::DatasetEntry& e);
json CkanLicense(const License& l);

// The same shapes as JSON text, cached per dataset while the catalogue generation is `gen`.
// REQUIRES: `gen` was read before `e` was obtained, so that a newer text is never stored under
// an older generation.
std::string CkanPackageText(ApiContext& ctx, const catalog::DatasetEntry& e, int64_t gen);
std::string DatasetText(ApiContext& ctx, const catalog::DatasetEntry& e, int64_t gen);
// The same for a search result by id: from the cache, or built from the loaded dataset.
// Returns "" when the dataset vanished meanwhile.
std::string CkanPackageTextOf(ApiContext& ctx, const std::string& id, int64_t gen);
std::string DatasetTextOf(ApiContext& ctx, const std::string& id, int64_t gen);

// A JSON array of the search results `ids`, each as `text_of(ctx, id, gen)`; datasets whose
// text is empty (vanished meanwhile) are left out.
std::string JsonArrayOfResults(ApiContext& ctx, const std::vector<std::string>& ids, int64_t gen,
                               std::string (*text_of)(ApiContext&, const std::string&, int64_t));

// Where a resource's file is downloaded (absolute URL).
std::string DownloadUrl(const ApiContext& ctx, const Resource& r);

}  // namespace odp::api
