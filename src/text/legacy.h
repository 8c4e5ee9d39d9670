// Legacy Vietnamese encodings: detection and streaming conversion to UTF-8 in NFC.
//
// Files from before Unicode arrive in Windows-1258, TCVN3 (ABC), VNI or VISCII, or as UTF-16;
// spreadsheets keep such text as Latin-1 characters shown through a legacy font. This module
// guesses the encoding of a byte sample, converts byte streams, and repairs spreadsheet text by
// font name. Windows-1258, TCVN3 and VISCII are decoded by glibc iconv (TCVN3 through glibc's
// TCVN5712-1, a superset that also has the toned capitals); VNI, which has no iconv or ICU
// converter, by our own table (base letter followed by a byte for the marks: "Haø Noäi").
//
// The free functions are pure and safe to call from any thread. A Transcoder is used by one
// thread at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace odp::text {

enum class Encoding { kUtf8, kUtf16Le, kUtf16Be, kCp1258, kTcvn3, kVni, kViscii };

// "UTF-8", "UTF-16LE", "UTF-16BE", "Windows-1258", "TCVN3", "VNI", "VISCII".
const char* EncodingName(Encoding e);

// The encoding called `name`, ignoring case, spaces, '-' and '_'. Accepts every EncodingName()
// and the usual aliases: "utf8", "utf16" (little-endian, as Windows writes it), "ucs-2",
// "cp1258", "win1258", "abc", "tcvn", "tcvn5712", "tcvn5712-1", "vn3", "vni-windows"...
std::optional<Encoding> ParseEncodingName(std::string_view name);

// Guesses the encoding of a file from its first bytes (up to 64 KB; a multi-byte sequence may be
// cut at the end). In order: a BOM (UTF-8, UTF-16LE, UTF-16BE); UTF-16 without BOM from zero bytes
// falling on one parity; valid UTF-8, plain ASCII included, and text that is mostly UTF-8 (more
// well-formed multi-byte characters than broken bytes: a UTF-8 file with a few bad bytes, for
// its reader to report where); otherwise the legacy encoding whose
// decoding reads most like Vietnamese (syllables that follow Vietnamese spelling, few stray
// symbols), Windows-1258 when nothing reads like Vietnamese. Ties, which only very short samples
// give ("Lào Cai" is the same bytes in Windows-1258 and VISCII), go to TCVN3, then VNI, then
// Windows-1258, then VISCII, the order of their use in government files.
Encoding DetectEncoding(std::string_view sample);

// Streaming conversion of text in one encoding to UTF-8 in NFC.
//
// Feed() appends the converted text of `in` to `out`. Chunks may be cut anywhere (inside a UTF-8
// sequence, a UTF-16 surrogate pair, or between a VNI or Windows-1258 base letter and its marks):
// bytes that do not yet make a character are kept for the next call, and the last character is
// held back until it is known that no combining mark follows. With `last` true everything is
// flushed; bytes still incomplete then are an error. A BOM at the start of a UTF-8 or UTF-16
// stream is dropped.
//
// Errors are Status::InvalidArgument with English and Vietnamese messages giving the byte offset
// from the start of the stream; after an error nothing more is appended in that call and every
// later call returns the same error. After a successful call with `last`, the Transcoder is ready
// for a new stream.
class Transcoder {
 public:
  explicit Transcoder(Encoding from);
  ~Transcoder();
  Transcoder(Transcoder&&) noexcept;
  Transcoder& operator=(Transcoder&&) noexcept;
  Transcoder(const Transcoder&) = delete;
  Transcoder& operator=(const Transcoder&) = delete;

  Status Feed(std::string_view in, std::string& out, bool last);

  Encoding encoding() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Spreadsheets store text as UTF-16, so legacy text shown through a legacy font arrives as
// Latin-1/CP1252 characters. Returns the encoding a font name implies: any name starting with
// ".Vn" (".VnTime", ".VnArial", ".VnTimeH") is TCVN3, any starting with "VNI-" or "VNI "
// ("VNI-Times", "VNI-Helve") is VNI; case is ignored. Otherwise nullopt.
// When `uppercase` is given it is set to whether the font is a TCVN3 "H" font (name ending in
// 'H': ".VnTimeH", ".VnArialH"), which shows lowercase codes as capitals.
std::optional<Encoding> EncodingOfFont(std::string_view font_name, bool* uppercase = nullptr);

// Converts such text back: every character is mapped to its CP1252/Latin-1 byte (characters that
// have none are kept as they are), the bytes are decoded as `enc`, the result is put in NFC and,
// when `uppercase`, uppercased with Vietnamese rules. "Hµ Néi" (TCVN3) → "Hà Nội"; "Haø Noäi"
// (VNI) → "Hà Nội". A byte that `enc` does not define keeps its original character. For UTF-8
// or UTF-16 `enc` the text is only normalised (and uppercased). Invalid UTF-8 in `utf8` becomes
// U+FFFD.
std::string FromLegacyFontText(std::string_view utf8, Encoding enc, bool uppercase = false);

// For cells without a telltale font: returns TCVN3 or VNI when valid UTF-8 `utf8` reads as
// Vietnamese only after FromLegacyFontText() with that encoding. Text holding a letter that no
// legacy font can show (ơ, ư, ạ, ...) is never flagged, nor is text that already reads as
// Vietnamese or as another language.
std::optional<Encoding> LooksLikeLegacyText(std::string_view utf8);

}  // namespace odp::text
