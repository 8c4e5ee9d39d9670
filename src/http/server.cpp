#include "http/server.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "base/ids.h"
#include "base/log.h"
#include "http/metrics.h"

namespace odp::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

namespace {

// One open connection, registered so that Stop() can close the idle ones.
struct Conn {
  beast::tcp_stream* stream = nullptr;
  std::atomic<bool> busy{false};
};

// True for errors of the HTTP parser on what the client sent (a bad request line, header,
// Content-Length or chunk), as opposed to the client going away or timing out.
bool IsFramingError(const beast::error_code& ec) {
  if (ec.category() != bhttp::make_error_code(bhttp::error::bad_method).category()) return false;
  return ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
         ec != bhttp::error::need_more && ec != bhttp::error::need_buffer &&
         ec != bhttp::error::body_limit && ec != bhttp::error::header_limit &&
         ec != bhttp::error::buffer_overflow;
}

bool IsMultipart(const std::string& content_type) {
  return content_type.size() >= 19 &&
         strncasecmp(content_type.c_str(), "multipart/form-data", 19) == 0;
}

// Copies a handler's headers onto the outgoing message. The one place every response's
// headers pass through: a header whose name or value holds CR, LF or NUL (which would split
// the response) is dropped and logged, whatever handler built it.
template <class Message>
void CopyHeaders(const Response& res, Message& out) {
  for (const auto& [k, v] : res.headers) {
    if (!IsSafeHeaderValue(k) || !IsSafeHeaderValue(v)) {
      LogWarn("dropped a response header with CR, LF or NUL: " + k + " (route " + res.route + ")");
      continue;
    }
    out.set(k, v);
  }
}

}  // namespace

struct Server::Impl {
  ServerOptions opts;
  Handler handler;
  FastPath fast_path;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::unique_ptr<asio::thread_pool> workers;    // null when handlers run on the I/O threads
  std::unique_ptr<asio::thread_pool> slow_pool;  // the slow lane (ServerOptions::slow)
  std::mutex slow_mu;
  int slow_in_flight = 0;                     // guarded by slow_mu
  std::map<std::string, int> slow_by_client;  // guarded by slow_mu
  std::atomic<bool> draining{false};
  std::mutex conns_mu;
  std::list<std::shared_ptr<Conn>> conns;  // guarded by conns_mu
  std::atomic<int> active{0};

  Impl(ServerOptions o, Handler h, FastPath f)
      : opts(std::move(o)), handler(std::move(h)), fast_path(std::move(f)) {}

  // True when the request may be answered by the fast path (see FastPath in server.h).
  // The headers are read in one pass (not one search per credential header).
  static bool FastEligible(const bhttp::request_parser<bhttp::empty_body>& hp) {
    const auto& h = hp.get();
    if (h.method() != bhttp::verb::get || h.version() != 11 || !h.keep_alive() || !hp.is_done()) {
      return false;
    }
    for (const auto& f : h) {
      switch (f.name()) {
        case bhttp::field::authorization:
        case bhttp::field::cookie: return false;
        case bhttp::field::unknown:
          if (beast::iequals(f.name_string(), "x-api-key") ||
              beast::iequals(f.name_string(), "x-ckan-api-key")) {
            return false;
          }
          break;
        default: break;
      }
    }
    return true;
  }

  awaitable<void> Accept() {
    for (;;) {
      beast::error_code ec;
      tcp::socket sock = co_await acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
      if (ec) {
        if (draining) co_return;
        continue;
      }
      sock.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(acceptor.get_executor(), Session(std::move(sock)), asio::detached);
    }
  }

  // Errors the server answers itself, in the API's error format.
  static Response Simple(int status, const std::string& msg) {
    Response r;
    r.status = status;
    r.Set("Content-Type", "application/json; charset=utf-8");
    const char* code = status == 413   ? "resource_exhausted"
                       : status == 500 ? "internal"
                                       : "invalid_argument";
    const char* vi = status == 413   ? "Dữ liệu gửi lên vượt quá giới hạn cho phép"
                     : status == 431 ? "Phần đầu yêu cầu quá lớn"
                     : status == 500 ? "Lỗi máy chủ"
                                     : "Yêu cầu không hợp lệ";
    r.body = std::string("{\"error\":{\"code\":\"") + code + "\",\"message\":\"" + msg +
             "\",\"message_vi\":\"" + vi + "\",\"details\":{}}}";
    return r;
  }

