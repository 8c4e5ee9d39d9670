#include "formats/internal/biff.h"

#include <cctype>
#include <cstdint>
#include <cstring>

#include "text/utf8.h"

namespace odp::formats::internal {
namespace {

constexpr uint32_t kEndOfChain = 0xFFFFFFFE;
constexpr uint32_t kFreeSector = 0xFFFFFFFF;

uint16_t U16(std::string_view s, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(s[at]) |
                               (static_cast<unsigned char>(s[at + 1]) << 8));
}
uint32_t U32(std::string_view s, size_t at) {
  return static_cast<uint32_t>(U16(s, at)) | (static_cast<uint32_t>(U16(s, at + 2)) << 16);
}

Status Malformed(const std::string& why) {
  return Status::InvalidArgument("malformed XLS file: " + why);
}

// The OLE2 compound file: its sectors, allocation tables and directory.
class CompoundFile {
 public:
  explicit CompoundFile(std::string_view file) : file_(file) {}

  Status Open() {
    if (file_.size() < 512) return Malformed("shorter than a compound file header");
    const uint16_t shift = U16(file_, 0x1E);
    const uint16_t mini_shift = U16(file_, 0x20);
    if (shift != 9 && shift != 12) return Malformed("unsupported sector size");
    if (mini_shift != 6) return Malformed("unsupported mini sector size");
    sector_size_ = size_t{1} << shift;
    sector_count_ = (file_.size() + sector_size_ - 1) / sector_size_;  // the header is one
    const uint32_t fat_sectors = U32(file_, 0x2C);
    dir_start_ = U32(file_, 0x30);
    mini_cutoff_ = U32(file_, 0x38);
    mini_fat_start_ = U32(file_, 0x3C);
    uint32_t difat_next = U32(file_, 0x44);
    if (fat_sectors > sector_count_) return Malformed("too many FAT sectors");

    // The FAT's sectors: 109 in the header, the rest in the DIFAT chain.
    std::vector<uint32_t> fat_list;
    for (size_t i = 0; i < 109 && fat_list.size() < fat_sectors; ++i) {
      fat_list.push_back(U32(file_, 0x4C + 4 * i));
    }
    for (size_t hops = 0; fat_list.size() < fat_sectors; ++hops) {
      if (hops > sector_count_ || !Valid(difat_next)) return Malformed("broken DIFAT chain");
      std::string_view s = Sector(difat_next);
      const size_t per = sector_size_ / 4 - 1;
      for (size_t i = 0; i < per && fat_list.size() < fat_sectors; ++i)
        fat_list.push_back(U32(s, 4 * i));
      difat_next = U32(s, 4 * per);
    }
    fat_.reserve(fat_list.size() * sector_size_ / 4);
    for (uint32_t sector : fat_list) {
      if (!Valid(sector)) return Malformed("FAT sector outside the file");
      std::string_view s = Sector(sector);
      for (size_t i = 0; i + 4 <= s.size(); i += 4) fat_.push_back(U32(s, i));
    }
    return Status::Ok();
  }

