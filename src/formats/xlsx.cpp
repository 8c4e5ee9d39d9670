#include "formats/xlsx.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

#include <expat.h>
#include <minizip/unzip.h>

#include "formats/excel.h"
#include "formats/internal/excel_dates.h"
#include "formats/text_writers.h"
#include "formats/xml_scan.h"

namespace odp::formats {
namespace internal {
namespace {

constexpr size_t kChunk = size_t{64} * 1024;  // bytes inflated and parsed at a time
constexpr int32_t kMaxColumns = kExcelMaxColumns;
constexpr int64_t kMaxRows = kExcelMaxRows;
constexpr int64_t kMaxZipEntries = 100000;  // parts listed in a zip we are willing to index

std::string Num(int64_t n) { return std::to_string(n); }

Status Invalid(std::string en, std::string vi) {
  return Status::InvalidArgument(std::move(en), std::move(vi));
}

// Reads the column letters at the start of a cell reference ("C7", "xfd1"); returns the 0-based
// column and moves `ref` past the letters, or -1 when there are none or they pass XFD.
int32_t TakeColumn(std::string_view& ref) {
  int32_t column = 0;
  size_t i = 0;
  for (; i < ref.size() && i < 4; ++i) {
    char c = ref[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    column = column * 26 + (c - 'A' + 1);
  }
  if (i == 0 || column > kMaxColumns) return -1;
  ref.remove_prefix(i);
  return column - 1;
}

// Reads a decimal number at the start of `text`, moving past it; -1 when there is none or it
// is absurdly large.
int64_t TakeNumber(std::string_view& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || value < 0) return -1;
  text.remove_prefix(static_cast<size_t>(end - text.data()));
  return value;
}

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// How OPC names parts: without the leading '/', compared without regard to ASCII case.
std::string PartKey(std::string_view name) {
  std::string key(name);
  for (char& c : key) {
    if (c == '\\') c = '/';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!key.empty() && key.front() == '/') key.erase(0, 1);
  return key;
}

// The part a relationship of `source` points at: `target` taken relative to the source's
// folder (or to the package root when it starts with '/'), "." and ".." resolved.
std::string ResolveTarget(std::string_view source, std::string_view target) {
  std::string path;
  if (!target.empty() && target.front() == '/') {
    path = std::string(target.substr(1));
  } else {
    size_t slash = source.rfind('/');
    path = (slash == std::string_view::npos ? std::string()
                                            : std::string(source.substr(0, slash + 1))) +
           std::string(target);
  }
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(std::move(segment));
    }
    start = end + 1;
  }
  std::string resolved;
  for (const std::string& s : segments) {
    if (!resolved.empty()) resolved += '/';
    resolved += s;
  }
  return resolved;
}

// ---- Numbers and dates ----------------------------------------------------------------------

void AppendTwoDigits(int n, std::string& out) {
  out += static_cast<char>('0' + n / 10);
  out += static_cast<char>('0' + n % 10);
}

void AppendTime(int64_t seconds, std::string& out) {
  AppendTwoDigits(static_cast<int>(seconds / 3600), out);
  out += ':';
  AppendTwoDigits(static_cast<int>(seconds / 60 % 60), out);
  out += ':';
  AppendTwoDigits(static_cast<int>(seconds % 60), out);
}

void AppendDate(int year, int month, int day, std::string& out) {
  AppendTwoDigits(year / 100, out);
  AppendTwoDigits(year % 100, out);
  out += '-';
  AppendTwoDigits(month, out);
  out += '-';
  AppendTwoDigits(day, out);
}

}  // namespace

// Appends Excel's date serial number `serial` as `kind` shows it: "YYYY-MM-DD" (kDate), or
// "YYYY-MM-DDTHH:MM:SS" (kDateTime, kTime), or "HH:MM:SS" for a time with no day (kDateTime,
// kTime, below 1). The form follows the format, not the value, so that a column of date-times
// stays one even at midnight. In the 1900 system day 1 is 1900-01-01 and day 60 the 1900-02-29
// that Lotus 1-2-3 believed in (Excel keeps it, so later serials are one day ahead); in the
// 1904 system day 0 is 1904-01-01. False (nothing appended) for a serial no date can show.
bool AppendSerialDate(double serial, DateKind kind, bool date1904, std::string& out) {
  if (!(serial >= 0) || serial >= 2958466) return false;  // past 9999-12-31, or NaN
  double whole = std::floor(serial);
  auto days = static_cast<int64_t>(whole);
  auto seconds = static_cast<int64_t>(std::llround((serial - whole) * 86400.0));
  if (seconds >= 86400) {
    ++days;
    seconds -= 86400;
  }
  if (days == 0 && !date1904) {  // "1900-01-00": no date, only a time of day
    if (kind == DateKind::kDate) return false;
    AppendTime(seconds, out);
    return true;
  }
  if (kind == DateKind::kTime && days == 0) {
    AppendTime(seconds, out);
    return true;
  }
  if (!date1904 && days == 60) {
    out += "1900-02-29";
  } else {
    // Days since 1970-01-01 of the serial's day.
    int64_t unix_days = date1904 ? days - 24107 : (days < 60 ? days - 25568 : days - 25569);
    std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{unix_days}}};
    AppendDate(static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
               static_cast<int>(static_cast<unsigned>(ymd.day())), out);
  }
  if (kind != DateKind::kDate) {
    out += 'T';
    AppendTime(seconds, out);
  }
  return true;
}

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Appends an ISO 8601 date of a t="d" cell ("2024-03-15", "2024-03-15T10:20:30.5Z") in the
// canonical form: with a time when the cell's format shows one (or, with no date format, when
// the text has one); anything that is no such date as it is.
void AppendIsoDate(std::string_view text, DateKind kind, std::string& out) {
  text = TrimSpaces(text);
  const bool date = text.size() >= 10 && AllDigits(text.substr(0, 4)) && text[4] == '-' &&
                    AllDigits(text.substr(5, 2)) && text[7] == '-' && AllDigits(text.substr(8, 2));
  if (!date) {
    out += text;
    return;
  }
  out += text.substr(0, 10);
  std::string_view rest = text.substr(10);
  const bool has_time = rest.size() >= 9 && (rest[0] == 'T' || rest[0] == ' ') &&
                        AllDigits(rest.substr(1, 2)) && rest[3] == ':' &&
                        AllDigits(rest.substr(4, 2)) && rest[6] == ':' &&
                        AllDigits(rest.substr(7, 2));
  if (kind == DateKind::kDate || (kind == DateKind::kNone && !has_time)) return;
  out += 'T';
  out += has_time ? rest.substr(1, 8) : std::string_view("00:00:00");
}

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (LowerAscii(text[i]) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

// What number format `code` shows: its first section's d, m, y (a date), h, s and elapsed
// [h] [m] [s] (a time) outside quoted text, [brackets], escaped characters, padding (_x) and
// fill (*x). An m is minutes after an h or before an s, else the month; AM/PM is no month.
DateKind ClassifyFormatCode(std::string_view code) {
  bool date = false;
  bool time = false;
  char previous = 0;  // the last of d, m, y, h, s met
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = LowerAscii(code[i]);
    if (c == ';') break;
    if (c == '"') {
      size_t end = code.find('"', i + 1);
      if (end == std::string_view::npos) break;
      i = end;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else if (c == '[') {
      size_t end = code.find(']', i + 1);
      if (end == std::string_view::npos) break;
      std::string_view inside = code.substr(i + 1, end - i - 1);
      const bool elapsed = !inside.empty() && std::all_of(inside.begin(), inside.end(), [](char x) {
        x = LowerAscii(x);
        return x == 'h' || x == 'm' || x == 's';
      });
      if (elapsed) {
        time = true;
        previous = LowerAscii(inside.back());
      }
      i = end;
    } else if (c == 'a') {
      if (StartsWithIgnoringCase(code.substr(i), "am/pm")) {
        i += 4;
      } else if (StartsWithIgnoringCase(code.substr(i), "a/p")) {
        i += 2;
      }
    } else if (c == 'd' || c == 'y') {
      date = true;
      previous = c;
    } else if (c == 'h' || c == 's') {
      time = true;
      previous = c;
    } else if (c == 'm') {
      size_t j = i;
      while (j < code.size() && LowerAscii(code[j]) == 'm') ++j;
      size_t k = j;
      while (k < code.size() && !std::isalpha(static_cast<unsigned char>(code[k]))) ++k;
      const bool minutes = previous == 'h' || (k < code.size() && LowerAscii(code[k]) == 's');
      (minutes ? time : date) = true;
      previous = minutes ? 'h' : 'm';
      i = j - 1;
    }
  }
  if (date && time) return DateKind::kDateTime;
  if (date) return DateKind::kDate;
  if (time) return DateKind::kTime;
  return DateKind::kNone;
}

// Excel's built-in number formats that show dates and times (their codes are not in the file).
DateKind BuiltinFormatKind(int64_t id) {
  if (id >= 14 && id <= 17) return DateKind::kDate;  // m/d/yyyy, d-mmm-yy, d-mmm, mmm-yy
  if (id == 22) return DateKind::kDateTime;          // m/d/yyyy h:mm
  if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47)) return DateKind::kTime;  // h:mm, mm:ss …
  return DateKind::kNone;
}

