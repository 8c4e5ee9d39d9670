// Inter-agency sharing over HTTP (sharing/sharing.h): the sharing catalogue, requests and
// decisions, the announced calendar days, the overdue board, and the caller's notifications.
// The rules are SharingService's; this file reads inputs and writes JSON.
#include <filesystem>
#include <string>

#include "api/api.h"
#include "api/grant_reads.h"
#include "api/handler.h"
#include "api/sharing_input.h"
#include "api/upload.h"
#include "sharing/sharing.h"

namespace odp::api {

json FormObject(const std::map<std::string, std::string>& fields) {
  json j = json::object();
  for (const auto& [k, v] : fields) j[k] = v;
  return j;
}

namespace {

using access::Principal;
using http::Request;
using http::Response;

Status NotEnabled() {
  return Status(StatusCode::kNotFound, "data sharing is not enabled on this server",
                "Máy chủ này chưa bật chức năng chia sẻ dữ liệu");
}

Result<sharing::SharingService*> Service(ApiContext& ctx) {
  if (ctx.sharing == nullptr) return NotEnabled();
  return ctx.sharing;
}

Status WrongType(const char* key) {
  return Status::InvalidArgument(std::string(key) + " has the wrong type",
                                 "Trường có kiểu dữ liệu sai")
      .WithField(key, "Kiểu dữ liệu sai");
}

Result<std::string> Str(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::string();
  const json& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer() || v.is_boolean()) return v.dump();
  return WrongType(key);
}

Result<std::vector<std::string>> StrList(const json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.contains(key) || j[key].is_null()) return out;
  const json& v = j[key];
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    size_t start = 0;
    while (start <= s.size()) {
      size_t comma = s.find(',', start);
      std::string piece = s.substr(start, comma == std::string::npos ? comma : comma - start);
      size_t b = piece.find_first_not_of(' '), e = piece.find_last_not_of(' ');
      if (b != std::string::npos) out.push_back(piece.substr(b, e - b + 1));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return out;
  }
  if (!v.is_array() || v.size() > 1000) return WrongType(key);
  for (const json& x : v) {
    if (!x.is_string()) return WrongType(key);
    out.push_back(x.get<std::string>());
  }
  return out;
}

// An object of strings under `key`, plus form fields "`prefix`.column".
Result<std::map<std::string, std::string>> StrMap(const json& j, const char* key,
                                                  const std::string& prefix) {
  std::map<std::string, std::string> out;
  if (j.contains(key) && !j[key].is_null()) {
    if (!j[key].is_object()) return WrongType(key);
    for (const auto& [k, v] : j[key].items()) {
      if (!v.is_string()) return WrongType(key);
      out[k] = v.get<std::string>();
    }
  }
  for (const auto& [k, v] : j.items()) {
    if (k.rfind(prefix, 0) == 0 && v.is_string() && !v.get<std::string>().empty()) {
      out[k.substr(prefix.size())] = v.get<std::string>();
    }
  }
  return out;
}

Result<int64_t> Int(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null() || (j[key].is_string() && j[key] == "")) return 0;
  auto v = JsonInteger(j[key]);
  if (!v.ok()) return WrongType(key);
  return *v;
}

Result<bool> Bool(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return false;
  const json& v = j[key];
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s == "true" || s == "1" || s == "on") return true;
    if (s == "false" || s == "0" || s.empty()) return false;
  }
  return WrongType(key);
}

}  // namespace

Result<sharing::ServiceOffer> ServiceOfferFrom(const json& j) {
  sharing::ServiceOffer o;
  ODP_ASSIGN_OR_RETURN(o.resource_id, Str(j, "resource_id"));
  ODP_ASSIGN_OR_RETURN(o.title_vi, Str(j, "title_vi"));
  ODP_ASSIGN_OR_RETURN(o.title_en, Str(j, "title_en"));
  ODP_ASSIGN_OR_RETURN(o.description_vi, Str(j, "description_vi"));
  ODP_ASSIGN_OR_RETURN(o.description_en, Str(j, "description_en"));
  ODP_ASSIGN_OR_RETURN(o.legal_basis, Str(j, "legal_basis"));
  ODP_ASSIGN_OR_RETURN(o.terms, Str(j, "terms"));
  ODP_ASSIGN_OR_RETURN(o.columns, StrList(j, "columns"));
  ODP_ASSIGN_OR_RETURN(o.descriptions, StrMap(j, "descriptions", "description."));
  ODP_ASSIGN_OR_RETURN(o.sample_masks, StrMap(j, "sample_masks", "mask."));
  ODP_ASSIGN_OR_RETURN(o.personal_data, Bool(j, "personal_data"));
  return o;
}

