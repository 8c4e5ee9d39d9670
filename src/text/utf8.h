// UTF-8 checks used on every input that crosses the edge (request bodies, file names, headers).
#pragma once

#include <string>
#include <string_view>

namespace odp::text {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// True when `s` holds a C0/C1 control character or DEL (tab, CR and LF included).
bool HasControlCharacters(std::string_view s);

// True when every byte of `s` is ASCII (below 0x80).
bool IsAscii(std::string_view s);

// Appends code point `cp` encoded as UTF-8; nothing for a value that is not a scalar value
// (a surrogate or above U+10FFFF).
void AppendUtf8(std::string& out, char32_t cp);

// Cuts `s` to at most `max_bytes` without splitting a code point.
std::string TruncateUtf8(std::string_view s, size_t max_bytes);

// Replaces ASCII characters outside [A-Za-z0-9._-] and spaces with '_', for a header-safe
// ASCII fallback of a file name (RFC 6266 `filename=`).
std::string AsciiFallbackFilename(std::string_view s);

}  // namespace odp::text