// ---- The zip ----------------------------------------------------------------------------------

// The parts of an XLSX package, read through minizip one at a time, with the expansion limits
// checked on the bytes actually inflated (never on sizes the zip declares).
class XlsxArchive {
 public:
  static Result<std::unique_ptr<XlsxArchive>> Open(const std::string& path,
                                                   const ReadLimits& limits);
  ~XlsxArchive() {
    CloseCurrent();
    unzClose(zip_);
  }
  XlsxArchive(const XlsxArchive&) = delete;
  XlsxArchive& operator=(const XlsxArchive&) = delete;

  bool Has(std::string_view part) const { return entries_.count(PartKey(part)) != 0; }
  // Compressed size of `part` (0 when there is none).
  int64_t compressed_size(std::string_view part) const {
    auto it = entries_.find(PartKey(part));
    return it == entries_.end() ? 0 : it->second.compressed;
  }

  // Opens `part` for Read(), closing the part open before.
  Status OpenPart(const std::string& part);
  // Inflates up to `size` bytes of the open part into `buf`; 0 at its end. Fails when the part
  // is corrupt or inflating it passes max_expansion_ratio or the workbook's max_expanded_bytes.
  Result<size_t> Read(char* buf, size_t size);
  // Closes the open part; after it was read to the end, an error if its checksum is wrong.
  Status ClosePart();
  // Compressed bytes of the open part consumed so far.
  int64_t consumed() const {
    if (!open_) return 0;
    if (ahead_) return ahead_consumed_ - open_start_;
    return static_cast<int64_t>(unzGetCurrentFileZStreamPos64(zip_)) - open_start_;
  }

 private:
  struct Entry {
    unz64_file_pos position;
    int64_t compressed;
    bool encrypted;
    bool supported_method;
  };

  XlsxArchive(unzFile zip, const ReadLimits& limits) : zip_(zip), limits_(limits) {}
  void CloseCurrent() {
    StopInflater();
    if (open_) unzCloseCurrentFile(zip_);
    open_ = false;
  }
  // A large part (a sheet) is inflated on a thread of its own, a chunk ahead of the XML parser,
  // so that inflating and parsing overlap; only that thread touches zip_ while it runs.
  struct Chunk {
    std::string bytes;
    int64_t consumed = 0;  // compressed position after it
  };
  struct Inflater {
    std::thread thread;
    std::mutex mu;
    std::condition_variable cv;
    std::deque<Chunk> full;           // guarded by mu
    std::vector<std::string> spare;   // guarded by mu
    bool stop = false, done = false;  // guarded by mu
    int error = 0;                    // guarded by mu; unzReadCurrentFile's error
  };
  void StartInflater();
  void StopInflater();
  // The next inflated bytes from the read-ahead: like unzReadCurrentFile.
  int ReadAhead(char* buf, size_t size);
  std::unique_ptr<Inflater> ahead_;
  Chunk taking_;  // the chunk Read() copies from
  size_t taking_pos_ = 0;
  int64_t ahead_consumed_ = 0;

  unzFile zip_;
  const ReadLimits limits_;
  std::unordered_map<std::string, Entry> entries_;  // by PartKey()
  // The open part.
  bool open_ = false;
  std::string part_;
  int64_t part_compressed_ = 0;
  int64_t part_inflated_ = 0;
  int64_t open_start_ = 0;
  // Expansion accounting: the most of each part ever inflated (a part read again, as a sheet is
  // on Rewind(), counts once), and their sum.
  std::unordered_map<std::string, int64_t> inflated_by_part_;
  int64_t inflated_total_ = 0;
};

Result<std::unique_ptr<XlsxArchive>> XlsxArchive::Open(const std::string& path,
                                                       const ReadLimits& limits) {
  unzFile zip = unzOpen64(path.c_str());
  if (zip == nullptr) {
    std::ifstream in(path, std::ios::binary);
    unsigned char magic[4] = {};
    in.read(reinterpret_cast<char*>(magic), sizeof magic);
    if (in.gcount() == 4 && magic[0] == 0xD0 && magic[1] == 0xCF && magic[2] == 0x11 &&
        magic[3] == 0xE0) {
      return Invalid(
          "cannot read XLSX file " + path +
              ": it is an OLE compound file (an Excel 97-2003 .xls workbook, or a "
              "password-protected .xlsx), not a zip archive",
          "Tệp không phải bảng tính .xlsx mà là bảng tính Excel 97–2003 (.xls) hoặc bảng tính "
          "đặt mật khẩu. Hãy tải lên với đuôi .xls, hoặc gỡ mật khẩu, lưu lại rồi tải lên lần "
          "nữa.");
    }
    if (in.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
      return Invalid("cannot read XLSX file " + path + ": the zip archive is truncated or damaged",
                     "Tệp .xlsx bị cụt (tải lên chưa hết) hoặc bị hỏng. Hãy mở bằng Excel hoặc "
                     "LibreOffice, lưu lại rồi tải lên lần nữa.");
    }
    return Invalid("cannot read XLSX file " + path + ": not a zip archive",
                   "Tệp không phải bảng tính .xlsx (không phải tệp nén ZIP). Nếu là CSV hay XLS, "
                   "hãy tải lên với đúng đuôi tệp.");
  }
  std::unique_ptr<XlsxArchive> archive(new XlsxArchive(zip, limits));
  int rc = unzGoToFirstFile(zip);
  int64_t count = 0;
  while (rc == UNZ_OK) {
    if (++count > kMaxZipEntries) {
      return Invalid(
          "cannot read XLSX file " + path + ": more than " + Num(kMaxZipEntries) +
              " parts in the zip archive",
          "Tệp .xlsx có quá " + Num(kMaxZipEntries) + " phần, không giống một bảng tính.");
    }
    unz_file_info64 info{};
    char name[1024];
    if (unzGetCurrentFileInfo64(zip, &info, name, sizeof name, nullptr, 0, nullptr, 0) != UNZ_OK) {
      break;
    }
    if (info.size_filename < sizeof name) {
      Entry entry{};
      unzGetFilePos64(zip, &entry.position);
      entry.compressed = static_cast<int64_t>(info.compressed_size);
      entry.encrypted = (info.flag & 1) != 0;
      entry.supported_method =
          info.compression_method == 0 || info.compression_method == Z_DEFLATED;
      archive->entries_.emplace(PartKey(std::string_view(name, info.size_filename)), entry);
    }
    rc = unzGoToNextFile(zip);
  }
  if (rc != UNZ_END_OF_LIST_OF_FILE) {
    return Invalid("cannot read XLSX file " + path + ": the zip archive is damaged",
                   "Tệp .xlsx bị hỏng (tệp nén ZIP không đọc được). Hãy mở bằng Excel hoặc "
                   "LibreOffice, lưu lại rồi tải lên lần nữa.");
  }
  return archive;
}

Status XlsxArchive::OpenPart(const std::string& part) {
  CloseCurrent();
  auto it = entries_.find(PartKey(part));
  if (it == entries_.end()) {
    return Invalid("the XLSX package has no part " + part,
                   "Tệp .xlsx thiếu phần " + part + ", không phải bảng tính hoàn chỉnh.");
  }
  if (it->second.encrypted || !it->second.supported_method) {
    return Invalid("XLSX part " + part + " is encrypted or compressed in an unsupported way",
                   "Phần " + part +
                       " của tệp .xlsx được mã hoá hoặc nén theo cách không hỗ trợ. "
                       "Hãy mở bằng Excel hoặc LibreOffice, lưu lại rồi tải lên lần nữa.");
  }
  if (unzGoToFilePos64(zip_, &it->second.position) != UNZ_OK ||
      unzOpenCurrentFile(zip_) != UNZ_OK) {
    return Invalid("XLSX part " + part + " cannot be read: the zip archive is damaged",
                   "Không đọc được phần " + part + " của tệp .xlsx: tệp bị hỏng.");
  }
  open_ = true;
  part_ = PartKey(part);
  part_compressed_ = it->second.compressed;
  part_inflated_ = 0;
  open_start_ = static_cast<int64_t>(unzGetCurrentFileZStreamPos64(zip_));
  ahead_consumed_ = open_start_;
  if (part_compressed_ > (1 << 20)) StartInflater();
  return Status::Ok();
}

