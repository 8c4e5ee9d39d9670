#include "formats/json_rows.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "testing/read_rows.h"

namespace odp::formats {
namespace {

using odp::testing::ReadAll;
using odp::testing::Rows;

std::unique_ptr<JsonRowsReader> Reader(const std::string& json, ReadLimits limits = {}) {
  auto reader = JsonRowsReader::FromStream(std::make_unique<std::istringstream>(json), limits);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  return reader.ok() ? std::move(reader).value() : nullptr;
}

TEST(JsonRows, ReadsAnArrayOfObjectsWithVietnameseTextAndEscapes) {
  auto reader = Reader(R"([
  {"ma": "01", "ten": "Thành phố Hà Nội", "ghi_chu": "Vi\u1ec7t Nam \ud83c\uddfb\ud83c\uddf3"},
  {"ma": "79", "ten": "Th\u00e0nh ph\u1ED1 H\u1ed3 Ch\u00ed Minh",
   "ghi_chu": "tab\there \"nháy\" back\\slash \/ \b\f\r\n"}
])");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->kind(), JsonRowsReader::Kind::kArray);
  EXPECT_EQ(reader->describe(), "JSON array");
  EXPECT_TRUE(reader->typed_numbers());
  Rows rows = ReadAll(*reader);
  EXPECT_TRUE(reader->status().ok()) << reader->status().ToString();
  const Rows expected = {
      {"ma", "ten", "ghi_chu"},
      {"01", "Thành phố Hà Nội", "Việt Nam 🇻🇳"},
      {"79", "Thành phố Hồ Chí Minh", "tab\there \"nháy\" back\\slash / \b\f\r\n"},
  };
  EXPECT_EQ(rows, expected);
}

TEST(JsonRows, ColumnsAreTheKeysInFirstSeenOrderAndMissingKeysAreEmpty) {
  auto reader = Reader(R"([{"a": 1, "b": 2}, {"c": 3, "a": 4}, {"d": 5, "d": 6}, {}])");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->columns(), (std::vector<std::string>{"a", "b", "c", "d"}));
  const Rows expected = {
      {"a", "b", "c", "d"}, {"1", "2", "", ""},
      {"4", "", "3", ""},   {"", "", "", "6"},  // a repeated key: the last value wins
      {"", "", "", ""},
  };
  EXPECT_EQ(ReadAll(*reader), expected);
}

TEST(JsonRows, KeepsNumbersExactlyAsWritten) {
  auto reader = Reader(
      R"([{"big": 12345678901234567890, "d": 1.10, "e": -0.5e3, "z": 0, "neg": -7, "huge": 1E+400}])");
  ASSERT_NE(reader, nullptr);
  Rows rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"12345678901234567890", "1.10", "-0.5e3", "0", "-7",
                                               "1E+400"}));
}

TEST(JsonRows, WritesBooleansAsTrueFalseAndNullAsEmpty) {
  auto reader = Reader(R"({"co_cang": true, "ven_bien": false, "ghi_chu": null, "s": "null"})");
  ASSERT_NE(reader, nullptr);
  Rows rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"true", "false", "", "null"}));
}

TEST(JsonRows, WritesNestedValuesAsCompactJson) {
  auto reader = Reader(R"([{"vi_tri": { "type" : "Point", "coordinates": [ 105.85, 21.03e0 ] },
    "nhan": ["a\"b", "Huế\n", null, true, {"x": []}], "rong": {}, "mang": [ ]}])");
  ASSERT_NE(reader, nullptr);
  Rows rows = ReadAll(*reader);
  EXPECT_TRUE(reader->status().ok()) << reader->status().ToString();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1],
            (std::vector<std::string>{R"({"type":"Point","coordinates":[105.85,21.03e0]})",
                                      R"(["a\"b","Huế\n",null,true,{"x":[]}])", "{}", "[]"}));
}

TEST(JsonRows, ReadsNdjsonWithBlankLinesAndCrlf) {
  auto reader = Reader("{\"a\":1}\r\n\r\n{\"a\":2,\"b\":\"x\"}\r\n   \n{\"b\":\"y\"}");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->kind(), JsonRowsReader::Kind::kLines);
  EXPECT_EQ(reader->describe(), "NDJSON");
  std::vector<int64_t> lines;
  Rows rows = ReadAll(*reader, &lines);
  EXPECT_TRUE(reader->status().ok()) << reader->status().ToString();
  const Rows expected = {{"a", "b"}, {"1", ""}, {"2", "x"}, {"", "y"}};
  EXPECT_EQ(rows, expected);
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 1, 3, 5}));
}

