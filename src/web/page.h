// What every page handler shares: the caller, the language, the common view (site, user,
// navigation, messages), rendering into the layout, redirects, forms and errors.
//
// The pages call the same services as the APIs, with the same `Principal`, so a page, a REST answer
// and a CKAN action never disagree. A restricted dataset is a 404 page for whoever may not read it,
// exactly as in the APIs.
//
// How a page request flows.
//
// 1. `AddPage(router, web, method, pattern, handler, cacheable)` (`page.h`) registers the
//    handler twice: under `pattern` (Vietnamese) and under `/en` + `pattern` (English); `/` also
//    gets `/en` and `/en/`. The language comes from the path.
// 2. The wrapper authenticates the caller with `api::Authenticate` (session cookie, or a token;
//    a stale cookie is anonymous) and builds a `Page`: the caller, the language, `base()` (`""`
//    or `/en`, the prefix of every internal link), the form fields, and helpers for dates (Viet
//    Nam time, `23/11/2026` or `23 Nov 2026`), sizes (`1,2 MB` or `1.2 MB`) and messages.
// 3. The handler calls the services and builds a JSON view on top of `Page::View(title)`, the
//    part every page shares: `t` (every message in the page's language), `site` (name, tagline,
//    logo, contact, footer from the site settings), `assets` (hashed URLs), `theme_url`, `user`
//    (name, `editor`, `sysadmin`) and `csrf` for logged-in callers, and the link to the same
//    page in the other language.
// 4. `Page::Render(template, view)` renders the page's template, then renders `layout` with the
//    result as `body`, and sets the headers (below). Forms answer with a 303 to a page that
//    shows the result (`?done=created` → "Đã tạo bộ dữ liệu. Hãy thêm tệp rồi gửi duyệt."), or
//    with the form again, the typed values kept and a message next to each wrong field.
// 5. Public pages are registered `Cacheable::kYes`. When such a page answers a `GET` from a
//    caller who sent no credentials at all (no `Authorization`, `Cookie` or `X-CKAN-API-Key`)
//    with 200, the whole serialised answer goes into the `fast` cache, keyed by the request
//    target (`/datasets?q=mưa&sort=newest`) and the catalogue generation read *before* the page
//    was built. The HTTP fast path then serves the same target straight from the I/O thread,
//    without the router, until the next catalogue write or `catalog.Touch()` (saving the site
//    settings and a finished table load call it). See "Caching". Pages that show view and
//    download counts (home, dataset, statistics) call `ShowsLiveFigures()`: their cached copy
//    is served for at most `kLiveFiguresMaxAge` (1 s), so the counts are current without being
//    baked in until the next catalogue write. Dataset and table pages call `CountView()`: the
//    view is counted when the page is built and, through the cache entry's `on_serve`, each
//    time the fast path serves the cached copy (catalog/usage_counter.h: memory only).
//
// A path that no route matches is still the router's JSON 404; the pages answer with an HTML error
// page (in the page's language) only for what their handler looks up, such as an unknown dataset.
// Anonymous visitors who open a page that needs an account are sent to `/login?next=<the page>`;
// logged-in users without the right get a 403 page.
//
// The pages, each also under `/en`:
//
// - Part: File; Pages
// - public (cached for anonymous visitors): `public_pages.cpp`; `/`, `/datasets` (search),
//   `/datasets/{slug}`, `/organizations`, `/organizations/{slug}`, `/sectors`, `/sectors/{slug}`,
//   `/topics`, `/topics/{slug}`, `/about`, `/developers` (the OpenAPI operations, grouped by tag),
//   `/thong-ke` (usage statistics; `/en/statistics` in English, see stats_page.cpp)
// - found on the web (cached for anonymous visitors): `discovery_pages.cpp`; the Atom feeds
//   `/feed.atom`, `/organizations/{slug}/feed.atom`, `/sectors/{slug}/feed.atom`,
//   `/topics/{slug}/feed.atom`; in one language only: `/robots.txt`, `/sitemap.xml`,
//   `/sitemap-{n}.xml`
// - following by e-mail: `follow.cpp`; `/theo-doi` (GET form, POST request), `/theo-doi/xac-nhan`
//   (GET button, POST confirm), `/theo-doi/huy` (GET button, POST unsubscribe, also one-click)
// - accounts: `account_pages.cpp`; `/login`, `/register`, `/logout` (POST), `/profile`,
//   `/profile/password` (POST), `/profile/privacy` (POST: accept the current privacy notice),
//   `/tokens`, `/tokens/{id}/revoke` (POST), `/quen-mat-khau` (forgotten password),
//   `/dat-mat-khau?token=` (set a password from an invitation or reset link)
// - sign-in with the public-service portal: `oidc_pages.cpp`; `/login/oidc`,
//   `/login/oidc/callback`, `/profile/oidc` and `/profile/oidc/unlink` (POST)
// - workspace: `workspace_pages.cpp`; `/workspace`, `/workspace/new`, `/workspace/datasets/{slug}`
//   and its `/edit`, `/resources`, `/submit`, `/withdraw`, `/delete`;
//   `/workspace/resources/{id}/replace` and `/delete`; `/workspace/review`,
//   `/workspace/review/{slug}` and its `/approve`, `/reject`
// - sharing: `sharing_pages.cpp`; `/chia-se` (catalogue, offer), `/chia-se/dich-vu/{id}` and its
//   `/yeu-cau` (multipart request with the PDF letter), `/ngung`; `/chia-se/yeu-cau[/{id}]` and its
//   `/bo-sung`, `/tra-loi`, `/phe-duyet`, `/tu-choi`, `/rut`; `/chia-se/lich[/xoa]`,
//   `/chia-se/qua-han`, `/thong-bao[/da-doc]`
// - administration: `admin_pages.cpp`; `/admin`, `/admin/organizations[/{slug}]` with `/members`,
//   `/members/{user}`, `/members/{user}/remove`; `/admin/users` with `/{user}/disable`, `/enable`,
//   `/reset-password`; `/admin/taxonomy` with `/groups`, `/groups/{slug}`, `/licenses`;
//   `/admin/settings` (identity and emblem; multipart) with `/mail`, `/mail/test` and `/oidc`,
//   `/admin/legal` (terms and privacy notice), `/admin/invitations` with `/{user}/resend`,
//   `/{user}/revoke`
// - usage and the audit log: `usage_pages.cpp`; `/usage` (consumer systems' calls per day, for
//   providers, consumer owners and sysadmins), `/admin/audit` (the log and its verification)
//
// `web.cpp` also registers three routes outside `AddPage`, in one language only: `/static/{file}`,
// `/theme.css` and `/favicon.ico` (the built-in logo, `image/svg+xml`, cached for a day).
//
// CSRF.
//
// - Forms of logged-in users carry the session's CSRF token in a hidden `csrf` field;
//   `api::CheckCsrf` compares it (or an `X-CSRF-Token` header) with the session's, in constant
//   time. Without it the answer is a 403 page ("Thiếu mã chống giả mạo yêu cầu (CSRF); hãy tải
//   lại trang") and nothing changes. Logging out is a form too.
// - The login and registration forms have no session yet. They use a double submit: the form page
//   sets the cookie `odp_form` (24 random bytes, `HttpOnly; SameSite=Strict`, two hours, `Secure`
//   with `ODP_SECURE_COOKIES`) and puts the same value in the form; the POST must send both.
//   Otherwise it is 403 "Biểu mẫu đã hết hạn; hãy tải lại trang và thử lại". After a login,
//   `next` is followed only when it is a local path (`/x`, not `//host`).
// - Upload forms are multipart: their `csrf` field is read from the spooled body, and checked
//   before the file is stored (see "Uploads").
//
// Headers and CSP. Every page carries:
//
//   Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'; img-src
//   'self' data: https:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors
//   'none' X-Content-Type-Options: nosniff X-Frame-Options: DENY Referrer-Policy:
//   strict-origin-when-cross-origin Vary: Cookie Cache-Control: no-cache (anonymous; "private,
//   no-store" when logged in; "no-store" on /login and /register)
//
// A table page with a map (resource_page.cpp) narrows `img-src` to `'self' data:` and the tile
// server of the site settings (catalog::TileCspSource), plus the host of an emblem given as an
// https:// address, through Page::RestrictImagesTo.
//
// There is no `unsafe-inline`: no inline script, style or `on…=` handler anywhere (the integration
// test checks every page it fetches). The only inline `<script>` is the schema.org JSON-LD block of
// a dataset page (`type="application/ld+json"`, data that browsers do not run, with `<` written as
// `\u003c`). The site's colours, which the administrator changes, are therefore not an inline style
// but a stylesheet, `/theme.css?v=HASH` (`:root{--primary:…;--accent:…}`); `HASH` is taken from the
// stylesheet's text, so browsers fetch new colours as soon as they change (also after a restart)
// although the answer is cached as immutable. htmx is configured by a meta tag, not by script:
//
//   <meta name="htmx-config"
//   content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"historyCacheSize":0,"selfRequestsOnly":true}'>
//
// `includeIndicatorStyles: false` stops htmx from adding its own `<style>` element, which the CSP
// would block; `allowEval: false` turns off the htmx features that evaluate JavaScript expressions,
// and `allowScriptTags: false` keeps it from running scripts in the content it swaps in.
//
// Progressive enhancement. Every page works without JavaScript: links are links, forms are
// plain `GET` (search) or `POST` + 303 forms. Scripts (`htmx.min.js`, `web/static/odp.js`, both
// `defer`) only add to that:
//
// - htmx (`hx-boost` on the search block `#results`, in `partials/search_results.mustache`):
//   facet links, filter chips, the pager, the search box and the sort select inside it are
//   fetched in the background; htmx takes `#results` out of the answer (`hx-select`), swaps it in
//   place and pushes the new URL, so the back button and shared links work. The server does not
//   treat these requests differently: it answers the full page, which the page cache serves as
//   well.
// - `odp.js`:
//   - forms marked `data-upload` (adding and replacing files) are sent with `XMLHttpRequest`,
//     with a `<progress>` bar and a percentage ("Đang tải lên… 42%"). The button is disabled
//     while sending. When the connection fails or is aborted, the form says "Tải lên thất bại.
//     Kiểm tra kết nối rồi bấm nút lần nữa để thử lại." and the button works again, so pressing
//     it retries. When the server has answered, the browser follows its redirect, or shows its
//     page with the errors;
//   - forms with `data-confirm` ask before deleting a dataset or a file, revoking a token,
//     removing a member or resetting a password;
//   - buttons with `data-copy` copy the text of the element they name (API examples, a new
//     token, a new password);
//   - a select with `data-autosubmit` (the sort order) submits its form when it changes.
//
// Tests. `src/web/render_test.cpp` (templates parse, escaping, messages in both languages,
// hashed asset URLs, Markdown safety); `tests/integration/pages.test.mjs` over HTTP (headers and
// CSP, both languages, assets, the page cache and its invalidation, CSRF on both kinds of form,
// escaping, field errors, restricted datasets, site settings, download counts);
// `tests/browser/*.test.mjs` drive Debian's Chromium through `playwright-core` (search with and
// without JavaScript, accounts, publishing and review, downloads, restricted datasets).
// `bench/run.sh` has a "pages" section that compares the home page and a dataset page, served
// anonymously from the page cache, with nginx serving static files of the same sizes.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

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
  // Formats a day written "2026-12-07" the same way; other text is returned as it is.
  std::string Day(const std::string& iso_day) const;

  // Counts this answer as a view of `dataset_id` (its page, or with `resource_id` the page of
  // one of its tables). When the answer goes into the page cache, every answer served from
  // there counts as a view too.
  void CountView(const std::string& dataset_id, const std::string& resource_id = "");
  // The page shows view or download counts: a cached copy is rebuilt after kLiveFiguresMaxAge,
  // so anonymous visitors see current figures within about a second.
  void ShowsLiveFigures() { live_figures_ = true; }

  // What AddPage reads after the handler (see CountView and ShowsLiveFigures).
  const std::optional<std::pair<std::string, std::string>>& counted_view() const {
    return counted_view_;
  }
  bool live_figures() const { return live_figures_; }

  // The page head (built once per answer by Render(), so once per cached page): the meta
  // description, Open Graph and Twitter card, the canonical address (the path and only the
  // `page` parameter, on the configured site URL) and the hreflang alternates between this page
  // and its twin in the other language (the view's `alt_lang_url`) with x-default the
  // Vietnamese one. Describe() sets the description (plain text, e.g. FirstSentence of a
  // description); without it the head says "<title> · <site title>: <tagline>".
  // SetOpenGraphType: "website" unless set ("article" for a dataset).
  void Describe(std::string text) { description_ = std::move(text); }
  void SetOpenGraphType(std::string type) { og_type_ = std::move(type); }
  // The Atom feed of this page (a path, e.g. "/organizations/so-y-te/feed.atom"): the head links
  // it (rel="alternate") and the layout shows "Theo dõi (Atom)".
  void SetFeed(std::string path) { feed_path_ = std::move(path); }
  // What a visitor may follow by e-mail from this page: the layout shows the follow form.
  // `kind` is "dataset" or "organization", `key` its slug.
  void SetFollowTarget(std::string kind, std::string key) {
    follow_ = std::make_pair(std::move(kind), std::move(key));
  }

  // Narrows the page's `img-src` from "'self' data: https:" to "'self' data:" and `sources`
  // (CSP sources such as "https://tile.openstreetmap.org"; the map page's tile server). Render()
  // applies it.
  void RestrictImagesTo(std::vector<std::string> sources) { image_sources_ = std::move(sources); }

 private:
  // The head (see Describe).
  json Head(const json& view) const;

  std::optional<std::vector<std::string>> image_sources_;
  std::string description_;
  std::string og_type_ = "website";
  std::string feed_path_;
  std::optional<std::pair<std::string, std::string>> follow_;        // kind, slug
  std::optional<std::pair<std::string, std::string>> counted_view_;  // dataset, resource
  bool live_figures_ = false;
  std::string base_;
  bool form_parsed_ = false;
  std::map<std::string, std::string> form_;
  std::vector<std::pair<std::string, std::string>> form_pairs_;
};