void XlsxArchive::StartInflater() {
  ahead_ = std::make_unique<Inflater>();
  taking_ = Chunk();
  taking_pos_ = 0;
  Inflater* a = ahead_.get();
  a->thread = std::thread([this, a] {
    constexpr size_t kChunk = 256 * 1024;
    for (;;) {
      std::string buf;
      {
        std::unique_lock lock(a->mu);
        a->cv.wait(lock, [&] { return a->stop || a->full.size() < 4; });
        if (a->stop) return;
        if (!a->spare.empty()) {
          buf = std::move(a->spare.back());
          a->spare.pop_back();
        }
      }
      buf.resize(kChunk);
      int n = unzReadCurrentFile(zip_, buf.data(), static_cast<unsigned>(kChunk));
      auto consumed = static_cast<int64_t>(unzGetCurrentFileZStreamPos64(zip_));
      std::lock_guard lock(a->mu);
      if (n <= 0) {
        a->error = n;
        a->done = true;
        a->cv.notify_all();
        return;
      }
      buf.resize(static_cast<size_t>(n));
      a->full.push_back({std::move(buf), consumed});
      a->cv.notify_all();
    }
  });
}

void XlsxArchive::StopInflater() {
  if (!ahead_) return;
  {
    std::lock_guard lock(ahead_->mu);
    ahead_->stop = true;
  }
  ahead_->cv.notify_all();
  if (ahead_->thread.joinable()) ahead_->thread.join();
  ahead_.reset();
}

int XlsxArchive::ReadAhead(char* buf, size_t size) {
  Inflater& a = *ahead_;
  if (taking_pos_ >= taking_.bytes.size()) {
    std::unique_lock lock(a.mu);
    if (!taking_.bytes.empty()) a.spare.push_back(std::move(taking_.bytes));
    taking_ = Chunk();
    taking_pos_ = 0;
    a.cv.notify_all();
    a.cv.wait(lock, [&] { return !a.full.empty() || a.done; });
    if (a.full.empty()) return a.error;  // 0 at the end, < 0 on an error
    taking_ = std::move(a.full.front());
    a.full.pop_front();
  }
  size_t n = std::min(size, taking_.bytes.size() - taking_pos_);
  std::memcpy(buf, taking_.bytes.data() + taking_pos_, n);
  taking_pos_ += n;
  ahead_consumed_ = taking_.consumed;
  return static_cast<int>(n);
}

Result<size_t> XlsxArchive::Read(char* buf, size_t size) {
  if (!open_) return Status::Internal("XlsxArchive::Read with no part open");
  int n =
      ahead_ ? ReadAhead(buf, size) : unzReadCurrentFile(zip_, buf, static_cast<unsigned>(size));
  if (n < 0) {
    return Invalid(
        "XLSX part " + part_ + " cannot be inflated (zip error " + Num(n) +
            "): the file is damaged or truncated",
        "Không giải nén được phần " + part_ + " của tệp .xlsx: tệp bị hỏng hoặc tải lên chưa hết.");
  }
  part_inflated_ += n;
  const double ratio = static_cast<double>(part_inflated_) /
                       static_cast<double>(std::max<int64_t>(part_compressed_, 1));
  if (ratio > static_cast<double>(limits_.max_expansion_ratio)) {
    return Invalid(
        "XLSX part " + part_ + " inflates to more than " + Num(limits_.max_expansion_ratio) +
            " times its compressed size (max_expansion_ratio); the file may be a zip "
            "bomb",
        "Phần " + part_ + " của tệp .xlsx giải nén ra lớn hơn " + Num(limits_.max_expansion_ratio) +
            " lần kích thước nén, vượt giới hạn cho phép (tệp có thể là bom nén).");
  }
  int64_t& most = inflated_by_part_[part_];
  if (part_inflated_ > most) {
    inflated_total_ += part_inflated_ - most;
    most = part_inflated_;
    if (inflated_total_ > limits_.max_expanded_bytes) {
      return Invalid("the XLSX workbook inflates to more than " + Num(limits_.max_expanded_bytes) +
                         " bytes (max_expanded_bytes), reached in part " + part_,
                     "Tệp .xlsx giải nén ra hơn " + Num(limits_.max_expanded_bytes) +
                         " byte, vượt giới hạn cho phép (ở phần " + part_ + ").");
    }
  }
  return static_cast<size_t>(n);
}

Status XlsxArchive::ClosePart() {
  if (!open_) return Status::Ok();
  StopInflater();
  open_ = false;
  if (unzCloseCurrentFile(zip_) == UNZ_CRCERROR) {
    return Invalid("XLSX part " + part_ + " fails its checksum: the file is damaged",
                   "Phần " + part_ + " của tệp .xlsx sai mã kiểm tra: tệp bị hỏng.");
  }
  return Status::Ok();
}

// ---- XML --------------------------------------------------------------------------------------

namespace {

// What a handler wants after an event.
enum class XmlAction {
  kContinue,
  kSuspend,  // return from XmlPart::Continue(); parsing goes on from here on the next call
  kStop,     // the rest of the part is not needed (or the handler failed: see failure())
};

// Events of one part. Names are local names: prefixes ("x:row") are dropped.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual XmlAction StartElement(std::string_view name, const XML_Char** attributes) = 0;
  virtual XmlAction EndElement(std::string_view name) = 0;
  virtual XmlAction Text(std::string_view) { return XmlAction::kContinue; }
  // Why the handler stopped, when it stopped on an error.
  const Status& failure() const { return failure_; }

 protected:
  XmlAction Fail(Status status) {
    failure_ = std::move(status);
    return XmlAction::kStop;
  }
  void ClearFailure() { failure_ = Status::Ok(); }

 private:
  Status failure_;
};

