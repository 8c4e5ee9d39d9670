// Column types of tabular data, inferred over every value of a column: integer, number (in the
// Vietnamese style `1.234,5` or the international `1,234.5`), boolean, date (`dd/mm/yyyy` or
// ISO), datetime, string. Pure functions; no I/O.
//
// Type inference (`infer.h`, pure functions). A `ColumnProfile` sees *every* value of a column,
// not a sample, and `Decide()` names the narrowest type that all of them fit, trying integer,
// number, boolean, date, datetime and string in that order. Values are trimmed of spaces and tabs;
// an empty value is missing, not evidence, and a column without values is a string.
//
// - Type: Values it accepts; Stored in SQLite as
// - `integer`: `980`, `-5`, `1.234.567` (Vietnamese groups), `1,234,567` (international); INTEGER
// - `number`: `7,5`, `1.234,5` (Vietnamese), `7.5`, `1,234.5` (international), with an
//   exponent (`1e-07`, `2.5E+10`, as spreadsheets write them); REAL
// - `boolean`: `có`/`không`, `đúng`/`sai`, `true`/`false`, `yes`/`no`; ASCII letters in any case
//   (`Có`, `TRUE`); INTEGER 1/0
// - `date`: `05/09/1896`, `5/9/1896`, `05-09-1896`, `05.09.1896` (day first), `1896-09-05`;
//   impossible dates (`31/04/2024`, `29/02/2023`) do not fit; TEXT `1896-09-05`
// - `datetime`: a date, a space or `T`, then `7:05` or `07:05:30` (fractions of a second are
//   dropped); TEXT `2024-09-05T07:05:00`. With a zone (`Z`, `+07:00`, `+0700`, `-05`: ISO 8601)
//   the time is given in UTC: `2024-11-15T07:00:00+07:00` → TEXT `2024-11-15T00:00:00Z`
// - `string`: anything else; TEXT, in NFC
//
// The number rules:
//
// - Each column has one number style, Vietnamese (`.` groups thousands, `,` before the
//   decimals) or international. A value that only one style reads decides it: `7,5` or `1.234,5`
//   is Vietnamese, `3.14` or `1,234.5` is international.
// - Vietnamese first. When no value decides, the column is Vietnamese: `1.234` alone is one
//   thousand two hundred and thirty-four, and a column `1.234`, `56.789` is `integer`; a column
//   whose only numbers look like `1,234` is `number`, read as 1.234.
// - Both styles in one column (`1,5` and `3.14`) cannot be read safely: the column takes the
//   style with fewer values it cannot read, and the others are stray values (so a column with
//   many of each stays `string`).
// - Groups are checked: 1–3 digits, then groups of exactly three (`1.23.4` is not a number).
//   Signs are allowed; spaces, `%` and currency symbols inside a value are not.
// - Placeholders and stray values. In a column of numbers, `-`, `…`, `..`, `x`, `không có`,
//   `KXĐ`, `N/A` mean "no value" (`IsPlaceholder`) and do not count against it. Other values
//   that are not numbers ("stray") do, but the column stays numeric while they are at most 5 %
//   of its values and at most 50 (`StrayValuesAllowed`): one "ghi chú" among hundreds of
//   numbers does not make a column text. Loading stores them empty and lists each one.
// - Leading zeros are codes. `046001` or `0046` is not a number (`0,5` is), so a column of
//   school or commune codes stays `string` and keeps its zeros.
// - Typed sources are international. For a source with `typed_numbers()` (workbooks, JSON),
//   `set_typed_numbers(true)` makes every column international: their numbers are already
//   canonical, and `1.234` there is one point two three four.
//
// Column names. `label` is the header cell as written (trimmed, NFC); an empty header cell gets
// the label `Cột N`. `id` is made from it by `ColumnIds`: the slug with `_` for `-`, at most 60
// bytes (`Số học sinh` → `so_hoc_sinh`, `Diện tích (km²)` → `dien_tich_km`), `c_` before a leading
// digit (`2024` → `c_2024`), `_2`, `_3`, … for repeats. `_id` is reserved for the row number.
//
// Geopoints. `FindLatLon(ids, types)` (`infer.h`) names the latitude and longitude columns by
// their ids (`vi_do`/`kinh_do`, `lat`/`lon`/`lng`, `latitude`/`longitude`, alone or as a suffix);
// the loader asks their profiles to read ambiguous values (`21.027`) internationally, and after the
// rows are in, one `SELECT count(*) … NOT BETWEEN` over the pair decides: no value out of range,
// and `TableInfo::latitude`/`longitude` are set. GeoJSON is a fifth kind of `ExportStream`;
// `WriteDataPackage` zips the CSV stream (minizip's `zip.h`, entries streamed, zip64) and a
// `datapackage.json` built from the schema and the dataset's properties, which the API layer
// supplies (the datastore does not know the catalogue).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace odp::datastore {

