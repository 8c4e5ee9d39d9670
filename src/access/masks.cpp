#include "access/masks.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include <sodium.h>

namespace odp::access {

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
  if (name == "hash") return MaskKind::kHash;
  if (name == "partial") return MaskKind::kPartial;
  if (name == "year") return MaskKind::kYear;
  if (name == "drop") return MaskKind::kDrop;
  return std::nullopt;
}

nlohmann::json MaskToJson(const ColumnMask& m) {
  nlohmann::json j = {{"kind", ToString(m.kind)}};
  if (m.kind == MaskKind::kPartial) {
    j["keep_start"] = m.keep_start;
    j["keep_end"] = m.keep_end;
  }
  return j;
}

Result<ColumnMask> MaskFromJson(const nlohmann::json& j) {
  auto bad = [](const std::string& en, const std::string& vi) {
    return Status::InvalidArgument(en, vi);
  };
  if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string()) {
    return bad("a mask is an object with a kind", "Mặt nạ cột phải có \"kind\"");
  }
  auto kind = ParseMaskKind(j["kind"].get<std::string>());
  if (!kind) {
    return bad("mask kind must be hash, partial, year or drop",
               "Loại mặt nạ phải là hash, partial, year hoặc drop");
  }
  ColumnMask m;
  m.kind = *kind;
  if (m.kind == MaskKind::kPartial) {
    for (auto [name, into] :
         {std::pair{"keep_start", &m.keep_start}, std::pair{"keep_end", &m.keep_end}}) {
      if (!j.contains(name)) continue;
      if (!j[name].is_number_integer() || j[name].get<int64_t>() < 0 ||
          j[name].get<int64_t>() > kMaxPartialKeep) {
        return bad(std::string(name) + " must be a whole number from 0 to 64",
                   std::string(name) + " phải là số nguyên từ 0 đến 64");
      }
      *into = j[name].get<int>();
    }
  }
  return m;
}

std::string MasksToText(const ColumnMasks& masks) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [column, m] : masks) j[column] = MaskToJson(m);
  return j.dump();
}

Result<ColumnMasks> MasksFromText(std::string_view text) {
  if (text.empty()) return ColumnMasks{};
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) {
    return Status::InvalidArgument("masks must be an object of column → mask",
                                   "Mặt nạ phải là đối tượng cột → mặt nạ");
  }
  ColumnMasks out;
  for (const auto& [column, m] : j.items()) {
    ODP_ASSIGN_OR_RETURN(ColumnMask mask, MaskFromJson(m));
    out[column] = mask;
  }
  return out;
}

ColumnMask DefaultMask(MaskKind kind) {
  if (kind == MaskKind::kPartial) return {kind, 4, 3};
  return {kind, 0, 0};
}

namespace {

std::string_view Trimmed(std::string_view v) {
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front()))) v.remove_prefix(1);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
  return v;
}

std::string KeyedHash(std::string_view text, std::string_view key) {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(text.data()),
                                text.size());
  crypto_auth_hmacsha256_final(&st, mac.data());
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string s = "h:";
  for (size_t i = 0; i < 16; ++i) {
    s += kHex[mac[i] >> 4];
    s += kHex[mac[i] & 15];
  }
  return s;
}

// Byte offsets of each code point's start in UTF-8 `s` (invalid bytes count one each).
std::vector<size_t> CodePointStarts(std::string_view s) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  return starts;
}

std::string Partial(std::string_view s, int keep_start, int keep_end) {
  if (const size_t at = s.find('@'); at != std::string_view::npos && at > 0) {
    // An e-mail address: its domain, and at most two characters of a name longer than them.
    const std::string_view name = s.substr(0, at);
    const std::vector<size_t> starts = CodePointStarts(name);
    const size_t keep = std::min<size_t>({static_cast<size_t>(keep_start), 2, starts.size() - 1});
    return std::string(name.substr(0, keep < starts.size() ? starts[keep] : name.size())) + "***" +
           std::string(s.substr(at));
  }
  const std::vector<size_t> starts = CodePointStarts(s);
  const size_t n = starts.size();
  const auto a = static_cast<size_t>(keep_start);
  const auto b = static_cast<size_t>(keep_end);
  if (n <= a + b) return "***";
  std::string out(s.substr(0, a < n ? starts[a] : s.size()));
  out += "***";
  if (b > 0) out += s.substr(starts[n - b]);
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads `min` to `max` digits of `s` from `i` into `out`.
bool Digits(std::string_view s, size_t& i, size_t min, size_t max, int& out) {
  size_t n = 0;
  out = 0;
  while (i < s.size() && n < max && IsDigit(s[i])) {
    out = out * 10 + (s[i++] - '0');
    ++n;
  }
  return n >= min;
}

// The year of a date, a date-time or a year alone (the forms in the header).
std::optional<int> YearOf(std::string_view s) {
  s = Trimmed(s);
  size_t i = 0;
  int y = 0;
  if (s.size() == 4) {
    if (!Digits(s, i, 4, 4, y)) return std::nullopt;
    return y;
  }
  if (s.size() >= 10 && s[4] == '-') {  // yyyy-mm-dd…
    int m = 0, d = 0;
    if (!Digits(s, i, 4, 4, y) || s[i++] != '-' || !Digits(s, i, 2, 2, m) || i >= s.size() ||
        s[i++] != '-' || !Digits(s, i, 2, 2, d)) {
      return std::nullopt;
    }
    if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    if (i < s.size() && s[i] != 'T' && s[i] != ' ') return std::nullopt;
    return y;
  }
  int d = 0, m = 0;  // d/m/yyyy, d-m-yyyy, d.m.yyyy
  if (!Digits(s, i, 1, 2, d) || i >= s.size()) return std::nullopt;
  const char sep = s[i++];
  if (sep != '/' && sep != '-' && sep != '.') return std::nullopt;
  if (!Digits(s, i, 1, 2, m) || i >= s.size() || s[i++] != sep || !Digits(s, i, 4, 4, y)) {
    return std::nullopt;
  }
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  if (i < s.size() && s[i] != 'T' && s[i] != ' ') return std::nullopt;
  return y;
}

}  // namespace

std::optional<std::string> MaskText(const ColumnMask& m, std::string_view text,
                                    std::string_view key) {
  text = Trimmed(text);
  if (text.empty() && m.kind != MaskKind::kYear) return std::string();
  switch (m.kind) {
    case MaskKind::kHash: return KeyedHash(text, key);
    case MaskKind::kPartial: return Partial(text, m.keep_start, m.keep_end);
    case MaskKind::kYear: {
      auto y = YearOf(text);
      if (!y) return std::nullopt;
      return std::to_string(*y);
    }
    case MaskKind::kDrop: return std::nullopt;
  }
  return std::nullopt;
}

nlohmann::json MaskValue(const ColumnMask& m, const nlohmann::json& value, std::string_view key) {
  if (value.is_null()) return nullptr;
  const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  if (m.kind == MaskKind::kYear) {
    auto y = YearOf(text);
    if (!y) return nullptr;
    return *y;
  }
  auto masked = MaskText(m, text, key);
  if (!masked) return nullptr;
  return *masked;
}

}  // namespace odp::access
