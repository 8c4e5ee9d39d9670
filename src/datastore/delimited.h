// Rows as delimited text (CSV, TSV) with RFC 4180 quoting (formats/text_writers.h) and CRLF line
// ends, without a header line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace odp::datastore {

void AppendDelimitedRow(std::string& out, const std::vector<nlohmann::json>& row, char delimiter);
std::string DelimitedRows(const std::vector<std::vector<nlohmann::json>>& rows, char delimiter);

}  // namespace odp::datastore
