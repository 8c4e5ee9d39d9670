#include "text/input.h"

#include <algorithm>

#include "text/utf8.h"

namespace odp::text {

bool PlainText(const std::string& s, size_t max_bytes, bool required) {
  if (required && s.empty()) return false;
  return s.size() <= max_bytes && IsValidUtf8(s) && !HasControlCharacters(s);
}

bool FreeText(const std::string& s, size_t max_bytes, bool required) {
  if (required && s.empty()) return false;
  if (s.size() > max_bytes || !IsValidUtf8(s)) return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\n' && c != '\r' && c != '\t') || u == 0x7f;
  });
}

bool ValidEmail(const std::string& s) {
  auto at = s.find('@');
  return s.size() <= 254 && at != std::string::npos && at > 0 && at + 1 < s.size() &&
         s.find('@', at + 1) == std::string::npos && s.find(' ') == std::string::npos &&
         IsValidUtf8(s) && !HasControlCharacters(s);
}

bool ValidPhone(const std::string& s) {
  return s.size() <= 30 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || c == '+' || c == ' ' || c == '.' || c == '-' ||
                  c == '(' || c == ')';
         });
}

}  // namespace odp::text
