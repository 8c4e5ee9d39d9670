#include "datastore/personal_data.h"

#include <gtest/gtest.h>

namespace odp::datastore {
namespace {

TEST(PersonalData, CitizenIdNeedsAProvinceCodeAndAPlausibleCentury) {
  EXPECT_TRUE(IsCitizenId("001085012345"));     // Hà Nội, man born 1985
  EXPECT_TRUE(IsCitizenId("079301000123"));     // TP.HCM, woman born 2001
  EXPECT_TRUE(IsCitizenId("046 190 123 456"));  // Thừa Thiên Huế, spaces
  EXPECT_FALSE(IsCitizenId("003085012345"));    // 003 is no province
  EXPECT_FALSE(IsCitizenId("097085012345"));    // nor 097
  EXPECT_FALSE(IsCitizenId("001585012345"));    // century digit 5: born in the 2100s
  EXPECT_FALSE(IsCitizenId("001285012345"));    // born in 2085
  EXPECT_FALSE(IsCitizenId("00108501234"));     // 11 digits
  EXPECT_FALSE(IsCitizenId("123456789012"));
}

TEST(PersonalData, PhoneNumbersFollowThe2018Numbering) {
  EXPECT_TRUE(IsPhoneNumber("0912345678"));
  EXPECT_TRUE(IsPhoneNumber("0912 345 678"));
  EXPECT_TRUE(IsPhoneNumber("0912.345.678"));
  EXPECT_TRUE(IsPhoneNumber("+84 912 345 678"));
  EXPECT_TRUE(IsPhoneNumber("84912345678"));
  EXPECT_TRUE(IsPhoneNumber("0386123456"));     // Viettel 038
  EXPECT_TRUE(IsPhoneNumber("0523123456"));     // 0523
  EXPECT_TRUE(IsPhoneNumber("024 3825 1234"));  // Hà Nội landline
  EXPECT_TRUE(IsPhoneNumber("(0234) 382 1234"));
  EXPECT_FALSE(IsPhoneNumber("0162345678"));   // an old 11-digit prefix cut short
  EXPECT_FALSE(IsPhoneNumber("01623456789"));  // renumbered in 2018
  EXPECT_FALSE(IsPhoneNumber("0992345678"));   // 0992 is not allocated
  EXPECT_FALSE(IsPhoneNumber("1900 1234"));    // a service number
  EXPECT_FALSE(IsPhoneNumber("0712345678"));   // 071 is not a mobile prefix
  EXPECT_FALSE(IsPhoneNumber("2011"));
}

TEST(PersonalData, EmailNeedsALocalPartADomainAndALetterTld) {
  EXPECT_TRUE(IsEmail("nguyen.van.an@gmail.com"));
  EXPECT_TRUE(IsEmail("an+test@so-y-te.hue.gov.vn"));
  EXPECT_FALSE(IsEmail("@gmail.com"));
  EXPECT_FALSE(IsEmail("an@gmail"));
  EXPECT_FALSE(IsEmail("an@@gmail.com"));
  EXPECT_FALSE(IsEmail("an@gmail.c0m"));
  EXPECT_FALSE(IsEmail("Sở Y tế"));
}

TEST(PersonalData, TaxCodeCheckDigitIsTheTaxAuthoritys) {
  // 010010001: 31·0+29·1+23·0+19·0+17·1+13·0+7·0+5·0+3·1 = 49; 49 mod 11 = 5; 10 − 5 = 5.
  EXPECT_EQ(TaxCodeCheckDigit("010010001"), 5);
  EXPECT_TRUE(IsTaxCode("0100100015"));
  EXPECT_FALSE(IsTaxCode("0100100016"));
  EXPECT_TRUE(IsTaxCode("0100100015-001"));  // a branch
  EXPECT_TRUE(IsTaxCode("0100100015001"));
  EXPECT_FALSE(IsTaxCode("0100100015-000"));
  EXPECT_FALSE(IsTaxCode("0100100015-01"));
  EXPECT_FALSE(IsTaxCode("0100000005"));  // digits 3–9 all zero
  // A sum that is a multiple of 11 has no check digit: 1·31 + … chosen so: 000000011 → 29·0 …
  // 7·0 + 5·1 + 3·2 = 11.
  EXPECT_EQ(TaxCodeCheckDigit("000000012"), std::nullopt);
  EXPECT_EQ(TaxCodeCheckDigit("12345678"), std::nullopt);
}

TEST(PersonalData, VehiclePlatesOfCarsAndMotorbikes) {
  EXPECT_TRUE(IsVehiclePlate("30A-123.45"));
  EXPECT_TRUE(IsVehiclePlate("51K-12345"));
  EXPECT_TRUE(IsVehiclePlate("29-B1 123.45"));
  EXPECT_TRUE(IsVehiclePlate("59X3-123.45"));
  EXPECT_TRUE(IsVehiclePlate("75LD-012.34"));
  EXPECT_TRUE(IsVehiclePlate("29A-1234"));     // the old four-digit form
  EXPECT_FALSE(IsVehiclePlate("05A-123.45"));  // no area code below 11
  EXPECT_FALSE(IsVehiclePlate("30a-123.45"));  // plates are written in capitals
  EXPECT_FALSE(IsVehiclePlate("30ABC-12345"));
  EXPECT_FALSE(IsVehiclePlate("046001"));
}

TEST(PersonalData, StreetAddressesNeedAHouseNumberAndAStreet) {
  EXPECT_TRUE(IsStreetAddress("12 đường Lê Lợi, phường Vĩnh Ninh"));
  EXPECT_TRUE(IsStreetAddress("Số nhà 45, ngõ 12 phố Huế"));
  EXPECT_TRUE(IsStreetAddress("Kiệt 7/2 Ông Ích Khiêm, Đà Nẵng"));
  EXPECT_TRUE(IsStreetAddress("123/4 Nguyễn Trãi, Quận 5"));
  EXPECT_TRUE(IsStreetAddress("Hẻm 45 Lê Văn Sỹ"));
  EXPECT_FALSE(IsStreetAddress("Phường Ba Đình"));
  EXPECT_FALSE(IsStreetAddress("Thành phố Hà Nội"));
  EXPECT_FALSE(IsStreetAddress("Đường tỉnh 10"));  // a road, not a house
  EXPECT_FALSE(IsStreetAddress("12"));
}

TEST(PersonalData, PersonNamesStartWithAFamilyName) {
  EXPECT_TRUE(IsPersonName("Nguyễn Văn An"));
  EXPECT_TRUE(IsPersonName("TRẦN THỊ BÍCH NGỌC"));
  EXPECT_TRUE(IsPersonName("Đỗ Hùng"));
  EXPECT_FALSE(IsPersonName("nguyễn văn an"));  // not capitalised
  EXPECT_FALSE(IsPersonName("Thành phố Hà Nội"));
  EXPECT_FALSE(IsPersonName("Nguyễn Văn An 2"));
  EXPECT_FALSE(IsPersonName("Nguyễn"));
}

TEST(PersonalData, BirthDatesAreDatesOrYearsInTheRange) {
  EXPECT_TRUE(IsBirthDate("15/03/1985", 2026));
  EXPECT_TRUE(IsBirthDate("1985-03-15", 2026));
  EXPECT_TRUE(IsBirthDate("1985", 2026));
  EXPECT_FALSE(IsBirthDate("2030", 2026));
  EXPECT_FALSE(IsBirthDate("1850", 2026));
  EXPECT_FALSE(IsBirthDate("31/02/1985", 2026));
}

TEST(PersonalData, ColumnNamesHintInVietnameseAndEnglishWithOrWithoutTones) {
  EXPECT_EQ(HintOf("Số CCCD"), PersonalKind::kCitizenId);
  EXPECT_EQ(HintOf("so_can_cuoc"), PersonalKind::kCitizenId);
  EXPECT_EQ(HintOf("Số CMND"), PersonalKind::kIdCard);
  EXPECT_EQ(HintOf("SĐT"), PersonalKind::kPhone);
  EXPECT_EQ(HintOf("Điện thoại liên hệ"), PersonalKind::kPhone);
  EXPECT_EQ(HintOf("Phone number"), PersonalKind::kPhone);
  EXPECT_EQ(HintOf("Mã số thuế"), PersonalKind::kTaxCode);
  EXPECT_EQ(HintOf("Số tài khoản"), PersonalKind::kBankAccount);
  EXPECT_EQ(HintOf("Biển số xe"), PersonalKind::kVehiclePlate);
  EXPECT_EQ(HintOf("Ngày sinh"), PersonalKind::kBirthDate);
  EXPECT_EQ(HintOf("Date of birth"), PersonalKind::kBirthDate);
  EXPECT_EQ(HintOf("Địa chỉ thường trú"), PersonalKind::kAddress);
  EXPECT_EQ(HintOf("Họ và tên"), PersonalKind::kPersonName);
  EXPECT_EQ(HintOf("Số học sinh"), std::nullopt);
  EXPECT_EQ(HintOf("Diện tích"), std::nullopt);
}

std::vector<Field> Fields(std::initializer_list<const char*> labels) {
  std::vector<Field> out;
  for (const char* l : labels) {
    Field f;
    f.label = l;
    f.id = std::string("c") + std::to_string(out.size());
    out.push_back(f);
  }
  return out;
}

TEST(PersonalDataScan, FlagsColumnsWithMaskedExamples) {
  PersonalDataScan scan(4, 2026);
  scan.Add({"001085012345", "0912345678", "Hộ nghèo", "12"});
  scan.Add({"079301000123", "0386123456", "Hộ cận nghèo", "15"});
  scan.Add({"046190123456", "", "Hộ nghèo", "9"});
  auto found = scan.Findings(Fields({"Số CCCD", "Liên hệ", "Diện", "Số khẩu"}), {});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].column, "c0");
  EXPECT_EQ(found[0].kind, "citizen_id");
  EXPECT_DOUBLE_EQ(found[0].share, 1.0);
  EXPECT_EQ(found[0].sampled, 3);
  EXPECT_EQ(found[0].examples,
            (std::vector<std::string>{"0010***345", "0793***123", "0461***456"}));
  EXPECT_EQ(found[1].kind, "phone");  // found by its values, without a hint
  EXPECT_EQ(found[1].sampled, 2);
  EXPECT_TRUE(Unresolved(found[0]));
}

