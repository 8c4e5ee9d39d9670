// Process-wide request metrics in the Prometheus text format.
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
