// Column types of tabular data, inferred over every value of a column: integer, number (in the
// Vietnamese style `1.234,5` or the international `1,234.5`), boolean, date (`dd/mm/yyyy` or
// ISO), datetime, string. Pure functions; no I/O.
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
bool IsColumnTypeName(const std::string& s);  // Frictionless names: "integer", "number", …

// How a column writes numbers: `1.234,5` (Vietnamese: '.' groups thousands, ',' decimals) or
// `1,234.5` (international).
enum class NumberStyle { kVietnamese, kInternational };

std::optional<double> ParseNumber(std::string_view s, NumberStyle style);
std::optional<int64_t> ParseInteger(std::string_view s, NumberStyle style);
std::optional<bool> ParseBoolean(std::string_view s);
// "dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy" or "yyyy-mm-dd" → "yyyy-mm-dd"; invalid dates (31/02) fail.
std::optional<std::string> ParseDate(std::string_view s);
// A date followed by "hh:mm" or "hh:mm:ss" (space or 'T') → "yyyy-mm-ddThh:mm:ss".
std::optional<std::string> ParseDatetime(std::string_view s);

// Collects what every value of one column allows; then Decide() names the narrowest type all
// of them fit. Empty values (after trimming spaces) are missing, not evidence.
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
  size_t max_length() const { return max_length_; }

 private:
  int64_t values_ = 0;
  int64_t missing_ = 0;
  size_t max_length_ = 0;
  bool integer_vi_ = true, integer_en_ = true;
  bool number_vi_ = true, number_en_ = true;
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