using PageHandler = std::function<http::Response(Page&, const api::PathParams&)>;

// Adds `pattern` and `/en` + `pattern` to the router. Anonymous 200 GET answers are kept in the
// fast cache until the next catalogue write when `cacheable`.
enum class Cacheable { kNo, kYes };
// How long a cached page that shows live figures (Page::ShowsLiveFigures) is served.
inline constexpr std::chrono::milliseconds kLiveFiguresMaxAge{1000};
void AddPage(api::Router& router, WebContext& web, const std::string& method,
             const std::string& pattern, PageHandler handler, Cacheable cacheable = Cacheable::kNo);

// Security headers every HTML answer carries (CSP without unsafe-inline, nosniff, frame and
// referrer policies). `img_src` replaces the policy's default image sources ("'self' data:
// https:") when given (Page::RestrictImagesTo).
void SetPageHeaders(http::Response& r, const std::string& img_src = "'self' data: https:");

// Human-readable size: "1,2 MB" (vi) / "1.2 MB" (en).
std::string FormatBytes(int64_t n, Lang lang);
// A count with thousands grouped: "12.345" (vi) / "12,345" (en).
std::string FormatCount(int64_t n, Lang lang);
// A month "2026-12" as "12/2026" (vi) / "Dec 2026" (en).
std::string FormatMonth(const std::string& month, Lang lang);

