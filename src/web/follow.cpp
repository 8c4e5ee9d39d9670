// Following a dataset or an agency by e-mail (issue 18), double opt-in:
//
// 1. A visitor (signed in or not) sends an address from the follow form of a public dataset's or
//    an agency's page: POST /theo-doi (kind, key, email). The answer is the same page whatever
//    the address, whether it already follows, is new, or has hit its limit, so nothing can be
//    learnt about an address from it. Limits: kMaxRequestsPerClient an hour from one client
//    (429, which says nothing about the address), kMaxRequestsPerAddress a day for one address
//    (beyond it nothing more is sent, silently). The request acts for nobody (it is the same for
//    every caller, and only ever sends a confirmation to the address typed), so the form carries
//    no CSRF token and can sit on cached pages; the double opt-in is its protection.
// 2. A job (kind "follow.mail") writes the confirmation: a fresh single-use secret whose SHA-256
//    alone is stored (the newest link voids older ones), valid kConfirmLifetime. Nothing else is
//    ever sent to an address that has not confirmed.
// 3. GET /theo-doi/xac-nhan?token= shows a button (mail scanners that open links confirm
//    nothing); its POST confirms. From then on the follow's cursor (`last_seen`) starts.
// 4. A scheduled job ("follow.scan", every `scan_seconds`) mails each confirmed follower once
//    per change: a followed dataset whose `modified` moved past the cursor while published and
//    public, or an agency's newly published public datasets. The cursor moves first, as a
//    compare-and-set, so two servers never send the same news twice. Mail goes through
//    mail::Mailer's queue, with `List-Unsubscribe` (RFC 8058 one-click) and the same link in the
//    body. Unconfirmed follows older than kForgetUnconfirmed are removed.
// 5. GET /theo-doi/huy?token= shows a button; POST /theo-doi/huy?token= (the button, or a mail
//    client's one-click POST) ends the follow at once.

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "api/api.h"
#include "base/crypto.h"
#include "base/ids.h"
#include "base/log.h"
#include "base/time.h"
#include "catalog/catalog.h"
#include "http/request.h"
#include "jobs/jobs.h"
#include "mail/mailer.h"
#include "text/input.h"
#include "web/page.h"
#include "web/view_models.h"
#include "web/web.h"

