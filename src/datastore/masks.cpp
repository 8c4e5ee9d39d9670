#include "datastore/masks.h"

#include <cctype>
#include <vector>

#include <sodium.h>

#include "datastore/infer.h"

namespace odp::datastore {

namespace {

// The code points of `s` as byte ranges (UTF-8; a stray byte counts as one).
std::vector<std::string_view> CodePoints(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    len = std::min(len, s.size() - i);
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

std::string_view Trimmed(std::string_view v) {
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
  return v;
}

}  // namespace

const char* ToString(MaskKind k) {
  switch (k) {
    case MaskKind::kHash: return "hash";
    case MaskKind::kPartial: return "partial";
    case MaskKind::kYear: return "year";
    case MaskKind::kDrop: return "drop";
  }
  return "drop";
}

std::optional<MaskKind> ParseMaskKind(std::string_view name) {
  for (MaskKind k : {MaskKind::kHash, MaskKind::kPartial, MaskKind::kYear, MaskKind::kDrop}) {
    if (name == ToString(k)) return k;
  }
  return std::nullopt;
}

std::string HashMask(std::string_view value, std::string_view key) {
  value = Trimmed(value);
  if (value.empty()) return "";
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(value.data()),
                                value.size());
  crypto_auth_hmacsha256_final(&st, mac);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < 8; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 15];
  }
  return out;
}

std::string PartialMask(std::string_view value) {
  value = Trimmed(value);
  if (value.empty()) return "";
  if (const size_t at = value.find('@'); at != std::string_view::npos && at > 0) {
    auto name = CodePoints(value.substr(0, at));
    std::string out;
    for (size_t i = 0; i < std::min<size_t>(2, name.size() - 1); ++i) out += name[i];
    return out + "***" + std::string(value.substr(at));
  }
  auto cps = CodePoints(value);
  std::string out;
  if (cps.size() >= 8) {
    for (size_t i = 0; i < 4; ++i) out += cps[i];
    out += "***";
    for (size_t i = cps.size() - 3; i < cps.size(); ++i) out += cps[i];
  } else if (cps.size() >= 3) {
    out = std::string(cps.front()) + "***" + std::string(cps.back());
  } else {
    out = "***";
  }
  return out;
}

std::string YearMask(std::string_view value) {
  value = Trimmed(value);
  if (auto d = ParseDate(value)) return d->substr(0, 4);
  if (auto dt = ParseDatetime(value)) return dt->substr(0, 4);
  if (value.size() == 4 && std::isdigit(static_cast<unsigned char>(value[0])) &&
      std::isdigit(static_cast<unsigned char>(value[1])) &&
      std::isdigit(static_cast<unsigned char>(value[2])) &&
      std::isdigit(static_cast<unsigned char>(value[3]))) {
    return std::string(value);
  }
  return "";
}

std::string MaskValue(MaskKind kind, std::string_view value, std::string_view key) {
  switch (kind) {
    case MaskKind::kHash: return HashMask(value, key);
    case MaskKind::kPartial: return PartialMask(value);
    case MaskKind::kYear: return YearMask(value);
    case MaskKind::kDrop: return "";
  }
  return "";
}

}  // namespace odp::datastore