Result<sharing::RequestDraft> RequestDraftFrom(const json& j) {
  sharing::RequestDraft d;
  ODP_ASSIGN_OR_RETURN(d.service_id, Str(j, "service_id"));
  ODP_ASSIGN_OR_RETURN(d.consumer_id, Str(j, "consumer_id"));
  ODP_ASSIGN_OR_RETURN(d.columns, StrList(j, "columns"));
  ODP_ASSIGN_OR_RETURN(d.row_filter, Str(j, "row_filter"));
  ODP_ASSIGN_OR_RETURN(d.purpose, Str(j, "purpose"));
  ODP_ASSIGN_OR_RETURN(d.legal_document_number, Str(j, "legal_document_number"));
  ODP_ASSIGN_OR_RETURN(d.legal_document_date, Str(j, "legal_document_date"));
  ODP_ASSIGN_OR_RETURN(d.period_from, Str(j, "period_from"));
  ODP_ASSIGN_OR_RETURN(d.period_to, Str(j, "period_to"));
  ODP_ASSIGN_OR_RETURN(d.expected_requests_per_day, Int(j, "expected_requests_per_day"));
  ODP_ASSIGN_OR_RETURN(d.expected_rows_per_day, Int(j, "expected_rows_per_day"));
  ODP_ASSIGN_OR_RETURN(d.personal_data, Bool(j, "personal_data"));
  ODP_ASSIGN_OR_RETURN(d.personal_data_basis, Str(j, "personal_data_basis"));
  ODP_ASSIGN_OR_RETURN(d.contact_name, Str(j, "contact_name"));
  ODP_ASSIGN_OR_RETURN(d.contact_email, Str(j, "contact_email"));
  ODP_ASSIGN_OR_RETURN(d.contact_phone, Str(j, "contact_phone"));
  return d;
}

Result<sharing::ApprovalTerms> ApprovalTermsFrom(const json& j) {
  sharing::ApprovalTerms t;
  ODP_ASSIGN_OR_RETURN(t.columns, StrList(j, "columns"));
  ODP_ASSIGN_OR_RETURN(t.row_filter, Str(j, "row_filter"));
  ODP_ASSIGN_OR_RETURN(t.masks, StrMap(j, "masks", "mask."));
  ODP_ASSIGN_OR_RETURN(t.valid_from, Str(j, "valid_from"));
  ODP_ASSIGN_OR_RETURN(t.valid_to, Str(j, "valid_to"));
  ODP_ASSIGN_OR_RETURN(t.quota_requests_per_day, Int(j, "quota_requests_per_day"));
  ODP_ASSIGN_OR_RETURN(t.quota_rows_per_day, Int(j, "quota_rows_per_day"));
  ODP_ASSIGN_OR_RETURN(t.rate_per_minute, Int(j, "rate_per_minute"));
  ODP_ASSIGN_OR_RETURN(t.note, Str(j, "note"));
  return t;
}

