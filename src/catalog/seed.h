// The taxonomy every new portal starts with: Huế's 15 sectors and 11 topics, and five licences.
#pragma once

#include "base/status.h"
#include "store/store.h"

namespace odp::catalog {

// Inserts the seeded sectors, topics and licences that are not there yet (by slug / id).
// Idempotent; never changes a term an operator has edited.
Status SeedTaxonomy(store::Store& store);

}  // namespace odp::catalog