// Page registration, one per file.
void RegisterPublicPages(api::Router& router, WebContext& web);
// GET /datasets/{slug}/resources/{id}: the table paged, sorted, filtered, charted
// (resource_page.cpp).
http::Response ResourcePage(Page& p, const api::PathParams& params);
void RegisterAccountPages(api::Router& router, WebContext& web);
void RegisterWorkspacePages(api::Router& router, WebContext& web);
void RegisterAdminPages(api::Router& router, WebContext& web);
void RegisterConsumerPages(api::Router& router, WebContext& web);
// /chia-se…: the sharing catalogue, requests and decisions, calendar, overdue board;
// /thong-bao: notifications (sharing_pages.cpp).
void RegisterSharingPages(api::Router& router, WebContext& web);
void RegisterGrantPages(api::Router& router, WebContext& web);
// /robots.txt, /sitemap.xml and /sitemap-N.xml, and the Atom feeds /feed.atom,
// /organizations/{slug}/feed.atom, /sectors/{slug}/feed.atom, /topics/{slug}/feed.atom
// (discovery_pages.cpp).
void RegisterDiscoveryPages(api::Router& router, WebContext& web);
// /theo-doi…: following a dataset or an agency by e-mail, its confirmation and unsubscribing
// (follow.cpp).
void RegisterFollowPages(api::Router& router, WebContext& web);
// /thong-ke and /en/statistics: views and downloads as charts and tables (stats_page.cpp).
void RegisterStatsPages(api::Router& router, WebContext& web);
// /usage and /admin/audit: consumer systems' calls and the audit log (usage_pages.cpp).
void RegisterUsagePages(api::Router& router, WebContext& web);

}  // namespace odp::web
