// Rendering: mustache templates (HTML-escaped by default) and Markdown (CommonMark, raw HTML
// dropped). The template engine's headers stay inside render.cpp; callers hand in JSON views.
//
// Templates (`web/templates/*.mustache`, partials in `web/templates/partials/`) are logic-less
// mustache, rendered by kainjow mustache (`render.cpp`; the engine's header stays in that file).
//
// - `Templates::Load()` parses every template once at start-up. `{{> name}}` is replaced by the
//   partial's text at load time, so a partial costs nothing per render. A template that does not
//   parse stops `odp serve` with the template's name.
// - `{{value}}` is HTML-escaped; only `{{{body}}}` (a rendered template) and
//   `{{{description_html}}}` (Markdown output) are inserted raw. An empty string counts as false
//   in a section, so `{{#email}}…{{/email}}` hides what is not there.
// - The engine keeps error state inside the template object, so each template has a mutex and
//   renders of the same template run one at a time. Every page ends with `layout`, so that last
//   step is serialised across the workers.
//
// Markdown descriptions of datasets, organizations, sectors and topics are rendered by libcmark
// (`MarkdownToHtml`, CommonMark with smart punctuation). cmark 0.30's default is its safe mode: raw
// HTML is replaced by a comment and `javascript:`, `vbscript:`, `file:` and most `data:` links are
// emptied. A unit test (`Markdown.RendersAndDropsRawHtmlAndScriptLinks`) checks both.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace odp::web {

// Every template built into the binary, parsed once. `{{> name}}` includes
// `templates/partials/name.mustache` textually when the templates are loaded, so a partial costs
// nothing per render.
class Templates {
 public:
  // Loads and parses the embedded templates; an invalid template is kInternal naming it.
  static Result<std::unique_ptr<Templates>> Load();
  ~Templates();

  // Renders template `name` ("home" for templates/home.mustache) with `view`. Strings, numbers
  // and booleans in `view` become mustache values; objects and arrays sections.
  // Safe to call from any thread.
  Result<std::string> Render(const std::string& name, const nlohmann::json& view) const;

  bool Has(const std::string& name) const { return compiled_.count(name) > 0; }

 private:
  Templates() = default;
  struct Compiled;
  std::map<std::string, std::unique_ptr<Compiled>> compiled_;
};

// CommonMark to HTML; raw HTML and javascript:/data: links are removed (cmark's safe mode).
std::string MarkdownToHtml(const std::string& markdown);

// HTML-escapes text for attribute or element content.
std::string EscapeHtml(std::string_view s);

}  // namespace odp::web
