// Masks of personal data: what a reviewer applies to a column flagged by the personal-data scan
// (datastore/personal_data.h) so that the table can be published. Pure functions on one cell's
// text; safe from any thread. The datastore applies them as a load writes the rows (pass 2), so
// the stored table never holds the raw values and no read path (search, rows, aggregates,
// exports, SQL) can reach them (docs/security.md, "Personal data").
//
// - hash: the first 16 hex digits (64 bits) of HMAC-SHA256(key, value), the key being the
//   portal's secret: equal values stay equal (rows can still be counted and joined), but
//   without the key nobody can test a guess (12-digit IDs are too few to resist a plain hash);
// - partial: the first four and last three characters kept, the middle replaced by "***"
//   (`0912345456` → `0912***456`); e-mails keep two characters of the name and the domain
//   (`an***@example.vn`); values shorter than eight characters keep their first and last one;
// - year: a date (or date and time) becomes its year (`15/03/1985` → `1985`); a value that is
//   not a date becomes empty;
// - drop: the column is left out of the table.
// An empty cell stays empty under every mask.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace odp::datastore {

enum class MaskKind { kHash, kPartial, kYear, kDrop };
// "hash", "partial", "year", "drop".
const char* ToString(MaskKind k);
std::optional<MaskKind> ParseMaskKind(std::string_view name);

std::string HashMask(std::string_view value, std::string_view key);
std::string PartialMask(std::string_view value);
std::string YearMask(std::string_view value);
// `value` under `kind` (drop: empty).
std::string MaskValue(MaskKind kind, std::string_view value, std::string_view key);

}  // namespace odp::datastore
