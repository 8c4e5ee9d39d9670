// Inter-agency sharing in the browser (sharing/sharing.h), through the same SharingService as
// /api/v1/sharing, so that the pages and the API never disagree. Every page needs a signed-in
// member of an organization (or a sysadmin); the data itself is never shown, only what is
// offered and a masked sample.
//
//   /chia-se                            the sharing catalogue; admins offer a table (POST)
//   /chia-se/dich-vu/{id}               one service: fields, sample, OpenAPI, the request form
//   POST /chia-se/dich-vu/{id}/yeu-cau  a request (multipart: the letter is a PDF)
//   POST /chia-se/dich-vu/{id}/ngung    the provider withdraws the offer
//   /chia-se/yeu-cau                    my requests and incoming requests, with their clocks
//   /chia-se/yeu-cau/{id}               one request: clock, history, decision and answer forms
//   POST /chia-se/yeu-cau/{id}/{step}   bo-sung (ask for information), tra-loi (answer),
//                                       phe-duyet (approve), tu-choi (refuse), rut (withdraw)
//   /chia-se/lich                       the announced days off and make-up days (data unit)
//   POST /chia-se/lich, /chia-se/lich/xoa
//   /chia-se/qua-han                    the overdue board (data unit)
//   /thong-bao, POST /thong-bao/da-doc  the caller's notifications (the bell)
#include "access/policy.h"
#include "api/sharing_input.h"
#include "api/upload.h"
#include "http/request.h"
#include "sharing/request_flow.h"
#include "sharing/sharing.h"
#include "web/page.h"