  // Admits a slow request from `client`: 0, or the status that refuses it (503: the lane is
  // full; 429: this client has its share running).
  int AdmitSlow(const std::string& client) {
    std::lock_guard lock(slow_mu);
    auto it = slow_by_client.find(client);
    if (it != slow_by_client.end() && it->second >= opts.slow_per_client) return 429;
    if (slow_in_flight >= opts.slow_workers + opts.slow_queue) return 503;
    int& mine = slow_by_client[client];
    ++mine;
    ++slow_in_flight;
    return 0;
  }
  void ReleaseSlow(const std::string& client) {
    std::lock_guard lock(slow_mu);
    --slow_in_flight;
    auto it = slow_by_client.find(client);
    if (it != slow_by_client.end() && --it->second <= 0) slow_by_client.erase(it);
  }
  static Response Busy(int status) {
    Response r;
    r.status = status;
    r.Set("Content-Type", "application/json; charset=utf-8");
    r.Set("Retry-After", "1");
    r.Set("Cache-Control", "no-store");
    const char* en = status == 429
                         ? "too many queries from this client at once: wait for one to finish"
                         : "the server is busy with other queries: try again in a moment";
    const char* vi = status == 429
                         ? "Bạn đang chạy quá nhiều truy vấn cùng lúc: hãy chờ truy vấn trước xong"
                         : "Máy chủ đang bận với các truy vấn khác: hãy thử lại sau giây lát";
    r.body = std::string("{\"success\":false,\"error\":{\"__type\":\"") +
             (status == 429 ? "Too Many Requests" : "Service Unavailable") + "\",\"message\":\"" +
             en + "\",\"message_vi\":\"" + vi + "\"}}";
    return r;
  }

  // A body produced piece by piece (Response::stream), sent chunked. The producer runs on the
  // handler pool (it may read a database); this coroutine writes each piece on its I/O thread.
  awaitable<void> WriteStream(beast::tcp_stream& stream, Response& res, bool head, bool keep_alive,
                              int version) {
    bhttp::response<bhttp::buffer_body> out{static_cast<bhttp::status>(res.status), version};
    CopyHeaders(res, out);
    out.keep_alive(keep_alive);
    if (version >= 11) out.chunked(true);
    out.body().data = nullptr;
    out.body().more = !head;
    bhttp::response_serializer<bhttp::buffer_body> sr{out};
    co_await bhttp::async_write_header(stream, sr, use_awaitable);
    if (head) co_return;
    auto producer = res.stream;
    // While one piece goes out on this I/O thread, the next is produced on the handler pool:
    // `ahead` is the piece in production; `ready` is only touched on this I/O thread.
    struct Ahead {
      explicit Ahead(const asio::any_io_executor& ex) : timer(ex) {}
      asio::steady_timer timer;
      std::string piece;
      int more = 0;
      bool ready = false;
    };
    auto io = co_await asio::this_coro::executor;
    auto ahead = std::make_shared<Ahead>(io);
    auto produce = [this, &producer, &io](const std::shared_ptr<Ahead>& a) {
      a->ready = false;
      a->piece.clear();
      a->timer.expires_at(asio::steady_timer::time_point::max());
      if (!workers) {
        a->more = producer(a->piece);
        a->ready = true;
        return;
      }
      asio::post(workers->get_executor(), [a, producer, io] {
        a->more = producer(a->piece);
        asio::post(io, [a] {
          a->ready = true;
          a->timer.cancel();
        });
      });
    };
    produce(ahead);
    std::string piece;
    for (;;) {
      while (!ahead->ready) {
        beast::error_code wait_ec;
        co_await ahead->timer.async_wait(asio::redirect_error(use_awaitable, wait_ec));
      }
      int more = ahead->more;
      if (more < 0) throw std::runtime_error("streamed body failed");
      piece.swap(ahead->piece);
      if (more > 0) produce(ahead);
      if (!piece.empty()) {
        out.body().data = piece.data();
        out.body().size = piece.size();
        out.body().more = true;
        stream.expires_after(std::chrono::seconds(60));
        beast::error_code ec;
        co_await bhttp::async_write(stream, sr, asio::redirect_error(use_awaitable, ec));
        if (ec == bhttp::error::need_buffer) ec = {};
        if (ec) throw beast::system_error(ec);
      }
      if (more == 0) break;
    }
    out.body().data = nullptr;
    out.body().more = false;
    beast::error_code ec;
    co_await bhttp::async_write(stream, sr, asio::redirect_error(use_awaitable, ec));
    if (ec && ec != bhttp::error::need_buffer) throw beast::system_error(ec);
  }