TEST(PersonalDataScan, NamesCountOnlyWithDatesOfBirth) {
  PersonalDataScan names(2, 2026);
  names.Add({"Nguyễn Văn An", "Giám đốc"});
  names.Add({"Trần Thị Bình", "Phó giám đốc"});
  EXPECT_TRUE(names.Findings(Fields({"Họ và tên", "Chức vụ"}), {}).empty());

  PersonalDataScan both(3, 2026);
  both.Add({"Nguyễn Văn An", "15/03/1985", "Nam"});
  both.Add({"Trần Thị Bình", "02/11/1990", "Nữ"});
  auto found = both.Findings(Fields({"Họ và tên", "Ngày sinh", "Giới tính"}), {});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].kind, "person_name");
  EXPECT_EQ(found[1].kind, "birth_date");
}

TEST(PersonalDataScan, IdCardsAndBankAccountsNeedTheirNames) {
  PersonalDataScan scan(2, 2026);
  scan.Add({"123456789", "19036512345678"});
  scan.Add({"987654321", "0071000123456"});
  EXPECT_TRUE(scan.Findings(Fields({"Mã hồ sơ", "Mã giao dịch"}), {}).empty());
  auto found = scan.Findings(Fields({"Số CMND", "Số tài khoản"}), {});
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].kind, "id_card");
  EXPECT_EQ(found[1].kind, "bank_account");
}

