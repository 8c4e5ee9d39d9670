#include "http/metrics.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

namespace odp::http {
namespace {

constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                             0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

struct Histogram {
  std::array<uint64_t, kBuckets.size()> counts{};
  uint64_t count = 0;
  double sum = 0;
};

struct Gauge {
  std::string help;
  std::function<double()> fn;
};

// Request counters are kept per thread (each shard with its own, uncontended lock) and merged
// at scrape time, so that recording never makes I/O threads wait for each other.
struct Shard {
  std::mutex mu;
  std::map<std::pair<std::string, int>, uint64_t> requests;  // guarded by mu
  std::map<std::string, Histogram> latency;                  // guarded by mu
};

struct Registry {
  std::mutex mu;
  std::vector<std::shared_ptr<Shard>> shards;  // guarded by mu
  std::map<std::string, Gauge> gauges;         // guarded by mu
};

Registry& Reg() {
  static Registry r;
  return r;
}

Shard& MyShard() {
  thread_local std::shared_ptr<Shard> shard = [] {
    auto s = std::make_shared<Shard>();
    std::lock_guard lock(Reg().mu);
    Reg().shards.push_back(s);
    return s;
  }();
  return *shard;
}

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void RecordRequest(const std::string& route, int status, double seconds) {
  Shard& r = MyShard();
  std::lock_guard lock(r.mu);
  ++r.requests[{route, status}];
  Histogram& h = r.latency[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
}

void RegisterGauge(const std::string& name, const std::string& help, std::function<double()> fn) {
  Registry& r = Reg();
  std::lock_guard lock(r.mu);
  r.gauges[name] = {help, std::move(fn)};
}

namespace {

// Every shard's counts added up; REQUIRES reg.mu held.
void MergeShardsLocked(const Registry& reg, Shard& r) {
  for (const auto& shard : reg.shards) {
    std::lock_guard shard_lock(shard->mu);
    for (const auto& [key, n] : shard->requests) r.requests[key] += n;
    for (const auto& [route, h] : shard->latency) {
      Histogram& m = r.latency[route];
      for (size_t i = 0; i < kBuckets.size(); ++i) m.counts[i] += h.counts[i];
      m.count += h.count;
      m.sum += h.sum;
    }
  }
}

// The upper bound of the bucket holding the q-quantile (buckets are cumulative).
double Quantile(const Histogram& h, double q) {
  if (h.count == 0) return 0;
  const double rank = q * static_cast<double>(h.count);
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (static_cast<double>(h.counts[i]) >= rank) return kBuckets[i];
  }
  return std::numeric_limits<double>::infinity();
}

void Fill(RouteFigures& f, const Histogram& h) {
  f.mean_seconds = h.count > 0 ? h.sum / static_cast<double>(h.count) : 0;
  f.p50_seconds = Quantile(h, 0.5);
  f.p95_seconds = Quantile(h, 0.95);
  f.p99_seconds = Quantile(h, 0.99);
}

}  // namespace

double MetricsSnapshot::Gauge(const std::string& name, double fallback) const {
  for (const auto& g : gauges) {
    if (g.name == name) return g.value;
  }
  return fallback;
}

MetricsSnapshot TakeMetricsSnapshot() {
  Registry& reg = Reg();
  Shard r;
  MetricsSnapshot s;
  {
    std::lock_guard lock(reg.mu);
    MergeShardsLocked(reg, r);
    for (const auto& [name, g] : reg.gauges) s.gauges.push_back({name, g.help, g.fn()});
  }
  std::map<std::string, RouteFigures> by_route;
  for (const auto& [key, n] : r.requests) {
    RouteFigures& f = by_route[key.first];
    f.route = key.first;
    f.requests += n;
    if (key.second >= 400 && key.second < 500) f.client_errors += n;
    if (key.second >= 500) f.server_errors += n;
  }
  Histogram all;
  for (const auto& [route, h] : r.latency) {
    Fill(by_route[route], h);
    for (size_t i = 0; i < kBuckets.size(); ++i) all.counts[i] += h.counts[i];
    all.count += h.count;
    all.sum += h.sum;
  }
  for (auto& [route, f] : by_route) {
    s.total.requests += f.requests;
    s.total.client_errors += f.client_errors;
    s.total.server_errors += f.server_errors;
    s.routes.push_back(std::move(f));
  }
  Fill(s.total, all);
  std::stable_sort(
      s.routes.begin(), s.routes.end(),
      [](const RouteFigures& a, const RouteFigures& b) { return a.requests > b.requests; });
  return s;
}

std::string RenderMetrics() {
  Registry& reg = Reg();
  std::ostringstream out;
  std::lock_guard lock(reg.mu);
  Shard r;  // the merged view
  MergeShardsLocked(reg, r);
  out << "# HELP odp_http_requests_total HTTP requests by route and status.\n"
      << "# TYPE odp_http_requests_total counter\n";
  for (const auto& [key, n] : r.requests) {
    out << "odp_http_requests_total{route=\"" << Escape(key.first) << "\",status=\"" << key.second
        << "\"} " << n << "\n";
  }
  out << "# HELP odp_http_request_duration_seconds Time to answer a request, by route.\n"
      << "# TYPE odp_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : r.latency) {
    std::string label = "route=\"" + Escape(route) + "\"";
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out << "odp_http_request_duration_seconds_bucket{" << label << ",le=\"" << kBuckets[i]
          << "\"} " << h.counts[i] << "\n";
    }
    out << "odp_http_request_duration_seconds_bucket{" << label << ",le=\"+Inf\"} " << h.count
        << "\n";
    out << "odp_http_request_duration_seconds_sum{" << label << "} " << h.sum << "\n";
    out << "odp_http_request_duration_seconds_count{" << label << "} " << h.count << "\n";
  }
  for (const auto& [name, g] : reg.gauges) {
    out << "# HELP " << name << " " << g.help << "\n# TYPE " << name << " gauge\n"
        << name << " " << g.fn() << "\n";
  }
  return out.str();
}

}  // namespace odp::http
