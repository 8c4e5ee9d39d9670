#include "access/masks.h"

#include <array>
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

namespace {

std::string KeyedHash(std::string_view text, std::string_view key) {
  std::array<unsigned char, 16> out{};
  // BLAKE2b takes keys of 16 to 64 bytes; a longer or shorter secret is hashed to 32 first.
  std::array<unsigned char, 32> k{};
  crypto_generichash(k.data(), k.size(), reinterpret_cast<const unsigned char*>(key.data()),
                     key.size(), nullptr, 0);
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()),
                     text.size(), k.data(), k.size());
  static const char* const kHex = "0123456789abcdef";
  std::string s = "h:";
  for (unsigned char b : out) {
    s += kHex[b >> 4];
    s += kHex[b & 15];
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
  std::vector<size_t> starts = CodePointStarts(s);
  const size_t n = starts.size();
  const auto a = static_cast<size_t>(keep_start);
  const auto b = static_cast<size_t>(keep_end);
  if (n <= a + b) return std::string(n, '*');
  std::string out(s.substr(0, starts[a]));
  out.append(n - a - b, '*');
  out += s.substr(starts[n - b]);
  return out;
}

std::optional<int> YearOf(std::string_view s) {
  if (s.size() < 5 || s[4] != '-') return std::nullopt;
  int y = 0;
  for (size_t i = 0; i < 4; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    y = y * 10 + (s[i] - '0');
  }
  return y;
}

}  // namespace

std::optional<std::string> MaskText(const ColumnMask& m, std::string_view text,
                                    std::string_view key) {
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
