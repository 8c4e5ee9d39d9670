// How datastore values read on the portal's pages. The API and every download keep raw, typed
// values; only what a person reads on a page goes through here.
//
// Vietnamese pages write numbers as Vietnamese readers do: `.` between groups of three digits and
// `,` before the decimals (`1.198.930`, `12,4`, `-0,05`); dates `dd/mm/yyyy`; datetimes
// `dd/mm/yyyy HH:MM` (seconds only when not zero). English pages write `1,198,930.4` and ISO 8601
// dates (`2024-11-15`) and datetimes (`2024-11-15 07:00`): ISO reads the same to readers of every
// locale, where `05/11/2024` is 5 November to some and 11 May to others.
//
// Integers in a column whose name says it holds years, codes or numbers that are names (`Năm`,
// `year`, `Mã`, `code`, `id`, `STT`, `số hiệu`, `điện thoại`, …) keep no digit groups: `2011`,
// not `2.011`.
//
// A column whose name says it holds province codes (`Mã tỉnh`, `Mã TP`, `province_code`,
// `level1_id`, `ProvinceCode`, …) and whose shown values are all codes of the 34 provincial units
// in force since July 2025 (`web/data/admin_units.json`, with its source and licence) shows each
// code by the unit's name ("Thành phố Huế" for `46`, "Hue City" in English). A single value that
// is not such a code keeps the whole column as codes, so a list of the 63 former provinces is never
// half translated. Columns of commune and ward codes (`Mã xã`, `Mã phường`, `Mã PX`, `ward_code`,
// `level2_id`, …; five digits, `00004`) read the same way from the 3,321 communes and wards of the
// same list ("Phường Ba Đình", "Ba Dinh Ward").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "datastore/table.h"
#include "web/assets.h"

namespace odp::web {

// How one column's values are written on a page.
struct ColumnDisplay {
  datastore::ColumnType type = datastore::ColumnType::kString;
  bool digit_groups = true;     // integers and numbers with thousands separators
  bool province_names = false;  // codes shown as the provincial unit's name
  bool ward_names = false;      // codes shown as the commune's or ward's name
};

// `v` with the language's digit groups (when `digit_groups`) and decimal mark; at most 15
// significant digits, so float noise (`155.89999999999995`) reads `155,9`.
std::string FormatNumberText(double v, Lang lang, bool digit_groups = true);
std::string FormatIntegerText(int64_t v, Lang lang, bool digit_groups = true);
// An ISO date (`2024-11-15`) or datetime (`2024-11-15T07:00:00`) as the language writes it;
// text that is not one is returned unchanged.
std::string FormatDateText(std::string_view iso, Lang lang);
std::string FormatDatetimeText(std::string_view iso, Lang lang);

// Whether a column's name says its integers are years, codes or identifiers.
bool NamesYearOrCode(std::string_view id, std::string_view label);
// Whether a column's name says it holds the codes of provincial units.
bool NamesProvinceCode(std::string_view id, std::string_view label);
// The name of the provincial unit with `code` ("46" → "Thành phố Huế"), or null.
const std::string* ProvinceName(std::string_view code, Lang lang);
// Whether a column's name says it holds the codes of communes and wards.
bool NamesWardCode(std::string_view id, std::string_view label);
// The name of the commune or ward with `code` ("00004" → "Phường Ba Đình"), or null.
const std::string* WardName(std::string_view code, Lang lang);

// How each of `fields` reads, given the rows shown (each row's cell i belongs to fields[i]).
std::vector<ColumnDisplay> ColumnDisplays(const std::vector<datastore::Field>& fields,
                                          const std::vector<std::vector<nlohmann::json>>& rows);

// A value as a person reads it with `c`: null as nothing; booleans are the caller's words.
std::string DisplayText(const nlohmann::json& v, const ColumnDisplay& c, Lang lang);

}  // namespace odp::web
