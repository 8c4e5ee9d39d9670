#include "store/pg_db.h"

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <vector>

#include <libpq-fe.h>
#include <poll.h>

namespace odp::store::internal {
namespace {

class PgStatement final : public sql::Statement {
 public:
  PgStatement(PgConnection* conn, std::string sql) : conn_(conn), sql_(std::move(sql)) {}
  ~PgStatement() override {
    if (res_) PQclear(res_);
  }
  PgStatement(const PgStatement&) = delete;
  PgStatement& operator=(const PgStatement&) = delete;

  using sql::Statement::Bind;
  Statement& Bind(int index, std::string_view text) override {
    Slot(index) = std::string(text);
    return *this;
  }
  Statement& Bind(int index, int64_t value) override {
    Slot(index) = std::to_string(value);
    return *this;
  }
  Statement& BindNull(int index) override {
    Slot(index) = std::nullopt;
    return *this;
  }

  Result<bool> Step() override {
    if (!res_) {
      std::vector<const char*> values(params_.size());
      for (size_t i = 0; i < params_.size(); ++i)
        values[i] = params_[i] ? params_[i]->c_str() : nullptr;
      res_ = PQexecParams(conn_->raw(), sql_.c_str(), static_cast<int>(values.size()), nullptr,
                          values.data(), nullptr, nullptr, 0);
      ExecStatusType st = PQresultStatus(res_);
      if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        Status s = PgError(conn_->raw(), res_, "query");
        PQclear(res_);
        res_ = nullptr;
        return s;
      }
      const char* n = PQcmdTuples(res_);
      conn_->set_changes(n && *n ? std::atoll(n) : 0);
      rows_ = PQntuples(res_);
      row_ = -1;
    }
    if (row_ + 1 < rows_) {
      ++row_;
      return true;
    }
    row_ = rows_;
    return false;
  }

  std::string Text(int col) const override {
    if (!res_ || row_ < 0 || row_ >= rows_ || PQgetisnull(res_, row_, col)) return {};
    return std::string(PQgetvalue(res_, row_, col),
                       static_cast<size_t>(PQgetlength(res_, row_, col)));
  }
  int64_t Int(int col) const override {
    if (!res_ || row_ < 0 || row_ >= rows_ || PQgetisnull(res_, row_, col)) return 0;
    const char* v = PQgetvalue(res_, row_, col);
    if (v[0] == 't' && v[1] == '\0') return 1;  // a boolean column
    return std::strtoll(v, nullptr, 10);
  }
  bool IsNull(int col) const override {
    return !res_ || row_ < 0 || row_ >= rows_ || PQgetisnull(res_, row_, col);
  }

 private:
  std::optional<std::string>& Slot(int index) {
    if (static_cast<size_t>(index) > params_.size()) params_.resize(static_cast<size_t>(index));
    return params_[static_cast<size_t>(index - 1)];
  }

  PgConnection* conn_;
  std::string sql_;
  std::vector<std::optional<std::string>> params_;
  PGresult* res_ = nullptr;
  int rows_ = 0;
  int row_ = -1;
};

}  // namespace

std::string ToPgPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'' || c == '"') {  // copy a quoted literal or identifier whole ('' and "" escape)
      size_t j = i + 1;
      while (j < sql.size() && sql[j] != c) ++j;
      out.append(sql.substr(i, j - i + 1));
      i = j;
      continue;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t j = sql.find('\n', i);
      if (j == std::string_view::npos) j = sql.size();
      out.append(sql.substr(i, j - i));
      i = j - 1;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    size_t j = i + 1;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') ++j;
    out += '$';
    if (j > i + 1) {
      std::string_view digits = sql.substr(i + 1, j - i - 1);
      out.append(digits);
      next = std::max(next, std::atoi(std::string(digits).c_str()) + 1);
    } else {
      out += std::to_string(next++);
    }
    i = j - 1;
  }
  return out;
}

Status PgError(PGconn* conn, const PGresult* res, std::string_view context) {
  std::string msg = std::string(context) + ": ";
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* text = res ? PQresultErrorMessage(res) : nullptr;
  msg += (text && *text) ? text : PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  std::string code = state ? state : "";
  if (code == "23505") return Status::AlreadyExists(msg, "Bản ghi đã tồn tại");
  if (code.rfind("23", 0) == 0) return Status::Conflict(msg, "Vi phạm ràng buộc dữ liệu");
  if (code == "40001" || code == "40P01" || code.rfind("08", 0) == 0 || code == "57P01" ||
      PQstatus(conn) != CONNECTION_OK) {
    return Status::Unavailable(msg);
  }
  if (code == "53100") return Status::ResourceExhausted(msg, "Đĩa đầy");
  return Status::Internal(msg);
}

std::string RedactPgUrl(const std::string& url) {
  // postgresql://user:secret@host/db → postgresql://user:***@host/db
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  size_t at = url.find('@', scheme + 3);
  if (at == std::string::npos) return url;
  size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    PQfinish(conn);
    return Status::Unavailable("cannot connect to PostgreSQL at " + RedactPgUrl(url) + ": " + msg);
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PQsetClientEncoding(conn, "UTF8");
  std::unique_ptr<PgConnection> out(new PgConnection(conn));
  ODP_RETURN_IF_ERROR(out->Exec("SET TIME ZONE 'UTC'"));
  return out;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::Healthy() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_UNKNOWN;
}

Result<bool> PgConnection::WaitForNotification(int timeout_ms) {
  auto take = [&] {
    bool any = false;
    while (PGnotify* n = PQnotifies(conn_)) {
      any = true;
      PQfreemem(n);
    }
    return any;
  };
  if (PQconsumeInput(conn_) == 0) return PgError(conn_, nullptr, "listen");
  if (take()) return true;
  pollfd p{PQsocket(conn_), POLLIN, 0};
  int rc = poll(&p, 1, timeout_ms);
  if (rc < 0) {
    if (errno == EINTR) return false;
    return Status::Internal("poll on PostgreSQL socket failed");
  }
  if (rc == 0) return false;
  if (PQconsumeInput(conn_) == 0) return PgError(conn_, nullptr, "listen");
  return take();
}

Status PgConnection::Exec(const std::string& sql) {
  PGresult* res = PQexec(conn_, sql.c_str());
  ExecStatusType st = PQresultStatus(res);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
    Status s = PgError(conn_, res, "exec");
    PQclear(res);
    return s;
  }
  const char* n = PQcmdTuples(res);
  changes_ = n && *n ? std::atoll(n) : 0;
  PQclear(res);
  return Status::Ok();
}

Result<std::unique_ptr<sql::Statement>> PgConnection::Prepare(std::string_view sql) {
  return std::unique_ptr<sql::Statement>(new PgStatement(this, ToPgPlaceholders(sql)));
}

}  // namespace odp::store::internal
