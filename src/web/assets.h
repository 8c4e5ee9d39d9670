// Static assets (CSS, JavaScript, the logo) and the interface messages, both built into the
// binary. Assets are served under names carrying a content hash (`/static/odp.3f2a9c1d.css`)
// with a year-long immutable cache; a new build changes the name, never the content behind one.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>

#include "base/status.h"

namespace odp::web {

enum class Lang { kVi, kEn };

struct Asset {
  std::string url;           // "/static/odp.3f2a9c1d.css"
  std::string content_type;  // "text/css; charset=utf-8"
  std::shared_ptr<const std::string> bytes;
};

class Assets {
 public:
  // Reads the embedded `static/…` files and `messages.json`; kInternal when a message lacks a
  // language or the JSON is malformed.
  static Result<std::unique_ptr<Assets>> Load();

  // By logical name ("odp.css", "htmx.min.js"); null when unknown.
  const Asset* Find(const std::string& name) const;
  // By hashed URL path; null when unknown.
  const Asset* FindByUrl(const std::string& url) const;
  // {"odp_css": url, "odp_js": url, "htmx_min_js": url, …} for templates.
  const nlohmann::json& Urls() const { return urls_; }

  // Every message in one language, {"key": "text"}, for templates as `t`.
  const nlohmann::json& Messages(Lang lang) const { return lang == Lang::kEn ? en_ : vi_; }
  // One message; the key itself when unknown.
  const std::string& Message(Lang lang, const std::string& key) const;

 private:
  std::map<std::string, Asset> by_name_;
  std::map<std::string, const Asset*> by_url_;
  nlohmann::json urls_ = nlohmann::json::object();
  nlohmann::json vi_ = nlohmann::json::object();
  nlohmann::json en_ = nlohmann::json::object();
};

}  // namespace odp::web
