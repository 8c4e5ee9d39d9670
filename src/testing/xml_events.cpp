#include "testing/xml_events.h"

#include <expat.h>

namespace odp::testing {

void AddTextEvent(std::vector<std::string>& events, std::string_view text) {
  if (text.empty()) return;
  if (!events.empty() && events.back().rfind("T:", 0) == 0) {
    events.back().append(text);
  } else {
    events.push_back("T:" + std::string(text));
  }
}

std::string StartEvent(std::string_view name, const char** attributes) {
  std::string e = "<" + std::string(name);
  for (size_t i = 0; attributes[i] != nullptr; i += 2)
    e += " " + std::string(attributes[i]) + "=" + attributes[i + 1];
  return e + ">";
}

std::optional<std::vector<std::string>> ExpatEvents(const std::string& doc) {
  struct Seen {
    std::vector<std::string> events;
    bool doctype = false;
  } seen;
  XML_Parser p = XML_ParserCreate(nullptr);
  XML_SetUserData(p, &seen);
  XML_SetElementHandler(
      p,
      [](void* d, const XML_Char* name, const XML_Char** attributes) {
        static_cast<Seen*>(d)->events.push_back(StartEvent(name, attributes));
      },
      [](void* d, const XML_Char* name) {
        static_cast<Seen*>(d)->events.push_back("</" + std::string(name) + ">");
      });
  XML_SetCharacterDataHandler(p, [](void* d, const XML_Char* s, int n) {
    AddTextEvent(static_cast<Seen*>(d)->events, std::string_view(s, static_cast<size_t>(n)));
  });
  XML_SetStartDoctypeDeclHandler(p, [](void* d, const XML_Char*, const XML_Char*, const XML_Char*,
                                       int) { static_cast<Seen*>(d)->doctype = true; });
  const bool ok = XML_Parse(p, doc.data(), static_cast<int>(doc.size()), XML_TRUE) == XML_STATUS_OK;
  XML_ParserFree(p);
  if (!ok || seen.doctype) return std::nullopt;
  return seen.events;
}

}  // namespace odp::testing
