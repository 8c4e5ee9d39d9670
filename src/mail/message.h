// Mail messages as they go on the wire: one text/plain UTF-8 part, headers that cannot be
// injected into.
//
// A message is Vietnamese then English in one body (the caller writes both). FormatMessage
// writes RFC 5322 text with CRLF line ends: From, To, Subject (RFC 2047 "B" encoded words when
// not plain ASCII), Date (UTC), Message-ID (random, at the sender's domain), MIME-Version and
// Content-Type "text/plain; charset=UTF-8" with a base64 body in lines of 76. A base64 body is
// 7-bit clean, so it passes servers without 8BITMIME, and none of its lines can be a lone "."
// (libcurl dot-stuffs the DATA as well).
//
// Header injection is impossible by construction: every field that reaches a header (addresses,
// names, subject) is refused when it holds CR, LF or any other control character, addresses
// must be one plain `local@domain` without spaces, quotes, angle brackets, commas or
// semicolons, and names and subjects are always written as encoded words when they are not
// plain printable ASCII. Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "base/time.h"

namespace odp::mail {

struct MailMessage {
  std::string to;       // "an@example.vn"
  std::string to_name;  // "Nguyễn Văn An"; may be empty
  std::string subject;  // UTF-8, one line
  std::string body;     // UTF-8 text; lines end with "\n" (CRLF is written)
  // An http(s) address that ends the recipient's subscription with one POST (RFC 8058): written
  // as `List-Unsubscribe: <…>` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. Only
  // printable ASCII without spaces, quotes or angle brackets; "" = no such headers.
  std::string list_unsubscribe = {};
};

// One address `local@domain`: printable ASCII without spaces, quotes, <>, ",", ";", "()", "\".
bool ValidMailAddress(std::string_view address);

// `text` as RFC 2047 encoded words ("=?UTF-8?B?…?=", each at most 75 characters, split
// between whole UTF-8 characters, separated by CRLF + space) when it is not plain printable
// ASCII; else unchanged.
std::string EncodeHeaderText(std::string_view text);

// "Mon, 07 Dec 2026 14:09:35 +0000".
std::string MailDate(Micros t);

// The whole message, ready for SMTP DATA. kInvalidArgument (naming the field) when an address
// is not valid or a header field holds a control character (CR and LF included). `id_random`
// makes the Message-ID ("<id_random@sender-domain>"): letters, digits, '-' and '.' only.
Result<std::string> FormatMessage(const MailMessage& m, const std::string& from_address,
                                  const std::string& from_name, Micros now,
                                  const std::string& id_random);

}  // namespace odp::mail
