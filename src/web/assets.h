// Static assets (CSS, JavaScript, the logo) and the interface messages, both built into the
// binary. Assets are served under names carrying a content hash (`/static/odp.3f2a9c1d.css`)
// with a year-long immutable cache; a new build changes the name, never the content behind one.
//
// Built into the binary. CMake globs `web/templates`, `web/templates/partials`, `web/static`,
// `web/messages.json` and htmx (`node_modules/htmx.org/dist/htmx.min.js`, pinned at 2.0.11 in
// `package.json` and `package-lock.json`), Chart.js, Leaflet and leaflet.markercluster (the map
// view: `leaflet.js`, `leaflet.css`, `leaflet.markercluster.js`, `markercluster.css`,
// `markercluster-default.css`) and the boundary file `web/maps/vn-provinces.geojson`
// (`application/geo+json`), and `cmake/embed_files.cmake` writes their bytes into
// `build/web_embedded.cpp` (`kEmbeddedFiles`). Changing any of them rebuilds that one file.
// Configuring without htmx stops with "htmx is missing: run `npm ci` …"; `scripts/build.sh` runs
// `npm ci` first when `node_modules` lacks it. None of these files is read from disk at run time.
//
// Static files (`assets.cpp`) are served under names that carry the first 10 hex digits of
// their SHA-256, e.g. `/static/odp.92810b50fd.css`, with `Cache-Control: public, max-age=31536000,
// immutable`. A new build changes the name, never the bytes behind a name; the plain name
// (`/static/odp.css`) is 404. Templates get the names as `assets.odp_css`, `assets.odp_js`,
// `assets.htmx_min_js` and `assets.logo_svg`.
//
// Messages (`web/messages.json`) hold every label as `"key": ["Vietnamese", "English"]`.
// `Assets::Load()` refuses a key without both texts, so `odp serve` does not start with a half
// translation. Two unit tests guard the file: every message has both languages, and every
// `{{t.key}}` a template uses exists. Services word their field problems in Vietnamese; English
// pages look up `"err:" + <the Vietnamese text>` for the English, and show the Vietnamese when
// there is none.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

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
