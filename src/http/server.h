// The HTTP/1.1 server: Boost.Beast with C++20 coroutines, keep-alive, streamed file bodies,
// multipart bodies spooled to disk, and a graceful drain on Stop().
//
// Threads: `threads` I/O threads run the connections (parsing, writing, the fast path), and
// `workers` threads run the handler, so that slow work (a search, an Argon2id login, an upload
// copied into the blob store) never stalls the I/O of other connections. With `workers` = 0
// the handler runs on the I/O thread. The handler must be thread-safe.
//
// `http::Server` (`server.cpp`) runs on Boost.Beast with C++20 coroutines:
//
// - One `io_context` is run by `--threads` I/O threads (default 1); handlers run on a pool of
//   `--workers` threads (default 2). See the threading model below.
// - Fast path: an anonymous `GET` (HTTP/1.1, keep-alive, no body, no `Authorization`,
//   `Cookie`, `X-CKAN-API-Key` or `X-API-Key`) whose complete answer is in the API layer's `fast`
//   cache (filled by `package_show?id=…`, `GET /api/v1/datasets/{id}` and the public pages, keyed
//   by the exact target and the catalogue generation) is written straight from the I/O thread,
//   without building a `Request`, routing or a worker hop.
// - Each connection is a coroutine. It uses keep-alive, a 30 s idle timeout between requests and
//   a 32 KiB limit on request headers (above it: 431).
// - `Expect: 100-continue` is answered.
// - `Stop()` closes the listener and idle connections. Busy connections close after their
//   response.
//
// Streamed bodies (`Response::stream`, used by the datastore's CSV, TSV, JSON and NDJSON
// exports). The server writes the headers with `Transfer-Encoding: chunked`, then asks the producer
// for the next piece and writes it as a chunk, until the producer says it was the last (then the
// final empty chunk) or fails (then the connection is closed without the final chunk, so the client
// sees an incomplete body rather than a short one that looks complete). Each call of the producer
// runs on the handler pool (`co_spawn` onto the workers), since it may read a database and block;
// each write runs on the connection's I/O thread, with the usual 60 s per write. A slow reader
// therefore holds no worker between pieces, but whatever the producer holds (for an export, one of
// the datastore's read connections) stays held until the body is done. To an HTTP/1.0 client the
// pieces are written unchunked and the connection is closed at the end. A `HEAD` gets the headers
// only.
//
// The server picks a body size limit from the request's content type:
//
// - multipart/form-data bodies may be up to `--max-upload-bytes`. They are *spooled* to
//   `DATA/tmp/upload-<uuid>` while being read, and the file is deleted after the response.
// - Any other body may be up to `--max-body-bytes` and is read into memory.
//
// Before a body is read (and before `100 Continue` is sent), the server decides whether to read it:
// a declared `Content-Length` above the limit is 413, and `ServerOptions::admit` (asked on a
// handler thread for every request with a body) may answer instead; ODP's `api::AdmitUpload`
// accepts multipart bodies only on routes marked with `Router::AcceptUploads` (else 415) and from
// an authenticated caller (else 401). After any such refusal the connection reads and discards what
// the client still sends, for at most 5 s or 256 MiB, so that the client sees the answer, and
// closes. A request line or header the parser refuses gets `400 Bad Request` before the close (a
// client that merely goes away gets nothing). A multipart body must arrive at `--min-upload-rate`
// bytes/s over windows of `--upload-rate-window` seconds: the connection's timer is re-armed for
// one more window each time a window's worth of bytes has arrived, so a stalled or dripping upload
// is cut (and its spool file deleted) one window after it falls behind.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "http/request.h"

namespace odp::http {

using Handler = std::function<Response(Request&)>;

// An optional shortcut for anonymous GETs: given the request target, returns a complete,
// already serialised HTTP/1.1 response (see SerializeResponse) or null. It is asked only for
// GET requests over HTTP/1.1 with keep-alive, no body, and no Authorization, Cookie or
// X-CKAN-API-Key or X-API-Key header, so whatever it returns must be what any anonymous caller may
// see. Must be thread-safe. `route` receives the metrics label of a hit.
struct FastRequest {
  std::string_view target;
  std::string_view remote_address;   // the peer's address (as Request::remote_address)
  std::string_view x_forwarded_for;  // every X-Forwarded-For header, joined by ", "
  std::string_view user_agent;
};
using FastPath =
    std::function<std::shared_ptr<const std::string>(const FastRequest& req, std::string& route)>;

// Asked after a request's headers are read and before its body is, for every request that has
// a body (a Content-Length above 0, chunked, or a multipart Content-Type): `head` has the
// method, target, headers and remote address, no body. An answer is sent instead of reading
// the body (the connection then closes after a bounded linger, as for a 413); nullopt reads
// the body and runs the handler. It is asked before `100 Continue` is sent, so a refused
// client never sends the body. Runs on a handler thread (it may read the database briefly);
// must be thread-safe.
using Admit = std::function<std::optional<Response>(const Request& head)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;                      // 0 picks a free port
  int threads = 1;                           // I/O threads
  int workers = 2;                           // handler threads; 0 = run handlers on the I/O threads
  int64_t max_body_bytes = 8 * 1024 * 1024;  // non-multipart bodies; larger is 413
  int64_t max_upload_bytes = 2LL * 1024 * 1024 * 1024;  // multipart bodies; larger is 413
  std::string spool_dir = "/tmp";                       // where multipart bodies are spooled
  int idle_timeout_seconds = 30;
  // A lane of its own for slow requests (the SQL endpoint): `slow(req)` returns the client's key
  // (its address) when `req` is one. They run on `slow_workers` threads, never on the handler
  // workers, so that other requests go on while they run; at most `slow_workers + slow_queue`
  // at once (beyond: 503 with Retry-After) and `slow_per_client` from one client (beyond: 429
  // with Retry-After). Answered before the handler runs, so a refused request costs nothing.
  std::function<std::optional<std::string>(const Request&)> slow;
  int slow_workers = 2;
  int slow_queue = 4;
  int slow_per_client = 2;
  // Paths whose handler runs on the I/O thread, never queued behind other handlers: cheap
  // answers that must come at once (health checks).
  std::vector<std::string> inline_paths = {"/healthz"};
  // Multipart bodies must arrive at `min_upload_bytes_per_second` or faster, measured over
  // windows of `upload_rate_window_seconds`: a window in which fewer than rate × window
  // bytes arrive cuts the connection (a stalled or slowloris upload). 0 disables the check.
  int64_t min_upload_bytes_per_second = 8 * 1024;
  int upload_rate_window_seconds = 30;
  Admit admit;  // optional; see Admit
};

class Server {
 public:
  Server(ServerOptions options, Handler handler, FastPath fast_path = nullptr);
  ~Server();

  // Binds and listens; after this, port() is the bound port.
  Status Listen();
  uint16_t port() const;
  // Serves until Stop(); blocks the calling thread (which becomes one of the I/O threads).
  void Run();
  // Stops accepting, lets in-flight requests finish, closes idle connections; Run() returns.
  // Safe to call from any thread, including a signal-watching one.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace odp::http
