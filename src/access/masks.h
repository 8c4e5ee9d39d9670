// Column masks: how a value of a column is shown to a reader who may see the column only in part.
// The one masks module of the portal, used by both of its callers: a reviewer's mask of a column
// flagged as personal data (applied when a load writes the rows, datastore/personal_data.h) and
// a grant of shared data (applied to what a read returns, access/grants.h). Pure functions, no
// I/O; safe from any thread. Both use the same key (the portal's one mask secret, setting
// `mask_key`, docs/security.md), so a value hashed by either gives the same text.
//
// The kinds, with what each makes of a value (null stays null, an empty text stays empty):
//   - kHash: a keyed hash, the same for the same value and key, so rows can still be counted and
//     joined on the column without the value being readable: "h:" + the first 16 bytes of
//     HMAC-SHA256(key, value), as 32 lower-case hex digits. Without the key it cannot be reversed
//     by hashing every possible value (a citizen ID has only 10^12). Numbers are hashed as the
//     text that JSON writes for them ("12", "1.5"); surrounding spaces are ignored.
//   - kPartial: the first `keep_start` and last `keep_end` characters (Unicode code points, not
//     bytes) kept and the middle replaced by "***", whatever its length (so the length is not
//     shown either): "0912345456" with 4 and 3 → "0912***456". A value no longer than
//     keep_start + keep_end becomes "***". An e-mail address keeps its domain and at most two
//     characters of its name ("nguyenvanan@example.vn" → "ng***@example.vn").
//   - kYear: a date or date-time generalised to its year, as an integer (1990): "1990-05-17",
//     "1990-05-17T08:00:00", "17/05/1990", "17-5-1990", "17.05.1990" (day first, as Vietnamese
//     files write it, optionally followed by a time), or a year alone ("1990"). Anything else
//     becomes null: it cannot be generalised, so nothing of it is shown.
//   - kDrop: the column is not shown at all (a load leaves it out of the table; a grant's view
//     leaves it out of its fields).
// Masks compose: a value masked once (a table's personal-data mask) and masked again (a grant's)
// stays masked; a grant never shows more than the table holds.
//
// Written as JSON: {"kind": "hash"} | {"kind": "partial", "keep_start": 4, "keep_end": 3} |
// {"kind": "year"} | {"kind": "drop"}.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace odp::access {

enum class MaskKind { kHash, kPartial, kYear, kDrop };

const char* ToString(MaskKind k);  // "hash", "partial", "year", "drop"
std::optional<MaskKind> ParseMaskKind(std::string_view name);

struct ColumnMask {
  MaskKind kind = MaskKind::kDrop;
  int keep_start = 0;  // kPartial only
  int keep_end = 0;    // kPartial only
};

// The mask a personal-data review names by its kind alone ("partial" keeps 4 and 3 characters).
ColumnMask DefaultMask(MaskKind kind);

inline constexpr int kMaxPartialKeep = 64;

// Masks by column id. `key` of the hash mask is the portal's secret (32 bytes or more).
using ColumnMasks = std::map<std::string, ColumnMask>;

// The mask as JSON (above), and back; InvalidArgument for an unknown kind or a partial mask
// whose counts are negative or above kMaxPartialKeep.
nlohmann::json MaskToJson(const ColumnMask& m);
Result<ColumnMask> MaskFromJson(const nlohmann::json& j);
// A JSON object of masks by column id ({} for none), and back.
std::string MasksToText(const ColumnMasks& masks);
Result<ColumnMasks> MasksFromText(std::string_view text);

// The masked value of one cell. REQUIRES: m.kind != kDrop (a dropped column is not read).
nlohmann::json MaskValue(const ColumnMask& m, const nlohmann::json& value, std::string_view key);
// The same for a cell read as text (exports, and the cells a load writes): the masked text, or
// nullopt for a null result. For kYear the year's digits. REQUIRES: m.kind != kDrop.
std::optional<std::string> MaskText(const ColumnMask& m, std::string_view text,
                                    std::string_view key);

}  // namespace odp::access
