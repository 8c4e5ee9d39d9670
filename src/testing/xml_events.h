// Test support: an XML document's events as text lines ("<name a=v>", "</name>", "T:text", with
// adjacent text joined), so that XmlScanner (formats/xml_scan.h) can be compared with expat in
// the unit tests and in the fuzz target.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace odp::testing {

// Appends `text` to `events`, joined to the text event before it if any (empty text adds nothing).
void AddTextEvent(std::vector<std::string>& events, std::string_view text);
// "<name a=v b=w>" for a start tag (`attributes`: name, value, …, nullptr).
std::string StartEvent(std::string_view name, const char** attributes);
// Expat's events for the whole of `doc`, or nullopt when expat refuses it (or it has a DOCTYPE,
// which the readers refuse).
std::optional<std::vector<std::string>> ExpatEvents(const std::string& doc);

}  // namespace odp::testing