// The name without its prefix: "x:row" -> "row". (One pass: names are short, and this runs for
// every element and attribute.)
std::string_view LocalName(const XML_Char* name) {
  const char* start = name;
  const char* end = name;
  for (; *end != '\0'; ++end) {
    if (*end == ':') start = end + 1;
  }
  return std::string_view(start, static_cast<size_t>(end - start));
}
std::string_view LocalName(std::string_view name) {
  const size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// Whether `name` is `literal` (compared inline: these are the parser's hot comparisons).
template <size_t N>
bool Is(std::string_view name, const char (&literal)[N]) {
  if (name.size() != N - 1) return false;
  for (size_t i = 0; i + 1 < N; ++i) {
    if (name[i] != literal[i]) return false;
  }
  return true;
}

// The value of the attribute whose local name is `name` ("id" finds "r:id"), or nullptr.
const char* Attribute(const XML_Char** attributes, std::string_view name) {
  for (size_t i = 0; attributes[i] != nullptr; i += 2) {
    if (LocalName(attributes[i]) == name) return attributes[i + 1];
  }
  return nullptr;
}

std::string AttributeOr(const XML_Char** attributes, std::string_view name,
                        std::string_view fallback = {}) {
  const char* value = Attribute(attributes, name);
  return value == nullptr ? std::string(fallback) : std::string(value);
}

int64_t IntAttribute(const XML_Char** attributes, std::string_view name, int64_t fallback) {
  const char* value = Attribute(attributes, name);
  if (value == nullptr) return fallback;
  std::string_view text = TrimSpaces(value);
  int64_t n = TakeNumber(text);
  return n < 0 || !text.empty() ? fallback : n;
}

// One part of the package parsed as it is inflated, kChunk bytes at a time, the events going to
// a handler: by XmlScanner (xml_scan.h) when the part is UTF-8, as every part written by Excel,
// LibreOffice or ODP is, else by expat. Documents with a DOCTYPE are refused (no XLSX part has
// one; refusing them keeps entity expansion out). Owns the archive's open part while it lives.
class XmlPart : private XmlScanner::Handler {
 public:
  XmlPart(XlsxArchive& archive, XmlHandler& handler) : archive_(archive), handler_(handler) {}
  ~XmlPart() override {
    if (parser_ != nullptr) XML_ParserFree(parser_);
    (void)archive_.ClosePart();
  }
  XmlPart(const XmlPart&) = delete;
  XmlPart& operator=(const XmlPart&) = delete;

  Status Open(const std::string& part) {
    part_ = part;
    ODP_RETURN_IF_ERROR(archive_.OpenPart(part));
    // The first bytes say which parser reads the part.
    first_.resize(kChunk);
    ODP_ASSIGN_OR_RETURN(size_t n, archive_.Read(first_.data(), kChunk));
    first_.resize(n);
    if (XmlScanner::Eligible(std::string_view(first_).substr(0, 256))) {
      scanner_ = std::make_unique<XmlScanner>(static_cast<XmlScanner::Handler&>(*this));
      scanner_->Feed(first_.data(), first_.size(), first_.empty());
      first_.clear();
      return Status::Ok();
    }
    have_first_ = true;
    parser_ = XML_ParserCreate(nullptr);
    if (parser_ == nullptr) return Status::Internal("out of memory creating an XML parser");
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, OnStart, OnEnd);
    XML_SetCharacterDataHandler(parser_, OnText);
    XML_SetStartDoctypeDeclHandler(parser_, OnDoctype);
    return Status::Ok();
  }

  // Parses on until the handler suspends (true) or the part ends or the handler stops (false).
  Result<bool> Continue();
  Result<bool> ContinueScanner();

  // Parses the whole part (a handler that suspends is resumed at once).
  Status ParseAll() {
    for (;;) {
      ODP_ASSIGN_OR_RETURN(bool suspended, Continue());
      if (!suspended) return Status::Ok();
    }
  }

 private:
  enum class State { kRunning, kSuspended, kStopped, kFinished };

  static XmlScanner::Action Scanner(XmlAction a) {
    return a == XmlAction::kContinue  ? XmlScanner::Action::kContinue
           : a == XmlAction::kSuspend ? XmlScanner::Action::kSuspend
                                      : XmlScanner::Action::kStop;
  }
  XmlScanner::Action Start(std::string_view name, const char** attributes) override {
    return Scanner(handler_.StartElement(LocalName(name), attributes));
  }
  XmlScanner::Action End(std::string_view name) override {
    return Scanner(handler_.EndElement(LocalName(name)));
  }
  XmlScanner::Action Text(std::string_view text) override { return Scanner(handler_.Text(text)); }

  static void OnStart(void* data, const XML_Char* name, const XML_Char** attributes) {
    auto* self = static_cast<XmlPart*>(data);
    if (self->state_ == State::kRunning) {
      self->Act(self->handler_.StartElement(LocalName(name), attributes));
    }
  }
  static void OnEnd(void* data, const XML_Char* name) {
    auto* self = static_cast<XmlPart*>(data);
    if (self->state_ == State::kRunning) self->Act(self->handler_.EndElement(LocalName(name)));
  }
  static void OnText(void* data, const XML_Char* text, int length) {
    auto* self = static_cast<XmlPart*>(data);
    if (self->state_ == State::kRunning) {
      self->Act(self->handler_.Text(std::string_view(text, static_cast<size_t>(length))));
    }
  }
  static void OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    auto* self = static_cast<XmlPart*>(data);
    self->doctype_ = true;
    self->state_ = State::kStopped;
    XML_StopParser(self->parser_, XML_FALSE);
  }
  void Act(XmlAction action) {
    if (action == XmlAction::kSuspend) {
      state_ = State::kSuspended;
      XML_StopParser(parser_, XML_TRUE);
    } else if (action == XmlAction::kStop) {
      state_ = State::kStopped;
      XML_StopParser(parser_, XML_FALSE);
    }
  }
  Status Malformed(const std::string& problem) const {
    const std::string line = std::to_string(
        scanner_ ? scanner_->line() : static_cast<int64_t>(XML_GetCurrentLineNumber(parser_)));
    return Invalid(
        "XLSX part " + part_ + " is not well-formed XML: " + problem + " (line " + line + ")",
        "Phần " + part_ + " của tệp .xlsx không phải XML hợp lệ: " + problem + " (dòng " + line +
            "). Hãy mở bằng Excel hoặc LibreOffice, lưu lại rồi tải lên lần nữa.");
  }

  XlsxArchive& archive_;
  XmlHandler& handler_;
  std::string part_;
  XML_Parser parser_ = nullptr;
  std::unique_ptr<XmlScanner> scanner_;
  std::string first_;        // the part's first bytes, read to choose the parser
  bool have_first_ = false;  // … and not yet given to expat
  State state_ = State::kRunning;
  bool final_fed_ = false;  // the last (empty) buffer was given to expat
  bool doctype_ = false;
};

Result<bool> XmlPart::ContinueScanner() {
  std::string chunk;
  for (;;) {
    if (state_ == State::kFinished || state_ == State::kStopped) return false;
    state_ = State::kRunning;
    switch (scanner_->Scan()) {
      case XmlScanner::Result::kSuspended: state_ = State::kSuspended; return true;
      case XmlScanner::Result::kStopped:
        state_ = State::kStopped;
        if (!handler_.failure().ok()) return handler_.failure();
        return false;
      case XmlScanner::Result::kError:
        state_ = State::kStopped;
        return Malformed(scanner_->error());
      case XmlScanner::Result::kDone:
        state_ = State::kFinished;
        ODP_RETURN_IF_ERROR(archive_.ClosePart());
        return false;
      case XmlScanner::Result::kNeedMore: {
        chunk.resize(kChunk);
        ODP_ASSIGN_OR_RETURN(size_t n, archive_.Read(chunk.data(), kChunk));
        scanner_->Feed(chunk.data(), n, n == 0);
        break;
      }
    }
  }
}

Result<bool> XmlPart::Continue() {
  if (scanner_) return ContinueScanner();
  for (;;) {
    XML_Status status;
    if (state_ == State::kFinished || state_ == State::kStopped) return false;
    if (state_ == State::kSuspended) {
      state_ = State::kRunning;
      status = XML_ResumeParser(parser_);
    } else if (have_first_) {
      have_first_ = false;
      final_fed_ = first_.empty();
      status = XML_Parse(parser_, first_.data(), static_cast<int>(first_.size()),
                         final_fed_ ? XML_TRUE : XML_FALSE);
      first_.clear();
    } else {
      void* buf = XML_GetBuffer(parser_, static_cast<int>(kChunk));
      if (buf == nullptr) return Malformed(XML_ErrorString(XML_GetErrorCode(parser_)));
      ODP_ASSIGN_OR_RETURN(size_t n, archive_.Read(static_cast<char*>(buf), kChunk));
      final_fed_ = n == 0;
      status = XML_ParseBuffer(parser_, static_cast<int>(n), final_fed_ ? XML_TRUE : XML_FALSE);
    }
    if (status == XML_STATUS_SUSPENDED) return true;
    if (status == XML_STATUS_ERROR) {
      if (state_ != State::kStopped) return Malformed(XML_ErrorString(XML_GetErrorCode(parser_)));
      if (doctype_) return Malformed("a DOCTYPE, which XLSX parts never have");
      if (!handler_.failure().ok()) return handler_.failure();
      return false;
    }
    if (final_fed_) {
      state_ = State::kFinished;
      ODP_RETURN_IF_ERROR(archive_.ClosePart());
      return false;
    }
  }
}

// Reads a whole small part with `handler`.
Status ParsePart(XlsxArchive& archive, const std::string& part, XmlHandler& handler) {
  XmlPart xml(archive, handler);
  ODP_RETURN_IF_ERROR(xml.Open(part));
  return xml.ParseAll();
}

// ---- Package metadata -------------------------------------------------------------------------

// [Content_Types].xml: which parts are the workbook, its styles and its shared strings.
class ContentTypesHandler : public XmlHandler {
 public:
  XmlAction StartElement(std::string_view name, const XML_Char** attributes) override {
    if (!Is(name, "Override")) return XmlAction::kContinue;
    std::string type = AttributeOr(attributes, "ContentType");
    std::string part = PartKey(AttributeOr(attributes, "PartName"));
    // spreadsheetml.sheet.main+xml, .template.main+xml, ms-excel.sheet.macroEnabled.main+xml, …
    const bool main =
        type.ends_with(".main+xml") && (type.find("spreadsheetml") != std::string::npos ||
                                        type.find("ms-excel") != std::string::npos);
    if (main && workbook.empty()) workbook = part;
    if (type.ends_with("spreadsheetml.styles+xml")) styles = part;
    if (type.ends_with("spreadsheetml.sharedStrings+xml")) shared_strings = part;
    return XmlAction::kContinue;
  }
  XmlAction EndElement(std::string_view) override { return XmlAction::kContinue; }

  std::string workbook, styles, shared_strings;
};

struct Relationship {
  std::string id;
  std::string type;  // the last segment of the type URI: "worksheet", "styles", …
  std::string part;  // resolved
};

// A .rels part: the relationships of `source`.
class RelationshipsHandler : public XmlHandler {
 public:
  explicit RelationshipsHandler(std::string source) : source_(std::move(source)) {}
  XmlAction StartElement(std::string_view name, const XML_Char** attributes) override {
    if (!Is(name, "Relationship")) return XmlAction::kContinue;
    if (AttributeOr(attributes, "TargetMode") == "External") return XmlAction::kContinue;
    std::string type = AttributeOr(attributes, "Type");
    size_t slash = type.rfind('/');
    relationships.push_back({AttributeOr(attributes, "Id"),
                             slash == std::string::npos ? type : type.substr(slash + 1),
                             ResolveTarget(source_, AttributeOr(attributes, "Target"))});
    return XmlAction::kContinue;
  }
  XmlAction EndElement(std::string_view) override { return XmlAction::kContinue; }

  const Relationship* Find(std::string_view type) const {
    for (const Relationship& r : relationships) {
      if (r.type == type) return &r;
    }
    return nullptr;
  }

  std::vector<Relationship> relationships;

 private:
  std::string source_;
};