TEST(PersonalDataScan, TaxCodesWinOverPhonesByTheirCheckDigit) {
  // 031xxxxxxx is both an HCMC tax code and a Viettel number; the check digit decides.
  PersonalDataScan scan(1, 2026);
  for (const char* v : {"0311111111", "0312345673", "0319876546", "0100100015"}) scan.Add({v});
  auto found = scan.Findings(Fields({"Mã doanh nghiệp"}), {});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, "tax_code");
}

TEST(PersonalDataScan, ContactsOfOrganisationsAreTheirs) {
  // A list of hospitals with their switchboards and street addresses: not personal.
  PersonalDataScan hospitals(3, 2026);
  hospitals.Add({"Bệnh viện Đa khoa tỉnh", "0234 3822 325", "16 đường Lê Lợi, phường Vĩnh Ninh"});
  hospitals.Add(
      {"Trung tâm Y tế huyện Phú Vang", "0234 3861 111", "5 đường Hùng Vương, xã Phú Đa"});
  EXPECT_TRUE(hospitals.Findings(Fields({"Tên cơ sở", "Điện thoại", "Địa chỉ"}), {}).empty());
  // The same columns beside people's names.
  PersonalDataScan people(3, 2026);
  people.Add({"Nguyễn Văn An", "0912 345 678", "16 đường Lê Lợi, phường Vĩnh Ninh"});
  people.Add({"Trần Thị Bình", "0386 123 456", "5 đường Hùng Vương, xã Phú Đa"});
  EXPECT_EQ(people.Findings(Fields({"Họ tên", "Điện thoại", "Địa chỉ"}), {}).size(), 2u);
  EXPECT_TRUE(NamesOrganisation("UBND xã Phú Đa"));
  EXPECT_TRUE(NamesOrganisation("Sở Y tế"));
  EXPECT_FALSE(NamesOrganisation("Số 12 Lê Lợi"));
  EXPECT_FALSE(NamesOrganisation("Số nhà 4, ngõ 7"));
  EXPECT_FALSE(NamesOrganisation("Nguyễn Văn An"));
}

TEST(PersonalDataScan, KeepsTheReviewOfAColumn) {
  PersonalDataScan scan(1, 2026);
  scan.Add({"0912345678"});
  ColumnReview r{"c0", "not_personal", "", "Số của cơ quan", "admin", 7};
  auto found = scan.Findings(Fields({"Điện thoại"}), {r});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].review.decision, "not_personal");
  EXPECT_FALSE(Unresolved(found[0]));
}

TEST(PersonalDataScan, SamplesAtMostKSampleCellsPerColumn) {
  PersonalDataScan scan(1, 2026);
  for (size_t i = 0; i < kSampleCells + 500; ++i) scan.Add({i < 900 ? "0912345678" : "x"});
  auto found = scan.Findings(Fields({"Điện thoại"}), {});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].sampled, static_cast<int64_t>(kSampleCells));
  EXPECT_DOUBLE_EQ(found[0].share, 0.9);
}

}  // namespace
}  // namespace odp::datastore
