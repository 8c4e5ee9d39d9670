// Excel's dates, shared by the XLSX reader (which defines them, xlsx.cpp) and the XLS reader:
// which number formats show a date or a time, and a serial number in the canonical forms of
// rows.h. Private to formats/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace odp::formats::internal {

// What a number format shows of a date serial number.
enum class DateKind : uint8_t { kNone, kDate, kDateTime, kTime };

// Appends Excel's date serial number `serial` as `kind` shows it: "YYYY-MM-DD" (kDate), or
// "YYYY-MM-DDTHH:MM:SS" (kDateTime, kTime), or "HH:MM:SS" for a time with no day (kDateTime,
// kTime, below 1). In the 1900 system day 1 is 1900-01-01 and day 60 the 1900-02-29 that Lotus
// 1-2-3 believed in; in the 1904 system day 0 is 1904-01-01. False (nothing appended) for a
// serial no date can show.
bool AppendSerialDate(double serial, DateKind kind, bool date1904, std::string& out);

// What number format `code` shows ("dd/mm/yyyy" a date, "h:mm" a time, "0.00" none).
DateKind ClassifyFormatCode(std::string_view code);

// Excel's built-in number formats (ids 14–22, 45–47) that show dates and times.
DateKind BuiltinFormatKind(int64_t id);

}  // namespace odp::formats::internal
