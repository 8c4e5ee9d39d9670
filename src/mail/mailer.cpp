#include "mail/mailer.h"

#include <algorithm>
#include <mutex>

#include <curl/curl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/ids.h"
#include "base/log.h"
#include "jobs/jobs.h"
#include "text/utf8.h"

namespace odp::mail {
namespace {

using json = nlohmann::json;

constexpr const char* kSettingKey = "mail_settings";

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

std::optional<SmtpSecurity> ParseSecurity(const std::string& s) {
  if (s == "none") return SmtpSecurity::kNone;
  if (s == "starttls") return SmtpSecurity::kStartTls;
  if (s == "tls") return SmtpSecurity::kTls;
  return std::nullopt;
}

json ToJson(const SmtpSettings& s) {
  return {{"host", s.host},          {"port", s.port},         {"security", ToString(s.security)},
          {"username", s.username},  {"password", s.password}, {"from_address", s.from_address},
          {"from_name", s.from_name}};
}

SmtpSettings FromJson(const json& j) {
  SmtpSettings s;
  s.host = j.value("host", "");
  s.port = j.value("port", 25);
  s.security = ParseSecurity(j.value("security", "none")).value_or(SmtpSecurity::kNone);
  s.username = j.value("username", "");
  s.password = j.value("password", "");
  s.from_address = j.value("from_address", "");
  s.from_name = j.value("from_name", "");
  return s;
}

// The stored settings, or nullopt when none are stored.
std::optional<SmtpSettings> Stored(store::SettingsStore& store) {
  auto text = store.GetSetting(kSettingKey);
  if (!text.ok() || text->empty()) return std::nullopt;
  json j = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  return FromJson(j);
}

// The message body for libcurl's read callback.
struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t n = std::min(size * count, u->data->size() - u->offset);
  std::copy_n(u->data->data() + u->offset, n, buffer);
  u->offset += n;
  return n;
}

}  // namespace

const char* ToString(SmtpSecurity s) {
  switch (s) {
    case SmtpSecurity::kStartTls: return "starttls";
    case SmtpSecurity::kTls: return "tls";
    case SmtpSecurity::kNone: break;
  }
  return "none";
}

Status ValidateSmtpSettings(const SmtpSettings& s) {
  Status bad =
      Status::InvalidArgument("invalid mail settings", "Cấu hình thư điện tử không hợp lệ");
  bool invalid = false;
  if (s.host.size() > 253 ||
      s.host.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:") !=
          std::string::npos) {
    bad.WithField("smtp_host", "Tên máy chủ chỉ gồm chữ, số, '.', '-' và ':'");
    invalid = true;
  }
  if (s.port < 1 || s.port > 65535) {
    bad.WithField("smtp_port", "Cổng từ 1 đến 65535");
    invalid = true;
  }
  if (!s.host.empty() && !ValidMailAddress(s.from_address)) {
    bad.WithField("smtp_from_address", "Địa chỉ người gửi không hợp lệ");
    invalid = true;
  }
  if (HasControl(s.from_name) || !text::IsValidUtf8(s.from_name) || s.from_name.size() > 200) {
    bad.WithField("smtp_from_name", "Tên người gửi không hợp lệ");
    invalid = true;
  }
  if (HasControl(s.username) || s.username.size() > 200) {
    bad.WithField("smtp_username", "Tên đăng nhập máy chủ thư không hợp lệ");
    invalid = true;
  }
  if (HasControl(s.password) || s.password.size() > 200) {
    bad.WithField("smtp_password", "Mật khẩu máy chủ thư không hợp lệ");
    invalid = true;
  }
  return invalid ? bad : Status::Ok();
}

