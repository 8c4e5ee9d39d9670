// Demo content for a fresh installation: the agencies of a fictional province modelled on Huế and
// fourteen datasets with generated CSV / JSON files and links, in several workflow states, so that
// a new portal has something to browse, search and download.
//
// All content is written for ODP and generated deterministically (no clock, no randomness): the
// same files, with the same SHA-256, on every run. The figures are illustrative, not official.
#pragma once

#include "access/policy.h"
#include "base/status.h"
#include "catalog/catalog.h"
#include "catalog/settings.h"
#include "store/blob_store.h"

namespace odp::app {

// Fills an empty portal with demo content: eleven agencies (one a child of another) and fourteen
// datasets. Most datasets end published; one stays a draft and one pending review, one is
// `registered` and one `internal`. `admin` must be a sysadmin. Returns the first error; what was
// created before it stays (loading twice fails on the first organization slug).
Status LoadDemo(catalog::CatalogService& catalog, store::BlobStore& blobs,
                const access::Principal& admin);

// The site identity of the demo: a plausible Huế portal (owning agency, person responsible,
// address, phone, e-mail, founding decision), every line marked "(dữ liệu mẫu)" / "(demo)" so
// that nobody takes it for the real one. Colours and texts not listed keep their defaults.
catalog::SiteSettings DemoSiteSettings();

}  // namespace odp::app
