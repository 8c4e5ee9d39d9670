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

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace odp::http {

// Records one finished request. Thread-safe.
void RecordRequest(const std::string& route, int status, double seconds);

// Adds a gauge read at scrape time (`fn` must be thread-safe). Registering a name twice
// replaces the earlier function.
void RegisterGauge(const std::string& name, const std::string& help, std::function<double()> fn);

// Renders every counter, histogram and gauge (text exposition format 0.0.4).
std::string RenderMetrics();

// The same figures for people (the operations page): per route, the requests, the answers
// 400–499 and 500–599, and the time to answer as the mean and quantiles. A quantile is the upper
// bound of the histogram bucket that holds it (0.5 ms … 5 s), or +infinity past 5 s.
struct RouteFigures {
  std::string route;
  uint64_t requests = 0;
  uint64_t client_errors = 0;  // 4xx
  uint64_t server_errors = 0;  // 5xx
  double mean_seconds = 0;
  double p50_seconds = 0;
  double p95_seconds = 0;
  double p99_seconds = 0;
};
struct GaugeValue {
  std::string name;
  std::string help;
  double value = 0;
};
struct MetricsSnapshot {
  std::vector<RouteFigures> routes;  // most requests first
  RouteFigures total;                // every route together (`route` empty)
  std::vector<GaugeValue> gauges;    // by name
  // The gauge named `name`, or `fallback` when none is registered.
  double Gauge(const std::string& name, double fallback = -1) const;
};
MetricsSnapshot TakeMetricsSnapshot();

}  // namespace odp::http