TEST(JsonRows, ReportsTheLineWhereEachRecordStartsInAnArray) {
  auto reader = Reader("[\n  {\n    \"a\": 1\n  },\n  {\"a\": 2},\n\n  {\"a\":\n 3}\n]\n");
  ASSERT_NE(reader, nullptr);
  std::vector<int64_t> lines;
  ReadAll(*reader, &lines);
  // The header takes the line of the first record.
  EXPECT_EQ(lines, (std::vector<int64_t>{2, 2, 5, 7}));
}

TEST(JsonRows, ReadsAnArrayOfArraysWithTheFirstAsTheHeader) {
  auto reader = Reader(R"([["Mã", "Tên"], ["01", "Hà Nội"], [79, "Hồ Chí Minh", true], []])");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->kind(), JsonRowsReader::Kind::kArray);
  EXPECT_EQ(reader->columns(), (std::vector<std::string>{"Mã", "Tên"}));
  const Rows expected = {{"Mã", "Tên"}, {"01", "Hà Nội"}, {"79", "Hồ Chí Minh", "true"}, {}};
  EXPECT_EQ(ReadAll(*reader), expected);
  EXPECT_TRUE(reader->status().ok()) << reader->status().ToString();
}

TEST(JsonRows, ReadsNdjsonOfArrays) {
  auto reader = Reader("[\"Mã\", \"Tên\"]\n[\"01\", \"Hà Nội\"]\n");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->kind(), JsonRowsReader::Kind::kLines);
  std::vector<int64_t> lines;
  const Rows expected = {{"Mã", "Tên"}, {"01", "Hà Nội"}};
  EXPECT_EQ(ReadAll(*reader, &lines), expected);
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2}));
}

TEST(JsonRows, DropsAUtf8ByteOrderMark) {
  auto reader = Reader("\xEF\xBB\xBF[{\"a\": \"b\"}]");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader), (Rows{{"a"}, {"b"}}));
}

TEST(JsonRows, ReplacesAnUnpairedSurrogateWithTheReplacementCharacter) {
  auto reader = Reader(R"({"a": "x\ud800y", "b": "\udc00", "c": "\ud800\n"})");
  ASSERT_NE(reader, nullptr);
  Rows rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x\uFFFDy", "\uFFFD", "\uFFFD\n"}));
}

TEST(JsonRows, MalformedJsonStopsWithItsLineAndColumnAfterTheRowsBefore) {
  auto reader = Reader("{\"a\": 1}\n{\"a\": 2}\n{\"a\": 1,, }\n{\"a\": 4}\n");
  ASSERT_NE(reader, nullptr);
  Rows rows = ReadAll(*reader);
  EXPECT_EQ(rows, (Rows{{"a"}, {"1"}, {"2"}}));
  Status s = reader->status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "invalid JSON at line 3, column 9: expected a field name in double quotes, found ','");
  EXPECT_EQ(s.message_vi(),
            "JSON không hợp lệ ở dòng 3, cột 9: thiếu tên trường trong dấu nháy kép, nhưng gặp "
            "','.");
}

TEST(JsonRows, NamesWhereEachKindOfMalformedJsonIs) {
  struct Case {
    std::string json;
    std::string where;  // as the message says it
    std::string problem;
  };
  const Case cases[] = {
      {R"([{"a":"x}])", "line 1, column 7", "not closed"},
      {R"({"a":"\q"})", "line 1, column 7", "invalid escape \\'q'"},
      {R"({"a":"\u12G4"})", "line 1, column 7", "four hexadecimal digits"},
      {R"({"a":tru})", "line 1, column 6", "expected a value"},
      {R"({"a":01})", "line 1, column 6", "invalid number '01'"},
      {R"({"a":-})", "line 1, column 6", "invalid number '-'"},
      {"{\"a\":1", "line 1, column 7", "found the end of the file"},
      {"{\"a\" 1}", "line 1, column 6", "expected ':'"},
      {"[{\"a\":1} {\"a\":2}]", "line 1, column 10", "expected ',' or ']'"},
      {"[{\"a\":1},]", "line 1, column 10", "expected a record"},
      {"[{\"a\":1}] x", "line 1, column 11", "more after the end of the JSON array"},
      {"{\"a\":\"line\nbreak\"}", "line 1, column 11", "control character"},
      {"{\"a\":\"\xff\"}", "line 1, column 7", "not valid UTF-8"},
      {"{\"a\":\"\xC3\x28\"}", "line 1, column 7", "not valid UTF-8"},
      {"{\"ệ\":x}", "line 1, column 6", "expected a value"},  // columns count characters
      {"{\"a\":1}\n\n  {\"b\":[1,}", "line 3, column 11", "expected a value"},
      {"{\"a\":" + std::string(200, '[') + std::string(200, ']') + "}", "line 1, column 134",
       "nested more than 128 levels"},
  };
  for (const Case& c : cases) {
    auto reader = Reader(c.json);
    ASSERT_NE(reader, nullptr) << c.json;
    ReadAll(*reader);
    const Status& s = reader->status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.json;
    EXPECT_NE(s.message().find(c.where), std::string::npos) << c.json << " → " << s.message();
    EXPECT_NE(s.message().find(c.problem), std::string::npos) << c.json << " → " << s.message();
    EXPECT_NE(s.message_vi().find("dòng"), std::string::npos) << s.message_vi();
  }
}

