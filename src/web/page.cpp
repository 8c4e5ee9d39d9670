#include "web/page.h"

#include <cstdio>
#include <ctime>

#include "base/parse.h"
#include "base/time.h"
#include "http/request.h"
#include "sharing/sharing.h"

namespace odp::web {

namespace {

// "0234 3822 123" → "tel:+842343822123"; "" when there is no number.
std::string TelUri(const std::string& phone) {
  std::string digits;
  for (char c : phone) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (digits.empty()) return "";
  if (phone.find('+') != std::string::npos) return "tel:+" + digits;
  if (digits[0] == '0') return "tel:+84" + digits.substr(1);
  return "tel:" + digits;
}

}  // namespace

Page::Page(WebContext& w, http::Request& r, Lang l, access::Principal p)
    : web(w), api(w.api), req(r), lang(l), who(std::move(p)), base_(l == Lang::kEn ? "/en" : "") {}

json Page::View(const std::string& title) const {
  catalog::SiteSettings s = api.settings.Get();
  json v;
  v["t"] = web.assets->Messages(lang);
  v["lang"] = en() ? "en" : "vi";
  v["base"] = base_;
  v["title"] = title;
  v["assets"] = web.assets->Urls();
  v["theme_url"] = ThemeUrl(s);
  // Who runs the site (Decree 42/2022), for the header and the footer of every page.
  v["site"] = {
      {"title", Pick(s.title_vi, s.title_en)},
      {"tagline", Pick(s.tagline_vi, s.tagline_en)},
      {"logo_url", catalog::LogoPath(s)},
      {"province", Pick(s.province_vi, s.province_en)},
      {"agency", Pick(s.agency_vi, s.agency_en)},
      {"responsible", Pick(s.responsible_vi, s.responsible_en)},
      {"license", Pick(s.license_vi, s.license_en)},
      {"contact_email", s.contact_email},
      {"contact_phone", s.contact_phone},
      {"contact_phone_tel", TelUri(s.contact_phone)},
      {"address", Pick(s.address_vi, s.address_en)},
      {"footer", Pick(s.footer_vi, s.footer_en)},
      {"has_contact", !(s.agency_vi.empty() && s.address_vi.empty() && s.address_en.empty() &&
                        s.contact_phone.empty() && s.contact_email.empty())}};
  // The same page in the other language.
  std::string path = req.path;
  if (en()) path = path.size() > 3 ? path.substr(3) : "/";
  std::string other = en() ? path : (path == "/" ? "/en/" : "/en" + path);
  if (!req.query_string.empty()) other += "?" + req.query_string;
  v["alt_lang_url"] = other;
  v["alt_lang_label"] = en() ? "Tiếng Việt" : "English";
  v["alt_lang_code"] = en() ? "vi" : "en";
  v["stats_url"] = en() ? "/en/statistics" : "/thong-ke";
  v["here"] = req.target;
  if (who.authenticated()) {
    bool editor = who.sysadmin;
    for (const auto& [org, role] : who.roles) {
      if (role != OrgRole::kMember) editor = true;
    }
    v["user"] = {{"name", who.username}, {"sysadmin", who.sysadmin}, {"editor", editor}};
    // The bell: staff of an agency (and sysadmins) get notifications of data sharing.
    if (api.sharing != nullptr && access::Allowed(who, access::Action::kReadSharingCatalogue, {})) {
      auto unread = api.sharing->notifications().Unread(who);
      v["user"]["bell"] = {{"unread", unread.ok() ? *unread : 0},
                           {"has_unread", unread.ok() && *unread > 0}};
    }
    v["csrf"] = who.csrf_token;
  } else {
    v["user"] = false;
  }
  return v;
}

void SetPageHeaders(http::Response& r, const std::string& img_src) {
  r.Set("Content-Type", "text/html; charset=utf-8");
  r.Set("Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + img_src +
            "; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
  r.Set("X-Content-Type-Options", "nosniff");
  r.Set("X-Frame-Options", "DENY");
  r.Set("Referrer-Policy", "strict-origin-when-cross-origin");
  r.Set("Vary", "Cookie");
}

json Page::Head(const json& view) const {
  const std::string& site_url = api.config.site_url;
  const catalog::SiteSettings s = api.settings.Get();
  // The twin's path: the view's link to the other language, without its query.
  std::string other = view.value("alt_lang_url", std::string());
  other = other.substr(0, other.find('?'));
  const std::string& own = req.path;
  // Only the page number is kept: sort orders, tracking parameters and the like are not
  // another page. (Read from the query text: Param() would count it as read by the handler,
  // which decides whether the answer may be cached.)
  std::string kept;
  for (const auto& [name, value] : http::ParseQuery(req.query_string)) {
    if (name != "page") continue;
    if (Result<int64_t> n = ParseInt(value); n.ok() && *n > 1 && *n <= 10000)
      kept = "?page=" + std::to_string(*n);
    break;
  }
  const std::string vi = site_url + (en() ? other : own) + kept;
  const std::string en_url = site_url + (en() ? own : other) + kept;
  const std::string title = view.value("title", std::string());
  const std::string site_title = Pick(s.title_vi, s.title_en);
  std::string description = description_;
  if (description.empty()) {
    const std::string tagline = Pick(s.tagline_vi, s.tagline_en);
    description = view.value("is_home", false) ? tagline : title + " · " + site_title;
    if (!view.value("is_home", false) && !tagline.empty()) description += ": " + tagline;
  }
  // The emblem from the settings (made absolute), else the bundled 1200×630 image.
  std::string image = catalog::LogoPath(s);
  bool large = false;
  if (image.empty()) {
    const Asset* a = web.assets->Find("share.png");
    image = a != nullptr ? a->url : "";
    large = true;
  }
  if (!image.empty() && image[0] == '/') image = site_url + image;
  json head = {{"description", description},
               {"canonical", site_url + own + kept},
               {"og_title", title},
               {"og_site_name", site_title},
               {"og_type", og_type_},
               {"og_image", image},
               {"og_image_alt", site_title},
               {"og_locale", en() ? "en_US" : "vi_VN"},
               {"og_locale_alternate", en() ? "vi_VN" : "en_US"},
               {"twitter_card", large ? "summary_large_image" : "summary"},
               {"alternates",
                {{{"hreflang", "vi"}, {"href", vi}},
                 {{"hreflang", "en"}, {"href", en_url}},
                 {{"hreflang", "x-default"}, {"href", vi}}}}};
  if (!feed_path_.empty()) {
    head["feed"] = {{"url", feed_path_}, {"title", T("feed_title") + ": " + title}};
  }
  if (follow_) {
    head["follow"] = {{"kind", follow_->first},
                      {"key", follow_->second},
                      {"action", Url("/theo-doi")},
                      {"is_dataset", follow_->first == "dataset"}};
  }
  head["has_follow_box"] = !feed_path_.empty() || follow_.has_value();
  return head;
}

http::Response Page::Render(const std::string& tmpl, json view, int status) const {
  http::Response r;
  r.status = status;
  if (image_sources_) {
    std::string img_src = "'self' data:";
    for (const auto& source : *image_sources_) img_src += " " + source;
    SetPageHeaders(r, img_src);
  } else {
    SetPageHeaders(r);
  }
  r.Set("Cache-Control", who.authenticated() ? "private, no-store" : "no-cache");
  auto body = web.templates->Render(tmpl, view);
  if (!body.ok()) {
    r.status = 500;
    r.body = "<!doctype html><title>500</title><p>" + EscapeHtml(body.status().message());
    return r;
  }
  view["body"] = std::move(*body);
  view["head"] = Head(view);
  auto page = web.templates->Render("layout", view);
  if (!page.ok()) {
    r.status = 500;
    r.body = "<!doctype html><title>500</title><p>" + EscapeHtml(page.status().message());
    return r;
  }
  r.body = std::move(*page);
  return r;
}

http::Response Page::Redirect(const std::string& path, bool localize) const {
  http::Response r;
  r.status = 303;
  r.Set("Location", localize && !path.empty() && path[0] == '/' ? base_ + path : path);
  r.Set("Cache-Control", "no-store");
  return r;
}

http::Response Page::Error(const Status& s) const {
  int status = api::HttpStatusFor(s.code());
  std::string title;
  switch (status) {
    case 404: title = T("error_not_found"); break;
    case 403: title = T("error_forbidden"); break;
    case 401: title = T("error_unauthenticated"); break;
    case 409: title = T("error_conflict"); break;
    case 413: title = T("error_too_large"); break;
    case 400: title = T("error_bad_request"); break;
    default: title = T("error_internal");
  }
  json v = View(title);
  v["status"] = status;
  // A 404 says the same whether the thing is missing or hidden (the policy's rule), in words.
  v["message"] = status == 404 ? T("error_not_found_text") : Message(s);
  return Render("error", std::move(v), status);
}

http::Response Page::NeedLogin() const {
  if (who.authenticated())
    return Error(Status::PermissionDenied("not allowed", "Bạn không có quyền làm việc này"));
  return Redirect("/login?next=" + http::UrlEncode(req.target));
}

const std::map<std::string, std::string>& Page::Form() {
  if (!form_parsed_) {
    form_parsed_ = true;
    if (req.Header("content-type").rfind("application/x-www-form-urlencoded", 0) == 0) {
      form_pairs_ = http::ParseQuery(req.body);
      for (const auto& [k, v] : form_pairs_) form_.emplace(k, v);
    }
  }
  return form_;
}

std::string Page::Field(const std::string& name) {
  auto it = Form().find(name);
  return it == Form().end() ? std::string() : it->second;
}

std::vector<std::string> Page::FormList(const std::string& name) {
  Form();
  std::vector<std::string> out;
  for (const auto& [k, v] : form_pairs_) {
    if (k == name && !v.empty()) out.push_back(v);
  }
  return out;
}

Status Page::CheckCsrf() { return api::CheckCsrf(who, req, Field("csrf")); }

json Page::FieldErrors(const Status& s) const {
  json e = json::object();
  for (const auto& [field, problem] : s.fields()) {
    if (!en()) {
      e[field] = problem;
      continue;
    }
    // Services word field problems in Vietnamese; messages.json carries their English under
    // "err:" + the text before any ": detail".
    size_t colon = problem.find(": ");
    std::string head = problem.substr(0, colon);
    std::string tail = colon == std::string::npos ? "" : problem.substr(colon);
    const std::string& english = T("err:" + head);
    e[field] = english.rfind("err:", 0) == 0 ? problem : english + tail;
  }
  return e;
}

std::string Page::Date(Micros t, bool with_time) const {
  if (t <= 0) return "";
  std::tm tm = VietnamTime(t);
  char buf[64];
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (en()) {
    std::snprintf(buf, sizeof buf, "%d %s %d", tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900);
  } else {
    std::snprintf(buf, sizeof buf, "%02d/%02d/%d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
  }
  std::string out = buf;
  if (with_time) {
    std::snprintf(buf, sizeof buf, " %02d:%02d", tm.tm_hour, tm.tm_min);
    out += buf;
  }
  return out;
}

std::string Page::Day(const std::string& iso_day) const {
  int y = 0, m = 0, d = 0;
  if (std::sscanf(iso_day.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12)
    return iso_day;
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  if (en()) {
    std::snprintf(buf, sizeof buf, "%d %s %d", d, kMonths[m - 1], y);
  } else {
    std::snprintf(buf, sizeof buf, "%02d/%02d/%d", d, m, y);
  }
  return buf;
}

std::string FormatBytes(int64_t n, Lang lang) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0) {
    std::snprintf(buf, sizeof buf, "%lld %s", static_cast<long long>(n), units[0]);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  }
  std::string out = buf;
  if (lang == Lang::kVi) {
    for (char& c : out) {
      if (c == '.') c = ',';
    }
  }
  return out;
}

void Page::CountView(const std::string& dataset_id, const std::string& resource_id) {
  if (req.method == "GET") api.catalog.RecordView(dataset_id, resource_id);  // a HEAD sees nothing
  counted_view_.emplace(dataset_id, resource_id);
}

std::string FormatCount(int64_t n, Lang lang) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += lang == Lang::kVi ? '.' : ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string FormatMonth(const std::string& month, Lang lang) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (month.size() != 7 || month[4] != '-') return month;
  int m = (month[5] - '0') * 10 + (month[6] - '0');
  if (m < 1 || m > 12) return month;
  return lang == Lang::kVi ? month.substr(5, 2) + "/" + month.substr(0, 4)
                           : std::string(kMonths[m - 1]) + " " + month.substr(0, 4);
}

// Longer addresses are answered but not cached: they are not what visitors follow.
constexpr size_t kMaxCachedTarget = 1024;

void AddPage(api::Router& router, WebContext& web, const std::string& method,
             const std::string& pattern, PageHandler handler, Cacheable cacheable) {
  auto fn = [&web, handler, cacheable, pattern](http::Request& req, const api::PathParams& params) {
    Lang lang = req.path == "/en" || req.path.rfind("/en/", 0) == 0 ? Lang::kEn : Lang::kVi;
    bool anonymous = api::SentNoCredentials(req);
    int64_t generation = web.api.catalog.generation();
    auto who = api::Authenticate(web.api, req);
    // Consumer systems read through the API, where their grants are applied on every path
    // (api/grant_reads.h); a page shows them what it shows an anonymous visitor.
    Page page(web, req, lang, who.ok() && !who->consumer() ? *who : access::Principal{});
    if (!who.ok()) return page.Error(who.status());
    http::Response r = handler(page, params);
    r.route = pattern;
    if (cacheable == Cacheable::kYes && anonymous && req.method == "GET" && r.status == 200 &&
        r.file_path.empty() && !r.shared_body && r.Find("Set-Cookie") == nullptr &&
        req.AllParamsRead() && req.target.size() <= kMaxCachedTarget) {
      api::GenerationCache::PutOptions options;
      if (page.live_figures()) options.max_age = kLiveFiguresMaxAge;
      if (const auto& view = page.counted_view()) {
        options.on_serve = [&catalog = web.api.catalog, dataset = view->first,
                            resource = view->second] { catalog.RecordView(dataset, resource); };
      }
      web.api.fast.Put(req.target, generation, http::SerializeResponse(r), pattern,
                       std::move(options));
    }
    return r;
  };
  router.Add(method, pattern, fn);
  router.Add(method, pattern == "/" ? "/en" : "/en" + pattern, fn);
  if (pattern == "/") router.Add(method, "/en/", fn);
}

}  // namespace odp::web
