#include "access/password_policy.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "text/utf8.h"

namespace odp::access {
namespace internal {
extern const char kCommonPasswords[];  // one per line, lower case (build/common_passwords.cpp)
}  // namespace internal

namespace {

const std::unordered_set<std::string>& CommonPasswords() {
  static const std::unordered_set<std::string> kSet = [] {
    std::unordered_set<std::string> set;
    std::string_view all(internal::kCommonPasswords);
    size_t pos = 0;
    while (pos < all.size()) {
      size_t end = all.find('\n', pos);
      if (end == std::string_view::npos) end = all.size();
      std::string_view line = all.substr(pos, end - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty()) set.emplace(line);
      pos = end + 1;
    }
    return set;
  }();
  return kSet;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Whitespace: ASCII, NBSP (U+00A0), ideographic space (U+3000) and U+2000–U+200B.
bool AllWhitespace(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || (c >= 0x09 && c <= 0x0d)) {
      ++i;
    } else if (s.substr(i, 2) == "\xc2\xa0") {
      i += 2;
    } else if (s.substr(i, 3) == "\xe3\x80\x80") {
      i += 3;
    } else if (i + 2 < s.size() && c == 0xe2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               static_cast<unsigned char>(s[i + 2]) <= 0x8b) {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

bool IsSequenceRun(const std::string& lower) {
  static const char* kSequences[] = {"01234567890123456789",       "98765432109876543210",
                                     "abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba",
                                     "qwertyuiopasdfghjklzxcvbnm", "qazwsxedcrfvtgbyhnujmikolp"};
  for (const char* seq : kSequences) {
    if (std::string_view(seq).find(lower) != std::string_view::npos) return true;
  }
  return std::all_of(lower.begin(), lower.end(), [&](char c) { return c == lower[0]; });
}

Status Refuse(const char* en, const char* vi) {
  return Status::InvalidArgument(en, vi).WithField("password", vi);
}

}  // namespace

bool IsCommonPassword(std::string_view password) {
  return CommonPasswords().count(LowerAscii(password)) > 0;
}

Status ValidatePassword(std::string_view password, std::string_view username,
                        std::string_view email) {
  if (password.size() > 1024 || !text::IsValidUtf8(password)) {
    return Refuse("password is not valid", "Mật khẩu không hợp lệ");
  }
  if (AllWhitespace(password)) {
    return Refuse("password is only whitespace", "Mật khẩu không được chỉ gồm khoảng trắng");
  }
  if (CodePoints(password) < static_cast<size_t>(kMinPasswordLength)) {
    return Refuse("password must have at least 12 characters", "Mật khẩu phải có ít nhất 12 ký tự");
  }
  std::string lower = LowerAscii(password);
  std::string base = lower;
  while (!base.empty() && !std::isalpha(static_cast<unsigned char>(base.back())) &&
         static_cast<unsigned char>(base.back()) < 0x80) {
    base.pop_back();
  }
  if (IsCommonPassword(lower) || (base.size() >= 4 && IsCommonPassword(base)) ||
      IsSequenceRun(lower)) {
    return Refuse("password is too common",
                  "Mật khẩu quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác");
  }
  std::string reversed(lower.rbegin(), lower.rend());
  std::string local = LowerAscii(email.substr(0, email.find('@')));
  for (const std::string& name : {LowerAscii(username), local}) {
    if (name.size() < 3) continue;
    if (lower.find(name) != std::string::npos || reversed.find(name) != std::string::npos) {
      return Refuse("password contains the user name or e-mail",
                    "Mật khẩu không được chứa tên đăng nhập hoặc e-mail (kể cả viết ngược)");
    }
  }
  return Status::Ok();
}

}  // namespace odp::access