namespace odp::web {
namespace {

using http::Response;
using sharing::SharingService;

// Runs `fn` for signed-in callers on a server with sharing; checks CSRF on urlencoded POSTs.
template <typename Fn>
Response Sharing(Page& p, Fn fn, bool multipart = false) {
  if (!p.who.authenticated()) return p.NeedLogin();
  if (p.api.sharing == nullptr) {
    return p.Error(Status(StatusCode::kNotFound, "data sharing is not enabled",
                          "Chưa bật chức năng chia sẻ dữ liệu"));
  }
  if (p.req.method == "POST" && !multipart) {
    if (Status s = p.CheckCsrf(); !s.ok()) return p.Error(s);
  }
  return fn(*p.api.sharing);
}

void Outcome(Page& p, json& v, const Status& error) {
  if (std::string done = p.req.Param("done"); !done.empty())
    v["done_message"] = p.T("sharing_done_" + done);
  v["errors"] = error.ok() ? json::object() : p.FieldErrors(error);
  if (!error.ok()) v["error"] = p.Message(error);
}

int StatusOf(const Status& error) { return error.ok() ? 200 : api::HttpStatusFor(error.code()); }

std::string OrgName(Page& p, const std::string& id) {
  auto o = p.api.catalog.GetOrganization(id);
  return o.ok() ? p.Pick(o->title_vi, o->title_en) : id;
}

std::string Join(const json& list) {
  std::string out;
  if (!list.is_array()) return out;
  for (const json& x : list) {
    if (!x.is_string()) continue;
    if (!out.empty()) out += ", ";
    out += x.get<std::string>();
  }
  return out;
}

// A request's row in lists and its header on its page: state, clock and deadline.
json RequestRow(Page& p, const sharing::SharingRequest& record, const json& r) {
  const json& clock = r["clock"];
  json row = {{"id", r["id"]},
              {"url", p.Url("/chia-se/yeu-cau/" + r.value("id", ""))},
              {"service", p.Pick(r.value("service_title", ""), r.value("service_title_en", ""))},
              {"consumer", r.value("consumer_name", "")},
              {"provider", OrgName(p, r.value("provider_organization_id", ""))},
              {"requester", OrgName(p, r.value("requester_organization_id", ""))},
              {"state", r.value("state", "")},
              {"state_text", p.T("sharing_state_" + r.value("state", ""))},
              {"clock_text", p.T("sharing_clock_" + clock.value("state", ""))},
              {"overdue", clock.value("overdue", false)},
              {"running", clock.value("state", "") == "running"}};
  if (clock.contains("deadline") && clock["deadline"].is_string()) {
    row["deadline"] = p.Date(record.record.deadline, true);
    row["days_left"] = clock.value("working_days_left", 0);
  }
  return row;
}

json Catalogue(Page& p, SharingService& svc, const Status& error, const json& values) {
  json v = p.View(p.T("sharing_title"));
  Outcome(p, v, error);
  json rows = json::array();
  if (auto list = svc.Catalogue(p.who); list.ok()) {
    for (const auto& s : *list) {
      rows.push_back({{"url", p.Url("/chia-se/dich-vu/" + s.record.id)},
                      {"title", p.Pick(s.doc.value("title_vi", ""), s.doc.value("title_en", ""))},
                      {"organization", OrgName(p, s.record.organization_id)},
                      {"columns", s.doc.value("fields", json::array()).size()},
                      {"personal_data", s.doc.value("personal_data", false)},
                      {"withdrawn", s.record.state != "offered"}});
    }
  }
  v["services"] = rows;
  json tables = json::array();
  for (const auto& t : svc.OfferableTables(p.who)) {
    tables.push_back(
        {{"resource_id", t.resource_id},
         {"label", p.Pick(t.dataset_title_vi, t.dataset_title_en) + " — " + t.resource_name},
         {"columns",
          [&] {
            std::string c;
            for (const auto& x : t.columns) c += (c.empty() ? "" : ", ") + x;
            return c;
          }()},
         {"selected", values.value("resource_id", "") == t.resource_id}});
  }
  v["can_offer"] = !tables.empty();
  v["tables"] = tables;
  v["values"] = values;
  v["data_unit"] = access::Allowed(p.who, access::Action::kViewSharingBoard, {});
  v["form_url"] = p.Url("/chia-se");
  return v;
}

Response CataloguePage(Page& p, SharingService& svc) {
  if (!access::Allowed(p.who, access::Action::kReadSharingCatalogue, {})) {
    return p.Error(Status::PermissionDenied(
        "the sharing catalogue is for staff of the province's agencies",
        "Danh mục dữ liệu chia sẻ dành cho cán bộ của các cơ quan trong tỉnh"));
  }
  return p.Render("sharing_catalogue", Catalogue(p, svc, Status::Ok(), json::object()));
}

// "cccd=partial, sdt=drop" -> mask.cccd, mask.sdt
void MasksFromText(json& j, const std::string& text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    std::string pair = text.substr(start, comma == std::string::npos ? comma : comma - start);
    start = comma == std::string::npos ? text.size() : comma + 1;
    size_t eq = pair.find('=');
    if (eq == std::string::npos) continue;
    auto trim = [](std::string s) {
      size_t b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    j["mask." + trim(pair.substr(0, eq))] = trim(pair.substr(eq + 1));
  }
}

Response OfferPost(Page& p, SharingService& svc) {
  json values = api::FormObject(p.Form());
  values.erase("csrf");
  json in = values;
  MasksFromText(in, values.value("sample_masks_text", ""));
  auto offer = api::ServiceOfferFrom(in);
  Result<sharing::SharedService> s =
      offer.ok() ? svc.Offer(p.who, *offer) : Result<sharing::SharedService>(offer.status());
  if (!s.ok()) {
    return p.Render("sharing_catalogue", Catalogue(p, svc, s.status(), values),
                    StatusOf(s.status()));
  }
  return p.Redirect("/chia-se/dich-vu/" + s->record.id + "?done=offered");
}

Response ServicePage(Page& p, SharingService& svc, const std::string& id, const Status& error,
                     const json& values) {
  auto s = svc.GetService(p.who, id);
  if (!s.ok()) return p.Error(s.status());
  const json& d = s->doc;
  json v = p.View(p.Pick(d.value("title_vi", ""), d.value("title_en", "")));
  Outcome(p, v, error);
  v["service"] = {
      {"id", s->record.id},
      {"title", p.Pick(d.value("title_vi", ""), d.value("title_en", ""))},
      {"description", p.Pick(d.value("description_vi", ""), d.value("description_en", ""))},
      {"organization", OrgName(p, s->record.organization_id)},
      {"legal_basis", d.value("legal_basis", "")},
      {"terms", d.value("terms", "")},
      {"personal_data", d.value("personal_data", false)},
      {"withdrawn", s->record.state != "offered"},
      {"fields", d.value("fields", json::array())},
      {"openapi_url", "/api/v1/sharing/services/" + s->record.id + "/openapi.json"}};
  const json sample = d.value("sample", json::object());
  json sample_rows = json::array();
  for (const json& row : sample.value("rows", json::array())) {
    json cells = json::array();
    for (const json& c : row) cells.push_back({{"value", c}});
    sample_rows.push_back({{"cells", cells}});
  }
  v["sample_columns"] = sample.value("columns", json::array());
  v["sample_rows"] = sample_rows;
  json consumers = json::array();
  for (const auto& c : svc.RequestableConsumers(p.who)) {
    consumers.push_back({{"id", c.id},
                         {"label", c.name + " (" + c.agency_code + "/" + c.system_code + ")"},
                         {"selected", values.value("consumer_id", "") == c.id}});
  }
  v["can_request"] = !consumers.empty() && s->record.state == "offered";
  v["consumers"] = consumers;
  v["values"] = values;
  v["request_url"] = p.Url("/chia-se/dich-vu/" + s->record.id + "/yeu-cau");
  v["can_withdraw"] =
      s->record.state == "offered" &&
      access::Allowed(p.who, access::Action::kOfferSharing, {s->record.organization_id});
  v["withdraw_url"] = p.Url("/chia-se/dich-vu/" + s->record.id + "/ngung");
  return p.Render("sharing_service", std::move(v), StatusOf(error));
}

// Multipart: the fields are read first; the letter goes into the blob store only after the
// CSRF token is checked.
Response RequestPost(Page& p, SharingService& svc, const std::string& id) {
  if (!access::Allowed(p.who, access::Action::kReadSharingCatalogue, {})) {
    return p.Error(
        Status::PermissionDenied("only staff of the province's agencies request data",
                                 "Chỉ cán bộ của các cơ quan trong tỉnh mới được gửi yêu cầu"));
  }
  auto form = api::ReadUploadForm(p.api, p.req);
  if (!form.ok()) return ServicePage(p, svc, id, form.status(), json::object());
  auto csrf = form->fields.find("csrf");
  if (Status s = api::CheckCsrf(p.who, p.req, csrf == form->fields.end() ? "" : csrf->second);
      !s.ok()) {
    return p.Error(s);
  }
  json values = api::FormObject(form->fields);
  values.erase("csrf");
  json in = values;
  in["service_id"] = id;
  auto draft = api::RequestDraftFrom(in);
  if (!draft.ok()) return ServicePage(p, svc, id, draft.status(), values);
  if (Status s = api::StoreUploadedFile(p.api, p.req, *form); !s.ok())
    return ServicePage(p, svc, id, s, values);
  if (form->file) {
    draft->letter_sha256 = form->file->blob.sha256;
    draft->letter_filename = form->file->filename;
  }
  auto r = svc.Submit(p.who, *draft);
  if (!r.ok()) return ServicePage(p, svc, id, r.status(), values);
  return p.Redirect("/chia-se/yeu-cau/" + r->record.id + "?done=submitted");
}

Response WithdrawServicePost(Page& p, SharingService& svc, const std::string& id) {
  auto s = svc.WithdrawOffer(p.who, id);
  if (!s.ok()) return ServicePage(p, svc, id, s.status(), json::object());
  return p.Redirect("/chia-se/dich-vu/" + id + "?done=withdrawn_service");
}

json RequestOut(SharingService& svc, const sharing::SharingRequest& r) {
  auto cal = svc.calendar().Current();
  return sharing::RequestJson(r, NowMicros(), cal.ok() ? cal->get() : nullptr);
}

Response RequestsPage(Page& p, SharingService& svc) {
  auto lists = svc.List(p.who);
  if (!lists.ok()) return p.Error(lists.status());
  json v = p.View(p.T("sharing_requests_title"));
  Outcome(p, v, Status::Ok());
  json mine = json::array(), incoming = json::array();
  for (const auto& r : lists->mine) mine.push_back(RequestRow(p, r, RequestOut(svc, r)));
  for (const auto& r : lists->incoming) incoming.push_back(RequestRow(p, r, RequestOut(svc, r)));
  v["mine"] = mine;
  v["incoming"] = incoming;
  return p.Render("sharing_requests", std::move(v));
}

Response RequestPage(Page& p, SharingService& svc, const std::string& id, const Status& error) {
  auto r = svc.Get(p.who, id);
  if (!r.ok()) return p.Error(r.status());
  const json j = RequestOut(svc, *r);
  json v = p.View(p.T("sharing_request_title"));
  Outcome(p, v, error);
  json row = RequestRow(p, *r, j);
  row["columns"] = Join(j.value("columns", json::array()));
  for (const char* k : {"row_filter", "purpose", "legal_document_number", "legal_document_date",
                        "period_from", "period_to", "personal_data_basis", "question", "answer",
                        "refusal_reason", "decision_note", "consumer_code"}) {
    row[k] = j.value(k, "");
  }
  row["expected_requests_per_day"] = j.value("expected_requests_per_day", 0);
  row["expected_rows_per_day"] = j.value("expected_rows_per_day", 0);
  row["personal_data"] = j.value("personal_data", false);
  row["contact"] = j.value("contact", json::object());
  row["letter_url"] = "/api/v1/sharing/requests/" + r->record.id + "/letter";
  row["letter_filename"] = j.value("letter_filename", "");
  if (j.contains("terms")) {
    const json& t = j["terms"];
    json masks = json::array();
    const json approved_masks = t.value("masks", json::object());
    for (const auto& [c, m] : approved_masks.items()) masks.push_back({{"column", c}, {"mask", m}});
    row["terms"] = {{"columns", Join(t.value("columns", json::array()))},
                    {"row_filter", t.value("row_filter", "")},
                    {"masks", masks},
                    {"valid_from", t.value("valid_from", "")},
                    {"valid_to", t.value("valid_to", "")},
                    {"quota_requests_per_day", t.value("quota_requests_per_day", 0)},
                    {"quota_rows_per_day", t.value("quota_rows_per_day", 0)},
                    {"rate_per_minute", t.value("rate_per_minute", 0)}};
  }
  if (j.contains("grant") && j["grant"].is_object()) {
    const json& g = j["grant"];
    row["grant"] = {{"id", g.value("id", "")},
                    {"state", g.value("state", "")},
                    {"state_text", p.T("grant_state_" + g.value("state", ""))},
                    {"reason", g.value("reason", "")},
                    {"url", p.Url("/workspace/grants")}};
  }
  v["request"] = row;
  json events = json::array();
  const json listed = j.value("events", json::array());
  for (size_t i = 0; i < listed.size() && i < r->events.size(); ++i) {
    const json& e = listed[i];
    events.push_back({{"action_text", p.T("sharing_event_" + e.value("action", ""))},
                      {"actor", e.value("actor", "")},
                      {"at", p.Date(r->events[i].at, true)},
                      {"note", e.value("note", "")},
                      {"state_text", p.T("sharing_state_" + e.value("to_state", ""))}});
  }
  v["events"] = events;
  const bool provider =
      access::Allowed(p.who, access::Action::kDecideSharing, {r->record.provider_org});
  const bool requester =
      access::Allowed(p.who, access::Action::kRequestSharing, {r->record.requester_org});
  const std::string state = r->record.state;
  v["can_decide"] = provider && state == "submitted";
  v["can_answer"] = requester && state == "info_requested";
  v["can_withdraw"] = requester && (state == "submitted" || state == "info_requested");
  const std::string base = "/chia-se/yeu-cau/" + r->record.id;
  v["ask_url"] = p.Url(base + "/bo-sung");
  v["answer_url"] = p.Url(base + "/tra-loi");
  v["approve_url"] = p.Url(base + "/phe-duyet");
  v["refuse_url"] = p.Url(base + "/tu-choi");
  v["withdraw_url"] = p.Url(base + "/rut");
  v["requested_columns"] = j.value("columns", json::array());
  v["list_url"] = p.Url("/chia-se/yeu-cau");
  return p.Render("sharing_request", std::move(v), StatusOf(error));
}

Response StepPost(Page& p, SharingService& svc, const std::string& id, const std::string& step) {
  Result<sharing::SharingRequest> r = Status::NotFound("step", step);
  if (step == "bo-sung") {
    r = svc.AskInfo(p.who, id, p.Field("question"));
  } else if (step == "tra-loi") {
    r = svc.Answer(p.who, id, p.Field("answer"));
  } else if (step == "tu-choi") {
    r = svc.Refuse(p.who, id, p.Field("reason"));
  } else if (step == "rut") {
    r = svc.Withdraw(p.who, id, p.Field("reason"));
  } else {
    json in = api::FormObject(p.Form());
    // The form lists the approved columns as checkboxes.
    std::string columns;
    for (const auto& c : p.FormList("columns")) columns += (columns.empty() ? "" : ",") + c;
    if (columns.empty()) {
      return RequestPage(p, svc, id,
                         Status::InvalidArgument("no column approved", "Cần ít nhất một cột")
                             .WithField("columns", "Cần ít nhất một cột"));
    }
    in["columns"] = columns;
    MasksFromText(in, p.Field("masks_text"));
    auto terms = api::ApprovalTermsFrom(in);
    r = terms.ok() ? svc.Approve(p.who, id, *terms)
                   : Result<sharing::SharingRequest>(terms.status());
  }
  if (!r.ok()) return RequestPage(p, svc, id, r.status());
  return p.Redirect("/chia-se/yeu-cau/" + id + "?done=" + step);
}

Response CalendarPage(Page& p, SharingService& svc, const Status& error, const json& values) {
  if (!access::Allowed(p.who, access::Action::kManageCalendar, {})) {
    return p.Error(Status::PermissionDenied(
        "only the provincial data unit edits the calendar",
        "Chỉ đơn vị quản lý dữ liệu của tỉnh mới được sửa lịch ngày nghỉ"));
  }
  json v = p.View(p.T("sharing_calendar_title"));
  Outcome(p, v, error);
  json days = json::array();
  if (auto list = svc.calendar().Days(); list.ok()) {
    for (const auto& d : *list) {
      days.push_back({{"day", d.day},
                      {"day_text", p.Day(d.day)},
                      {"kind_text", p.T("sharing_day_" + d.kind)},
                      {"note", d.note}});
    }
  }
  v["days"] = days;
  int year = VietnamDateOf(NowMicros()).year;
  json holidays = json::array();
  for (int y : {year, year + 1}) {
    if (auto list = svc.calendar().Holidays(y); list.ok()) {
      for (const auto& h : *list) {
        holidays.push_back(
            {{"day_text", p.Day(FormatCivilDate(h.date))}, {"name", p.Pick(h.name_vi, h.name_en)}});
      }
    }
  }
  v["holidays"] = holidays;
  v["values"] = values;
  v["form_url"] = p.Url("/chia-se/lich");
  v["delete_url"] = p.Url("/chia-se/lich/xoa");
  return p.Render("sharing_calendar", std::move(v), StatusOf(error));
}

Response CalendarPost(Page& p, SharingService& svc, bool remove) {
  json values = {{"day", p.Field("day")}, {"kind", p.Field("kind")}, {"note", p.Field("note")}};
  Status s = remove
                 ? svc.calendar().DeleteDay(p.who, p.Field("day"))
                 : svc.calendar().PutDay(p.who, p.Field("day"), p.Field("kind"), p.Field("note"));
  if (!s.ok()) return CalendarPage(p, svc, s, values);
  return p.Redirect(std::string("/chia-se/lich?done=") + (remove ? "day_removed" : "day_saved"));
}

Response OverduePage(Page& p, SharingService& svc) {
  auto list = svc.Overdue(p.who);
  if (!list.ok()) return p.Error(list.status());
  json v = p.View(p.T("sharing_overdue_title"));
  json rows = json::array();
  for (const auto& r : *list) rows.push_back(RequestRow(p, r, RequestOut(svc, r)));
  v["requests"] = rows;
  return p.Render("sharing_overdue", std::move(v));
}

Response NotificationsPage(Page& p, SharingService& svc) {
  auto list = svc.notifications().List(p.who);
  if (!list.ok()) return p.Error(list.status());
  json v = p.View(p.T("notifications_title"));
  Outcome(p, v, Status::Ok());
  json rows = json::array();
  for (const auto& n : *list) {
    rows.push_back({{"text", p.Pick(n.text_vi, n.text_en)},
                    {"url", p.Url(n.link)},
                    {"at", p.Date(n.created, true)},
                    {"unread", n.read == 0}});
  }
  v["notifications"] = rows;
  v["read_url"] = p.Url("/thong-bao/da-doc");
  return p.Render("notifications", std::move(v));
}

}  // namespace

void RegisterSharingPages(api::Router& router, WebContext& web) {
  AddPage(router, web, "GET", "/chia-se", [](Page& p, const api::PathParams&) {
    return Sharing(p, [&](SharingService& svc) { return CataloguePage(p, svc); });
  });
  AddPage(router, web, "POST", "/chia-se", [](Page& p, const api::PathParams&) {
    return Sharing(p, [&](SharingService& svc) { return OfferPost(p, svc); });
  });
  AddPage(router, web, "GET", "/chia-se/dich-vu/{id}", [](Page& p, const api::PathParams& a) {
    return Sharing(p, [&](SharingService& svc) {
      return ServicePage(p, svc, a.at("id"), Status::Ok(), json::object());
    });
  });
  AddPage(router, web, "POST", "/chia-se/dich-vu/{id}/yeu-cau",
          [](Page& p, const api::PathParams& a) {
            return Sharing(
                p, [&](SharingService& svc) { return RequestPost(p, svc, a.at("id")); },
                /*multipart=*/true);
          });
  AddPage(router, web, "POST", "/chia-se/dich-vu/{id}/ngung",
          [](Page& p, const api::PathParams& a) {
            return Sharing(
                p, [&](SharingService& svc) { return WithdrawServicePost(p, svc, a.at("id")); });
          });
  AddPage(router, web, "GET", "/chia-se/yeu-cau", [](Page& p, const api::PathParams&) {
    return Sharing(p, [&](SharingService& svc) { return RequestsPage(p, svc); });
  });
  AddPage(router, web, "GET", "/chia-se/yeu-cau/{id}", [](Page& p, const api::PathParams& a) {
    return Sharing(
        p, [&](SharingService& svc) { return RequestPage(p, svc, a.at("id"), Status::Ok()); });
  });
  for (const char* step : {"bo-sung", "tra-loi", "phe-duyet", "tu-choi", "rut"}) {
    AddPage(router, web, "POST", std::string("/chia-se/yeu-cau/{id}/") + step,
            [step = std::string(step)](Page& p, const api::PathParams& a) {
              return Sharing(
                  p, [&](SharingService& svc) { return StepPost(p, svc, a.at("id"), step); });
            });
  }
  AddPage(router, web, "GET", "/chia-se/lich", [](Page& p, const api::PathParams&) {
    return Sharing(
        p, [&](SharingService& svc) { return CalendarPage(p, svc, Status::Ok(), json::object()); });
  });
  AddPage(router, web, "POST", "/chia-se/lich", [](Page& p, const api::PathParams&) {
    return Sharing(p, [&](SharingService& svc) { return CalendarPost(p, svc, false); });
  });
  AddPage(router, web, "POST", "/chia-se/lich/xoa", [](Page& p, const api::PathParams&) {
    return Sharing(p, [&](SharingService& svc) { return CalendarPost(p, svc, true); });
  });
  AddPage(router, web, "GET", "/chia-se/qua-han", [](Page& p, const api::PathParams&) {
    return Sharing(p, [&](SharingService& svc) { return OverduePage(p, svc); });
  });
  AddPage(router, web, "GET", "/thong-bao", [](Page& p, const api::PathParams&) {
    return Sharing(p, [&](SharingService& svc) { return NotificationsPage(p, svc); });
  });
  AddPage(router, web, "POST", "/thong-bao/da-doc", [](Page& p, const api::PathParams&) {
    return Sharing(p, [&](SharingService& svc) {
      Status s = svc.notifications().MarkRead(p.who, p.Field("id"));
      if (!s.ok()) return p.Error(s);
      return p.Redirect("/thong-bao?done=read");
    });
  });
  for (const char* prefix : {"", "/en"}) {
    router.AcceptUploads("POST", std::string(prefix) + "/chia-se/dich-vu/{id}/yeu-cau");
  }
}

}  // namespace odp::web
