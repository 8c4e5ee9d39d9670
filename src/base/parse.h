// Numbers read from text (parameters, headers, configuration, form fields) without exceptions
// or locales: std::from_chars underneath, the answer a Result.
//
// Every parser takes the whole of `text` as the number: an optional sign ('-', or '+' as
// std::stoi accepted it), then the digits; no spaces around it, no base prefix, nothing after.
// A failure is kInvalidArgument with a message in English and Vietnamese that quotes the text
// (its first 40 bytes). Callers that answer people with words of their own (naming the
// parameter, the accepted range) replace the status; these messages are the fallback.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

#include "base/status.h"

namespace odp {

// A decimal integer: "42", "-7", "+3", "007". Too large for int64_t is out of range.
Result<int64_t> ParseInt(std::string_view text);

// ParseInt, and then within [min, max]; outside it the message names the range.
Result<int64_t> ParseIntIn(std::string_view text, int64_t min, int64_t max);

// A finite decimal number: "0.5", "-3", "1e-07", "1E+10", ".5", "5.". Refused: "inf", "nan",
// hexadecimal, and magnitudes beyond a double's range ("1e400").
Result<double> ParseDouble(std::string_view text);

}  // namespace odp