  // The stream named `name` (ASCII, compared ignoring case) from the root storage; "" when
  // there is none.
  Result<std::string> ReadStream(std::string_view name) {
    ODP_ASSIGN_OR_RETURN(std::string dir, Chain(dir_start_, fat_, SIZE_MAX));
    if (dir.size() < 128) return Malformed("no directory");
    const uint32_t root_start = U32(dir, 116);
    const uint64_t root_size = U32(dir, 120);
    for (size_t at = 0; at + 128 <= dir.size(); at += 128) {
      const uint16_t name_bytes = U16(dir, at + 64);
      const auto type = static_cast<unsigned char>(dir[at + 66]);
      if (type != 2 || name_bytes < 2 || name_bytes > 64) continue;
      const size_t chars = name_bytes / 2 - 1;
      if (chars != name.size()) continue;
      bool same = true;
      for (size_t i = 0; i < chars && same; ++i) {
        const uint16_t c = U16(dir, at + 2 * i);
        same = c < 128 && std::tolower(c) == std::tolower(static_cast<unsigned char>(name[i]));
      }
      if (!same) continue;
      const uint32_t start = U32(dir, at + 116);
      const uint64_t size = U32(dir, at + 120);
      if (size < mini_cutoff_) {
        ODP_ASSIGN_OR_RETURN(std::string mini_fat_bytes, Chain(mini_fat_start_, fat_, SIZE_MAX));
        std::vector<uint32_t> mini_fat;
        for (size_t i = 0; i + 4 <= mini_fat_bytes.size(); i += 4)
          mini_fat.push_back(U32(mini_fat_bytes, i));
        ODP_ASSIGN_OR_RETURN(std::string mini_stream, Chain(root_start, fat_, root_size));
        return MiniChain(start, mini_fat, mini_stream, size);
      }
      return Chain(start, fat_, size);
    }
    return std::string();
  }

 private:
  // A whole sector inside the file (a truncated last one is not used).
  bool Valid(uint32_t sector) const {
    return sector < kEndOfChain && (sector + size_t{2}) * sector_size_ <= file_.size();
  }
  std::string_view Sector(uint32_t sector) const {
    return file_.substr((sector + size_t{1}) * sector_size_, sector_size_);
  }

  // The bytes of the chain from `start`, cut to `size`; each sector at most once.
  Result<std::string> Chain(uint32_t start, const std::vector<uint32_t>& fat, uint64_t size) const {
    std::string out;
    uint32_t sector = start;
    for (size_t hops = 0; sector != kEndOfChain && out.size() < size; ++hops) {
      if (hops > sector_count_ || !Valid(sector) || sector >= fat.size()) {
        if (sector == kFreeSector && size == SIZE_MAX) break;
        return Malformed("broken sector chain");
      }
      out.append(Sector(sector));
      sector = fat[sector];
    }
    if (size != SIZE_MAX) {
      if (out.size() < size) return Malformed("stream shorter than its size");
      out.resize(size);
    }
    return out;
  }

  static Result<std::string> MiniChain(uint32_t start, const std::vector<uint32_t>& mini_fat,
                                       std::string_view mini_stream, uint64_t size) {
    std::string out;
    uint32_t sector = start;
    for (size_t hops = 0; sector != kEndOfChain && out.size() < size; ++hops) {
      if (hops > mini_fat.size() || sector >= mini_fat.size() ||
          (size_t{sector} + 1) * 64 > mini_stream.size()) {
        return Malformed("broken mini sector chain");
      }
      out.append(mini_stream.substr(size_t{sector} * 64, 64));
      sector = mini_fat[sector];
    }
    if (out.size() < size) return Malformed("stream shorter than its size");
    out.resize(size);
    return out;
  }

  std::string_view file_;
  size_t sector_size_ = 512;
  size_t sector_count_ = 0;
  uint32_t dir_start_ = 0;
  uint32_t mini_cutoff_ = 4096;
  uint32_t mini_fat_start_ = kEndOfChain;
  std::vector<uint32_t> fat_;
};

// The workbook stream as a sequence of records, CONTINUE records joined to strings on demand.
class Records {
 public:
  // A stream read at most about four times over, however its sheets' offsets overlap.
  explicit Records(std::string_view stream) : s_(stream), budget_(stream.size() + 16) {}
  void Seek(size_t at) { next_ = at; }
  // Advances to the next record; false at the end of the stream, on a record that does not fit,
  // or when the budget of records is spent.
  bool Next() {
    if (next_ + 4 > s_.size() || budget_ == 0) return false;
    --budget_;
    type_ = U16(s_, next_);
    const size_t len = U16(s_, next_ + 2);
    if (next_ + 4 + len > s_.size()) return false;
    data_ = s_.substr(next_ + 4, len);
    next_ += 4 + len;
    return true;
  }
  uint16_t type() const { return type_; }
  std::string_view data() const { return data_; }
  // The CONTINUE records right after the current one (not consumed).
  std::vector<std::string_view> Continues() const {
    std::vector<std::string_view> out;
    size_t at = next_;
    while (at + 4 <= s_.size() && U16(s_, at) == 0x003C) {
      const size_t len = U16(s_, at + 2);
      if (at + 4 + len > s_.size()) break;
      out.push_back(s_.substr(at + 4, len));
      at += 4 + len;
    }
    return out;
  }