// workbook.xml: the sheets in order and the date system.
class WorkbookHandler : public XmlHandler {
 public:
  struct Sheet {
    std::string name;
    std::string relationship;
  };
  XmlAction StartElement(std::string_view name, const XML_Char** attributes) override {
    if (Is(name, "workbookPr")) {
      std::string value = AttributeOr(attributes, "date1904");
      date1904 = value == "1" || value == "true";
    } else if (Is(name, "sheet")) {
      sheets.push_back({AttributeOr(attributes, "name"), AttributeOr(attributes, "id")});
    }
    return XmlAction::kContinue;
  }
  XmlAction EndElement(std::string_view) override { return XmlAction::kContinue; }

  std::vector<Sheet> sheets;
  bool date1904 = false;
};

// styles.xml: number formats, fonts and the cell formats (cellXfs) that combine them.
class StylesHandler : public XmlHandler {
 public:
  struct CellFormat {
    int64_t number_format = 0;
    int64_t font = 0;
  };
  XmlAction StartElement(std::string_view name, const XML_Char** attributes) override {
    if (Is(name, "numFmts")) {
      in_number_formats_ = true;
    } else if (Is(name, "numFmt") && in_number_formats_) {  // not those of <dxf> entries
      custom_formats[IntAttribute(attributes, "numFmtId", -1)] =
          ClassifyFormatCode(AttributeOr(attributes, "formatCode"));
    } else if (Is(name, "fonts")) {
      in_fonts_ = true;
    } else if (Is(name, "font") && in_fonts_) {
      fonts.emplace_back();
    } else if (Is(name, "name") && in_fonts_ && !fonts.empty()) {
      fonts.back() = AttributeOr(attributes, "val");
    } else if (Is(name, "cellXfs")) {
      in_cell_xfs_ = true;
    } else if (Is(name, "xf") && in_cell_xfs_) {
      cell_formats.push_back(
          {IntAttribute(attributes, "numFmtId", 0), IntAttribute(attributes, "fontId", 0)});
    }
    return XmlAction::kContinue;
  }
  XmlAction EndElement(std::string_view name) override {
    if (Is(name, "numFmts")) in_number_formats_ = false;
    if (Is(name, "fonts")) in_fonts_ = false;
    if (Is(name, "cellXfs")) in_cell_xfs_ = false;
    return XmlAction::kContinue;
  }

  std::unordered_map<int64_t, DateKind> custom_formats;  // by numFmtId
  std::vector<std::string> fonts;
  std::vector<CellFormat> cell_formats;

 private:
  bool in_number_formats_ = false;
  bool in_fonts_ = false;
  bool in_cell_xfs_ = false;
};

}  // namespace

// What the reader of a sheet needs of the workbook.
struct XlsxWorkbook {
  std::vector<std::string> sheet_names;
  std::vector<std::string> sheet_parts;
  bool date1904 = false;
  // The shared strings, end to end, and where each ends.
  std::string strings;
  std::vector<size_t> string_ends;
  // Per cell format (a cell's s="…"): what it shows of a date, and its font's name ("" for the
  // default font).
  std::vector<DateKind> format_date_kind;
  std::vector<std::string> format_font;
  std::string default_font;

  size_t shared_string_count() const { return string_ends.size(); }
  std::string_view shared_string(size_t i) const {
    size_t begin = i == 0 ? 0 : string_ends[i - 1];
    return std::string_view(strings).substr(begin, string_ends[i] - begin);
  }
  DateKind date_kind(int32_t format) const {
    return format >= 0 && static_cast<size_t>(format) < format_date_kind.size()
               ? format_date_kind[static_cast<size_t>(format)]
               : DateKind::kNone;
  }
};

namespace {

// Excel's escapes of characters XML cannot carry (ST_Xstring): "_x000D_" is a carriage return,
// "_x005F_" an underscore (so "_x005F_x0041_" is the text "_x0041_"). Decoded in place from
// `from` to the end of `s`; surrogate halves are left as written.
void UnescapeXstring(std::string& s, size_t from) {
  if (s.find("_x", from) == std::string::npos) return;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size() - from);
  size_t i = from;
  while (i < s.size()) {
    unsigned cp = 0;
    bool escape = s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_';
    for (size_t k = 2; escape && k < 6; ++k) {
      int h = hex(s[i + k]);
      if (h < 0) escape = false;
      cp = cp * 16 + static_cast<unsigned>(h < 0 ? 0 : h);
    }
    if (!escape || (cp >= 0xD800 && cp <= 0xDFFF)) {
      out += s[i++];
      continue;
    }
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
    i += 7;
  }
  s.replace(from, std::string::npos, out);
}

// sharedStrings.xml, straight into the workbook's string pool. Rich-text runs (<r><t>) are
// concatenated; phonetic hints (<rPh>) left out.
class SharedStringsHandler : public XmlHandler {
 public:
  explicit SharedStringsHandler(XlsxWorkbook& workbook) : workbook_(workbook) {}
  XmlAction StartElement(std::string_view name, const XML_Char**) override {
    if (Is(name, "si")) {
      in_item_ = true;
    } else if (Is(name, "rPh")) {
      in_phonetic_ = true;
    } else if (Is(name, "t") && in_item_ && !in_phonetic_) {
      in_text_ = true;
    }
    return XmlAction::kContinue;
  }
  XmlAction EndElement(std::string_view name) override {
    if (Is(name, "si")) {
      in_item_ = false;
      UnescapeXstring(workbook_.strings,
                      workbook_.string_ends.empty() ? 0 : workbook_.string_ends.back());
      workbook_.string_ends.push_back(workbook_.strings.size());
    } else if (Is(name, "rPh")) {
      in_phonetic_ = false;
    } else if (Is(name, "t")) {
      in_text_ = false;
    }
    return XmlAction::kContinue;
  }
  XmlAction Text(std::string_view text) override {
    if (in_text_) workbook_.strings += text;
    return XmlAction::kContinue;
  }

 private:
  XlsxWorkbook& workbook_;
  bool in_item_ = false;
  bool in_phonetic_ = false;
  bool in_text_ = false;
};

// The parent folder's relationships part of `part`: xl/workbook.xml -> xl/_rels/workbook.xml.rels.
std::string RelationshipsPartOf(const std::string& part) {
  size_t slash = part.rfind('/');
  std::string folder = slash == std::string::npos ? "" : part.substr(0, slash + 1);
  std::string file = slash == std::string::npos ? part : part.substr(slash + 1);
  return folder + "_rels/" + file + ".rels";
}

Status MissingWorkbook(const std::string& path) {
  return Invalid(
      "cannot read XLSX file " + path + ": the zip archive holds no workbook (xl/workbook.xml)",
      "Tệp nén ZIP này không chứa bảng tính (thiếu xl/workbook.xml), nên không phải "
      "tệp .xlsx. Nếu là tệp Word, PowerPoint hay OpenDocument, hãy lưu bảng tính "
      "thành .xlsx rồi tải lên lần nữa.");
}