enum class ColumnType { kInteger, kNumber, kBoolean, kDate, kDatetime, kString };
const char* ToString(ColumnType t);
ColumnType TypeFromString(const std::string& s);  // the reverse; kString for anything else
bool IsColumnTypeName(const std::string& s);      // Frictionless names: "integer", "number", …

// How a column writes numbers: `1.234,5` (Vietnamese: '.' groups thousands, ',' decimals) or
// `1,234.5` (international).
enum class NumberStyle { kVietnamese, kInternational };

std::optional<double> ParseNumber(std::string_view s, NumberStyle style);
std::optional<int64_t> ParseInteger(std::string_view s, NumberStyle style);
std::optional<bool> ParseBoolean(std::string_view s);
// "dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy" or "yyyy-mm-dd" → "yyyy-mm-dd"; invalid dates (31/02)
// fail.
std::optional<std::string> ParseDate(std::string_view s);
// A date followed by "hh:mm" or "hh:mm:ss" (space or 'T') → "yyyy-mm-ddThh:mm:ss".
std::optional<std::string> ParseDatetime(std::string_view s);

// A value that means "no value" in a numeric column, as statistics tables write it: `-`, `–`,
// `—`, `…`, `...`, `..`, `x`, `X`, `không có`, `KXĐ`, `N/A` (letters in any case). Such a cell
// of a numeric column is stored empty and counted (`placeholder_null`).
bool IsPlaceholder(std::string_view value);

// How many values of a column may be stray (neither a number nor a placeholder) while the column
// stays numeric: 5 % of its other values, and never more than 50. The stray cells are then
// stored empty and each is listed (`not_a_number`); more make the column text (`type_demoted`
// when numbers were still the majority). `values`: the column's numbers and stray values.
int64_t StrayValuesAllowed(int64_t values);

// Collects what every value of one column allows; then Decide() names the narrowest type all
// of them fit. Empty values (after trimming spaces) are missing, not evidence; in numeric
// columns, so are placeholders, and a few stray values (StrayValuesAllowed) do not make the
// column text.
class ColumnProfile {
 public:
  void Add(std::string_view value);

  // Values come from a typed source (a spreadsheet, JSON) whose numbers are written with '.'
  // as the decimal point and no grouping: read them that way, never as Vietnamese.
  void set_typed_numbers(bool typed) { typed_ = typed; }
  // Values that read both ways ("21.027") are read as international: coordinates, whose
  // columns are found by name, are never thousands.
  void prefer_international() { prefer_en_ = true; }

  ColumnType Decide() const;
  NumberStyle style() const;
  int64_t values() const { return values_; }
  int64_t missing() const { return missing_; }
  int64_t placeholders() const { return placeholders_; }
  size_t max_length() const { return max_length_; }

  // Numbers were the majority of the values (in the column's style) but the stray values were
  // too many for it to stay numeric: Decide() gave another type. `numbers` and `strays` are
  // counted until the strays outnumber the numbers; `example` is the first stray value.
  struct Demotion {
    int64_t numbers = 0, strays = 0;
    std::string example;
  };
  std::optional<Demotion> demotion() const;

 private:
  // What the values say about numbers written in one style.
  struct NumberEvidence {
    int64_t numbers = 0, strays = 0;
    bool integers = true;  // every number is whole
    bool counting = true;  // false once the column cannot be numeric (strays past the limit)
    std::string example;   // the first stray value
    bool Fits() const {
      return counting && numbers > 0 && strays <= StrayValuesAllowed(numbers + strays);
    }
  };
  static void Count(NumberEvidence& e, std::string_view v, bool number, bool integer);

  int64_t values_ = 0;
  int64_t missing_ = 0;
  int64_t placeholders_ = 0;
  size_t max_length_ = 0;
  NumberEvidence vi_, en_;
  bool only_vi_seen_ = false, only_en_seen_ = false;  // values that read one way only
  bool boolean_ = true, date_ = true, datetime_ = true;
  bool typed_ = false;
  bool prefer_en_ = false;
};

// The latitude and longitude columns of a table, by their ids (slugs of the labels: "vi_do" /
// "kinh_do", "lat" / "lon", "latitude" / "longitude", …, alone or as a suffix such as
// "toa_do_vi_do"); both must be numeric. Indices into `ids`, or nullopt.
std::optional<std::pair<size_t, size_t>> FindLatLon(const std::vector<std::string>& ids,
                                                    const std::vector<ColumnType>& types);

// Trims ASCII spaces and tabs at both ends.
std::string_view Trim(std::string_view s);

}  // namespace odp::datastore