TEST(JsonRows, ARecordThatIsNotAnObjectIsAnError) {
  auto reader = Reader(R"([{"a": 1}, 2])");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader), (Rows{{"a"}, {"1"}}));
  EXPECT_EQ(reader->status().message(),
            "JSON record at line 1, column 12: each record must be a JSON object {...}");
  EXPECT_EQ(reader->status().message_vi(),
            "Bản ghi JSON ở dòng 1, cột 12: mỗi bản ghi phải là một đối tượng JSON {…}.");

  auto mixed = Reader("{\"a\": 1}\n[1]\n");
  ASSERT_NE(mixed, nullptr);
  ReadAll(*mixed);
  EXPECT_NE(mixed->status().message().find("line 2, column 1"), std::string::npos);
}

TEST(JsonRows, RefusesWhatDoesNotStartLikeJsonRecords) {
  for (const std::string& text :
       {std::string(""), std::string(" \n "), std::string("Mã,Tên\n"), std::string("42\n")}) {
    auto reader = JsonRowsReader::FromStream(std::make_unique<std::istringstream>(text));
    ASSERT_FALSE(reader.ok()) << text;
    EXPECT_EQ(reader.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(reader.status().message_vi().find("JSON không hợp lệ"), std::string::npos);
  }
  auto reader = JsonRowsReader::FromStream(std::make_unique<std::istringstream>("\n Mã"));
  EXPECT_EQ(
      reader.status().message(),
      "invalid JSON at line 2, column 2: expected '[' or '{' to start the records, found 'M'");
}

TEST(JsonRows, StopsAtTooManyColumnsAfterTheRecordsBefore) {
  ReadLimits limits;
  limits.max_columns = 2;
  auto reader = Reader("[{\"a\":1},\n{\"b\":2},\n{\"c\":3, \"a\": 5}]", limits);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader), (Rows{{"a", "b"}, {"1", ""}, {"", "2"}}));
  EXPECT_EQ(reader->status().message(),
            "JSON record at line 3, column 2: more than 2 columns (field \"c\")");
  EXPECT_EQ(reader->status().message_vi(),
            "Bản ghi JSON ở dòng 3, cột 2: có quá 2 cột (trường \"c\").");
}

TEST(JsonRows, StopsAtTooManyRecords) {
  ReadLimits limits;
  limits.max_rows = 2;
  auto reader = Reader("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n", limits);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader).size(), 3u);  // the header and two records
  EXPECT_NE(reader->status().message().find("line 3, column 1: more than 2 records"),
            std::string::npos);

  // A table's header row is not a record.
  auto table = Reader("[[\"a\"],[1],[2]]", limits);
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(ReadAll(*table).size(), 3u);
  EXPECT_TRUE(table->status().ok()) << table->status().ToString();
}

TEST(JsonRows, StopsAtAnOverlongValue) {
  ReadLimits limits;
  limits.max_cell_bytes = 8;
  auto reader =
      Reader("{\"a\": \"12345678\", \"b\": [1, 2, 3, 4]}\n{\"a\": \"123456789\"}", limits);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader).size(), 1u);  // the header: the first record's array is too long
  EXPECT_NE(reader->status().message().find("line 1, column 24: a value longer than 8 bytes"),
            std::string::npos)
      << reader->status().message();
}