Status SendSmtp(const SmtpSettings& s, const std::string& to, const std::string& formatted) {
  if (!s.configured()) return Status::Unavailable("mail is not set up (no SMTP server)");
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Status::Internal("libcurl: cannot start");
  std::string host = s.host.find(':') != std::string::npos ? "[" + s.host + "]" : s.host;
  std::string url =
      fmt::format("{}://{}:{}", s.security == SmtpSecurity::kTls ? "smtps" : "smtp", host, s.port);
  std::string from = "<" + s.from_address + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
  Upload upload{&formatted};
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(formatted.size()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(s.timeout_seconds));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (s.security == SmtpSecurity::kStartTls) {
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (!s.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, s.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, s.password.c_str());
  }
  CURLcode rc = curl_easy_perform(curl);
  long response = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    return Status::Unavailable(fmt::format("SMTP {}:{}: {} (last reply {})", s.host, s.port,
                                           error[0] != 0 ? error : curl_easy_strerror(rc),
                                           response));
  }
  return Status::Ok();
}

SmtpSettings Mailer::Settings() const {
  auto stored = Stored(settings_);
  if (stored && !stored->host.empty()) return *stored;
  return defaults_;
}

MailSettingsView Mailer::View() const {
  MailSettingsView v;
  auto stored = Stored(settings_);
  v.from_store = stored && !stored->host.empty();
  v.settings = v.from_store ? *stored : defaults_;
  v.password_set = !v.settings.password.empty();
  v.settings.password.clear();
  return v;
}

Status Mailer::Save(SmtpSettings s, bool clear_password) {
  ODP_RETURN_IF_ERROR(ValidateSmtpSettings(s));
  if (s.host.empty()) return settings_.PutSetting(kSettingKey, "");
  if (s.password.empty() && !clear_password) {
    if (auto stored = Stored(settings_)) s.password = stored->password;
  }
  ODP_RETURN_IF_ERROR(settings_.PutSetting(kSettingKey, ToJson(s).dump()));
  LogInfo(fmt::format("mail settings saved: {}:{} ({})", s.host, s.port, ToString(s.security)));
  return Status::Ok();
}

Status Mailer::Send(const MailMessage& m) const {
  SmtpSettings s = Settings();
  if (!s.configured()) return Status::Unavailable("mail is not set up (no SMTP server)");
  ODP_ASSIGN_OR_RETURN(std::string text,
                       FormatMessage(m, s.from_address, s.from_name, NowMicros(), NewUuid()));
  ODP_RETURN_IF_ERROR(SendSmtp(s, m.to, text));
  LogInfo("mail sent to " + m.to);
  return Status::Ok();
}

Result<std::string> Mailer::Queue(const MailMessage& m) const {
  if (jobs_ == nullptr) return Status::Unavailable("mail is not started on this server");
  // Checked now, with a stand-in sender, so that a bad address is the caller's error.
  ODP_RETURN_IF_ERROR(FormatMessage(m, "check@example.org", "", 0, "check").status());
  json payload = {{"to", m.to},
                  {"to_name", m.to_name},
                  {"subject", m.subject},
                  {"body", m.body},
                  {"list_unsubscribe", m.list_unsubscribe}};
  return jobs_->Enqueue(kJobKind, "", payload.dump());
}

void Mailer::Start(jobs::Jobs& jobs) {
  jobs::KindOptions options;
  options.max_attempts = kSendAttempts;
  options.backoff = 60 * 1000000LL;
  options.concurrency = 2;
  jobs.Register(
      kJobKind,
      [this](jobs::JobContext& ctx) -> Status {
        json p = json::parse(ctx.payload(), nullptr, /*allow_exceptions=*/false);
        if (!p.is_object()) return Status::InvalidArgument("mail job without a message");
        MailMessage m{p.value("to", ""), p.value("to_name", ""), p.value("subject", ""),
                      p.value("body", ""), p.value("list_unsubscribe", "")};
        return Send(m);
      },
      options);
  jobs_ = &jobs;
}

void Mailer::Stop() {
  if (jobs_ == nullptr) return;
  jobs_->Unregister(kJobKind);
  jobs_ = nullptr;
}

}  // namespace odp::mail
