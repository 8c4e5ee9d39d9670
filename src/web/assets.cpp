#include "web/assets.h"

#include "base/crypto.h"
#include "web/embedded.h"

namespace odp::web {
namespace {

std::string ContentTypeOf(std::string_view name) {
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".svg")) return "image/svg+xml";
  if (name.ends_with(".png")) return "image/png";
  if (name.ends_with(".ico")) return "image/x-icon";
  if (name.ends_with(".geojson")) return "application/geo+json";
  return "application/octet-stream";
}

// "odp.css" → "odp_css"; "htmx.min.js" → "htmx_min_js" (the key templates use).
std::string KeyOf(const std::string& name) {
  std::string key = name;
  for (char& c : key) {
    if (c == '-' || c == '.') c = '_';
  }
  return key;
}

}  // namespace

Result<std::unique_ptr<Assets>> Assets::Load() {
  auto a = std::make_unique<Assets>();
  constexpr std::string_view kStatic = "static/";
  for (const internal::EmbeddedFile* f = internal::kEmbeddedFiles; f->name; ++f) {
    std::string_view path = f->name;
    if (path == "messages.json") {
      nlohmann::json m = nlohmann::json::parse(std::string_view(f->data, f->size), nullptr, false);
      if (!m.is_object()) return Status::Internal("messages.json is not a JSON object");
      for (const auto& [key, pair] : m.items()) {
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string() ||
            pair[0].get_ref<const std::string&>().empty() ||
            pair[1].get_ref<const std::string&>().empty()) {
          return Status::Internal("messages.json: " + key + " needs [Vietnamese, English]");
        }
        a->vi_[key] = pair[0];
        a->en_[key] = pair[1];
      }
      continue;
    }
    if (!path.starts_with(kStatic)) continue;
    std::string name(path.substr(kStatic.size()));
    auto bytes = std::make_shared<const std::string>(f->data, f->size);
    std::string hash = Sha256Hex(*bytes).substr(0, 10);
    size_t dot = name.rfind('.');
    Asset asset;
    asset.url = "/static/" + name.substr(0, dot) + "." + hash + name.substr(dot);
    asset.content_type = ContentTypeOf(name);
    asset.bytes = std::move(bytes);
    auto [it, _] = a->by_name_.emplace(name, std::move(asset));
    a->urls_[KeyOf(name)] = it->second.url;
  }
  for (const auto& [name, asset] : a->by_name_) a->by_url_[asset.url] = &asset;
  return a;
}

const Asset* Assets::Find(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &it->second;
}

const Asset* Assets::FindByUrl(const std::string& url) const {
  auto it = by_url_.find(url);
  return it == by_url_.end() ? nullptr : it->second;
}

const std::string& Assets::Message(Lang lang, const std::string& key) const {
  const nlohmann::json& m = Messages(lang);
  auto it = m.find(key);
  if (it == m.end()) return key;
  return it->get_ref<const std::string&>();
}

}  // namespace odp::web
