#include "mail/message.h"

#include <algorithm>
#include <ctime>

#include <fmt/format.h>

#include "text/utf8.h"

namespace odp::mail {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8) |
                 static_cast<uint8_t>(in[i + 2]);
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += kBase64[v & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t v = (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8);
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

bool HasControl(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

bool PlainAscii(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) return false;
  }
  // "=?" would read as the start of an encoded word.
  return s.find("=?") == std::string_view::npos;
}

// Length in bytes of the UTF-8 character starting with `lead`.
size_t CharLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xe) return 3;
  if ((lead >> 3) == 0x1e) return 4;
  return 1;
}

// A display name for a header: quoted when plain ASCII, else encoded words.
std::string HeaderName(std::string_view name) {
  if (!PlainAscii(name)) return EncodeHeaderText(name);
  std::string q = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

}  // namespace

bool ValidMailAddress(std::string_view a) {
  if (a.empty() || a.size() > 254) return false;
  auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= a.size()) return false;
  if (a.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : a) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return false;
    if (std::string_view("\"<>,;()\\[]:").find(c) != std::string_view::npos) return false;
  }
  return true;
}

std::string EncodeHeaderText(std::string_view text) {
  if (PlainAscii(text)) return std::string(text);
  // "=?UTF-8?B?" + "?=" is 12 characters: 63 left, 45 bytes of text per word (60 base64).
  constexpr size_t kBytesPerWord = 45;
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = i;
    while (end < text.size()) {
      size_t n = CharLength(static_cast<unsigned char>(text[end]));
      if (end + n - i > kBytesPerWord) break;
      end += n;
    }
    if (end == i) end = std::min(text.size(), i + 1);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string MailDate(Micros t) {
  std::time_t secs = static_cast<std::time_t>(t / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02d} {} {} {:02d}:{:02d}:{:02d} +0000", kDays[tm.tm_wday], tm.tm_mday,
                     kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

Result<std::string> FormatMessage(const MailMessage& m, const std::string& from_address,
                                  const std::string& from_name, Micros now,
                                  const std::string& id_random) {
  Status bad = Status::InvalidArgument("the message cannot be sent as it is",
                                       "Không thể gửi thư với nội dung này");
  bool invalid = false;
  auto refuse = [&](const char* field, const char* why_vi) {
    bad.WithField(field, why_vi);
    invalid = true;
  };
  if (!ValidMailAddress(m.to)) refuse("to", "Địa chỉ người nhận không hợp lệ");
  if (!ValidMailAddress(from_address)) refuse("from", "Địa chỉ người gửi không hợp lệ");
  if (HasControl(m.to_name) || !text::IsValidUtf8(m.to_name))
    refuse("to_name", "Tên người nhận chứa ký tự điều khiển");
  if (HasControl(from_name) || !text::IsValidUtf8(from_name))
    refuse("from_name", "Tên người gửi chứa ký tự điều khiển");
  if (m.subject.empty() || HasControl(m.subject) || !text::IsValidUtf8(m.subject))
    refuse("subject", "Tiêu đề thư trống hoặc chứa ký tự điều khiển");
  if (!text::IsValidUtf8(m.body)) refuse("body", "Nội dung thư không phải UTF-8");
  if (!m.list_unsubscribe.empty() &&
      (!(m.list_unsubscribe.starts_with("https://") || m.list_unsubscribe.starts_with("http://")) ||
       m.list_unsubscribe.size() > 900 ||
       std::any_of(m.list_unsubscribe.begin(), m.list_unsubscribe.end(), [](char c) {
         return c <= ' ' || c >= 127 || c == '<' || c == '>' || c == '"' || c == ',';
       }))) {
    refuse("list_unsubscribe", "Địa chỉ hủy đăng ký không hợp lệ");
  }
  if (id_random.empty() ||
      id_random.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
                                  "OPQRSTUVWXYZ0123456789-.") != std::string::npos) {
    refuse("message_id", "Mã thư không hợp lệ");
  }
  if (invalid) return bad;

  auto mailbox = [](const std::string& name, const std::string& address) {
    return name.empty() ? "<" + address + ">" : HeaderName(name) + " <" + address + ">";
  };
  std::string out;
  out += "From: " + mailbox(from_name, from_address) + "\r\n";
  out += "To: " + mailbox(m.to_name, m.to) + "\r\n";
  out += "Subject: " + EncodeHeaderText(m.subject) + "\r\n";
  out += "Date: " + MailDate(now) + "\r\n";
  out +=
      "Message-ID: <" + id_random + "@" + from_address.substr(from_address.find('@') + 1) + ">\r\n";
  if (!m.list_unsubscribe.empty()) {
    out += "List-Unsubscribe: <" + m.list_unsubscribe + ">\r\n";
    out += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
  }
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  out += "\r\n";
  // The body with CRLF line ends, then base64 in lines of 76.
  std::string crlf;
  crlf.reserve(m.body.size() + m.body.size() / 40);
  for (size_t i = 0; i < m.body.size(); ++i) {
    if (m.body[i] == '\n' && (i == 0 || m.body[i - 1] != '\r')) crlf += '\r';
    crlf += m.body[i];
  }
  std::string b64 = Base64(crlf);
  for (size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
  return out;
}

}  // namespace odp::mail
