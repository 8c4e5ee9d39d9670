// What every page handler shares: the caller, the language, the common view (site, user,
// navigation, messages), rendering into the layout, redirects, forms and errors.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>

#include "web/web.h"

namespace odp::web {

using json = nlohmann::json;

class Page {
 public:
  Page(WebContext& web, http::Request& req, Lang lang, access::Principal who);

  WebContext& web;
  api::ApiContext& api;
  http::Request& req;
  const Lang lang;
  const access::Principal who;

  bool en() const { return lang == Lang::kEn; }
  // "/en" for English pages, "" for Vietnamese; prefix of every internal link.
  const std::string& base() const { return base_; }
  std::string Url(const std::string& path) const { return base_ + path; }
  const std::string& T(const std::string& key) const { return web.assets->Message(lang, key); }
  // Picks the text for this language, falling back to Vietnamese.
  const std::string& Pick(const std::string& vi, const std::string& en_text) const {
    return en() && !en_text.empty() ? en_text : vi;
  }

  // The view every template gets: t (messages), site, user, assets, lang, base, csrf,
  // alternate-language link, and `title`.
  json View(const std::string& title) const;

  // Renders `tmpl` into the layout. `view` should come from View().
  http::Response Render(const std::string& tmpl, json view, int status = 200) const;
  // A 303 to an internal path (already prefixed with base() by the caller, or not: `path`
  // starting with "/" gets the language prefix added when `localize`).
  http::Response Redirect(const std::string& path, bool localize = true) const;
  // An error page for a service status: 404/403/400… with the message in this language.
  http::Response Error(const Status& s) const;
  // Sends anonymous visitors to the login page (returning here afterwards); 403 for users.
  http::Response NeedLogin() const;

  // The fields of a urlencoded or multipart form (for multipart: the non-file fields only).
  const std::map<std::string, std::string>& Form();
  // One field of the form; "" when absent.
  std::string Field(const std::string& name);
  std::vector<std::string> FormList(const std::string& name);
  // Checks the CSRF token sent in the form's `csrf` field against the session.
  Status CheckCsrf();

  // Field errors of a Status for templates: {"field": "message in this language"}.
  json FieldErrors(const Status& s) const;
  std::string Message(const Status& s) const { return en() ? s.message() : s.message_vi(); }

  // Formats a time as "23/11/2026" (vi) or "23 Nov 2026" (en); with_time adds "14:05".
  std::string Date(Micros t, bool with_time = false) const;

 private:
  std::string base_;
  bool form_parsed_ = false;
  std::map<std::string, std::string> form_;
  std::vector<std::pair<std::string, std::string>> form_pairs_;
};

using PageHandler = std::function<http::Response(Page&, const api::PathParams&)>;

// Adds `pattern` and `/en` + `pattern` to the router. Anonymous 200 GET answers are kept in the
// fast cache until the next catalogue write when `cacheable`.
enum class Cacheable { kNo, kYes };
void AddPage(api::Router& router, WebContext& web, const std::string& method, const std::string& pattern,
             PageHandler handler, Cacheable cacheable = Cacheable::kNo);

// Security headers every HTML answer carries (CSP without unsafe-inline, nosniff, frame and
// referrer policies).
void SetPageHeaders(http::Response& r);

// Human-readable size: "1,2 MB" (vi) / "1.2 MB" (en).
std::string FormatBytes(int64_t n, Lang lang);

// Page registration, one per file.
void RegisterPublicPages(api::Router& router, WebContext& web);
// GET /datasets/{slug}/resources/{id}: the table paged, sorted, filtered, charted (resource_page.cpp).
http::Response ResourcePage(Page& p, const api::PathParams& params);
void RegisterAccountPages(api::Router& router, WebContext& web);
void RegisterWorkspacePages(api::Router& router, WebContext& web);
void RegisterAdminPages(api::Router& router, WebContext& web);

}  // namespace odp::web
