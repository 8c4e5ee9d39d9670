// Rows as delimited text (CSV, TSV) with RFC 4180 quoting and CRLF line ends, without a header
// line.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace odp::datastore {

void AppendDelimitedRow(std::string& out, const std::vector<nlohmann::json>& row, char delimiter);
std::string DelimitedRows(const std::vector<std::vector<nlohmann::json>>& rows, char delimiter);
// One cell as delimited text (quoted when it holds the delimiter, a quote or a line break).
void AppendDelimitedCell(std::string& out, std::string_view text, char delimiter);

}  // namespace odp::datastore