Result<std::unique_ptr<XlsxWorkbook>> LoadWorkbook(XlsxArchive& archive, const std::string& path) {
  // Where the workbook is: [Content_Types].xml says, or the package relationships, or the name
  // every writer uses.
  ContentTypesHandler types;
  if (archive.Has("[Content_Types].xml")) {
    ODP_RETURN_IF_ERROR(ParsePart(archive, "[Content_Types].xml", types));
  }
  std::string workbook_part = types.workbook;
  if ((workbook_part.empty() || !archive.Has(workbook_part)) && archive.Has("_rels/.rels")) {
    RelationshipsHandler package_rels("");
    ODP_RETURN_IF_ERROR(ParsePart(archive, "_rels/.rels", package_rels));
    if (const Relationship* r = package_rels.Find("officeDocument")) workbook_part = r->part;
  }
  if (workbook_part.empty() || !archive.Has(workbook_part)) workbook_part = "xl/workbook.xml";
  if (!archive.Has(workbook_part)) return MissingWorkbook(path);

  WorkbookHandler workbook;
  ODP_RETURN_IF_ERROR(ParsePart(archive, workbook_part, workbook));
  const std::string rels_part = RelationshipsPartOf(workbook_part);
  if (!archive.Has(rels_part)) {
    return Invalid("cannot read XLSX file " + path + ": the workbook has no relationships part (" +
                       rels_part + ") to say where its sheets are",
                   "Tệp .xlsx thiếu phần " + rels_part +
                       " (nơi ghi các trang tính). Hãy mở bằng Excel hoặc LibreOffice, lưu lại "
                       "rồi tải lên lần nữa.");
  }
  RelationshipsHandler rels(workbook_part);
  ODP_RETURN_IF_ERROR(ParsePart(archive, rels_part, rels));

  auto result = std::make_unique<XlsxWorkbook>();
  result->date1904 = workbook.date1904;
  for (const WorkbookHandler::Sheet& sheet : workbook.sheets) {
    auto it = std::find_if(rels.relationships.begin(), rels.relationships.end(),
                           [&](const Relationship& r) { return r.id == sheet.relationship; });
    if (it == rels.relationships.end() || it->type != "worksheet") continue;  // chartsheets
    if (!archive.Has(it->part)) {
      return Invalid("cannot read XLSX file " + path + ": sheet '" + sheet.name + "' (" + it->part +
                         ") is missing from the package",
                     "Tệp .xlsx thiếu trang tính '" + sheet.name + "' (" + it->part +
                         "). Hãy mở bằng Excel hoặc LibreOffice, lưu lại rồi tải lên lần nữa.");
    }
    result->sheet_names.push_back(sheet.name);
    result->sheet_parts.push_back(it->part);
  }
  if (result->sheet_names.empty()) {
    return Invalid("cannot read XLSX file " + path + ": the workbook has no worksheet",
                   "Bảng tính .xlsx không có trang tính nào chứa dữ liệu.");
  }

  auto part_of = [&](std::string_view type, const std::string& fallback) {
    const Relationship* r = rels.Find(type);
    std::string part = r != nullptr ? r->part : fallback;
    return archive.Has(part) ? part : std::string();
  };

  const std::string styles_part = part_of("styles", types.styles);
  StylesHandler styles;
  if (!styles_part.empty()) ODP_RETURN_IF_ERROR(ParsePart(archive, styles_part, styles));
  result->default_font = styles.fonts.empty() ? "" : styles.fonts.front();
  for (const StylesHandler::CellFormat& format : styles.cell_formats) {
    auto custom = styles.custom_formats.find(format.number_format);
    result->format_date_kind.push_back(custom != styles.custom_formats.end()
                                           ? custom->second
                                           : BuiltinFormatKind(format.number_format));
    const std::string& font =
        format.font >= 0 && static_cast<size_t>(format.font) < styles.fonts.size()
            ? styles.fonts[static_cast<size_t>(format.font)]
            : result->default_font;
    result->format_font.push_back(font == result->default_font ? "" : font);
  }

  const std::string strings_part = part_of("sharedStrings", types.shared_strings);
  if (!strings_part.empty()) {
    SharedStringsHandler strings(*result);
    ODP_RETURN_IF_ERROR(ParsePart(archive, strings_part, strings));
    result->strings.shrink_to_fit();
    result->string_ends.shrink_to_fit();
  }
  return result;
}

// ---- Merged ranges ----------------------------------------------------------------------------

struct MergedRange {
  int64_t first_row = 0, last_row = 0;        // 1-based, as Excel numbers rows
  int32_t first_column = 0, last_column = 0;  // 0-based
  // The top-left cell's value and cell format, once its row has been read.
  std::string value;
  int32_t format = -1;
};

// Reads "A1:C2" into `range`; false when it is not a range of two or more cells.
bool ParseRange(std::string_view ref, MergedRange& range) {
  int32_t c1 = TakeColumn(ref);
  int64_t r1 = TakeNumber(ref);
  if (c1 < 0 || r1 <= 0 || ref.empty() || ref.front() != ':') return false;
  ref.remove_prefix(1);
  int32_t c2 = TakeColumn(ref);
  int64_t r2 = TakeNumber(ref);
  if (c2 < 0 || r2 <= 0 || !ref.empty()) return false;
  range.first_row = std::min(r1, r2);
  range.last_row = std::max(r1, r2);
  range.first_column = std::min(c1, c2);
  range.last_column = std::max(c1, c2);
  return range.first_row != range.last_row || range.first_column != range.last_column;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

// The ranges of the <mergeCell ref="…"/> elements of a sheet part, by one pass of byte search
// over the inflated part (they follow the cell data, which a row-by-row reader has not yet
// seen). A '<' must open the element (with an optional prefix), so text in cells, where '<' is
// always escaped, cannot pass for one. Sorted by first row.
Result<std::vector<MergedRange>> ScanMergedRanges(XlsxArchive& archive, const std::string& part) {
  constexpr std::string_view kName = "mergeCell";
  constexpr size_t kLongestTag = 4096;  // a longer mergeCell tag is skipped
  ODP_RETURN_IF_ERROR(archive.OpenPart(part));
  std::vector<MergedRange> ranges;
  std::string window;
  std::vector<char> buf(kChunk);
  for (;;) {
    ODP_ASSIGN_OR_RETURN(size_t n, archive.Read(buf.data(), buf.size()));
    if (n == 0) break;
    window.append(buf.data(), n);
    size_t keep_from = window.size() > 64 ? window.size() - 64 : 0;  // a name cut in two
    for (size_t at = window.find(kName); at != std::string::npos;
         at = window.find(kName, at + kName.size())) {
      const size_t after = at + kName.size();
      if (after >= window.size()) break;
      const char next = window[after];
      if (next != ' ' && next != '\t' && next != '\n' && next != '\r' && next != '/') continue;
      size_t open = at;
      if (open > 0 && window[open - 1] == ':') {
        --open;
        while (open > 0 && IsNameChar(window[open - 1])) --open;
      }
      if (open == 0 || window[open - 1] != '<') continue;
      const size_t close = window.find('>', after);
      if (close == std::string::npos) {
        if (window.size() - (open - 1) <= kLongestTag) keep_from = std::min(keep_from, open - 1);
        break;
      }
      keep_from = std::max(keep_from, close + 1);
      // ref="…" (or '…') among the attributes.
      std::string_view tag(window.data() + after, close - after);
      for (size_t r = tag.find("ref"); r != std::string_view::npos; r = tag.find("ref", r + 3)) {
        const char before = tag[r - 1];  // tag starts with the space after the name
        if (before != ' ' && before != '\t' && before != '\n' && before != '\r') continue;
        size_t eq = r + 3;
        while (eq < tag.size() && (tag[eq] == ' ' || tag[eq] == '\t')) ++eq;
        if (eq + 1 >= tag.size() || tag[eq] != '=') continue;
        size_t quote = eq + 1;
        while (quote < tag.size() && (tag[quote] == ' ' || tag[quote] == '\t')) ++quote;
        if (quote >= tag.size() || (tag[quote] != '"' && tag[quote] != '\'')) continue;
        size_t end = tag.find(tag[quote], quote + 1);
        if (end == std::string_view::npos) break;
        MergedRange range;
        if (ParseRange(tag.substr(quote + 1, end - quote - 1), range)) {
          ranges.push_back(std::move(range));
        }
        break;
      }
    }
    window.erase(0, std::min(keep_from, window.size()));
  }
  ODP_RETURN_IF_ERROR(archive.ClosePart());
  std::stable_sort(ranges.begin(), ranges.end(), [](const MergedRange& a, const MergedRange& b) {
    return a.first_row < b.first_row;
  });
  return ranges;
}

}  // namespace

// ---- The sheet --------------------------------------------------------------------------------

// The rows of one worksheet part, parsed as far as Next() has asked: expat is suspended at the
// end of each <row>.
class XlsxSheetReader : public XmlHandler {
 public:
  XlsxSheetReader(XlsxArchive& archive, const XlsxWorkbook& workbook, const ReadLimits& limits,
                  size_t sheet, std::vector<MergedRange> merged)
      : archive_(archive),
        workbook_(workbook),
        limits_(limits),
        name_(workbook.sheet_names[sheet]),
        part_(workbook.sheet_parts[sheet]),
        compressed_size_(archive.compressed_size(part_)),
        merged_(std::move(merged)) {}

  // (Re)starts from the sheet's first row.
  Status Restart();
  bool Next(std::vector<std::string>& cells);
  int64_t line() const { return line_; }
  int64_t bytes_read() const {
    if (done_) return compressed_size_;
    return xml_ == nullptr ? 0 : std::min(archive_.consumed(), compressed_size_);
  }
  int64_t bytes_total() const { return compressed_size_; }
  const Status& status() const { return status_; }
  const std::vector<std::string>& fonts() const;
  const std::vector<std::string>& errors() const { return errors_; }

  XmlAction StartElement(std::string_view name, const XML_Char** attributes) override;
  XmlAction EndElement(std::string_view name) override;
  XmlAction Text(std::string_view text) override;

 private:
  enum class CellType { kNumber, kSharedString, kInlineString, kString, kBoolean, kError, kDate };

  // The cell just ended, into row_.
  XmlAction FinishCell();
  // Gives the row numbered line_ the values of the merged ranges over it.
  bool ApplyMergedRanges(std::vector<std::string>& cells);
  XmlAction FailAt(int32_t column, int64_t row, const std::string& en, const std::string& vi) {
    return Fail(CellError(column, row, en, vi));
  }
  Status CellError(int32_t column, int64_t row, const std::string& en,
                   const std::string& vi) const {
    const std::string cell = CellName(column, row);
    return Invalid("XLSX sheet '" + name_ + "', cell " + cell + ": " + en,
                   "Trang tính '" + name_ + "': ô " + cell + " " + vi + ".");
  }
  std::string CellLimit() const { return Num(limits_.max_cell_bytes); }

