// Checks of short text fields typed by people (names, reasons, contacts), shared by the
// services that take them (access/consumers, sharing). Each bounds the size in bytes, wants
// valid UTF-8, and refuses control characters that would break a log line or a header.
#pragma once

#include <cstddef>
#include <string>

namespace odp::text {

// One line: no control character at all. Empty only when not `required`.
bool PlainText(const std::string& s, size_t max_bytes, bool required);
// Text that may span lines (descriptions, reasons): tabs and line breaks allowed.
bool FreeText(const std::string& s, size_t max_bytes, bool required);
// local@domain: one '@' with something either side, no space, at most 254 bytes.
bool ValidEmail(const std::string& s);
// Digits and the signs people write phone numbers with (+ . - ( ) space), at most 30 bytes.
bool ValidPhone(const std::string& s);

}  // namespace odp::text