TEST(JsonRows, RewindReadsTheSameRowsAgain) {
  auto reader = Reader("[{\"a\": 1}, {\"b\": \"Đà Nẵng\"}]");
  ASSERT_NE(reader, nullptr);
  Rows first = ReadAll(*reader);
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(reader->bytes_read(), reader->bytes_total());
  ASSERT_TRUE(reader->Rewind().ok());
  EXPECT_EQ(reader->line(), 0);
  EXPECT_EQ(ReadAll(*reader), first);
}

TEST(JsonRows, RewindComesBackToAnErrorAtTheSamePlace) {
  auto reader = Reader("{\"a\": 1}\n{\"a\": ]}\n");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader).size(), 2u);
  Status first = reader->status();
  EXPECT_FALSE(first.ok());
  ASSERT_TRUE(reader->Rewind().ok());
  EXPECT_EQ(ReadAll(*reader).size(), 2u);
  EXPECT_EQ(reader->status().message(), first.message());
}

TEST(JsonRows, OpenReportsAMissingFileAsNotFound) {
  auto reader = JsonRowsReader::Open(::testing::TempDir() + "/json_rows_test_no_such.json");
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
}

TEST(JsonRows, ReadsAHundredThousandRecordsFromAFile) {
  const std::string path = ::testing::TempDir() + "/json_rows_test_big.ndjson";
  constexpr int kRecords = 100'000;
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 1; i <= kRecords; ++i) {
      out << "{\"stt\":" << i << ",\"ten\":\"Xã Đông Hưng " << i << "\",\"dien_tich\":" << i
          << ".25";
      if (i % 1000 == 0) out << ",\"ghi_chu\":\"mốc\"";
      out << "}\n";
    }
  }
  auto reader = JsonRowsReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<std::string> row;
  int64_t rows = 0;
  std::vector<std::string> last;
  ASSERT_TRUE((*reader)->Next(row));
  EXPECT_EQ(row, (std::vector<std::string>{"stt", "ten", "dien_tich", "ghi_chu"}));
  while ((*reader)->Next(row)) {
    ++rows;
    last = row;
  }
  EXPECT_TRUE((*reader)->status().ok()) << (*reader)->status().ToString();
  EXPECT_EQ(rows, kRecords);
  EXPECT_EQ((*reader)->line(), kRecords);
  EXPECT_EQ(last, (std::vector<std::string>{"100000", "Xã Đông Hưng 100000", "100000.25", "mốc"}));
  EXPECT_EQ((*reader)->bytes_read(), (*reader)->bytes_total());
  std::remove(path.c_str());
}

// Provinces holding wards: the default reads the wards, with the province's fields in front.
TEST(JsonRowsNested, ReadsTheDeepestRepeatingArrayWithTheParentsFieldsCarriedDown) {
  auto reader = Reader(R"([
 {"Code": "01", "Name": "Hà Nội", "Wards": [
   {"Code": "00004", "Name": "Ba Đình"}, {"Code": "00008", "Name": "Ngọc Hà"}]},
 {"Wards": [{"Code": "00100", "Name": "Tây Hồ", "Extra": 1}], "Name": "Huế", "Code": "46"}
])");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->records_path(), "[].Wards[]");
  EXPECT_EQ(reader->describe(), "JSON: [].Wards[]");
  Rows rows = ReadAll(*reader);
  ASSERT_TRUE(reader->status().ok()) << reader->status().ToString();
  EXPECT_EQ(rows, (Rows{{"level1_Code", "level1_Name", "Code", "Name", "Extra"},
                        {"01", "Hà Nội", "00004", "Ba Đình", ""},
                        {"01", "Hà Nội", "00008", "Ngọc Hà", ""},
                        {"46", "Huế", "00100", "Tây Hồ", "1"}}));
  EXPECT_TRUE(reader->left_out().empty());
}