  XlsxArchive& archive_;
  const XlsxWorkbook& workbook_;
  const ReadLimits& limits_;
  const std::string name_;
  const std::string part_;
  const int64_t compressed_size_;
  std::unique_ptr<XmlPart> xml_;
  Status status_;
  bool done_ = false;  // the sheet's data has ended

  // Parsing: where we are in the XML.
  bool in_sheet_data_ = false;
  bool in_row_ = false;
  bool in_cell_ = false;
  bool in_value_ = false;     // <v>
  bool in_inline_ = false;    // <is>
  bool in_text_ = false;      // <t> within <is>
  bool in_phonetic_ = false;  // <rPh> within <is>
  int64_t row_number_ = 0;    // of the <row> parsed last
  int32_t column_ = -1;       // of the <c> being parsed (or parsed last in its row)
  CellType type_ = CellType::kNumber;
  int32_t format_ = 0;
  bool has_inline_ = false;
  std::string text_;  // of the cell's <v> or <is>
  // The row parsed and not yet returned (row_ready_), its cells and their formats.
  bool row_ready_ = false;
  std::vector<std::string> row_;
  std::vector<int32_t> row_formats_;
  std::vector<std::string> row_errors_;  // "#DIV/0!" by column; empty when the row has none

  // Returning rows.
  int64_t line_ = 0;
  std::vector<int32_t> formats_;     // of the cells of the row last returned
  std::vector<std::string> errors_;  // of the row last returned, as row_errors_
  mutable std::vector<std::string> fonts_;
  mutable bool fonts_stale_ = false;
  std::vector<MergedRange> merged_;    // by first row
  size_t next_merged_ = 0;             // first of merged_ not yet reached
  std::vector<size_t> active_merged_;  // those over line_
};

Status XlsxSheetReader::Restart() {
  xml_.reset();  // closes the archive's open part
  ClearFailure();
  status_ = Status::Ok();
  done_ = false;
  in_sheet_data_ = in_row_ = in_cell_ = in_value_ = in_inline_ = in_text_ = in_phonetic_ = false;
  row_number_ = 0;
  column_ = -1;
  row_ready_ = false;
  row_.clear();
  row_formats_.clear();
  row_errors_.clear();
  line_ = 0;
  formats_.clear();
  errors_.clear();
  fonts_.clear();
  fonts_stale_ = false;
  for (MergedRange& range : merged_) {
    range.value.clear();
    range.format = -1;
  }
  next_merged_ = 0;
  active_merged_.clear();
  xml_ = std::make_unique<XmlPart>(archive_, *this);
  status_ = xml_->Open(part_);
  return status_;
}

XmlAction XlsxSheetReader::StartElement(std::string_view name, const XML_Char** attributes) {
  if (!in_sheet_data_) {
    if (Is(name, "sheetData")) in_sheet_data_ = true;
    return XmlAction::kContinue;
  }
  if (in_cell_) {
    if (Is(name, "v")) {
      in_value_ = true;
    } else if (Is(name, "is")) {
      in_inline_ = true;
      has_inline_ = true;
    } else if (in_inline_ && Is(name, "rPh")) {
      in_phonetic_ = true;
    } else if (in_inline_ && Is(name, "t")) {
      in_text_ = true;
    }
    return XmlAction::kContinue;
  }
  if (Is(name, "c") && in_row_) {
    in_cell_ = true;
    text_.clear();
    has_inline_ = false;
    const char* ref = nullptr;
    std::string_view type = "n";
    format_ = 0;
    for (size_t i = 0; attributes[i] != nullptr; i += 2) {  // one pass: r, s, t
      const std::string_view attribute = LocalName(attributes[i]);
      if (Is(attribute, "r")) {
        ref = attributes[i + 1];
      } else if (Is(attribute, "t")) {
        type = attributes[i + 1];
      } else if (Is(attribute, "s")) {
        std::string_view text(attributes[i + 1]);
        const int64_t format = TakeNumber(text);
        format_ =
            format >= 0 && format <= INT32_MAX && text.empty() ? static_cast<int32_t>(format) : 0;
      }
    }
    if (ref != nullptr) {
      std::string_view rest(ref);
      const int32_t column = TakeColumn(rest);
      if (column < 0) {
        return Fail(Invalid("XLSX sheet '" + name_ + "', row " + Num(row_number_) +
                                ": invalid cell reference '" + ref + "'",
                            "Trang tính '" + name_ + "', dòng " + Num(row_number_) +
                                ": địa chỉ ô '" + ref + "' không hợp lệ."));
      }
      column_ = column;
    } else {
      ++column_;
    }
    if (column_ >= kMaxColumns || column_ >= limits_.max_columns) {
      return FailAt(column_, row_number_,
                    "beyond the limit of " + Num(limits_.max_columns) + " columns (max_columns)",
                    "vượt quá giới hạn " + Num(limits_.max_columns) + " cột");
    }
    if (Is(type, "n")) {
      type_ = CellType::kNumber;
    } else if (Is(type, "s")) {
      type_ = CellType::kSharedString;
    } else if (Is(type, "inlineStr")) {
      type_ = CellType::kInlineString;
    } else if (Is(type, "b")) {
      type_ = CellType::kBoolean;
    } else if (Is(type, "e")) {
      type_ = CellType::kError;
    } else if (Is(type, "d")) {
      type_ = CellType::kDate;
    } else {
      type_ = CellType::kString;  // "str" (a formula's text) and anything unknown
    }
    return XmlAction::kContinue;
  }
  if (Is(name, "row")) {
    in_row_ = true;
    const int64_t number = IntAttribute(attributes, "r", -1);
    row_number_ = number > 0 ? number : row_number_ + 1;
    if (row_number_ > kMaxRows) {  // and so no endless run of empty rows before it
      return Fail(Invalid("XLSX sheet '" + name_ + "': row number " + Num(row_number_) +
                              " is beyond Excel's last row, " + Num(kMaxRows),
                          "Trang tính '" + name_ + "': số dòng " + Num(row_number_) +
                              " vượt quá dòng cuối cùng của Excel (" + Num(kMaxRows) +
                              "); tệp bị hỏng."));
    }
    column_ = -1;
    row_.clear();
    row_formats_.clear();
    row_errors_.clear();
  }
  return XmlAction::kContinue;
}

XmlAction XlsxSheetReader::EndElement(std::string_view name) {
  if (!in_sheet_data_) return XmlAction::kContinue;
  if (in_cell_) {
    if (Is(name, "c")) {
      in_cell_ = in_value_ = in_inline_ = in_text_ = in_phonetic_ = false;
      return FinishCell();
    }
    if (Is(name, "v")) {
      in_value_ = false;
    } else if (Is(name, "is")) {
      in_inline_ = false;
    } else if (Is(name, "rPh")) {
      in_phonetic_ = false;
    } else if (Is(name, "t")) {
      in_text_ = false;
    }
    return XmlAction::kContinue;
  }
  if (Is(name, "row") && in_row_) {
    in_row_ = false;
    row_ready_ = true;
    return XmlAction::kSuspend;
  }
  if (Is(name, "sheetData")) {
    in_sheet_data_ = false;
    return XmlAction::kStop;  // what follows (merged ranges, print setup, …) is not rows
  }
  return XmlAction::kContinue;
}

XmlAction XlsxSheetReader::Text(std::string_view text) {
  if (!(in_value_ || (in_text_ && !in_phonetic_))) return XmlAction::kContinue;
  if (static_cast<int64_t>(text_.size() + text.size()) > limits_.max_cell_bytes) {
    return FailAt(column_, row_number_,
                  "longer than the limit of " + CellLimit() + " bytes (max_cell_bytes)",
                  "dài quá giới hạn " + CellLimit() + " byte");
  }
  text_ += text;
  return XmlAction::kContinue;
}

