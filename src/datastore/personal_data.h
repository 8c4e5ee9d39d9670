// Personal data in a loaded table: which columns hold citizen ID numbers, phone numbers,
// e-mail addresses, tax codes, vehicle plates, bank account numbers, names with dates of birth
// or street addresses (the basic personal data of Decree 356/2025, Art. 3), found per column
// while a file is loaded (Datastore::LoadRows, pass 1). Pure: no I/O, safe from any thread.
//
// How a column is judged. The scan keeps the first kSampleCells non-empty cells of every
// column (`PersonalDataScan::Add`, in file order: the cost of a load grows by at most
// columns × kSampleCells checks, whatever the file's size), then for each kind counts the
// sampled cells whose value has that kind's form (the value detectors below) and takes the
// kind matched by the most cells. The column is flagged when that share reaches
//   - kHintedShare (0.5) when the column's name says the kind (`HintOf`: Vietnamese and English
//     words, tone-free: "CCCD", "số điện thoại", "email", "mã số thuế", "biển số", …);
//   - kUnhintedShare (0.8) otherwise, for the kinds whose values identify a person by their form
//     alone: citizen IDs, phones, e-mails, tax codes (check digit), plates, street addresses.
// Some kinds need the name: 9-digit ID card numbers (CMND, no structure) and bank account
// numbers (6–19 digits) are only flagged under a name that says so. Names and dates of birth
// are flagged together: a column of person names (a hint and half the cells, or 80 % without
// one) and a column of birth dates or years (a hint and half the cells) in the same table; a
// list of names alone (officials, schools named after people) or of dates alone is not.
// A table of organisations (a column whose values mostly begin with "Trường", "Bệnh viện",
// "Trung tâm", "UBND", "Sở", "Công ty", …: `NamesOrganisation`) lists their phones, e-mails,
// addresses and tax codes: those kinds are not flagged there (ID numbers, plates, accounts and
// names with birth dates still are).
//
// The value detectors, one rule each:
//   - citizen ID (CCCD, Circular 59/2021/TT-BCA): 12 digits `PPP G YY NNNNNN`, PPP one of the
//     63 provinces' codes (001 Hà Nội … 096 Cà Mau), G the century and sex (0–1: 1900s, 2–3:
//     2000s, not later than this year), YY the birth year;
//   - ID card (CMND): 9 digits (or 12, which is the citizen ID form);
//   - phone: after removing spaces, dots, dashes and brackets, `0`, `84` or `+84` and then a
//     mobile number of the 2018 numbering (3x, 5[2689], 7[06-9], 8[1-9], 9x with 9 digits:
//     libphonenumber's VN pattern) or a landline `2x…` with its area code (10 digits); a
//     column that workbooks stored as numbers (the leading 0 lost) counts under a phone hint;
//   - e-mail: `local@domain.tld` with a letter-only top-level domain;
//   - tax code (MST): 10 digits whose 10th is `10 − (Σ wᵢ·dᵢ mod 11)`, w = 31 29 23 19 17 13 7
//     5 3, digits 3–9 not all zero, optionally `-NNN` (or 3 more digits) for a branch;
//   - vehicle plate: area code 11–99, a series of one or two letters (and a digit), 4 or 5
//     digits: `30A-123.45`, `51K-12345`, `29-B1 123.45`, `29B1-12345`;
//   - bank account: 6–19 digits (spaces and dashes allowed);
//   - street address: a house number (`12`, `12A`, `123/4`) next to a street word (đường,
//     phố, ngõ, ngách, hẻm, kiệt, số nhà), or a house number, a street name and a ward,
//     commune or district after a comma ("123 Nguyễn Huệ, phường Bến Nghé");
//   - person name: 2–5 capitalised words of letters, the first a Vietnamese family name;
//   - birth date: a date (`dd/mm/yyyy`, `yyyy-mm-dd`) or a year between 1900 and this year.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "datastore/table.h"

namespace odp::datastore {

enum class PersonalKind {
  kCitizenId,
  kIdCard,
  kPhone,
  kEmail,
  kTaxCode,
  kVehiclePlate,
  kBankAccount,
  kPersonName,
  kBirthDate,
  kAddress,
};
inline constexpr size_t kPersonalKinds = 10;
// "citizen_id", "id_card", "phone", "email", "tax_code", "vehicle_plate", "bank_account",
// "person_name", "birth_date", "address" (PersonalFinding::kind).
const char* ToString(PersonalKind k);
std::optional<PersonalKind> ParsePersonalKind(std::string_view name);
// What the kind is called on pages: "Số căn cước công dân" / "Citizen ID number", …
const char* LabelVi(PersonalKind k);
const char* LabelEn(PersonalKind k);

inline constexpr size_t kSampleCells = 1000;
inline constexpr double kHintedShare = 0.5;
inline constexpr double kUnhintedShare = 0.8;

// ---- value detectors (the rules above) ----
bool IsCitizenId(std::string_view v);
bool IsIdCardNumber(std::string_view v);
bool IsPhoneNumber(std::string_view v);
bool IsEmail(std::string_view v);
// The check digit of a tax code's first nine digits, nullopt when none exists (the sum is a
// multiple of 11) or `first9` is not nine digits.
std::optional<int> TaxCodeCheckDigit(std::string_view first9);
bool IsTaxCode(std::string_view v);
bool IsVehiclePlate(std::string_view v);
bool IsBankAccountNumber(std::string_view v);
bool IsStreetAddress(std::string_view v);
bool IsPersonName(std::string_view v);
// `this_year` bounds the years accepted (injected so tests do not depend on the clock).
bool IsBirthDate(std::string_view v, int this_year);

// Whether `v` names an organisation (begins with "Trường", "Bệnh viện", "UBND", "Công ty", …).
bool NamesOrganisation(std::string_view v);

// The kind a column's name says ("Số CCCD" → citizen ID, "SĐT" → phone, "Ngày sinh" → birth
// date), from its folded words; nullopt when it says none.
std::optional<PersonalKind> HintOf(std::string_view label);

// The first kSampleCells non-empty cells of each column, and the findings they give.
class PersonalDataScan {
 public:
  explicit PersonalDataScan(size_t columns, int this_year);
  // Adds a data row; cheap once every column's sample is full.
  void Add(const std::vector<std::string>& row);
  // The flagged columns of a table whose columns are `fields` (in the file's order, as the
  // scanned rows), each with its review from `reviews` when one names its id.
  std::vector<PersonalFinding> Findings(const std::vector<Field>& fields,
                                        const std::vector<ColumnReview>& reviews) const;

 private:
  std::vector<std::vector<std::string>> samples_;
  size_t full_ = 0;  // columns whose sample is complete
  int this_year_;
};

}  // namespace odp::datastore