TEST(JsonRowsNested, AnObjectDocumentIsJsonNotNdjsonAndNamesLevelsByTheirIdKeys) {
  const std::string doc = R"({"data": [
  {"level1_id": "01", "name": "Hà Nội", "merges": [{"old_id": "01", "name": "Hà Nội", "type": "full"}],
   "level2s": [{"level2_id": "00004", "name": "Ba Đình", "merges": [
      {"old_id": "00004", "name": "Trúc Bạch", "type": "full"},
      {"old_id": "00016", "name": "Ngọc Hà", "type": "partial"}]}]}],
 "stats": {"level1_count": 1}})";
  auto reader = Reader(doc);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->kind(), JsonRowsReader::Kind::kDocument);
  EXPECT_EQ(reader->records_path(), "data[].level2s[].merges[]");
  Rows rows = ReadAll(*reader);
  ASSERT_TRUE(reader->status().ok()) << reader->status().ToString();
  EXPECT_EQ(
      rows,
      (Rows{{"level1_id", "level1_name", "level2_id", "level2_name", "old_id", "name", "type"},
            {"01", "Hà Nội", "00004", "Ba Đình", "00004", "Trúc Bạch", "full"},
            {"01", "Hà Nội", "00004", "Ba Đình", "00016", "Ngọc Hà", "partial"}}));
  // The province's own merges and the top-level stats are said to be left out.
  std::string notes;
  for (const auto& n : reader->left_out()) notes += n.message_en + "\n";
  EXPECT_NE(notes.find("1 records in 1 array(s) at \"data[].merges[]\" are not loaded"),
            std::string::npos)
      << notes;
  EXPECT_NE(notes.find("field \"stats\" at the top level is not in the rows"), std::string::npos)
      << notes;
  EXPECT_NE(notes.find("field \"merges\" of the elements of \"data[]\""), std::string::npos)
      << notes;
  std::vector<std::string> paths;
  for (const auto& a : reader->record_arrays()) paths.push_back(a.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"data[]", "data[].merges[]", "data[].level2s[]",
                                             "data[].level2s[].merges[]"}));
}

TEST(JsonRowsNested, ThePublisherChoosesTheRecordsAndLongNestedValuesAreReportedNotKept) {
  std::string wards;
  for (int i = 0; i < 300; ++i) {
    wards +=
        std::string(i ? "," : "") + R"({"Code": ")" + std::to_string(i) + R"(", "Name": "Phường"})";
  }
  const std::string doc = R"([{"Code": "01", "Tags": ["a", "b"], "Wards": [)" + wards +
                          R"(]}, {"Code": "02", "Wards": []}])";
  auto reader = JsonRowsReader::FromStream(std::make_unique<std::istringstream>(doc), {}, "[]");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Rows rows = ReadAll(**reader);
  ASSERT_TRUE((*reader)->status().ok());
  EXPECT_EQ(rows, (Rows{{"Code", "Tags", "Wards"}, {"01", R"(["a","b"])", ""}, {"02", "", "[]"}}));
  auto notes = (*reader)->left_out();
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].message_vi,
            "300 bản ghi trong 2 mảng \"[].Wards[]\" không được nạp; để nạp chúng, hãy chọn mảng "
            "bản ghi \"[].Wards[]\".");
  EXPECT_EQ(notes[1].line, 1);
  EXPECT_NE(notes[1].message_en.find("longer than 4096 bytes was left out of 1 record(s)"),
            std::string::npos);
}

TEST(JsonRowsNested, RefusesARecordsPathTheFileDoesNotHaveListingThoseItHas) {
  auto reader = JsonRowsReader::FromStream(
      std::make_unique<std::istringstream>(R"({"a": [{"x": 1}, {"x": 2}]})"), {}, "b[]");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().message_vi(),
            "Tệp không có mảng bản ghi ở \"b[]\" (các mảng bản ghi có trong tệp: a[]).");
  for (const std::string bad : {"a", "a[]b[]", "[].", "a..b[]", "[][]"}) {
    auto r = JsonRowsReader::FromStream(
        std::make_unique<std::istringstream>(R"({"a": [{"x": 1}]})"), {}, bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
  auto ndjson = JsonRowsReader::FromStream(
      std::make_unique<std::istringstream>("{\"a\": 1}\n{\"a\": 2}\n"), {}, "[]");
  EXPECT_FALSE(ndjson.ok());
}

TEST(JsonRowsNested, AFlatObjectIsOneRecordAndTrailingValuesMakeNdjson) {
  auto one = Reader(R"({"ma": "01", "ten": "Hà Nội"})");
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->kind(), JsonRowsReader::Kind::kDocument);
  EXPECT_EQ(ReadAll(*one), (Rows{{"ma", "ten"}, {"01", "Hà Nội"}}));
  auto lines = Reader("{\"ma\": \"01\"}\n{\"ma\": \"02\"}\n");
  ASSERT_NE(lines, nullptr);
  EXPECT_EQ(lines->kind(), JsonRowsReader::Kind::kLines);
}