namespace odp::web {
namespace {

using http::Response;

constexpr const char* kMailJob = "follow.mail";
constexpr const char* kScanJob = "follow.scan";
constexpr int kMaxRequestsPerClient = 20;  // an hour
constexpr int kMaxRequestsPerAddress = 5;  // a day
constexpr Micros kHour = 3600LL * 1000000;
constexpr Micros kConfirmLifetime = 48 * kHour;
constexpr Micros kForgetUnconfirmed = 7 * 24 * kHour;
constexpr size_t kMaxNewDatasetsListed = 20;

// Replaces every "{name}" in `text` with its value.
std::string Fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string key = "{" + name + "}";
    for (size_t at = text.find(key); at != std::string::npos;
         at = text.find(key, at + value.size())) {
      text.replace(at, key.size(), value);
    }
  }
  return text;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// What is followed, in both languages, with its page's path (Vietnamese).
struct Target {
  std::string id;
  std::string title_vi, title_en;
  std::string path;
  Micros modified = 0;  // a dataset's
};

// The dataset (published and public: read as an anonymous visitor) or agency named by `key`.
Result<Target> FindTarget(catalog::CatalogService& cat, const std::string& kind,
                          const std::string& key) {
  if (kind == "dataset") {
    ODP_ASSIGN_OR_RETURN(catalog::EntryPtr e, cat.GetDataset(access::Principal{}, key));
    const Dataset& d = e->dataset;
    if (d.state != DatasetState::kPublished || d.access != AccessTier::kPublic)
      return Status::NotFound("dataset", key);
    return Target{d.id, d.title_vi, d.title_en.empty() ? d.title_vi : d.title_en,
                  "/datasets/" + d.slug, d.modified};
  }
  if (kind == "organization") {
    ODP_ASSIGN_OR_RETURN(Organization o, cat.GetOrganization(key));
    return Target{o.id, o.title_vi, o.title_en.empty() ? o.title_vi : o.title_en,
                  "/organizations/" + o.slug, 0};
  }
  return Status::NotFound("follow target", kind);
}

json TargetView(const Page& p, const std::string& kind, const Target& t) {
  return {{"title", p.Pick(t.title_vi, t.title_en)},
          {"url", p.Url(t.path)},
          {"kind_label", p.T(kind == "dataset" ? "follow_target_dataset" : "follow_target_org")}};
}

Response FollowPage(Page& p, json fields, int status = 200) {
  json v = p.View(p.T(fields.value("title_key", std::string("follow_title"))));
  for (auto it = fields.begin(); it != fields.end(); ++it) v[it.key()] = it.value();
  p.Describe(p.T("follow_intro"));
  Response r = p.Render("follow", std::move(v), status);
  r.Set("Cache-Control", "no-store");
  return r;
}

// GET /theo-doi?kind=&key=: the form on its own page (signed-in users find their address in it).
Response FollowForm(Page& p, const api::PathParams&) {
  const std::string kind = p.req.Param("kind");
  const std::string key = p.req.Param("key");
  auto target = FindTarget(p.api.catalog, kind, key);
  if (!target.ok()) return p.Error(Status::NotFound("page", p.req.path));
  std::string email;
  if (p.who.authenticated()) {
    if (auto u = p.api.accounts.GetUser(p.who.user_id); u.ok()) email = u->email;
  }
  return FollowPage(p, {{"form", true},
                        {"kind", kind},
                        {"key", key},
                        {"email", email},
                        {"target", TargetView(p, kind, *target)}});
}

// POST /theo-doi: the request; see the file comment for why every address gets the same answer.
Response FollowPost(Page& p, const api::PathParams&) {
  if (p.web.follows == nullptr) return p.Error(Status::Unavailable("follows are not set up"));
  store::FollowStore& follows = *p.web.follows;
  const std::string kind = p.Field("kind");
  const std::string key = p.Field("key");
  const std::string typed = p.Field("email");
  auto target = FindTarget(p.api.catalog, kind, key);
  if (!target.ok()) return p.Error(Status::NotFound("page", p.req.path));
  json form = {{"form", true},
               {"kind", kind},
               {"key", key},
               {"email", typed},
               {"target", TargetView(p, kind, *target)}};
  if (!text::ValidEmail(typed) || !text::PlainText(typed, 254, true)) {
    form["error"] = p.T("follow_bad_email");
    return FollowPage(p, std::move(form), 400);
  }
  const std::string email = Lower(typed);
  const std::string client = api::ClientAddressOf(p.api, p.req);
  const Micros now = NowMicros();
  auto by_client = follows.CountFollowRequestsByClient(client, now - kHour);
  if (!by_client.ok()) return p.Error(by_client.status());
  if (*by_client >= kMaxRequestsPerClient) {
    form["error"] = p.T("follow_too_many");
    return FollowPage(p, std::move(form), 429);
  }
  auto by_address = follows.CountFollowRequestsByEmail(email, now - 24 * kHour);
  if (!by_address.ok()) return p.Error(by_address.status());
  if (Status s = follows.InsertFollowRequest({NewUuid(), email, client, now}, now - 24 * kHour);
      !s.ok())
    return p.Error(s);
  json sent = {{"sent", true}, {"target", TargetView(p, kind, *target)}};
  if (*by_address >= kMaxRequestsPerAddress) {
    LogInfo("follow: an address reached its daily limit; nothing sent");
    return FollowPage(p, std::move(sent));
  }
  std::string follow_id;
  if (auto existing = follows.FindFollow(email, kind, target->id); existing.ok()) {
    if (existing->confirmed > 0) return FollowPage(p, std::move(sent));  // nothing to do
    follow_id = existing->id;
  } else if (existing.status().code() == StatusCode::kNotFound) {
    FollowRecord f;
    f.id = NewUuid();
    f.email = email;
    f.kind = kind;
    f.target_id = target->id;
    f.lang = p.en() ? "en" : "vi";
    f.unsubscribe_token = RandomToken(32);
    f.created = now;
    Status s = follows.InsertFollow(f);
    // The same address sent twice at once: the other request made the follow.
    if (s.code() == StatusCode::kAlreadyExists) return FollowPage(p, std::move(sent));
    if (!s.ok()) return p.Error(s);
    follow_id = f.id;
  } else {
    return p.Error(existing.status());
  }
  if (p.api.jobs == nullptr) return p.Error(Status::Unavailable("this server runs no jobs"));
  if (auto queued = p.api.jobs->Enqueue(kMailJob, "", json{{"follow_id", follow_id}}.dump());
      !queued.ok())
    return p.Error(queued.status());
  return FollowPage(p, std::move(sent));
}

// The follow a confirmation or unsubscribe link names, with its target; "" kind when the link
// is not (or no longer) valid.
struct LinkedFollow {
  FollowRecord follow;
  Target target;
};

Result<LinkedFollow> Linked(Page& p, Result<FollowRecord> f) {
  if (!f.ok()) return f.status();
  auto t = FindTarget(p.api.catalog, f->kind, f->target_id);
  if (!t.ok()) {
    // A dataset that is no longer public keeps its follows; the page still names it.
    t = Target{f->target_id, "", "", "", 0};
    if (f->kind == "dataset") {
      access::Principal system;
      system.sysadmin = true;
      if (auto e = p.api.catalog.GetDataset(system, f->target_id); e.ok())
        t = Target{f->target_id, (*e)->dataset.title_vi, (*e)->dataset.title_en, "", 0};
    }
  }
  return LinkedFollow{f.value(), t.value()};
}

Response LinkInvalid(Page& p, const std::string& title_key) {
  return FollowPage(p, {{"title_key", title_key}, {"invalid", true}}, 410);
}

Response ConfirmForm(Page& p, const api::PathParams&) {
  if (p.web.follows == nullptr) return p.Error(Status::Unavailable("follows are not set up"));
  const std::string secret = p.req.Param("token");
  auto f =
      Linked(p, p.web.follows->FindFollowByConfirmHash(secret.empty() ? "" : Sha256Hex(secret)));
  if (!f.ok() || f->follow.confirm_expires <= NowMicros())
    return LinkInvalid(p, "follow_confirm_title");
  return FollowPage(p, {{"title_key", "follow_confirm_title"},
                        {"confirm", true},
                        {"token", secret},
                        {"target", TargetView(p, f->follow.kind, f->target)}});
}

Response ConfirmPost(Page& p, const api::PathParams&) {
  if (p.web.follows == nullptr) return p.Error(Status::Unavailable("follows are not set up"));
  const std::string secret = p.Field("token");
  if (secret.empty()) return LinkInvalid(p, "follow_confirm_title");
  const std::string hash = Sha256Hex(secret);
  auto f = Linked(p, p.web.follows->FindFollowByConfirmHash(hash));
  if (!f.ok()) return LinkInvalid(p, "follow_confirm_title");
  // The cursor starts now: what changed before confirming is not news.
  const Micros now = NowMicros();
  if (!p.web.follows->ConfirmFollow(hash, now, std::max(now, f->target.modified)).ok())
    return LinkInvalid(p, "follow_confirm_title");
  return FollowPage(p, {{"title_key", "follow_confirm_title"},
                        {"confirmed", true},
                        {"target", TargetView(p, f->follow.kind, f->target)}});
}

Response UnsubscribeForm(Page& p, const api::PathParams&) {
  if (p.web.follows == nullptr) return p.Error(Status::Unavailable("follows are not set up"));
  const std::string token = p.req.Param("token");
  auto f = Linked(p, p.web.follows->FindFollowByUnsubscribeToken(token));
  if (!f.ok()) return LinkInvalid(p, "follow_unsub_title");
  return FollowPage(p, {{"title_key", "follow_unsub_title"},
                        {"unsubscribe", true},
                        {"token", token},
                        {"target", TargetView(p, f->follow.kind, f->target)}});
}

// The button's POST and a mail client's one-click POST (RFC 8058: the token in the address,
// "List-Unsubscribe=One-Click" in the body) both end the follow.
Response UnsubscribePost(Page& p, const api::PathParams&) {
  if (p.web.follows == nullptr) return p.Error(Status::Unavailable("follows are not set up"));
  std::string token = p.req.Param("token");
  if (token.empty()) token = p.Field("token");
  auto f = Linked(p, p.web.follows->FindFollowByUnsubscribeToken(token));
  if (!f.ok()) return LinkInvalid(p, "follow_unsub_title");
  if (Status s = p.web.follows->DeleteFollow(f->follow.id);
      !s.ok() && s.code() != StatusCode::kNotFound)
    return p.Error(s);
  return FollowPage(p, {{"title_key", "follow_unsub_title"},
                        {"unsubscribed", true},
                        {"target", TargetView(p, f->follow.kind, f->target)}});
}

// ---- Mail ---------------------------------------------------------------------------------

std::string SiteTitle(const catalog::SiteSettings& s, Lang lang) {
  return lang == Lang::kEn && !s.title_en.empty() ? s.title_en : s.title_vi;
}

// A message in both languages, Vietnamese first; `values(lang)` fills each text.
mail::MailMessage Bilingual(WebContext& web, const std::string& to, const std::string& prefix,
                            const std::function<std::map<std::string, std::string>(Lang)>& values) {
  auto text = [&](Lang lang, const std::string& what) {
    return Fill(web.assets->Message(lang, prefix + what), values(lang));
  };
  mail::MailMessage m;
  m.to = to;
  m.subject = text(Lang::kVi, "subject") + " / " + text(Lang::kEn, "subject");
  m.body = text(Lang::kVi, "body") + "\n\n-- English --\n\n" + text(Lang::kEn, "body") + "\n";
  return m;
}

std::string LangBase(Lang lang) { return lang == Lang::kEn ? "/en" : ""; }

std::string Unsubscribe(WebContext& web, const FollowRecord& f) {
  return web.api.config.site_url + (f.lang == "en" ? "/en" : "") +
         "/theo-doi/huy?token=" + f.unsubscribe_token;
}

Status SendConfirmation(WebContext& web, const std::string& payload) {
  json p = json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!p.is_object()) return Status::InvalidArgument("follow mail without a payload");
  if (web.api.mailer == nullptr) return Status::Unavailable("mail is not started");
  if (web.follows == nullptr) return Status::Unavailable("follows are not set up");
  auto f = web.follows->GetFollow(p.value("follow_id", ""));
  // Unsubscribed or confirmed meanwhile: nothing to send.
  if (!f.ok() && f.status().code() == StatusCode::kNotFound) return Status::Ok();
  if (!f.ok()) return f.status();
  if (f->confirmed > 0) return Status::Ok();
  auto target = FindTarget(web.api.catalog, f->kind, f->target_id);
  if (!target.ok()) return Status::Ok();  // no longer public: nothing to follow
  const std::string secret = RandomToken(32);
  ODP_RETURN_IF_ERROR(
      web.follows->SetFollowConfirmation(f->id, Sha256Hex(secret), NowMicros() + kConfirmLifetime));
  const catalog::SiteSettings site = web.api.settings.Get();
  mail::MailMessage m = Bilingual(web, f->email, "mail_follow_confirm_", [&](Lang lang) {
    return std::map<std::string, std::string>{
        {"site", SiteTitle(site, lang)},
        {"target", lang == Lang::kEn ? target->title_en : target->title_vi},
        {"link", web.api.config.site_url + LangBase(lang) + "/theo-doi/xac-nhan?token=" + secret},
        {"hours", std::to_string(kConfirmLifetime / kHour)}};
  });
  return web.api.mailer->Send(m);
}

