#include "web/render.h"

#include <cmark.h>
#include <kainjow/mustache.hpp>

#include "web/embedded.h"

namespace odp::web {

namespace mustache = kainjow::mustache;

struct Templates::Compiled {
  explicit Compiled(const std::string& text) : tmpl(text) {}
  mutable std::mutex mu;  // the engine records errors in the template while rendering
  mutable mustache::mustache tmpl;
};

Templates::~Templates() = default;

namespace {

constexpr std::string_view kTemplateDir = "templates/";
constexpr std::string_view kPartialDir = "templates/partials/";
constexpr std::string_view kSuffix = ".mustache";

// Replaces `{{> name}}` with the partial's text, recursively (depth-limited against cycles).
Result<std::string> ExpandPartials(const std::string& text,
                                   const std::map<std::string, std::string>& partials, int depth) {
  if (depth > 8) return Status::Internal("template partials nest too deeply");
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t open = text.find("{{>", pos);
    if (open == std::string::npos) break;
    size_t close = text.find("}}", open);
    if (close == std::string::npos) return Status::Internal("unterminated partial tag");
    std::string name = text.substr(open + 3, close - open - 3);
    while (!name.empty() && name.front() == ' ') name.erase(name.begin());
    while (!name.empty() && name.back() == ' ') name.pop_back();
    auto it = partials.find(name);
    if (it == partials.end()) return Status::Internal("unknown partial: " + name);
    out.append(text, pos, open - pos);
    ODP_ASSIGN_OR_RETURN(std::string inner, ExpandPartials(it->second, partials, depth + 1));
    out += inner;
    pos = close + 2;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

mustache::data ToData(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data d{mustache::data::type::object};
      for (const auto& [k, v] : j.items()) d.set(k, ToData(v));
      return d;
    }
    case nlohmann::json::value_t::array: {
      mustache::data d{mustache::data::type::list};
      for (const auto& v : j) d.push_back(ToData(v));
      return d;
    }
    case nlohmann::json::value_t::string:
      // An empty string is false, so that `{{#field}}…{{/field}}` hides what is not there.
      if (j.get_ref<const std::string&>().empty()) return mustache::data{false};
      return mustache::data{j.get_ref<const std::string&>()};
    case nlohmann::json::value_t::boolean: return mustache::data{j.get<bool>()};
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return mustache::data{std::to_string(j.get<int64_t>())};
    case nlohmann::json::value_t::number_float: return mustache::data{j.dump()};
    default: return mustache::data{false};
  }
}

}  // namespace

Result<std::unique_ptr<Templates>> Templates::Load() {
  std::map<std::string, std::string> partials, pages;
  for (const internal::EmbeddedFile* f = internal::kEmbeddedFiles; f->name; ++f) {
    std::string_view name = f->name;
    if (!name.starts_with(kTemplateDir) || !name.ends_with(kSuffix)) continue;
    std::string text(f->data, f->size);
    if (name.starts_with(kPartialDir)) {
      name.remove_prefix(kPartialDir.size());
      name.remove_suffix(kSuffix.size());
      partials.emplace(std::string(name), std::move(text));
    } else {
      name.remove_prefix(kTemplateDir.size());
      name.remove_suffix(kSuffix.size());
      pages.emplace(std::string(name), std::move(text));
    }
  }
  std::unique_ptr<Templates> t(new Templates());
  for (const auto& [name, text] : pages) {
    auto expanded = ExpandPartials(text, partials, 0);
    if (!expanded.ok())
      return Status::Internal("template " + name + ": " + expanded.status().message());
    auto c = std::make_unique<Compiled>(*expanded);
    if (!c->tmpl.is_valid())
      return Status::Internal("template " + name + ": " + c->tmpl.error_message());
    t->compiled_.emplace(name, std::move(c));
  }
  return t;
}

Result<std::string> Templates::Render(const std::string& name, const nlohmann::json& view) const {
  auto it = compiled_.find(name);
  if (it == compiled_.end()) return Status::Internal("no template " + name);
  mustache::data data = ToData(view);
  std::lock_guard lock(it->second->mu);
  std::string out = it->second->tmpl.render(data);
  if (!it->second->tmpl.is_valid()) {
    return Status::Internal("template " + name + ": " + it->second->tmpl.error_message());
  }
  return out;
}

std::string MarkdownToHtml(const std::string& markdown) {
  // CMARK_OPT_SAFE is the default in cmark 0.30: raw HTML and unsafe link schemes are dropped.
  char* html =
      cmark_markdown_to_html(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
  std::string out = html ? html : "";
  free(html);  // NOLINT: cmark allocates with malloc
  return out;
}

std::string EscapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (char ch : s) {
    switch (ch) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

}  // namespace odp::web