  awaitable<void> WriteResponse(beast::tcp_stream& stream, Response& res, bool head,
                                bool keep_alive, int version) {
    if (res.stream) {
      co_await WriteStream(stream, res, head, keep_alive, version);
      co_return;
    }
    if (res.shared_body) {
      auto shared = res.shared_body;  // keeps the text alive until the write completes
      bhttp::response<bhttp::span_body<const char>> out{static_cast<bhttp::status>(res.status),
                                                        version};
      CopyHeaders(res, out);
      out.keep_alive(keep_alive);
      out.body() = boost::beast::span<const char>(shared->data(), shared->size());
      out.prepare_payload();
      if (head) {
        bhttp::response_serializer<bhttp::span_body<const char>> sr{out};
        co_await bhttp::async_write_header(stream, sr, use_awaitable);
      } else {
        co_await bhttp::async_write(stream, out, use_awaitable);
      }
      co_return;
    }
    if (res.file_path.empty()) {
      bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
      CopyHeaders(res, out);
      out.keep_alive(keep_alive);
      if (head) {
        out.content_length(res.body.size());
        bhttp::response_serializer<bhttp::string_body> sr{out};
        sr.split(true);
        co_await bhttp::async_write_header(stream, sr, use_awaitable);
      } else {
        out.body() = std::move(res.body);
        out.prepare_payload();
        co_await bhttp::async_write(stream, out, use_awaitable);
      }
      co_return;
    }
    // Streamed file body.
    bhttp::response<bhttp::buffer_body> out{static_cast<bhttp::status>(res.status), version};
    CopyHeaders(res, out);
    out.keep_alive(keep_alive);
    out.content_length(static_cast<uint64_t>(res.file_length));
    out.body().data = nullptr;
    out.body().more = !head && res.file_length > 0;
    bhttp::response_serializer<bhttp::buffer_body> sr{out};
    co_await bhttp::async_write_header(stream, sr, use_awaitable);
    if (head || res.file_length == 0) co_return;
    FILE* f = std::fopen(res.file_path.c_str(), "rb");
    if (!f) throw std::runtime_error("cannot open " + res.file_path);
    std::unique_ptr<FILE, int (*)(FILE*)> guard(f, &std::fclose);
    if (std::fseek(f, static_cast<long>(res.file_offset), SEEK_SET) != 0) {
      throw std::runtime_error("cannot seek " + res.file_path);
    }
    std::vector<char> buf(256 * 1024);
    int64_t left = res.file_length;
    while (left > 0) {
      size_t want = static_cast<size_t>(std::min<int64_t>(left, static_cast<int64_t>(buf.size())));
      size_t n = std::fread(buf.data(), 1, want, f);
      if (n == 0) throw std::runtime_error("short read of " + res.file_path);
      left -= static_cast<int64_t>(n);
      out.body().data = buf.data();
      out.body().size = n;
      stream.expires_after(
          std::chrono::seconds(60));  // per chunk: a slow reader, not a stalled one
      out.body().more = left > 0;
      beast::error_code ec;
      co_await bhttp::async_write(stream, sr, asio::redirect_error(use_awaitable, ec));
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) throw beast::system_error(ec);
    }
    out.body().data = nullptr;
    out.body().more = false;
    beast::error_code ec;
    co_await bhttp::async_write(stream, sr, asio::redirect_error(use_awaitable, ec));
    if (ec && ec != bhttp::error::need_buffer) throw beast::system_error(ec);
  }

  // Runs `fn` on the handler pool (or here when there is none); this coroutine resumes on its
  // own I/O thread afterwards.
  template <typename T, typename Fn>
  awaitable<T> RunOnWorkers(Fn&& fn) {
    if (!workers) co_return fn();
    co_return co_await asio::co_spawn(
        workers->get_executor(), [&fn]() -> awaitable<T> { co_return fn(); }, use_awaitable);
  }

  // Reads the body into `fp`, cutting the connection (beast::error::timeout in `ec`) when a
  // window of opts.upload_rate_window_seconds passes without rate × window bytes arriving.
  template <typename Parser>
  awaitable<void> ReadBodyAtMinimumRate(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                        Parser& p, beast::error_code& ec) {
    const int64_t rate = opts.min_upload_bytes_per_second;
    const auto window = std::chrono::seconds(std::max(1, opts.upload_rate_window_seconds));
    if (rate <= 0) {
      stream.expires_never();
      co_await bhttp::async_read(stream, buffer, p, asio::redirect_error(use_awaitable, ec));
      co_return;
    }
    const int64_t per_window = rate * window.count();
    // The timer runs for one window; each time a window's worth of bytes has arrived, a new
    // window starts. A client that never delivers a window's worth is cut by the timer.
    int64_t in_window = 0;
    stream.expires_after(window);
    while (!p.is_done()) {
      size_t n = co_await bhttp::async_read_some(stream, buffer, p,
                                                 asio::redirect_error(use_awaitable, ec));
      if (ec) co_return;
      in_window += static_cast<int64_t>(n);
      if (in_window >= per_window) {
        in_window = 0;
        stream.expires_after(window);
      }
    }
  }

  awaitable<void> Session(tcp::socket sock) {
    beast::tcp_stream stream(std::move(sock));
    auto conn = std::make_shared<Conn>();
    conn->stream = &stream;
    std::list<std::shared_ptr<Conn>>::iterator self;
    {
      std::lock_guard lock(conns_mu);
      self = conns.insert(conns.end(), conn);
    }
    std::string remote;
    {
      beast::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    beast::flat_buffer buffer;
    // Set when a request body was refused unread: the client may still be sending it, and
    // closing at once would reset the connection before it reads our 413.
    bool linger = false;
    try {
      while (!draining) {
        stream.expires_after(std::chrono::seconds(opts.idle_timeout_seconds));
        bhttp::request_parser<bhttp::empty_body> hp;
        hp.header_limit(32 * 1024);
        // The real limit is set on the body parser below; the header parser must not refuse
        // a large Content-Length before we know the request is an upload.
        hp.body_limit(std::numeric_limits<std::uint64_t>::max());
        beast::error_code ec;
        co_await bhttp::async_read_header(stream, buffer, hp,
                                          asio::redirect_error(use_awaitable, ec));
        if (ec) {
          if (ec == bhttp::error::header_limit) {
            Response r = Simple(431, "request headers too large");
            co_await WriteResponse(stream, r, false, false, 11);
            linger = true;
          } else if (IsFramingError(ec)) {
            // A request line or header the parser refused: say so before closing.
            Response r = Simple(400, "Bad Request: " + ec.message());
            co_await WriteResponse(stream, r, false, false, 11);
            linger = true;
          }
          break;
        }
        conn->busy = true;
        ++active;
        auto start = std::chrono::steady_clock::now();
        if (fast_path && FastEligible(hp)) {
          std::string route;
          auto hit = fast_path(std::string_view(hp.get().target().data(), hp.get().target().size()),
                               route);
          if (hit) {
            stream.expires_after(std::chrono::seconds(60));
            co_await asio::async_write(stream, asio::buffer(*hit), use_awaitable);
            RecordRequest(
                route, 200,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            conn->busy = false;
            --active;
            continue;
          }
        }
        Request req;
        auto& h = hp.get();
        req.method = std::string(h.method_string());
        SetTarget(req, std::string(h.target()));
        req.remote_address = remote;
        for (auto& f : h) {
          std::string name(f.name_string());
          for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          auto [it, inserted] = req.headers.emplace(name, std::string(f.value()));
          if (!inserted) it->second += ", " + std::string(f.value());
        }
        bool keep_alive = h.keep_alive();
        int version = static_cast<int>(h.version());
        bool head = h.method() == bhttp::verb::head;
        Response res;
        bool body_ok = true;
        const bool multipart = IsMultipart(req.Header("content-type"));
        const int64_t limit = multipart ? opts.max_upload_bytes : opts.max_body_bytes;
        const bool has_body =
            multipart || hp.chunked() || (hp.content_length() && *hp.content_length() > 0);
        // Everything that can refuse the body is decided before `100 Continue` invites it.
        std::optional<Response> refusal;
        if (hp.content_length() && static_cast<int64_t>(*hp.content_length()) > limit) {
          refusal = Simple(413, "request body larger than " + std::to_string(limit) + " bytes");
        } else if (has_body && opts.admit) {
          refusal = co_await RunOnWorkers<std::optional<Response>>(
              [this, &req]() -> std::optional<Response> {
                try {
                  return opts.admit(req);
                } catch (const std::exception& e) {
                  LogError(std::string("admit error: ") + e.what());
                  return Simple(500, "internal error");
                }
              });
        }
        if (refusal) {
          res = std::move(*refusal);
          keep_alive = false;
          body_ok = false;
          linger = true;
        } else if (h[bhttp::field::expect] == "100-continue") {
          bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, version};
          co_await bhttp::async_write(stream, cont, use_awaitable);
        }
        if (!body_ok) {
          // Refused above; the body is never read.
        } else if (multipart) {
          bhttp::request_parser<bhttp::file_body> fp{std::move(hp)};
          fp.body_limit(static_cast<uint64_t>(limit));
          req.body_file = opts.spool_dir + "/upload-" + NewUuid();
          fp.get().body().open(req.body_file.c_str(), beast::file_mode::write, ec);
          if (!ec) co_await ReadBodyAtMinimumRate(stream, buffer, fp, ec);
          if (ec) {
            std::remove(req.body_file.c_str());
            req.body_file.clear();
            if (ec == beast::error::timeout) {
              LogWarn("upload from " + remote + " cut: slower than " +
                      std::to_string(opts.min_upload_bytes_per_second) + " bytes/s");
            }
            if (ec != bhttp::error::body_limit) {
              if (IsFramingError(ec)) {
                Response r = Simple(400, "Bad Request: " + ec.message());
                co_await WriteResponse(stream, r, false, false, version);
                linger = true;
              }
              break;
            }
            res = Simple(413, "upload larger than " + std::to_string(limit) + " bytes");
            keep_alive = false;
            body_ok = false;
            linger = true;
          } else {
            fp.get().body().close();
          }
        } else {
          bhttp::request_parser<bhttp::string_body> sp{std::move(hp)};
          sp.body_limit(static_cast<uint64_t>(limit));
          co_await bhttp::async_read(stream, buffer, sp, asio::redirect_error(use_awaitable, ec));
          if (ec) {
            if (ec != bhttp::error::body_limit) {
              LogWarn("reading request body: " + ec.message());
              if (IsFramingError(ec)) {
                Response r = Simple(400, "Bad Request: " + ec.message());
                co_await WriteResponse(stream, r, false, false, version);
                linger = true;
              }
              break;
            }
            res = Simple(413, "request body larger than " + std::to_string(limit) + " bytes");
            keep_alive = false;
            body_ok = false;
            linger = true;
          } else {
            req.body = std::move(sp.get().body());
          }
        }
        if (body_ok) {
          auto run = [this, &req]() -> Response {
            try {
              return handler(req);
            } catch (const std::exception& e) {
              LogError(std::string("handler error: ") + e.what());
              return Simple(500, "internal error");
            }
          };
          const bool on_io =
              !workers || std::find(opts.inline_paths.begin(), opts.inline_paths.end(), req.path) !=
                              opts.inline_paths.end();
          std::optional<std::string> slow_client =
              (!on_io && slow_pool && opts.slow) ? opts.slow(req) : std::nullopt;
          if (on_io) {
            res = run();
          } else if (slow_client) {
            if (int refused = AdmitSlow(*slow_client); refused != 0) {
              res = Busy(refused);
              res.route = "slow_refused";
            } else {
              struct Release {
                Impl* impl;
                const std::string& client;
                ~Release() { impl->ReleaseSlow(client); }
              } release{this, *slow_client};
              res = co_await asio::co_spawn(
                  slow_pool->get_executor(), [&run]() -> awaitable<Response> { co_return run(); },
                  use_awaitable);
            }
          } else {
            // Run on the pool; this coroutine resumes on its own I/O thread afterwards.
            res = co_await RunOnWorkers<Response>(run);
          }
        }
        if (!req.body_file.empty()) std::remove(req.body_file.c_str());
        if (draining) keep_alive = false;
        stream.expires_after(std::chrono::seconds(60));
        // A file made for this response goes once it is sent (or the write failed).
        struct RemoveAfter {
          std::string path;
          ~RemoveAfter() {
            if (!path.empty()) std::remove(path.c_str());
          }
        } remove_after{res.delete_file ? res.file_path : std::string()};
        if (res.stream && version < 11)
          keep_alive = false;  // HTTP/1.0: no chunks, the body ends at close
        co_await WriteResponse(stream, res, head, keep_alive, version);
        double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        RecordRequest(res.route.empty() ? "other" : res.route, res.status, secs);
        conn->busy = false;
        --active;
        if (!keep_alive) break;
      }
    } catch (const std::exception& e) {
      // Connection errors (client went away) end the session; anything else is logged.
      if (conn->busy) LogWarn(std::string("connection closed mid-request: ") + e.what());
    }
    if (conn->busy) {  // left mid-request: an exception, or a body that could not be read
      conn->busy = false;
      --active;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (linger) {
      // Read and discard what the client still sends, for a bounded time and size.
      std::vector<char> sink(64 * 1024);
      int64_t discarded = 0;
      stream.expires_after(std::chrono::seconds(5));
      while (discarded < (256LL << 20)) {
        beast::error_code ec;
        size_t n = co_await stream.async_read_some(asio::buffer(sink),
                                                   asio::redirect_error(use_awaitable, ec));
        if (ec) break;
        discarded += static_cast<int64_t>(n);
      }
    }
    stream.socket().close(ignored);
    std::lock_guard lock(conns_mu);
    conns.erase(self);
  }
};

Server::Server(ServerOptions options, Handler handler, FastPath fast_path)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(fast_path))) {}