// One scan: mails every confirmed follower whose target changed since its cursor.
Status Scan(WebContext& web) {
  if (web.follows == nullptr || web.api.mailer == nullptr) return Status::Ok();
  store::FollowStore& follows = *web.follows;
  catalog::CatalogService& cat = web.api.catalog;
  ODP_ASSIGN_OR_RETURN(std::vector<FollowRecord> all, follows.ListConfirmedFollows());
  std::vector<catalog::PublicDatasetRef> published;
  if (std::any_of(all.begin(), all.end(), [](const auto& f) { return f.kind == "organization"; }))
    published = cat.ListPublicDatasets();
  const catalog::SiteSettings site = web.api.settings.Get();
  const std::string& url = web.api.config.site_url;
  int sent = 0;
  for (const FollowRecord& f : all) {
    auto target = FindTarget(cat, f.kind, f.target_id);
    if (!target.ok()) continue;  // not public now: the follow waits
    mail::MailMessage m;
    Micros to = f.last_seen;
    if (f.kind == "dataset") {
      if (target->modified <= f.last_seen) continue;
      to = target->modified;
      m = Bilingual(web, f.email, "mail_follow_update_", [&](Lang lang) {
        return std::map<std::string, std::string>{
            {"site", SiteTitle(site, lang)},
            {"target", lang == Lang::kEn ? target->title_en : target->title_vi},
            {"link", url + LangBase(lang) + target->path},
            {"unsubscribe", Unsubscribe(web, f)}};
      });
    } else {
      std::vector<const catalog::PublicDatasetRef*> fresh;
      for (const auto& d : published) {
        if (d.organization_id == f.target_id && d.published > f.last_seen) fresh.push_back(&d);
      }
      if (fresh.empty()) continue;
      std::sort(fresh.begin(), fresh.end(),
                [](const auto* a, const auto* b) { return a->published < b->published; });
      to = fresh.back()->published;
      if (fresh.size() > kMaxNewDatasetsListed)
        fresh.erase(fresh.begin(),
                    fresh.end() - static_cast<std::ptrdiff_t>(kMaxNewDatasetsListed));
      std::map<std::string, std::pair<std::string, std::string>> titles;  // id → vi, en
      for (const auto* d : fresh) {
        if (auto e = cat.GetDataset(access::Principal{}, d->id); e.ok()) {
          const Dataset& ds = (*e)->dataset;
          titles[d->id] = {ds.title_vi, ds.title_en.empty() ? ds.title_vi : ds.title_en};
        }
      }
      m = Bilingual(web, f.email, "mail_follow_new_", [&](Lang lang) {
        std::string list;
        for (const auto* d : fresh) {
          auto t = titles.find(d->id);
          if (t == titles.end()) continue;
          list += "- " + (lang == Lang::kEn ? t->second.second : t->second.first) + "\n  " + url +
                  LangBase(lang) + "/datasets/" + d->slug + "\n";
        }
        return std::map<std::string, std::string>{
            {"site", SiteTitle(site, lang)},
            {"target", lang == Lang::kEn ? target->title_en : target->title_vi},
            {"list", list},
            {"link", url + LangBase(lang) + target->path},
            {"unsubscribe", Unsubscribe(web, f)}};
      });
    }
    m.list_unsubscribe = Unsubscribe(web, f);
    // The cursor first: a follower never gets the same news twice, from any server.
    ODP_ASSIGN_OR_RETURN(bool mine, follows.AdvanceFollow(f.id, f.last_seen, to));
    if (!mine) continue;
    if (auto queued = web.api.mailer->Queue(m); !queued.ok()) {
      LogWarn("follow: cannot queue a notice: " + queued.status().message());
      continue;
    }
    ++sent;
  }
  if (sent > 0) LogInfo("follow: " + std::to_string(sent) + " notices queued");
  ODP_ASSIGN_OR_RETURN(int forgotten,
                       follows.DeleteUnconfirmedFollows(NowMicros() - kForgetUnconfirmed));
  if (forgotten > 0)
    LogInfo("follow: " + std::to_string(forgotten) + " unconfirmed follows removed");
  return Status::Ok();
}

}  // namespace

