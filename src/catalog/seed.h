// The taxonomy every new portal starts with: Huế's 15 sectors and 11 topics, and five licences.
#pragma once

#include "base/status.h"
#include "store/store.h"

namespace odp::catalog {

// Inserts the seeded sectors, topics and licences, once per portal (a setting records it);
// later calls do nothing, so terms an operator edited or re-slugged are never re-created.
// REQUIRES: both roles belong to one Store (the terms and the setting that records them are
// written in one transaction).
Status SeedTaxonomy(store::CatalogStore& catalog, store::SettingsStore& settings);

}  // namespace odp::catalog
