#include "access/password_policy.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace odp::access {
namespace {

TEST(PasswordPolicyTest, TheRuleAsATable) {
  struct Case {
    std::string password;
    bool accepted;
  };
  const std::string user = "nguyenvana", email = "van.a@hue.gov.vn";
  const std::vector<Case> cases = {
      {"mat-khau-thu-nghiem", true},
      {"mật khẩu dài", true},  // 12 characters, 17 bytes
      {"mật khẩu", false},     // 8 characters
      {"ngựa-vằn-ăn-cỏ-sáng-sớm", true},
      {"correct horse battery staple", true},
      {"short", false},
      {"elevenchars", false},
      {"            ", false},          // twelve spaces
      {"\t\t\t\t\n\n\n\n    ", false},  // all whitespace
      {"\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0"
       "\xc2\xa0",
       false},
      {"password1234", false},   // on the list
      {"PASSWORD1234", false},   // case does not matter
      {"Password2026!", false},  // a common word with digits and punctuation after it
      {"matkhau12345678", false},
      {"anhyeuem123456", false},
      {"qwertyuiop123", false},
      {"123456789012", false},
      {"aaaaaaaaaaaaaaaa", false},      // one character repeated
      {"abcdefghijklmn", false},        // alphabet run
      {"9876543210987", false},         // digit run
      {"nguyenvana-2024-xyz", false},   // contains the user name
      {"NguyenVanA-2024-xyz", false},   // without case
      {"xyz-anavneyugn-77", false},     // the user name reversed
      {"toi-la-van.a-hue", false},      // contains the e-mail's local part
      {"a.nav-reversed-1", false},      // the local part reversed
      {std::string(1025, 'x'), false},  // too long
      {"\xff\xfe invalid utf-8 bytes", false},
  };
  int checked = 0;
  for (const auto& c : cases) {
    Status s = ValidatePassword(c.password, user, email);
    EXPECT_EQ(s.ok(), c.accepted) << c.password.substr(0, 40);
    if (!s.ok()) {
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
      EXPECT_TRUE(s.fields().count("password"));
      EXPECT_FALSE(s.message_vi().empty());
    }
    ++checked;
  }
  EXPECT_EQ(checked, 27);
}

TEST(PasswordPolicyTest, ShortNamesAreNotSearchedFor) {
  // A two-letter user name would forbid too much; only names of 3 characters or more count.
  EXPECT_TRUE(ValidatePassword("an-toan-tuyet-doi", "an", "an@hue.gov.vn").ok());
}

TEST(PasswordPolicyTest, TheEmbeddedListIsLoaded) {
  EXPECT_TRUE(IsCommonPassword("123456"));
  EXPECT_TRUE(IsCommonPassword("Password"));
  EXPECT_TRUE(IsCommonPassword("matkhau"));
  EXPECT_FALSE(IsCommonPassword("mat-khau-thu-nghiem"));
}

}  // namespace
}  // namespace odp::access