namespace {

json RequestOut(sharing::SharingService& svc, const sharing::SharingRequest& r) {
  auto cal = svc.calendar().Current();
  return sharing::RequestJson(r, NowMicros(), cal.ok() ? cal->get() : nullptr);
}

// Catalogue -------------------------------------------------------------------------------------

Result<Response> ListServices(ApiContext& ctx, Request&, const PathParams&, const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(auto list, svc->Catalogue(who));
  json out = json::array();
  for (const auto& s : list) out.push_back(sharing::ServiceJson(s));
  return JsonResponse(200, {{"services", out}});
}

Result<Response> OfferService(ApiContext& ctx, Request& req, const PathParams&,
                              const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  ODP_ASSIGN_OR_RETURN(auto offer, ServiceOfferFrom(j));
  ODP_ASSIGN_OR_RETURN(auto s, svc->Offer(who, offer));
  return JsonResponse(201, sharing::ServiceJson(s));
}

Result<Response> GetService(ApiContext& ctx, Request&, const PathParams& p, const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(auto s, svc->GetService(who, p.at("id")));
  return JsonResponse(200, sharing::ServiceJson(s));
}

Result<Response> UpdateService(ApiContext& ctx, Request& req, const PathParams& p,
                               const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  ODP_ASSIGN_OR_RETURN(auto offer, ServiceOfferFrom(j));
  ODP_ASSIGN_OR_RETURN(auto s, svc->UpdateOffer(who, p.at("id"), offer));
  return JsonResponse(200, sharing::ServiceJson(s));
}

Result<Response> WithdrawService(ApiContext& ctx, Request&, const PathParams& p,
                                 const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(auto s, svc->WithdrawOffer(who, p.at("id")));
  return JsonResponse(200, sharing::ServiceJson(s));
}

Result<Response> ServiceOpenApi(ApiContext& ctx, Request&, const PathParams& p,
                                const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(json doc, svc->ServiceOpenApi(who, p.at("id"), ctx.config.site_url));
  return JsonResponse(200, doc);
}

// Requests --------------------------------------------------------------------------------------

Result<Response> ListRequests(ApiContext& ctx, Request&, const PathParams&, const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(auto lists, svc->List(who));
  json mine = json::array(), incoming = json::array();
  for (const auto& r : lists.mine) mine.push_back(RequestOut(*svc, r));
  for (const auto& r : lists.incoming) incoming.push_back(RequestOut(*svc, r));
  return JsonResponse(200, {{"mine", mine}, {"incoming", incoming}});
}

// multipart/form-data: the fields of RequestDraftFrom and the letter (PDF) as the file part
// `file`.
Result<Response> SubmitRequest(ApiContext& ctx, Request& req, const PathParams&,
                               const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  if (!access::Allowed(who, access::Action::kReadSharingCatalogue, {})) {
    return Status::PermissionDenied("only staff of the province's agencies request data",
                                    "Chỉ cán bộ của các cơ quan trong tỉnh mới được gửi yêu cầu");
  }
  if (req.body_file.empty()) {
    return Status::InvalidArgument("send the request as multipart/form-data with the letter",
                                   "Gửi yêu cầu dạng multipart/form-data kèm công văn (PDF)")
        .WithField("letter", "Cần công văn đề nghị dạng PDF");
  }
  ODP_ASSIGN_OR_RETURN(UploadForm form, ReadUploadForm(ctx, req));
  ODP_ASSIGN_OR_RETURN(auto draft, RequestDraftFrom(FormObject(form.fields)));
  ODP_RETURN_IF_ERROR(StoreUploadedFile(ctx, req, form));
  if (form.file) {
    draft.letter_sha256 = form.file->blob.sha256;
    draft.letter_filename = form.file->filename;
  }
  ODP_ASSIGN_OR_RETURN(auto r, svc->Submit(who, draft));
  return JsonResponse(201, RequestOut(*svc, r));
}

Result<Response> GetRequest(ApiContext& ctx, Request&, const PathParams& p, const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(auto r, svc->Get(who, p.at("id")));
  return JsonResponse(200, RequestOut(*svc, r));
}

Result<Response> GetLetter(ApiContext& ctx, Request& req, const PathParams& p,
                           const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(auto letter, svc->Letter(who, p.at("id")));
  catalog::Download d;
  d.path = ctx.blobs.PathOf(letter.first);
  d.filename = letter.second;
  d.mimetype = "application/pdf";
  d.sha256 = letter.first;
  std::error_code ec;
  d.size = static_cast<int64_t>(std::filesystem::file_size(d.path, ec));
  if (ec) return Status::NotFound("letter", p.at("id"));
  return FileResponse(req, d);
}

template <typename Fn>
Result<Response> Decide(ApiContext& ctx, Request& req, const PathParams& p, const Principal& who,
                        Fn fn) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  ODP_ASSIGN_OR_RETURN(sharing::SharingRequest r, fn(*svc, p.at("id"), j));
  return JsonResponse(200, RequestOut(*svc, r));
}

Result<Response> AskInfo(ApiContext& ctx, Request& req, const PathParams& p, const Principal& who) {
  return Decide(ctx, req, p, who,
                [&](sharing::SharingService& svc, const std::string& id,
                    const json& j) -> Result<sharing::SharingRequest> {
                  ODP_ASSIGN_OR_RETURN(std::string q, Str(j, "question"));
                  return svc.AskInfo(who, id, q);
                });
}

Result<Response> Answer(ApiContext& ctx, Request& req, const PathParams& p, const Principal& who) {
  return Decide(ctx, req, p, who,
                [&](sharing::SharingService& svc, const std::string& id,
                    const json& j) -> Result<sharing::SharingRequest> {
                  ODP_ASSIGN_OR_RETURN(std::string a, Str(j, "answer"));
                  return svc.Answer(who, id, a);
                });
}