void RegisterFollowPages(api::Router& router, WebContext& web) {
  AddPage(router, web, "GET", "/theo-doi", FollowForm);
  AddPage(router, web, "POST", "/theo-doi", FollowPost);
  AddPage(router, web, "GET", "/theo-doi/xac-nhan", ConfirmForm);
  AddPage(router, web, "POST", "/theo-doi/xac-nhan", ConfirmPost);
  AddPage(router, web, "GET", "/theo-doi/huy", UnsubscribeForm);
  AddPage(router, web, "POST", "/theo-doi/huy", UnsubscribePost);
}

Status StartFollowMail(WebContext& web, jobs::Jobs& jobs, int64_t scan_seconds) {
  jobs::KindOptions mail;
  mail.max_attempts = mail::Mailer::kSendAttempts;
  mail.backoff = 60 * 1000000LL;
  mail.concurrency = 2;
  jobs.Register(
      kMailJob, [&web](jobs::JobContext& ctx) { return SendConfirmation(web, ctx.payload()); },
      mail);
  jobs::KindOptions scan;
  scan.max_attempts = 1;  // the next occurrence is the retry
  scan.concurrency = 1;
  jobs.Register(
      kScanJob, [&web](jobs::JobContext&) { return Scan(web); }, scan);
  return jobs.PutSchedule(kScanJob, kScanJob,
                          "every:" + std::to_string(std::max<int64_t>(1, scan_seconds)));
}

}  // namespace odp::web
