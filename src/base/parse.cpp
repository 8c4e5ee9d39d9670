#include "base/parse.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace odp {

namespace {

// The text as a message quotes it: at most 40 bytes (whole UTF-8 characters), in quotes.
std::string Quoted(std::string_view text) {
  size_t cut = std::min<size_t>(text.size(), 40);
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  return "\"" + std::string(text.substr(0, cut)) + (cut < text.size() ? "…\"" : "\"");
}

// `text` without a leading '+' when a digit (or '.') follows it; std::from_chars takes no '+'.
std::string_view WithoutPlus(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') text.remove_prefix(1);
  return text;
}

}  // namespace

Result<int64_t> ParseInt(std::string_view text) {
  const std::string_view digits = WithoutPlus(text);
  int64_t value = 0;
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, value);
  if (ec == std::errc::result_out_of_range) {
    return Status::InvalidArgument("integer out of range: " + Quoted(text),
                                   "Số nguyên quá lớn: " + Quoted(text));
  }
  if (ec != std::errc() || ptr != end || digits.empty()) {
    return Status::InvalidArgument("not an integer: " + Quoted(text),
                                   "Không phải số nguyên: " + Quoted(text));
  }
  return value;
}

Result<int64_t> ParseIntIn(std::string_view text, int64_t min, int64_t max) {
  ODP_ASSIGN_OR_RETURN(int64_t value, ParseInt(text));
  if (value < min || value > max) {
    const std::string range = std::to_string(min) + " … " + std::to_string(max);
    return Status::InvalidArgument("integer out of range " + range + ": " + Quoted(text),
                                   "Số nguyên ngoài khoảng " + range + ": " + Quoted(text));
  }
  return value;
}

Result<double> ParseDouble(std::string_view text) {
  const std::string_view number = WithoutPlus(text);
  double value = 0;
  const char* end = number.data() + number.size();
  // Only the general (decimal) form: from_chars would read "inf" and "nan" too.
  const bool spelled = number.find_first_of("iInN") != std::string_view::npos;
  auto [ptr, ec] = std::from_chars(number.data(), end, value, std::chars_format::general);
  if (spelled || ec != std::errc() || ptr != end || number.empty() || !std::isfinite(value)) {
    return Status::InvalidArgument("not a number: " + Quoted(text),
                                   "Không phải số: " + Quoted(text));
  }
  return value;
}

}  // namespace odp