// The values of the grant's row filter (the requested one and the approval's) must fit their
// columns' types, as for grants made directly (datastore::CheckConditionValues). The grammar and
// the columns are the sharing service's to check; a table not loaded has nothing to check.
Status RowFilterFitsTypes(ApiContext& ctx, const std::string& resource_id,
                          const std::string& filter) {
  if (filter.empty() || ctx.datastore == nullptr) return Status::Ok();
  auto table = ctx.datastore->Table(resource_id);
  auto conditions = ParseRowFilter(filter);
  if (!table.ok() || !conditions.ok()) return Status::Ok();
  Status typed = datastore::CheckConditionValues(*table, *conditions);
  if (typed.ok()) return typed;
  return Status::InvalidArgument("invalid terms: " + typed.message(),
                                 "Điều kiện phê duyệt không hợp lệ: " + typed.message_vi())
      .WithField("row_filter", typed.message_vi());
}

Result<Response> Approve(ApiContext& ctx, Request& req, const PathParams& p, const Principal& who) {
  return Decide(ctx, req, p, who,
                [&](sharing::SharingService& svc, const std::string& id,
                    const json& j) -> Result<sharing::SharingRequest> {
                  ODP_ASSIGN_OR_RETURN(auto terms, ApprovalTermsFrom(j));
                  // Only for those who may decide: the others get the service's refusal.
                  if (auto current = svc.Get(who, id);
                      current.ok() && access::Allowed(who, access::Action::kDecideSharing,
                                                      {current->record.provider_org})) {
                    std::string filter = current->doc.value("row_filter", "");
                    if (!terms.row_filter.empty()) {
                      filter = filter.empty() ? terms.row_filter : filter + "&" + terms.row_filter;
                    }
                    ODP_RETURN_IF_ERROR(
                        RowFilterFitsTypes(ctx, current->doc.value("resource_id", ""), filter));
                  }
                  return svc.Approve(who, id, terms);
                });
}

Result<Response> Refuse(ApiContext& ctx, Request& req, const PathParams& p, const Principal& who) {
  return Decide(ctx, req, p, who,
                [&](sharing::SharingService& svc, const std::string& id,
                    const json& j) -> Result<sharing::SharingRequest> {
                  ODP_ASSIGN_OR_RETURN(std::string reason, Str(j, "reason"));
                  return svc.Refuse(who, id, reason);
                });
}

Result<Response> Withdraw(ApiContext& ctx, Request& req, const PathParams& p,
                          const Principal& who) {
  return Decide(ctx, req, p, who,
                [&](sharing::SharingService& svc, const std::string& id,
                    const json& j) -> Result<sharing::SharingRequest> {
                  ODP_ASSIGN_OR_RETURN(std::string reason, Str(j, "reason"));
                  return svc.Withdraw(who, id, reason);
                });
}

Result<Response> Overdue(ApiContext& ctx, Request&, const PathParams&, const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(auto list, svc->Overdue(who));
  json out = json::array();
  for (const auto& r : list) out.push_back(RequestOut(*svc, r));
  return JsonResponse(200, {{"requests", out}});
}

// Calendar --------------------------------------------------------------------------------------

Result<Response> GetCalendar(ApiContext& ctx, Request& req, const PathParams&,
                             const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  if (!who.authenticated()) {
    return Status::Unauthenticated("sign in to see the calendar", "Hãy đăng nhập để xem lịch");
  }
  int year = VietnamDateOf(NowMicros()).year;
  if (req.HasParam("year")) {
    auto y = JsonInteger(json(req.Param("year")));
    if (!y.ok() || *y < 1800 || *y > 2198) {
      return Status::InvalidArgument("year out of range", "Năm không hợp lệ")
          .WithField("year", "Năm không hợp lệ");
    }
    year = static_cast<int>(*y);
  }
  ODP_ASSIGN_OR_RETURN(auto days, svc->calendar().Days());
  ODP_ASSIGN_OR_RETURN(auto holidays, svc->calendar().Holidays(year));
  json announced = json::array();
  for (const auto& d : days) {
    announced.push_back({{"day", d.day},
                         {"kind", d.kind},
                         {"note", d.note},
                         {"updated", FormatIsoSeconds(d.updated)}});
  }
  json off = json::array();
  static const char* kKinds[] = {"public_holiday", "compensatory", "announced"};
  for (const auto& h : holidays) {
    off.push_back({{"day", FormatCivilDate(h.date)},
                   {"kind", kKinds[static_cast<int>(h.kind)]},
                   {"name_vi", h.name_vi},
                   {"name_en", h.name_en}});
  }
  return JsonResponse(200, {{"year", year}, {"announced", announced}, {"days_off", off}});
}