 private:
  std::string_view s_;
  size_t budget_;
  size_t next_ = 0;
  uint16_t type_ = 0;
  std::string_view data_;
};

// Appends `chars` characters of an XLUnicodeString body at `data[at]` (8-bit or UTF-16LE
// as `high_byte` says) to `out` as UTF-8; returns how many characters fitted.
size_t AppendChars(std::string_view data, size_t at, size_t chars, bool high_byte,
                   std::string& out) {
  size_t done = 0;
  if (!high_byte) {
    for (; done < chars && at + done < data.size(); ++done) {
      text::AppendUtf8(out, static_cast<unsigned char>(data[at + done]));
    }
    return done;
  }
  for (; done < chars && at + 2 * done + 1 < data.size(); ++done) {
    char32_t c = U16(data, at + 2 * done);
    if (c >= 0xD800 && c <= 0xDBFF && done + 1 < chars && at + 2 * done + 3 < data.size()) {
      const char32_t low = U16(data, at + 2 * done + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        ++done;
      }
    }
    if (c >= 0xD800 && c <= 0xDFFF) c = 0xFFFD;
    text::AppendUtf8(out, c);
  }
  return done;
}

// A ShortXLUnicodeString (u8 count, u8 flags) at `at`.
std::string ShortString(std::string_view data, size_t at) {
  std::string out;
  if (at + 2 > data.size()) return out;
  const size_t chars = static_cast<unsigned char>(data[at]);
  AppendChars(data, at + 2, chars, (data[at + 1] & 1) != 0, out);
  return out;
}

// An XLUnicodeString (u16 count, u8 flags, optional rich-text and extended sizes) at `at`,
// continued in `more` when it does not fit (each CONTINUE starts with a new flags byte).
std::string LongString(std::string_view data, size_t at,
                       const std::vector<std::string_view>& more) {
  std::string out;
  if (at + 3 > data.size()) return out;
  size_t left = U16(data, at);
  const auto flags = static_cast<unsigned char>(data[at + 2]);
  size_t pos = at + 3;
  if (flags & 0x08) pos += 2;  // rich-text run count
  if (flags & 0x04) pos += 4;  // extended data size
  left -= AppendChars(data, pos, left, (flags & 1) != 0, out);
  for (std::string_view c : more) {
    if (left == 0 || c.empty()) break;
    left -= AppendChars(c, 1, left, (c[0] & 1) != 0, out);
  }
  return out;
}

void ScanSheet(Records& r, BiffSheet& sheet) {
  if (!r.Next() || r.type() != 0x0809) return;  // a BOF opens the substream
  uint32_t pending = 0;                         // a formula waiting for its STRING record
  bool has_pending = false;
  while (r.Next()) {
    std::string_view d = r.data();
    switch (r.type()) {
      case 0x000A:  // EOF
        return;
      case 0x0809: {  // an embedded substream (a chart): skip to its EOF
        int depth = 1;
        while (depth > 0 && r.Next()) {
          if (r.type() == 0x0809) ++depth;
          if (r.type() == 0x000A) --depth;
        }
        break;
      }
      case 0x00FD:  // LABELSST
      case 0x0204:  // LABEL
      case 0x00D6:  // RSTRING
        if (d.size() >= 6) sheet.text_xf[CellKey(U16(d, 0), U16(d, 2))] = U16(d, 4);
        break;
      case 0x0006: {  // FORMULA
        if (d.size() < 20) break;
        const uint32_t key = CellKey(U16(d, 0), U16(d, 2));
        FormulaResult result;
        if (U16(d, 12) == 0xFFFF) {
          switch (static_cast<unsigned char>(d[6])) {
            case 0:
              result.kind = FormulaResult::Kind::kString;
              pending = key;
              has_pending = true;
              break;
            case 1:
              result.kind = FormulaResult::Kind::kBoolean;
              result.boolean = d[8] != 0;
              break;
            case 2:
              result.kind = FormulaResult::Kind::kError;
              result.error = static_cast<uint8_t>(d[8]);
              break;
            default: result.kind = FormulaResult::Kind::kEmpty;
          }
        } else {
          result.kind = FormulaResult::Kind::kNumber;
          std::memcpy(&result.number, d.data() + 6, sizeof result.number);
        }
        sheet.text_xf[key] = U16(d, 4);
        sheet.formulas[key] = std::move(result);
        break;
      }
      case 0x0207:  // STRING: the string result of the formula just before
        if (has_pending) {
          sheet.formulas[pending].text = LongString(d, 0, r.Continues());
          has_pending = false;
        }
        break;
      default: break;
    }
  }
}

}  // namespace

