#include "datastore/ingest/xls_isolated.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "formats/xls.h"

#ifndef ODP_TEST_DATA_DIR
#define ODP_TEST_DATA_DIR "tests/data"
#endif

namespace odp::datastore::ingest {
namespace {

// tests/data/sample.xls is written by tests/data/make_xls.py.
const std::string kSample = std::string(ODP_TEST_DATA_DIR) + "/sample.xls";

TEST(XlsDump, GivesTheSameSheetsRowsAndLinesAsTheReader) {
  auto direct = formats::XlsReader::Open(kSample);
  auto dump = XlsDump::Open(kSample);
  ASSERT_TRUE(direct.ok() && dump.ok()) << dump.status().message();
  ASSERT_EQ((*dump)->sheet_names(), (*direct)->sheet_names());
  for (size_t s = 0; s < (*direct)->sheet_names().size(); ++s) {
    ASSERT_TRUE((*direct)->SelectSheet(s).ok());
    ASSERT_TRUE((*dump)->SelectSheet(s).ok());
    std::vector<std::string> a, b;
    while ((*direct)->Next(a)) {
      ASSERT_TRUE((*dump)->Next(b));
      EXPECT_EQ(a, b);
      EXPECT_EQ((*direct)->line(), (*dump)->line());
    }
    EXPECT_FALSE((*dump)->Next(b));
    EXPECT_TRUE((*dump)->status().ok());
    EXPECT_EQ((*dump)->describe(), (*direct)->describe());
  }
  // Rewind reads the selected sheet again.
  ASSERT_TRUE((*dump)->SelectSheet(0).ok());
  std::vector<std::string> first, again;
  ASSERT_TRUE((*dump)->Next(first));
  ASSERT_TRUE((*dump)->Rewind().ok());
  ASSERT_TRUE((*dump)->Next(again));
  EXPECT_EQ(first, again);
  EXPECT_EQ((*dump)->SelectSheet(99).code(), StatusCode::kInvalidArgument);
}

// Fonts and formula errors cross the dump as the reader gives them (tests/data/legacy.xls,
// written by tests/data/make_legacy_xls.py).
TEST(XlsDump, CarriesEachCellsFontAndFormulaError) {
  const std::string legacy = std::string(ODP_TEST_DATA_DIR) + "/legacy.xls";
  auto direct = formats::XlsReader::Open(legacy);
  auto dump = XlsDump::Open(legacy);
  ASSERT_TRUE(direct.ok() && dump.ok()) << dump.status().message();
  EXPECT_EQ((*dump)->default_font(), (*direct)->default_font());
  std::vector<std::string> a, b;
  int errors = 0;
  while ((*direct)->Next(a)) {
    ASSERT_TRUE((*dump)->Next(b));
    EXPECT_EQ(a, b);
    EXPECT_EQ((*direct)->fonts(), (*dump)->fonts()) << (*dump)->line();
    EXPECT_EQ((*direct)->errors(), (*dump)->errors()) << (*dump)->line();
    errors += !(*dump)->errors().empty();
  }
  EXPECT_EQ(errors, 1);
}

TEST(XlsDump, ReportsTheReadersErrorsAndAHelperThatCrashes) {
  auto wrong = XlsDump::Open(std::string(ODP_TEST_DATA_DIR) + "/make_xls.py");
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(wrong.status().message_vi().find(".xls"), std::string::npos);
  EXPECT_EQ(XlsDump::Open("/khong/co/tep.xls").status().code(), StatusCode::kNotFound);
  // A helper killed by a signal (as FreeXL's overflow would take it down): an error, not a crash.
  SetXlsHelper({"/bin/sh", "-c", "kill -SEGV $$", "sh"});
  auto crashed = XlsDump::Open(kSample);
  SetXlsHelper({});
  ASSERT_FALSE(crashed.ok());
  EXPECT_NE(crashed.status().message_vi().find("Không đọc được tệp XLS một cách an toàn"),
            std::string::npos);
  EXPECT_NE(crashed.status().message().find("signal 11"), std::string::npos)
      << crashed.status().message();
  // A helper that writes nothing.
  SetXlsHelper({"/bin/true"});
  auto silent = XlsDump::Open(kSample);
  SetXlsHelper({});
  EXPECT_EQ(silent.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace odp::datastore::ingest