XmlAction XlsxSheetReader::FinishCell() {
  const auto column = static_cast<size_t>(column_);
  if (column >= row_.size()) {
    row_.resize(column + 1);
    row_formats_.resize(column + 1, 0);
  }
  std::string& out = row_[column];
  out.clear();
  row_formats_[column] = format_;
  CellType type = type_;
  if (type == CellType::kNumber && has_inline_) type = CellType::kInlineString;
  switch (type) {
    case CellType::kSharedString: {
      std::string_view text = TrimSpaces(text_);
      if (text.empty()) break;
      const int64_t index = TakeNumber(text);
      if (index < 0 || !text.empty() ||
          static_cast<size_t>(index) >= workbook_.shared_string_count()) {
        return FailAt(
            column_, row_number_,
            "refers to shared string '" + text_ + "', which the workbook lacks",
            "trỏ tới chuỗi dùng chung số '" + text_ + "' không có trong tệp (tệp bị hỏng)");
      }
      std::string_view value = workbook_.shared_string(static_cast<size_t>(index));
      if (static_cast<int64_t>(value.size()) > limits_.max_cell_bytes) {
        return FailAt(column_, row_number_,
                      "longer than the limit of " + CellLimit() + " bytes (max_cell_bytes)",
                      "dài quá giới hạn " + CellLimit() + " byte");
      }
      out.assign(value);
      break;
    }
    case CellType::kInlineString:
      out.swap(text_);
      UnescapeXstring(out, 0);
      break;
    case CellType::kString: out.swap(text_); break;
    case CellType::kBoolean: {
      std::string_view text = TrimSpaces(text_);
      if (text == "1" || text == "true") {
        out = "true";
      } else if (text == "0" || text == "false") {
        out = "false";
      } else {
        out.assign(text);
      }
      break;
    }
    case CellType::kError: {
      // The cell stays empty; the error (#DIV/0!, #N/A, #REF!, …) is reported by the loader.
      std::string_view text = TrimSpaces(text_);
      if (text.empty()) break;
      if (row_errors_.size() <= column) row_errors_.resize(column + 1);
      row_errors_[column].assign(text);
      break;
    }
    case CellType::kDate: AppendIsoDate(text_, workbook_.date_kind(format_), out); break;
    case CellType::kNumber: {
      std::string_view text = TrimSpaces(text_);
      if (text.empty()) break;
      // Most cells are plain integers, already in canonical form: no round trip through a double.
      if (workbook_.date_kind(format_) == DateKind::kNone && text.size() <= 15 &&
          (text[0] != '0' || text.size() == 1) &&
          std::all_of(text.begin(), text.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
        out.assign(text);
        break;
      }
      double value = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
        out.assign(text);  // not a number after all: keep what the file says
      } else if (const DateKind kind = workbook_.date_kind(format_);
                 kind == DateKind::kNone ||
                 !AppendSerialDate(value, kind, workbook_.date1904, out)) {
        AppendCanonicalNumber(out, value);
      }
      break;
    }
  }
  text_.clear();
  return XmlAction::kContinue;
}

bool XlsxSheetReader::ApplyMergedRanges(std::vector<std::string>& cells) {
  while (next_merged_ < merged_.size() && merged_[next_merged_].first_row <= line_) {
    if (merged_[next_merged_].last_row >= line_) active_merged_.push_back(next_merged_);
    ++next_merged_;
  }
  std::erase_if(active_merged_, [&](size_t i) { return merged_[i].last_row < line_; });
  for (size_t i : active_merged_) {
    MergedRange& range = merged_[i];
    const auto first = static_cast<size_t>(range.first_column);
    if (range.first_row == line_ && first < cells.size()) {
      range.value = cells[first];
      range.format = formats_[first];
    }
    if (range.value.empty()) continue;
    if (range.last_column >= limits_.max_columns) {
      status_ =
          CellError(range.last_column, line_,
                    "beyond the limit of " + Num(limits_.max_columns) +
                        " columns (max_columns), in merged cells",
                    "(trong vùng ô gộp) vượt quá giới hạn " + Num(limits_.max_columns) + " cột");
      return false;
    }
    const auto last = static_cast<size_t>(range.last_column);
    if (last >= cells.size()) {
      cells.resize(last + 1);
      formats_.resize(last + 1, 0);
    }
    for (size_t c = first; c <= last; ++c) {
      if (range.first_row == line_ && c == first) continue;
      cells[c] = range.value;
      formats_[c] = range.format;
    }
  }
  return true;
}

bool XlsxSheetReader::Next(std::vector<std::string>& cells) {
  cells.clear();
  if (!status_.ok() || xml_ == nullptr) return false;
  if (!row_ready_ && !done_) {
    Result<bool> suspended = xml_->Continue();
    if (!suspended.ok()) {
      status_ = suspended.status();
      return false;
    }
    if (!*suspended) done_ = true;
  }
  if (!row_ready_) return false;
  // Rows missing from the file come out empty; a row out of order follows the one before.
  if (row_number_ > line_ + 1) {
    ++line_;
    formats_.clear();
    errors_.clear();
  } else {
    line_ = std::max(line_ + 1, row_number_);
    cells.swap(row_);
    formats_.swap(row_formats_);
    errors_.swap(row_errors_);
    row_ready_ = false;
  }
  if (line_ > limits_.max_rows) {
    cells.clear();
    status_ = Invalid(
        "XLSX sheet '" + name_ + "': more than " + Num(limits_.max_rows) + " rows (max_rows)",
        "Trang tính '" + name_ + "' có quá " + Num(limits_.max_rows) + " dòng.");
    return false;
  }
  if (!merged_.empty() && !ApplyMergedRanges(cells)) {
    cells.clear();
    return false;
  }
  while (!cells.empty() && cells.back().empty()) cells.pop_back();
  formats_.resize(cells.size(), 0);
  fonts_stale_ = true;
  return true;
}

const std::vector<std::string>& XlsxSheetReader::fonts() const {
  if (fonts_stale_) {
    fonts_.resize(formats_.size());
    for (size_t i = 0; i < formats_.size(); ++i) {
      const auto format = static_cast<size_t>(formats_[i]);
      if (format < workbook_.format_font.size()) {
        fonts_[i] = workbook_.format_font[format];
      } else {
        fonts_[i].clear();
      }
    }
    fonts_stale_ = false;
  }
  return fonts_;
}

}  // namespace internal

// ---- XlsxReader -------------------------------------------------------------------------------

Result<std::unique_ptr<XlsxReader>> XlsxReader::Open(const std::string& path, ReadLimits limits) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Status::NotFound("file", path);
  ODP_ASSIGN_OR_RETURN(std::unique_ptr<internal::XlsxArchive> archive,
                       internal::XlsxArchive::Open(path, limits));
  ODP_ASSIGN_OR_RETURN(std::unique_ptr<internal::XlsxWorkbook> workbook,
                       internal::LoadWorkbook(*archive, path));
  std::unique_ptr<XlsxReader> reader(
      new XlsxReader(std::move(archive), std::move(workbook), limits));
  ODP_RETURN_IF_ERROR(reader->SelectSheet(0));
  return reader;
}

XlsxReader::XlsxReader(std::unique_ptr<internal::XlsxArchive> archive,
                       std::unique_ptr<internal::XlsxWorkbook> workbook, ReadLimits limits)
    : limits_(limits), archive_(std::move(archive)), workbook_(std::move(workbook)) {}

XlsxReader::~XlsxReader() = default;

const std::vector<std::string>& XlsxReader::sheet_names() const { return workbook_->sheet_names; }

Status XlsxReader::SelectSheet(size_t index) {
  const size_t count = workbook_->sheet_names.size();
  if (index >= count) {
    return Status::InvalidArgument("no sheet " + std::to_string(index) + " in a workbook of " +
                                       std::to_string(count) + " sheets",
                                   "Bảng tính không có trang tính số " + std::to_string(index + 1) +
                                       " (chỉ có " + std::to_string(count) + " trang).");
  }
  reader_.reset();  // closes the part it had open
  sheet_ = index;
  auto merged = internal::ScanMergedRanges(*archive_, workbook_->sheet_parts[index]);
  if (!merged.ok()) {
    (void)archive_->ClosePart();
    failure_ = merged.status();
    return failure_;
  }
  reader_ = std::make_unique<internal::XlsxSheetReader>(*archive_, *workbook_, limits_, index,
                                                        std::move(merged).value());
  return reader_->Restart();
}

bool XlsxReader::Next(std::vector<std::string>& cells) {
  if (reader_ == nullptr) {
    cells.clear();
    return false;
  }
  return reader_->Next(cells);
}

int64_t XlsxReader::line() const { return reader_ == nullptr ? 0 : reader_->line(); }
int64_t XlsxReader::bytes_read() const { return reader_ == nullptr ? 0 : reader_->bytes_read(); }
int64_t XlsxReader::bytes_total() const { return reader_ == nullptr ? 0 : reader_->bytes_total(); }

Status XlsxReader::status() const { return reader_ == nullptr ? failure_ : reader_->status(); }

Status XlsxReader::Rewind() {
  if (reader_ == nullptr) return SelectSheet(sheet_);
  return reader_->Restart();
}

std::string XlsxReader::describe() const {
  return "XLSX sheet '" + workbook_->sheet_names[sheet_] + "'";
}

const std::vector<std::string>& XlsxReader::fonts() const {
  static const std::vector<std::string> kNone;
  return reader_ == nullptr ? kNone : reader_->fonts();
}

const std::string& XlsxReader::default_font() const { return workbook_->default_font; }

const std::vector<std::string>& XlsxReader::errors() const {
  static const std::vector<std::string> kNone;
  return reader_ == nullptr ? kNone : reader_->errors();
}

}  // namespace odp::formats
