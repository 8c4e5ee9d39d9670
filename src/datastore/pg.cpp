#include "datastore/pg.h"

#include <charconv>
#include <chrono>
#include <cstdlib>

#include <poll.h>

#include "base/log.h"
#include "store/pg_db.h"

namespace odp::datastore::pg {
namespace {

// `name` in double quotes (an SQL identifier).
std::string Quoted(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '"';
  out.append(name);
  out += '"';
  return out;
}

}  // namespace

int64_t Result_::integer(int row, int col) const {
  std::string_view v = text(row, col);
  int64_t out = 0;
  std::from_chars(v.data(), v.data() + v.size(), out);
  return out;
}

double Result_::number(int row, int col) const {
  return std::strtod(PQgetvalue(r_, row, col), nullptr);
}

Status Error(PGconn* conn, const PGresult* res, std::string_view what) {
  return store::internal::PgError(conn, res, what);
}

// Datastore pages are read by index, a hundred rows at a time, from tables that sit in memory
// or on SSD. With PostgreSQL's default random_page_cost (4, for spinning disks), the planner
// reads a filtered page in `_id` order and throws away the rows that do not match (13 for each
// kept one on a column of 14 values) rather than take the rows from the (column, _id) index:
// ten times the work. 1.1 is the figure PostgreSQL's documentation gives for such storage. A
// value the operator set for the server, database or role is kept.
constexpr const char* kPageCost =
    "SELECT set_config('random_page_cost', '1.1', false) FROM pg_settings "
    "WHERE name = 'random_page_cost' AND source = 'default'";

odp::Result<std::unique_ptr<Conn>> Conn::Open(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    PQfinish(c);
    return Status::Unavailable("datastore: cannot connect to PostgreSQL at " +
                               store::internal::RedactPgUrl(url) + ": " + msg);
  }
  PQsetNoticeProcessor(
      c, [](void*, const char*) {}, nullptr);
  PQsetClientEncoding(c, "UTF8");
  std::unique_ptr<Conn> out(new Conn(c));
  ODP_RETURN_IF_ERROR(
      out->Exec("SET TIME ZONE 'UTC'; SET extra_float_digits = 1; " + std::string(kPageCost)));
  return out;
}

odp::Result<std::unique_ptr<Conn>> Conn::OpenAs(const std::string& url, const std::string& user,
                                                const std::string& password,
                                                const std::string& options) {
  // The URL's own settings, then these over them (expand_dbname).
  const char* keys[] = {"dbname", "user", "password", "options", "application_name", nullptr};
  const char* values[] = {url.c_str(),     user.c_str(), password.c_str(),
                          options.c_str(), "odp-sql",    nullptr};
  PGconn* c = PQconnectdbParams(keys, values, 1);
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    PQfinish(c);
    return Status::Unavailable(
        "datastore_search_sql: cannot log in as its request's role (the server's "
        "pg_hba.conf must allow password logins for roles odp_q_…): " +
        msg);
  }
  PQsetNoticeProcessor(
      c, [](void*, const char*) {}, nullptr);
  PQsetClientEncoding(c, "UTF8");
  std::unique_ptr<Conn> out(new Conn(c));
  ODP_RETURN_IF_ERROR(out->Exec(kPageCost));  // the same plans as datastore_search's
  return out;
}

Conn::~Conn() { PQfinish(conn_); }

bool Conn::Healthy() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

Status Conn::Exec(const std::string& sql) {
  PGresult* r = PQexec(conn_, sql.c_str());
  ExecStatusType st = PQresultStatus(r);
  Status s = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY)
                 ? Status::Ok()
                 : Error(conn_, r, "datastore");
  PQclear(r);
  return s;
}

odp::Result<Result_> Conn::Query(const std::string& sql, const Params& params, bool prepare) {
  std::vector<const char*> values(params.size());
  for (size_t i = 0; i < params.size(); ++i) values[i] = params[i] ? params[i]->c_str() : nullptr;
  const int n = static_cast<int>(values.size());
  PGresult* r = nullptr;
  if (prepare) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end() && prepared_.size() < 256) {
      std::string name = "odp_ds_" + std::to_string(prepared_.size());
      PGresult* p = PQprepare(conn_, name.c_str(), sql.c_str(), n, nullptr);
      Status s =
          PQresultStatus(p) == PGRES_COMMAND_OK ? Status::Ok() : Error(conn_, p, "datastore query");
      PQclear(p);
      ODP_RETURN_IF_ERROR(s);
      it = prepared_.emplace(sql, name).first;
    }
    if (it != prepared_.end())
      r = PQexecPrepared(conn_, it->second.c_str(), n, values.data(), nullptr, nullptr, 0);
  }
  if (!r) r = PQexecParams(conn_, sql.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0);
  ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    Status s = Error(conn_, r, "datastore query");
    PQclear(r);
    return s;
  }
  return Result_(r);
}

void AppendCopyText(std::string& out, std::string_view v) {
  size_t start = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    const char* esc = c == '\\'   ? "\\\\"
                      : c == '\t' ? "\\t"
                      : c == '\n' ? "\\n"
                      : c == '\r' ? "\\r"
                                  : nullptr;
    if (!esc) continue;
    out.append(v.substr(start, i - start));
    out.append(esc);
    start = i + 1;
  }
  out.append(v.substr(start));
}

