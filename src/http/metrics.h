// Process-wide request metrics in the Prometheus text format.
//
// `metrics.cpp` keeps a process-wide registry:
//
// - `odp_http_requests_total{route,status}` and the histogram
//   `odp_http_request_duration_seconds{route}`, recorded by the server after every response into
//   a per-thread shard (no contention between I/O threads), and merged when `/metrics` is
//   scraped;
// - gauges registered by `odp serve`.
#pragma once

#include <functional>
#include <string>

namespace odp::http {

// Records one finished request. Thread-safe.
void RecordRequest(const std::string& route, int status, double seconds);

// Adds a gauge read at scrape time (`fn` must be thread-safe). Registering a name twice
// replaces the earlier function.
void RegisterGauge(const std::string& name, const std::string& help, std::function<double()> fn);

// Renders every counter, histogram and gauge (text exposition format 0.0.4).
std::string RenderMetrics();

}  // namespace odp::http
