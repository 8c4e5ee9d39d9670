// The XML scanner that reads XLSX parts (formats/xml_scan.h), fed the input in pieces whose
// sizes come from the input, a handler suspending now and then; and compared with expat: a
// document expat accepts and the scanner takes (Eligible) must give the same events.
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "formats/xml_scan.h"
#include "testing/xml_events.h"

namespace {

using odp::formats::internal::XmlScanner;
using odp::testing::AddTextEvent;
using odp::testing::StartEvent;

class Recorder : public XmlScanner::Handler {
 public:
  explicit Recorder(unsigned seed) : seed_(seed) {}
  XmlScanner::Action Start(std::string_view name, const char** attributes) override {
    events.push_back(StartEvent(name, attributes));
    return Next();
  }
  XmlScanner::Action End(std::string_view name) override {
    events.push_back("</" + std::string(name) + ">");
    return Next();
  }
  XmlScanner::Action Text(std::string_view text) override {
    AddTextEvent(events, text);
    return Next();
  }
  std::vector<std::string> events;

 private:
  XmlScanner::Action Next() {
    seed_ = seed_ * 1103515245u + 12345u;
    return (seed_ >> 16) % 5 == 0 ? XmlScanner::Action::kSuspend : XmlScanner::Action::kContinue;
  }
  unsigned seed_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t piece = 1 + data[0] % 64;
  const std::string doc(reinterpret_cast<const char*>(data) + 1, size - 1);
  Recorder r(data[0]);
  XmlScanner s(r);
  size_t fed = 0;
  std::optional<std::vector<std::string>> got;
  for (bool running = true; running;) {
    switch (s.Scan()) {
      case XmlScanner::Result::kDone: got = r.events; running = false; break;
      case XmlScanner::Result::kError: running = false; break;
      case XmlScanner::Result::kStopped: std::abort();  // the recorder never stops
      case XmlScanner::Result::kSuspended: break;
      case XmlScanner::Result::kNeedMore: {
        const size_t n = std::min(piece, doc.size() - fed);
        s.Feed(doc.data() + fed, n, fed + n == doc.size());
        fed += n;
        break;
      }
    }
  }
  if (!XmlScanner::Eligible(std::string_view(doc).substr(0, 256))) return 0;
  auto expected = odp::testing::ExpatEvents(doc);
  if (expected && got != expected) std::abort();  // expat's document, read otherwise
  return 0;
}
