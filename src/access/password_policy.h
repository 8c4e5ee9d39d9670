// The password rule, applied wherever a password is set: registration, password change,
// a sysadmin setting one, `odp user add`.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace odp::access {

inline constexpr int kMinPasswordLength = 12;  // in characters (code points), not bytes

// OK, or kInvalidArgument with a Vietnamese message (and field "password") when `password`:
// - is shorter than kMinPasswordLength characters, longer than 1024 bytes, or not UTF-8;
// - is only whitespace;
// - is one of the most common passwords (src/access/common_passwords.txt, built into the
//   binary), compared without case, also once its trailing digits and punctuation are removed
//   ("Password2024!"), or is one repeated character or a run of a keyboard/alphabet sequence;
// - contains the username or the e-mail's local part (3 characters or more), or the reverse of
//   either, compared without case.
Status ValidatePassword(std::string_view password, std::string_view username,
                        std::string_view email);

// True when `password`, lower-cased, is on the common list (exposed for tests).
bool IsCommonPassword(std::string_view password);

}  // namespace odp::access
