// Vietnamese text: normalisation, tone folding, tokens, slugs and collation.
//
// All functions take and return UTF-8, are pure, and are safe to call from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace odp::text {

// Unicode NFC ("Unicode tổ hợp" input becomes precomposed). Invalid UTF-8 is returned unchanged.
std::string Nfc(std::string_view s);

// Tone- and case-insensitive key: NFD, drop combining marks, đ→d, lowercase, dashes → '-'.
// Equivalent, for Vietnamese and Latin text, to the ICU transform
// "NFD; [:Nonspacing Mark:] Remove; NFC; Latin-ASCII; Lower" ("Đắk Lắk" → "dak lak"), but
// about ten times faster, which matters when the search index is built at start-up.
std::string FoldVietnamese(std::string_view s);

// The same, through ICU for every code point (FoldVietnamese uses a table made by it for the
// scripts Vietnamese text uses; tests compare the two).
std::string FoldVietnameseByCodePoint(std::string_view s);
// The reference folding through ICU's Transliterator (slow; used to test FoldVietnamese).
std::string FoldVietnameseIcu(std::string_view s);

// NFC and lowercase, keeping tone marks ("Giáo Dục" → "giáo dục").
std::string LowerExact(std::string_view s);

// Splits into word tokens (letters and digits of any script); punctuation separates.
std::vector<std::string> Tokenize(std::string_view s);

// URL slug from a Vietnamese title: "Danh sách trường học tỉnh Huế" →
// "danh-sach-truong-hoc-tinh-hue". At most `max_len` bytes, no leading/trailing '-'; empty when the
// title has no letters or digits.
std::string Slugify(std::string_view s, size_t max_len = 90);

// True when `s` is a valid slug: 2..100 of [a-z0-9-], not starting or ending with '-'.
bool IsValidSlug(std::string_view s);

// Binary sort key under the Vietnamese collation (a < ă < â, d < đ, tones secondary).
// Comparing keys with memcmp / std::string::operator< gives dictionary order.
std::string VietnameseSortKey(std::string_view s);

}  // namespace odp::text
