#include "catalog/visit_filter.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <functional>
#include <string>

#include <arpa/inet.h>

namespace odp::catalog {
namespace {

bool ContainsNoCase(std::string_view text, std::string_view lower_needle) {
  if (lower_needle.size() > text.size()) return false;
  for (size_t i = 0; i + lower_needle.size() <= text.size(); ++i) {
    size_t j = 0;
    while (j < lower_needle.size() &&
           std::tolower(static_cast<unsigned char>(text[i + j])) == lower_needle[j]) {
      ++j;
    }
    if (j == lower_needle.size()) return true;
  }
  return false;
}

}  // namespace

bool IsRobot(std::string_view user_agent) {
  // Lower case; "bot" covers Googlebot, bingbot, YandexBot, Applebot, DuckDuckBot, coccocbot
  // (Cốc Cốc's crawler), Twitterbot, TelegramBot, Discordbot and most others.
  static constexpr std::array<std::string_view, 7> kMarks = {
      "bot", "crawl", "spider", "slurp", "facebookexternalhit", "linkpreview", "embedly"};
  user_agent = user_agent.substr(0, 512);  // a longer header is not read further
  for (std::string_view mark : kMarks) {
    if (ContainsNoCase(user_agent, mark)) return true;
  }
  return false;
}

std::string VisitorOf(std::string_view address) {
  if (address.find(':') == std::string_view::npos || address.size() >= INET6_ADDRSTRLEN) {
    return std::string(address);
  }
  std::array<char, INET6_ADDRSTRLEN> text{};
  address.copy(text.data(), address.size());
  std::array<unsigned char, 16> bytes{};
  if (inet_pton(AF_INET6, text.data(), bytes.data()) != 1) return std::string(address);
  std::string prefix(16, '0');
  static constexpr char kHex[] = "0123456789abcdef";
  for (size_t i = 0; i < 8; ++i) {
    prefix[2 * i] = kHex[bytes[i] >> 4];
    prefix[2 * i + 1] = kHex[bytes[i] & 0xf];
  }
  return prefix;
}

bool VisitFilter::Admit(const Visitor& visitor, UsageKind kind, std::string_view format,
                        std::string_view dataset_id, std::string_view resource_id, Micros at) {
  if (IsRobot(visitor.user_agent)) return false;
  std::string key = VisitorOf(visitor.address);
  key.reserve(key.size() + format.size() + dataset_id.size() + resource_id.size() + 5);
  key += '\n';
  key += kind == UsageKind::kView ? 'v' : 'd';
  for (std::string_view part : {format, dataset_id, resource_id}) {
    key += '\n';
    key += part;
  }
  const uint64_t hash = std::hash<std::string>{}(key);
  const int64_t hour = at / (3600LL * 1000 * 1000);
  std::lock_guard lock(mu_);
  if (hour != hour_) {
    hour_ = hour;
    seen_.clear();
  }
  if (seen_.size() >= max_entries_) return false;
  return seen_.insert(hash).second;
}

}  // namespace odp::catalog