Server::~Server() = default;

Status Server::Listen() {
  beast::error_code ec;
  auto addr = asio::ip::make_address(impl_->opts.host, ec);
  if (ec) return Status::InvalidArgument("bad listen address " + impl_->opts.host);
  tcp::endpoint ep(addr, impl_->opts.port);
  impl_->acceptor.open(ep.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(ep, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable("cannot listen on " + impl_->opts.host + ":" +
                               std::to_string(impl_->opts.port) + ": " + ec.message());
  }
  return Status::Ok();
}

uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::Run() {
  if (impl_->opts.workers > 0) {
    impl_->workers = std::make_unique<asio::thread_pool>(static_cast<size_t>(impl_->opts.workers));
    if (impl_->opts.slow && impl_->opts.slow_workers > 0) {
      impl_->slow_pool =
          std::make_unique<asio::thread_pool>(static_cast<size_t>(impl_->opts.slow_workers));
    }
  }
  asio::co_spawn(impl_->ioc, impl_->Accept(), asio::detached);
  std::vector<std::thread> extra;
  for (int i = 1; i < impl_->opts.threads; ++i) extra.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : extra) t.join();
  if (impl_->workers) impl_->workers->join();
  if (impl_->slow_pool) impl_->slow_pool->join();
}

void Server::Stop() {
  asio::post(impl_->ioc, [impl = impl_.get()] {
    impl->draining = true;
    beast::error_code ec;
    impl->acceptor.close(ec);
    // Idle keep-alive connections are closed now; busy ones close after their response.
    std::lock_guard lock(impl->conns_mu);
    // Holding conns_mu keeps every listed stream alive (a session unlists itself before its
    // stream is destroyed). Shutting down the receive side ends a pending idle read with EOF.
    for (auto& c : impl->conns) {
      if (!c->busy) {
        beast::error_code e;
        c->stream->socket().shutdown(tcp::socket::shutdown_receive, e);
      }
    }
  });
}

}  // namespace odp::http
