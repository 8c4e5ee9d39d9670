// Mailer: the one way ODP sends e-mail, off the request path.
//
// Queue() turns a message into a run of the jobs layer (kind "mail.send", payload: the message
// as JSON), so a request never waits on an SMTP server; a worker of any server sends it over
// SMTP with libcurl (smtp:// or smtps://, STARTTLS on request), retried with back-off (one
// minute, doubling) up to kSendAttempts; then the run is "failed" in /admin/jobs with the
// server's answer, where a sysadmin can retry it. Callers whose message must not be stored
// (it carries a secret link) run their own job and call Send() inside it.
//
// Settings: the SMTP server, port, security, user, password and sender come from the site's
// stored mail settings (setting "mail_settings", saved in /admin/settings) when a host is set
// there, else from the defaults given at construction (configuration: ODP_SMTP_*). They are
// read at every send, so a change counts on every server at once. The password is never shown
// back (MailSettingsView). Without a host, Send() fails with kUnavailable ("mail is not set
// up") and queued runs fail after their attempts, visibly.
//
// Thread-safe: Send() and Queue() may be called from any thread.
#pragma once

#include <string>

#include "base/status.h"
#include "mail/message.h"
#include "store/store.h"

namespace odp::jobs {
class Jobs;
}

namespace odp::mail {

enum class SmtpSecurity { kNone, kStartTls, kTls };
const char* ToString(SmtpSecurity s);  // "none", "starttls", "tls"

struct SmtpSettings {
  std::string host;  // "" = mail not set up
  int port = 25;
  SmtpSecurity security = SmtpSecurity::kNone;
  std::string username;  // "" = no authentication
  std::string password;
  std::string from_address;  // "khongtraloi@sotttt.hue.gov.vn"
  std::string from_name;     // "Cổng dữ liệu mở"
  int timeout_seconds = 30;

  bool configured() const { return !host.empty() && !from_address.empty(); }
};

// What the settings form shows and takes: everything but the password, which is only told
// apart as set or not.
struct MailSettingsView {
  SmtpSettings settings;  // password always ""
  bool password_set = false;
  bool from_store = false;  // false: the configuration's defaults are in force
};

// Checks host (letters, digits, '.', '-', ':' for IPv6, or empty), port 1–65535, the sender's
// address and name (no control characters) and lengths; kInvalidArgument naming each field.
Status ValidateSmtpSettings(const SmtpSettings& s);

// Sends one formatted message (FormatMessage) to `to` over SMTP; kUnavailable with the
// server's or libcurl's words when it fails.
Status SendSmtp(const SmtpSettings& s, const std::string& to, const std::string& formatted);

class Mailer {
 public:
  static constexpr int kSendAttempts = 6;
  static constexpr const char* kJobKind = "mail.send";

  // `settings` must outlive the mailer.
  Mailer(store::SettingsStore& settings, SmtpSettings defaults)
      : settings_(settings), defaults_(std::move(defaults)) {}
  ~Mailer() { Stop(); }
  Mailer(const Mailer&) = delete;
  Mailer& operator=(const Mailer&) = delete;

  // The settings in force: the stored ones when they name a host, else the defaults.
  SmtpSettings Settings() const;
  MailSettingsView View() const;
  // Stores `s` (validated). An empty password keeps the stored one unless `clear_password`.
  // An empty host removes the stored settings, so that the defaults apply again.
  Status Save(SmtpSettings s, bool clear_password);

  // Formats and sends `m` now, on the calling thread (a job handler's).
  Status Send(const MailMessage& m) const;
  // Queues `m` (checked by FormatMessage first, so a bad address fails here, not in a job).
  // REQUIRES: Start() was called. Returns the job run's id.
  Result<std::string> Queue(const MailMessage& m) const;

  // Registers the "mail.send" handler on `jobs` (which must outlive the mailer) and sends
  // queued messages through it from now on.
  void Start(jobs::Jobs& jobs);
  // Unregisters the handler (waiting for a send in progress on this server); queued messages
  // stay queued for another server or the next start.
  void Stop();

 private:
  store::SettingsStore& settings_;
  const SmtpSettings defaults_;
  jobs::Jobs* jobs_ = nullptr;  // set once by Start(), before any Queue()
};

}  // namespace odp::mail
