#include "formats/xml_scan.h"

#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "testing/xml_events.h"

namespace odp::formats::internal {
namespace {

using testing::AddTextEvent;
using testing::ExpatEvents;
using testing::StartEvent;

class Recorder : public XmlScanner::Handler {
 public:
  explicit Recorder(bool suspend) : suspend_(suspend) {}
  XmlScanner::Action Start(std::string_view name, const char** attributes) override {
    events.push_back(StartEvent(name, attributes));
    return suspend_ ? XmlScanner::Action::kSuspend : XmlScanner::Action::kContinue;
  }
  XmlScanner::Action End(std::string_view name) override {
    events.push_back("</" + std::string(name) + ">");
    return suspend_ ? XmlScanner::Action::kSuspend : XmlScanner::Action::kContinue;
  }
  XmlScanner::Action Text(std::string_view text) override {
    AddTextEvent(events, text);
    return XmlScanner::Action::kContinue;
  }
  std::vector<std::string> events;

 private:
  bool suspend_;
};

// The scanner's events for `doc` fed `piece` bytes at a time (suspending after every element
// when asked), or nullopt when it refuses the document.
std::optional<std::vector<std::string>> ScannerEvents(const std::string& doc, size_t piece,
                                                      bool suspend) {
  Recorder r(suspend);
  XmlScanner s(r);
  size_t fed = 0;
  for (;;) {
    switch (s.Scan()) {
      case XmlScanner::Result::kDone: return r.events;
      case XmlScanner::Result::kError: return std::nullopt;
      case XmlScanner::Result::kStopped: ADD_FAILURE() << "stopped"; return std::nullopt;
      case XmlScanner::Result::kSuspended: break;
      case XmlScanner::Result::kNeedMore: {
        const size_t n = std::min(piece, doc.size() - fed);
        s.Feed(doc.data() + fed, n, fed + n == doc.size());
        fed += n;
        break;
      }
    }
  }
}

TEST(XmlScanner, GivesExpatsEventsWhereverTheDocumentIsCut) {
  const std::vector<std::string> docs = {
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Huế &amp; &lt;b&gt; &quot;x&apos; "
      "&#233;&#xE9;&#x1F600;</t></is></c>"
      "<c r='B1' s=\"3\"><v>1.5</v></c><c r=\"C1\"/></row></sheetData></worksheet>",
      "\xEF\xBB\xBF<a>x\r\ny\rz&#13;&#10;</a>",
      "<a b=\"1\t2\n3\r\n4 &#9;5\" c = 'say \"hi\"' >text<![CDATA[ <not> a ]] tag &amp; "
      "\r\n]]>more</a>",
      "<!-- before --><?pi data?><x:a x:r=\"A1\"><!-- inside --><?pi?><b  /><c></c >\n  "
      "<d/></x:a>\n<!-- after -->\n",
      "<a>\xC3\xA9\xE1\xBB\x87 tiếng Việt</a>",
      "<a></a>",
      "<a b=\"&#x000000041;&#0065;\">&#x0000000E9;</a>",
      "<a a0='' a1='' a2='' a3='' a4='' a5='' a6='' a7='' a8='' a9='' b0='' b1='' b2='' b3='' "
      "b4='' b5='' b6='' b7=''/>",
  };
  for (const auto& doc : docs) {
    auto expected = ExpatEvents(doc);
    ASSERT_TRUE(expected.has_value()) << doc;
    for (size_t piece = 1; piece <= doc.size(); ++piece) {
      EXPECT_EQ(ScannerEvents(doc, piece, false), expected) << doc << " in pieces of " << piece;
    }
    EXPECT_EQ(ScannerEvents(doc, 7, true), expected) << doc << " suspended after each element";
  }
}

TEST(XmlScanner, RefusesWhatExpatRefuses) {
  const std::vector<std::string> docs = {
      "<a><b></a>",
      "<a>",
      "<a></a><b/>",
      "<a b=\"1\" b=\"2\"/>",
      "<a>&unknown;</a>",
      "<a>&#0;</a>",
      "<a>&#xD800;</a>",
      "<!DOCTYPE a><a/>",
      "<a b=1/>",
      "text<a/>",
      "<a>x</a>y",
      "<a b=\"<\"/>",
      "<a>&amp</a>",
      "<a b=\"1\"c=\"2\"/>",
      "",
      "<a/ >",
      "<a><![CDATA[x</a>",
      "<a><!-- x</a>",
      "</a>",
      "<a></b>",
      "<a>x\x01y</a>",
      "<a b=\"\xE9\"/>",
      "<a\xFF/>",
      "<a><![CDATA[\x02]]></a>",
      "<a a0='' a1='' a2='' a3='' a4='' a5='' a6='' a7='' a8='' a9='' b0='' b1='' b2='' b3='' "
      "b4='' b5='' b6='' b7='' a3=''/>",
  };
  for (const auto& doc : docs) {
    EXPECT_FALSE(ExpatEvents(doc).has_value()) << "expat accepts " << doc;
    for (size_t piece : {size_t{1}, size_t{3}, doc.size() + 1}) {
      EXPECT_FALSE(ScannerEvents(doc, std::max<size_t>(piece, 1), false).has_value()) << doc;
    }
  }
}

TEST(XmlScanner, LeavesOtherEncodingsToExpat) {
  EXPECT_TRUE(XmlScanner::Eligible("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>"));
  EXPECT_TRUE(XmlScanner::Eligible("<?xml version='1.0' encoding='utf-8'?><a/>"));
  EXPECT_TRUE(XmlScanner::Eligible("<?xml version=\"1.0\"?><a/>"));
  EXPECT_TRUE(XmlScanner::Eligible("\xEF\xBB\xBF<a/>"));
  EXPECT_TRUE(XmlScanner::Eligible(""));
  EXPECT_FALSE(XmlScanner::Eligible("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>"));
  EXPECT_FALSE(XmlScanner::Eligible("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>"));
  EXPECT_FALSE(XmlScanner::Eligible(std::string_view("\xFF\xFE<\0a\0/\0>\0", 10)));
  EXPECT_FALSE(XmlScanner::Eligible(std::string_view("<\0a\0/\0>\0", 8)));
  EXPECT_FALSE(XmlScanner::Eligible("<?xml version=\"1.0\" "));  // the declaration goes on
}

TEST(XmlScanner, ErrorsSayOnWhichLine) {
  Recorder r(false);
  XmlScanner s(r);
  const std::string doc = "<a>\n<b>\n</c>";
  s.Feed(doc.data(), doc.size(), true);
  EXPECT_EQ(s.Scan(), XmlScanner::Result::kError);
  EXPECT_EQ(s.line(), 3);
  EXPECT_NE(s.error().find("</c>"), std::string::npos);
}

}  // namespace
}  // namespace odp::formats::internal
