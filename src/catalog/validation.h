// Field rules for catalogue records, with Vietnamese messages for people.
#pragma once

#include <string>

#include "base/status.h"
#include "store/records.h"

namespace odp::catalog {

// Checks one text field: valid UTF-8, no control characters (newlines allowed when
// `multiline`), at most `max_bytes`; adds a per-field problem to `errors` when not.
void CheckText(const std::string& field, const std::string& value, size_t max_bytes, bool multiline,
               Status& errors, bool& bad);

// Validates a complete dataset record (after input was applied).
Status ValidateDataset(const Dataset& d);

// ISO date "YYYY-MM-DD" (or empty).
bool IsIsoDate(const std::string& s);

// The update frequencies the catalogue offers.
bool IsKnownFrequency(const std::string& s);

}  // namespace odp::catalog
