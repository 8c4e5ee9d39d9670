#include "formats/xml_scan.h"

#include <expat.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace odp::formats::internal {
namespace {

// Events as text ("<name a=v>", "</name>", "text"), adjacent text joined.
void AddText(std::vector<std::string>& events, std::string_view text) {
  if (!events.empty() && events.back().rfind("T:", 0) == 0) {
    events.back().append(text);
  } else {
    events.push_back("T:" + std::string(text));
  }
}
std::string StartEvent(std::string_view name, const char** attributes) {
  std::string e = "<" + std::string(name);
  for (size_t i = 0; attributes[i] != nullptr; i += 2) e += " " + std::string(attributes[i]) + "=" + attributes[i + 1];
  return e + ">";
}

// Expat's events for `doc`, or nullopt when expat refuses it.
std::optional<std::vector<std::string>> ExpatEvents(const std::string& doc) {
  std::vector<std::string> events;
  XML_Parser p = XML_ParserCreate(nullptr);
  XML_SetUserData(p, &events);
  XML_SetElementHandler(
      p,
      [](void* d, const XML_Char* name, const XML_Char** attributes) {
        static_cast<std::vector<std::string>*>(d)->push_back(StartEvent(name, attributes));
      },
      [](void* d, const XML_Char* name) {
        static_cast<std::vector<std::string>*>(d)->push_back("</" + std::string(name) + ">");
      });
  XML_SetCharacterDataHandler(p, [](void* d, const XML_Char* s, int n) {
    AddText(*static_cast<std::vector<std::string>*>(d), std::string_view(s, static_cast<size_t>(n)));
  });
  XML_SetStartDoctypeDeclHandler(p, [](void* d, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    static_cast<std::vector<std::string>*>(d)->push_back("DOCTYPE");
  });
  const bool ok = XML_Parse(p, doc.data(), static_cast<int>(doc.size()), XML_TRUE) == XML_STATUS_OK;
  XML_ParserFree(p);
  if (!ok || (!events.empty() && events[0] == "DOCTYPE")) return std::nullopt;
  return events;
}

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
    AddText(events, text);
    return XmlScanner::Action::kContinue;
  }
  std::vector<std::string> events;

 private:
  bool suspend_;
};

// The scanner's events for `doc` fed `piece` bytes at a time (suspending after every element
// when asked), or nullopt when it refuses the document.
std::optional<std::vector<std::string>> ScannerEvents(const std::string& doc, size_t piece, bool suspend) {
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
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Huế &amp; &lt;b&gt; &quot;x&apos; &#233;&#xE9;&#x1F600;</t></is></c>"
      "<c r='B1' s=\"3\"><v>1.5</v></c><c r=\"C1\"/></row></sheetData></worksheet>",
      "\xEF\xBB\xBF<a>x\r\ny\rz&#13;&#10;</a>",
      "<a b=\"1\t2\n3\r\n4 &#9;5\" c = 'say \"hi\"' >text<![CDATA[ <not> a ]] tag &amp; \r\n]]>more</a>",
      "<!-- before --><?pi data?><x:a x:r=\"A1\"><!-- inside --><?pi?><b  /><c></c >\n  <d/></x:a>\n<!-- after -->\n",
      "<a>\xC3\xA9\xE1\xBB\x87 tiếng Việt</a>",
      "<a></a>",
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
      "<a><b></a>",        "<a>",           "<a></a><b/>",         "<a b=\"1\" b=\"2\"/>", "<a>&unknown;</a>",
      "<a>&#0;</a>",       "<a>&#xD800;</a>", "<!DOCTYPE a><a/>",  "<a b=1/>",             "text<a/>",
      "<a>x</a>y",         "<a b=\"<\"/>",  "<a>&amp</a>",         "<a b=\"1\"c=\"2\"/>",  "",
      "<a/ >",             "<a><![CDATA[x</a>", "<a><!-- x</a>",   "</a>",                 "<a></b>",
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
  EXPECT_FALSE(XmlScanner::Eligible("\xFF\xFE<\0a\0/\0>\0"));
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