TEST(JsonRowsNested, ElementsThatAreNotObjectsInAnEnclosingArrayAreSkippedAndCounted) {
  auto reader = Reader(
      R"([{"id": 1, "items": [{"v": 1}, {"v": 2}]}, 7, "x", {"id": 2, "items": [{"v": 3}]}])");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader), (Rows{{"id", "v"}, {"1", "1"}, {"1", "2"}, {"2", "3"}}));
  auto notes = reader->left_out();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].message_en, "2 element(s) of \"[]\" that are not objects were skipped");
}

TEST(JsonRowsNested, RewindReadsTheSameNestedRowsAgainAndMalformedInputStopsWithItsPlace) {
  auto reader =
      Reader(R"({"d": [{"k": "a", "r": [{"v": 1}, {"v": 2}]}, {"k": "b", "r": [{"v": 3}]}]})");
  ASSERT_NE(reader, nullptr);
  Rows first = ReadAll(*reader);
  ASSERT_TRUE(reader->Rewind().ok());
  EXPECT_EQ(ReadAll(*reader), first);
  EXPECT_EQ(first.size(), 4u);

  auto broken = JsonRowsReader::FromStream(std::make_unique<std::istringstream>(
      R"({"d": [{"k": "a", "r": [{"v": 1}, {"v": 2}]}, {"k": "b", "r": [{"v" 3}]}]})"));
  // A malformed document is NDJSON-like at the start (its first value does not end), so the
  // problem is named where it is.
  if (broken.ok()) {
    ReadAll(**broken);
    EXPECT_EQ((*broken)->status().code(), StatusCode::kInvalidArgument);
  } else {
    EXPECT_EQ(broken.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(JsonRowsNested, AGiantNestedValueInNdjsonOrATableOfArraysIsLeftOutAndCounted) {
  std::string big = "[";
  for (int i = 0; i < 2000; ++i) big += (i ? "," : "") + std::to_string(i);
  big += "]";
  auto reader = Reader("{\"a\": 1, \"big\": " + big + "}\n{\"a\": 2, \"big\": " + big +
                       ", \"small\": [1]}\n");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->kind(), JsonRowsReader::Kind::kLines);
  EXPECT_EQ(ReadAll(*reader), (Rows{{"a", "big", "small"}, {"1", "", ""}, {"2", "", "[1]"}}));
  auto notes = reader->left_out();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].message_en,
            "field \"big\" of the records (NDJSON): a nested value longer than 4096 bytes was left "
            "out of 2 record(s); to load what it holds, choose it as the records if it is an array "
            "of records");

  auto table = Reader("[[\"a\", \"b\"], [1, " + big + "]]");
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(ReadAll(*table), (Rows{{"a", "b"}, {"1", ""}}));
  ASSERT_EQ(table->left_out().size(), 1u);
}

TEST(JsonRowsNested, ManyDifferentThingsLeftOutAreNamedUpToALimitAndCountedBeyondIt) {
  std::string doc = "{";
  for (int i = 0; i < 500; ++i) doc += "\"k" + std::to_string(i) + "\": {\"x\": 1}, ";
  doc += "\"items\": [{\"v\": 1}, {\"v\": 2}]}";
  auto reader = Reader(doc);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(ReadAll(*reader), (Rows{{"v"}, {"1"}, {"2"}}));
  auto notes = reader->left_out();
  ASSERT_EQ(notes.size(), JsonRowsReader::kMaxNotes + 1);
  EXPECT_EQ(notes.back().message_en, "300 more things left out, not listed one by one");
}

TEST(JsonRowsNested, TheRealProvincesFileGivesItsWards) {
  const std::string path =
      std::string(ODP_TEST_DATA_DIR) +
      "/../../../shared/data/vn/simplified_json_generated_data_vn_units_2026-07-25__20_49_07.json";
  if (!std::ifstream(path)) GTEST_SKIP() << "no shared data at " << path;
  auto reader = JsonRowsReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->records_path(), "[].Wards[]");
  Rows rows = ReadAll(**reader);
  ASSERT_TRUE((*reader)->status().ok());
  ASSERT_EQ(rows.size(), 3322u);   // the header and 3,321 wards
  EXPECT_EQ(rows[0].size(), 13u);  // 6 province fields and 7 ward fields
  EXPECT_EQ(rows[1][1], "Hà Nội");
  EXPECT_EQ(rows[1][7], "Ba Đình");
}

}  // namespace
}  // namespace odp::formats