Result<Response> PutCalendarDay(ApiContext& ctx, Request& req, const PathParams& p,
                                const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  ODP_ASSIGN_OR_RETURN(std::string kind, Str(j, "kind"));
  ODP_ASSIGN_OR_RETURN(std::string note, Str(j, "note"));
  ODP_RETURN_IF_ERROR(svc->calendar().PutDay(who, p.at("day"), kind, note));
  return JsonResponse(200, {{"day", p.at("day")}, {"kind", kind}, {"note", note}});
}

Result<Response> DeleteCalendarDay(ApiContext& ctx, Request&, const PathParams& p,
                                   const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_RETURN_IF_ERROR(svc->calendar().DeleteDay(who, p.at("day")));
  return NoContent();
}

// Notifications ---------------------------------------------------------------------------------

Result<Response> ListNotifications(ApiContext& ctx, Request&, const PathParams&,
                                   const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(auto list, svc->notifications().List(who));
  ODP_ASSIGN_OR_RETURN(int64_t unread, svc->notifications().Unread(who));
  json out = json::array();
  for (const auto& n : list) {
    out.push_back({{"id", n.id},
                   {"kind", n.kind},
                   {"subject_id", n.subject_id},
                   {"text_vi", n.text_vi},
                   {"text_en", n.text_en},
                   {"link", n.link},
                   {"created", FormatIsoSeconds(n.created)},
                   {"read", n.read ? json(FormatIsoSeconds(n.read)) : json(nullptr)}});
  }
  return JsonResponse(200, {{"unread", unread}, {"notifications", out}});
}

Result<Response> MarkRead(ApiContext& ctx, Request& req, const PathParams&, const Principal& who) {
  ODP_ASSIGN_OR_RETURN(auto* svc, Service(ctx));
  ODP_ASSIGN_OR_RETURN(json j, ParseJsonObject(req.body));
  ODP_ASSIGN_OR_RETURN(std::string id, Str(j, "id"));
  ODP_RETURN_IF_ERROR(svc->notifications().MarkRead(who, id));
  ODP_ASSIGN_OR_RETURN(int64_t unread, svc->notifications().Unread(who));
  return JsonResponse(200, {{"unread", unread}});
}

}  // namespace

void RegisterSharing(Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/sharing/services", ListServices);
  AddRoute(router, ctx, "POST", "/api/v1/sharing/services", OfferService);
  AddRoute(router, ctx, "GET", "/api/v1/sharing/services/{id}", GetService);
  AddRoute(router, ctx, "PUT", "/api/v1/sharing/services/{id}", UpdateService);
  AddRoute(router, ctx, "POST", "/api/v1/sharing/services/{id}/withdraw", WithdrawService);
  AddRoute(router, ctx, "GET", "/api/v1/sharing/services/{id}/openapi.json", ServiceOpenApi);
  AddRoute(router, ctx, "GET", "/api/v1/sharing/requests", ListRequests);
  AddRoute(router, ctx, "POST", "/api/v1/sharing/requests", SubmitRequest);
  router.AcceptUploads("POST", "/api/v1/sharing/requests");
  AddRoute(router, ctx, "GET", "/api/v1/sharing/requests/{id}", GetRequest);
  AddRoute(router, ctx, "GET", "/api/v1/sharing/requests/{id}/letter", GetLetter);
  AddRoute(router, ctx, "POST", "/api/v1/sharing/requests/{id}/ask-info", AskInfo);
  AddRoute(router, ctx, "POST", "/api/v1/sharing/requests/{id}/answer", Answer);
  AddRoute(router, ctx, "POST", "/api/v1/sharing/requests/{id}/approve", Approve);
  AddRoute(router, ctx, "POST", "/api/v1/sharing/requests/{id}/refuse", Refuse);
  AddRoute(router, ctx, "POST", "/api/v1/sharing/requests/{id}/withdraw", Withdraw);
  AddRoute(router, ctx, "GET", "/api/v1/sharing/overdue", Overdue);
  AddRoute(router, ctx, "GET", "/api/v1/sharing/calendar", GetCalendar);
  AddRoute(router, ctx, "PUT", "/api/v1/sharing/calendar/{day}", PutCalendarDay);
  AddRoute(router, ctx, "DELETE", "/api/v1/sharing/calendar/{day}", DeleteCalendarDay);
  AddRoute(router, ctx, "GET", "/api/v1/notifications", ListNotifications);
  AddRoute(router, ctx, "POST", "/api/v1/notifications/read", MarkRead);
}

}  // namespace odp::api