odp::Result<std::unique_ptr<Tables>> Tables::Open(const std::string& url) {
  std::unique_ptr<Tables> t(new Tables());
  t->url_ = url;
  ODP_ASSIGN_OR_RETURN(auto c, Conn::Open(url));
  ODP_ASSIGN_OR_RETURN(auto cur, c->Query("SELECT COALESCE(current_schema(), 'public')"));
  std::string current(cur.text(0, 0));
  // The portal's own schema is named in its URL (options=-csearch_path…): the tables go beside
  // it, in "<schema>_ds"; on the default public schema, in "datastore".
  t->schema_ = current == "public" ? "datastore" : current + "_ds";
  const std::string s = "\"" + t->schema_ + "\"";
  // Servers starting at once take turns (the setup is not safe to run concurrently).
  ODP_RETURN_IF_ERROR(c->Exec(
      "BEGIN; SELECT pg_advisory_xact_lock(7466102); CREATE SCHEMA IF NOT EXISTS " + s +
      "; CREATE TABLE IF NOT EXISTS " + s +
      ".ds_tables (resource_id text NOT NULL, version integer NOT NULL, info text NOT NULL, "
      "created bigint NOT NULL, PRIMARY KEY (resource_id, version))"));
  auto unlock = [&](Status st) {
    (void)c->Exec(st.ok() ? "COMMIT" : "ROLLBACK");
    return st;
  };
  // The words of a table's folded text: split at ASCII characters other than letters and digits
  // (U+001F between columns included), every other character part of a word, as FtsQuery and
  // PgTsQuery split a query; words over 2,000 bytes (PostgreSQL's limit is 2,047) left out.
  ODP_RETURN_IF_ERROR(unlock(
      c->Exec("CREATE OR REPLACE FUNCTION " + s +
              ".odp_words(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE "
              "AS $f$ SELECT array_to_tsvector(ARRAY(SELECT w FROM unnest(regexp_split_to_array(t, "
              "'[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]+')) AS w WHERE w <> '' AND "
              "octet_length(w) <= 2000)) $f$")));
  // Roles and schemas of SQL requests that a crashed server left behind (each role expires ten
  // minutes after its request began).
  if (auto left = c->Query("SELECT rolname FROM pg_roles WHERE rolname LIKE 'odp\\_q\\_%' AND "
                           "rolvaliduntil < now()");
      left.ok()) {
    for (int i = 0; i < left->rows(); ++i) {
      std::string n = Quoted(left->text(i, 0));
      (void)c->Exec("DROP SCHEMA IF EXISTS " + n + " CASCADE; DROP ROLE IF EXISTS " + n);
    }
  }
  t->idle_.push_back(std::move(c));
  t->open_ = 1;
  ODP_ASSIGN_OR_RETURN(t->listener_, Conn::Open(url));
  ODP_RETURN_IF_ERROR(t->listener_->Exec("LISTEN odp_tables"));
  t->listen_thread_ = std::thread([p = t.get()] { p->Listen(); });
  return t;
}

Tables::~Tables() {
  stop_ = true;
  if (listen_thread_.joinable()) listen_thread_.join();
}

void Tables::Listen() {
  while (!stop_) {
    PGconn* c = listener_->raw();
    if (PQstatus(c) != CONNECTION_OK || PQsocket(c) < 0) {
      // Lost (the server restarted): try again until it answers, forgetting every cached
      // description once it does (something may have been missed).
      auto again = Conn::Open(url_);
      if (again.ok() && again.value()->Exec("LISTEN odp_tables").ok()) {
        listener_ = std::move(again).value();
        Bump();
      } else {
        std::this_thread::sleep_for(std::chrono::seconds(1));
      }
      continue;
    }
    pollfd p{PQsocket(c), POLLIN, 0};
    int rc = poll(&p, 1, 200);
    if (rc <= 0) continue;
    if (PQconsumeInput(c) == 0) {
      // Lost: reconnect, and forget every cached description (something may have been missed).
      auto again = Conn::Open(url_);
      if (again.ok() && again.value()->Exec("LISTEN odp_tables").ok())
        listener_ = std::move(again).value();
      Bump();
      continue;
    }
    bool any = false;
    while (PGnotify* n = PQnotifies(c)) {
      any = true;
      PQfreemem(n);
    }
    if (any) Bump();
  }
}

std::string Tables::Ref(const std::string& table) const {
  return "\"" + schema_ + "\".\"" + table + "\"";
}

int64_t Tables::generation() const { return generation_.load(std::memory_order_acquire); }
void Tables::Bump() { generation_.fetch_add(1, std::memory_order_acq_rel); }

Tables::Lease::Lease(Tables& t) : t_(t) {
  std::unique_lock lock(t.mu_);
  t.cv_.wait(lock, [&] { return !t.idle_.empty() || t.open_ < kPool; });
  if (!t.idle_.empty()) {
    conn_ = t.idle_.back().release();
    t.idle_.pop_back();
    return;
  }
  ++t.open_;
  lock.unlock();
  auto c = Conn::Open(t.url_);
  if (!c.ok()) {
    status_ = c.status();
    std::lock_guard relock(t.mu_);
    --t.open_;
    t.cv_.notify_one();
    return;
  }
  conn_ = c.value().release();
}

Tables::Lease::~Lease() {
  if (!conn_) return;
  std::unique_ptr<Conn> owned(conn_);
  if (PQtransactionStatus(owned->raw()) != PQTRANS_IDLE) (void)owned->Exec("ROLLBACK");
  std::lock_guard lock(t_.mu_);
  if (owned->Healthy()) {
    t_.idle_.push_back(std::move(owned));
  } else {
    --t_.open_;
  }
  t_.cv_.notify_one();
}

}  // namespace odp::datastore::pg
