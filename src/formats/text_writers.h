// The encoders every text output of the portal shares: one cell of delimited text (CSV, TSV),
// one JSON string, a number as the exports write it, and a number in the canonical
// form of formats/rows.h. Each exists once, here; the exports, the CKAN answers, the readers of
// typed formats and the demo data all call these.
//
// Two shapes of each writer: `Write…(char* p, …)` writes at `p`, which the caller has made
// large enough (the bound is stated), and returns the end — the export's hot loops size a
// buffer once per row; `Append…(std::string& out, …)` appends to a string, for everything else.
// All are pure and thread-safe; none allocates except Append… growing `out`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace odp::formats {

// Delimited text (RFC 4180) ----------------------------------------------------------------

// The most bytes a cell of `n` bytes takes as delimited text: quoted, every quote doubled.
constexpr size_t DelimitedCellBound(size_t n) { return 2 * n + 2; }

// True when `text` must be quoted as a cell: it holds a double quote, a CR, an LF or
// `delimiter`. Nothing else is quoted: an empty cell is written empty, and a cell that starts
// with = + - @ is written as it is (no formula guard: a spreadsheet opening the file decides).
bool NeedsDelimitedQuotes(std::string_view text, char delimiter);

// `text` as one cell at `p` (room for DelimitedCellBound(text.size()) bytes): as it is, or in
// double quotes with each quote doubled when NeedsDelimitedQuotes. Returns the end.
char* WriteDelimitedCell(char* p, std::string_view text, char delimiter);
void AppendDelimitedCell(std::string& out, std::string_view text, char delimiter);

// JSON -------------------------------------------------------------------------------------

// The most bytes a string of `n` bytes takes as a JSON string.
constexpr size_t JsonStringBound(size_t n) { return 6 * n + 2; }

// `s` as a JSON string (quoted, escaped as nlohmann::json escapes it: \" \\ \b \f \n \r \t,
// other control characters as \u00xx in lowercase hex, everything else — '/' and UTF-8 — as
// it is). REQUIRES for valid JSON: `s` is valid UTF-8 (bytes are copied, not checked).
char* WriteJsonString(char* p, std::string_view s);
void AppendJsonString(std::string& out, std::string_view s);

// Numbers as the exports write them -------------------------------------------------------

// The most bytes WriteShortestNumber writes.
inline constexpr size_t kShortestNumberBound = 32;

// `v` as the exports write a number (JSON, CSV, TSV and the values of XLSX cells): the shortest
// text that reads back to the same double, as std::to_chars writes it ("0.1", "-3", "1e+10",
// "1e-07", "123456" but "1e+06"), and `null` when it is not finite. Integral values below 2^53
// take a faster path through the integer conversion, with the same result.
char* WriteShortestNumber(char* p, double v);

// Canonical numbers (formats/rows.h) -------------------------------------------------------

// `value` in the canonical form of typed readers' cells (XLSX and XLS): magnitudes from 1e-5 up
// to 1e15 in positional notation — whole numbers in full ("10000000000", "100000", "-3"),
// fractions in the fewest digits that read back to the same double ("1119.12", "0.1") — and
// outside that range in exponent notation ("1e-07", "1e+15", "1.2345678901234568e+17"); zero
// and -0 as "0". Whole numbers are written in full so that a column of them is inferred as
// integers and is read back by Excel, LibreOffice and openpyxl as the same whole numbers (below
// 1e15 every one has at most 15 significant digits, Excel's precision). A value that is not
// finite has no canonical form: nothing is appended.
void AppendCanonicalNumber(std::string& out, double value);

}  // namespace odp::formats