const char* ErrorText(uint8_t code) {
  switch (code) {
    case 0x00: return "#NULL!";
    case 0x07: return "#DIV/0!";
    case 0x0F: return "#VALUE!";
    case 0x17: return "#REF!";
    case 0x1D: return "#NAME?";
    case 0x24: return "#NUM!";
    case 0x2A: return "#N/A";
    default: return "#ERROR!";
  }
}

const std::string& BiffWorkbook::FontOfXf(uint16_t xf) const {
  static const std::string kNone;
  if (xf >= xf_font.size()) return kNone;
  size_t font = xf_font[xf];
  if (font >= 4) --font;  // Excel's font index 4 does not exist: FONT record 4 is index 5
  return font < fonts.size() ? fonts[font] : kNone;
}

Result<BiffWorkbook> ScanBiff(std::string_view file) {
  CompoundFile cf(file);
  ODP_RETURN_IF_ERROR(cf.Open());
  ODP_ASSIGN_OR_RETURN(std::string stream, cf.ReadStream("Workbook"));
  BiffWorkbook book;
  if (stream.empty()) return book;  // BIFF5/7 ("Book") or no workbook: nothing more to give
  Records r(stream);
  if (!r.Next() || r.type() != 0x0809 || r.data().size() < 4 || U16(r.data(), 0) != 0x0600) {
    return book;  // not BIFF8
  }
  std::vector<uint32_t> offsets;
  while (r.Next() && r.type() != 0x000A) {
    std::string_view d = r.data();
    switch (r.type()) {
      case 0x0031:  // FONT
        book.fonts.push_back(d.size() >= 16 ? ShortString(d, 14) : std::string());
        break;
      case 0x00E0:  // XF
        book.xf_font.push_back(d.size() >= 2 ? U16(d, 0) : 0);
        book.xf_format.push_back(d.size() >= 4 ? U16(d, 2) : 0);
        break;
      case 0x041E:  // FORMAT
        if (d.size() >= 5) book.number_formats[U16(d, 0)] = LongString(d, 2, {});
        break;
      case 0x0022:  // DATEMODE
        book.date1904 = d.size() >= 2 && U16(d, 0) == 1;
        break;
      case 0x0085:  // BOUNDSHEET
        if (d.size() >= 8) {
          BiffSheet sheet;
          sheet.type = static_cast<uint8_t>(d[5]);
          sheet.name = ShortString(d, 6);
          book.sheets.push_back(std::move(sheet));
          offsets.push_back(U32(d, 0));
        }
        break;
      default: break;
    }
  }
  for (size_t i = 0; i < book.sheets.size(); ++i) {
    if (offsets[i] >= stream.size()) continue;
    r.Seek(offsets[i]);
    ScanSheet(r, book.sheets[i]);
  }
  return book;
}

}  // namespace odp::formats::internal
