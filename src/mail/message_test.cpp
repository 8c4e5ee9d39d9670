#include "mail/message.h"

#include <gtest/gtest.h>

#include "mail/mailer.h"

namespace odp::mail {
namespace {

// 2026-12-07 14:09:35 UTC, a Monday.
constexpr Micros kMonday = 1796652575LL * 1000000;

std::string Header(const std::string& msg, const std::string& name) {
  auto at = msg.find("\r\n" + name + ": ");
  if (msg.rfind(name + ": ", 0) == 0)
    at = 0;
  else if (at == std::string::npos)
    return "";
  else
    at += 2;
  auto end = msg.find("\r\n", at);
  return msg.substr(at + name.size() + 2, end - at - name.size() - 2);
}

std::string DecodeBase64(const std::string& in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int bits = 0;
  uint32_t acc = 0;
  for (char c : in) {
    auto pos = kAlphabet.find(c);
    if (pos == std::string::npos) continue;
    acc = (acc << 6) | static_cast<uint32_t>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

MailMessage Sample() {
  return {"an@example.vn", "Nguyễn Văn An", "Mời tham gia Cổng dữ liệu mở",
          "Xin chào An,\n.\nDòng thứ ba\n"};
}

TEST(MailMessageTest, FormatsHeadersDateAndMessageId) {
  auto m = FormatMessage(Sample(), "portal@hue.gov.vn", "Cổng dữ liệu", kMonday, "abc-123");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(Header(*m, "Date"), "Mon, 07 Dec 2026 14:09:35 +0000");
  EXPECT_EQ(Header(*m, "Message-ID"), "<abc-123@hue.gov.vn>");
  EXPECT_EQ(Header(*m, "Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(Header(*m, "Content-Transfer-Encoding"), "base64");
  EXPECT_EQ(Header(*m, "MIME-Version"), "1.0");
  EXPECT_NE(Header(*m, "To").find("<an@example.vn>"), std::string::npos);
  // Every line ends with CRLF and none is longer than 78 characters.
  size_t start = 0;
  while (start < m->size()) {
    auto end = m->find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 78u);
    EXPECT_EQ(m->substr(start, end - start).find('\n'), std::string::npos);
    start = end + 2;
  }
}

TEST(MailMessageTest, ListUnsubscribeIsWrittenForOneClickAndRefusedWhenUnsafe) {
  MailMessage m = Sample();
  EXPECT_EQ(FormatMessage(m, "portal@hue.gov.vn", "", kMonday, "a")->find("List-Unsubscribe"),
            std::string::npos);
  m.list_unsubscribe = "https://data.hue.gov.vn/theo-doi/huy?token=abc_DEF-1";
  auto ok = FormatMessage(m, "portal@hue.gov.vn", "", kMonday, "a");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(Header(*ok, "List-Unsubscribe"),
            "<https://data.hue.gov.vn/theo-doi/huy?token=abc_DEF-1>");
  EXPECT_EQ(Header(*ok, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
  for (const char* bad : {"https://x.vn/a\r\nBcc: b@x.vn", "mailto:a@x.vn", "https://x.vn/a b",
                          "https://x.vn/a>", "javascript:alert(1)"}) {
    m.list_unsubscribe = bad;
    EXPECT_FALSE(FormatMessage(m, "portal@hue.gov.vn", "", kMonday, "a").ok()) << bad;
  }
}

TEST(MailMessageTest, SubjectAndNamesAreEncodedWordsThatDecodeBack) {
  EXPECT_EQ(EncodeHeaderText("Plain subject"), "Plain subject");
  std::string long_subject;
  for (int i = 0; i < 10; ++i) long_subject += "Đặt lại mật khẩu ";
  std::string enc = EncodeHeaderText(long_subject);
  std::string decoded;
  size_t at = 0;
  while ((at = enc.find("=?UTF-8?B?", at)) != std::string::npos) {
    auto end = enc.find("?=", at + 10);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end + 2 - at, 75u);  // RFC 2047: an encoded word is at most 75 characters
    decoded += DecodeBase64(enc.substr(at + 10, end - at - 10));
    at = end + 2;
  }
  EXPECT_EQ(decoded, long_subject);  // split between whole characters, nothing lost
  // "=?" in plain text would read as an encoded word: it is encoded too.
  EXPECT_NE(EncodeHeaderText("a =?x?= b"), "a =?x?= b");
}

TEST(MailMessageTest, BodyIsCrlfUtf8InBase64) {
  auto m = FormatMessage(Sample(), "portal@hue.gov.vn", "", kMonday, "id1");
  ASSERT_TRUE(m.ok());
  std::string body = m->substr(m->find("\r\n\r\n") + 4);
  EXPECT_EQ(DecodeBase64(body), "Xin chào An,\r\n.\r\nDòng thứ ba\r\n");
  // No line of the DATA is a lone dot, whatever the text says.
  EXPECT_EQ(m->find("\r\n.\r\n"), std::string::npos);
}

TEST(MailMessageTest, HeaderInjectionIsRefusedInEveryField) {
  const std::string kInjections[] = {"x\r\nBcc: victim@example.org", "x\nBcc: v@example.org",
                                     "x\rBcc: v@example.org", std::string("x\0y", 3)};
  for (const std::string& bad : kInjections) {
    MailMessage m = Sample();
    m.subject = bad;
    EXPECT_EQ(FormatMessage(m, "p@hue.gov.vn", "", 0, "id").status().code(),
              StatusCode::kInvalidArgument);
    m = Sample();
    m.to_name = bad;
    EXPECT_EQ(FormatMessage(m, "p@hue.gov.vn", "", 0, "id").status().code(),
              StatusCode::kInvalidArgument);
    m = Sample();
    m.to = "an@example.vn" + bad;
    EXPECT_EQ(FormatMessage(m, "p@hue.gov.vn", "", 0, "id").status().code(),
              StatusCode::kInvalidArgument);
    EXPECT_EQ(FormatMessage(Sample(), "p@hue.gov.vn", bad, 0, "id").status().code(),
              StatusCode::kInvalidArgument);
    EXPECT_EQ(FormatMessage(Sample(), "p@hue.gov.vn" + bad, "", 0, "id").status().code(),
              StatusCode::kInvalidArgument);
  }
  // Addresses that would add recipients or comments.
  for (const char* bad : {"a@b.vn, c@d.vn", "a@b.vn;c@d.vn", "<a@b.vn>", "a b@c.vn", "ab.vn",
                          "a@b@c.vn", "\"a\"@b.vn"}) {
    EXPECT_FALSE(ValidMailAddress(bad)) << bad;
  }
  EXPECT_TRUE(ValidMailAddress("nguyen.an+odp@so-tttt.hue.gov.vn"));
}

TEST(MailMessageTest, QuotesInPlainNamesAreEscaped) {
  MailMessage m = Sample();
  m.to_name = "An \"Admin\" <x@y.vn>";
  auto out = FormatMessage(m, "p@hue.gov.vn", "", 0, "id");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(Header(*out, "To"), "\"An \\\"Admin\\\" <x@y.vn>\" <an@example.vn>");
}

TEST(MailSettingsTest, ValidationNamesEveryWrongField) {
  SmtpSettings s;
  s.host = "mail.example.vn\r\nX";
  s.port = 0;
  s.from_address = "not an address";
  s.from_name = "a\nb";
  Status st = ValidateSmtpSettings(s);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  for (const char* f : {"smtp_host", "smtp_port", "smtp_from_name"})
    EXPECT_TRUE(st.fields().count(f)) << f;
  s = SmtpSettings{};
  s.host = "127.0.0.1";
  s.port = 2525;
  s.from_address = "portal@hue.gov.vn";
  EXPECT_TRUE(ValidateSmtpSettings(s).ok());
}

TEST(MailSettingsTest, SendWithoutServerIsUnavailable) {
  EXPECT_EQ(SendSmtp(SmtpSettings{}, "a@b.vn", "x").code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace odp::mail
