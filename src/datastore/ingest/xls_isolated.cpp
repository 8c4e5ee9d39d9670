#include "datastore/ingest/xls_isolated.h"

#include <cstring>
#include <filesystem>
#include <mutex>

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/ids.h"
#include "formats/xls.h"

extern char** environ;

namespace odp::datastore::ingest {

namespace {

// The dump, in this machine's byte order (written and read by the same binary):
//   "ODPXLS1\n", u8 opened; when not: the error (see PutStatus), end.
//   u64 workbook size, u32 sheet count, the names, the default font;
//   per sheet: u8 selected; when not: its error; else records: u8 1 (a row: u64 line, u32 cell
//   count, the cells, u32 font count, the fonts, u32 error count, the errors), u8 2 (end of the
//   sheet), or u8 3 + an error (reading stopped);
//   the index: u64 offset of each sheet's part, then u64 offset of the index.
constexpr char kMagic[8] = {'O', 'D', 'P', 'X', 'L', 'S', '2', '\n'};
enum : uint8_t { kRow = 1, kEnd = 2, kFailed = 3 };

std::mutex helper_mu;
std::vector<std::string> helper;  // guarded by helper_mu

class Writer {
 public:
  explicit Writer(std::FILE* f) : f_(f) {}
  template <typename T>
  void Put(T v) {
    ok_ = ok_ && std::fwrite(&v, sizeof v, 1, f_) == 1;
  }
  void PutString(const std::string& s) {
    Put(static_cast<uint32_t>(s.size()));
    ok_ = ok_ && (s.empty() || std::fwrite(s.data(), 1, s.size(), f_) == s.size());
  }
  void PutStatus(const Status& s) {
    Put(static_cast<uint32_t>(s.code()));
    PutString(s.message());
    PutString(s.message_vi());
  }
  uint64_t Tell() const { return static_cast<uint64_t>(std::ftell(f_)); }
  bool ok() const { return ok_; }

 private:
  std::FILE* f_;
  bool ok_ = true;
};

class Reader {
 public:
  explicit Reader(std::FILE* f) : f_(f) {}
  template <typename T>
  bool Get(T& v) {
    return std::fread(&v, sizeof v, 1, f_) == 1;
  }
  bool GetString(std::string& s) {
    uint32_t n = 0;
    if (!Get(n) || n > (1u << 30)) return false;
    s.resize(n);
    return n == 0 || std::fread(s.data(), 1, n, f_) == n;
  }
  bool GetStatus(Status& s) {
    uint32_t code = 0;
    std::string en, vi;
    if (!Get(code) || !GetString(en) || !GetString(vi)) return false;
    s = Status(static_cast<StatusCode>(code), std::move(en), std::move(vi));
    return true;
  }

 private:
  std::FILE* f_;
};

Status Damaged(const std::string& why) {
  return Status::InvalidArgument("the XLS file could not be read safely (" + why +
                                     "); open it in Excel or LibreOffice and save it again",
                                 "Không đọc được tệp XLS một cách an toàn (tệp có thể bị hỏng); "
                                 "hãy mở tệp bằng Excel hoặc LibreOffice, "
                                 "lưu lại rồi tải lên lần nữa, hoặc lưu dưới dạng .xlsx.");
}

// Runs the helper and waits for it.
Status Spawn(const std::vector<std::string>& argv_in) {
  std::vector<char*> argv;
  for (const auto& a : argv_in) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ);
  if (rc != 0)
    return Status::Internal(std::string("cannot start the XLS reader: ") + std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR)
      return Status::Internal(std::string("waiting for the XLS reader: ") + std::strerror(errno));
  }
  if (WIFSIGNALED(status))
    return Damaged("the reader stopped with signal " + std::to_string(WTERMSIG(status)));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Damaged("the reader exited with status " + std::to_string(WEXITSTATUS(status)));
  }
  return Status::Ok();
}

}  // namespace

void SetXlsHelper(std::vector<std::string> argv_prefix) {
  std::lock_guard lock(helper_mu);
  helper = std::move(argv_prefix);
}

int RunXlsHelper(const std::string& in, const std::string& out, const formats::ReadLimits& limits) {
  // A workbook that makes FreeXL spin is stopped by the kernel.
  rlimit cpu{120, 130};
  (void)setrlimit(RLIMIT_CPU, &cpu);
  std::FILE* f = std::fopen(out.c_str(), "wb");
  if (!f) return 2;
  Writer w(f);
  std::fwrite(kMagic, 1, sizeof kMagic, f);
  auto book = formats::XlsReader::Open(in, limits);
  w.Put(static_cast<uint8_t>(book.ok()));
  if (!book.ok()) {
    w.PutStatus(book.status());
  } else {
    formats::XlsReader& r = **book;
    w.Put(static_cast<uint64_t>(r.bytes_total()));
    w.Put(static_cast<uint32_t>(r.sheet_names().size()));
    for (const auto& n : r.sheet_names()) w.PutString(n);
    w.PutString(r.default_font());
    std::vector<uint64_t> offsets;
    std::vector<std::string> cells;
    for (size_t i = 0; i < r.sheet_names().size() && w.ok(); ++i) {
      offsets.push_back(w.Tell());
      Status selected = r.SelectSheet(i);
      w.Put(static_cast<uint8_t>(selected.ok()));
      if (!selected.ok()) {
        w.PutStatus(selected);
        continue;
      }
      while (r.Next(cells) && w.ok()) {
        w.Put(kRow);
        w.Put(static_cast<uint64_t>(r.line()));
        w.Put(static_cast<uint32_t>(cells.size()));
        for (const auto& c : cells) w.PutString(c);
        w.Put(static_cast<uint32_t>(r.fonts().size()));
        for (const auto& f : r.fonts()) w.PutString(f);
        w.Put(static_cast<uint32_t>(r.errors().size()));
        for (const auto& e : r.errors()) w.PutString(e);
      }
      if (r.status().ok()) {
        w.Put(kEnd);
      } else {
        w.Put(kFailed);
        w.PutStatus(r.status());
      }
    }
    uint64_t index = w.Tell();
    for (uint64_t o : offsets) w.Put(o);
    w.Put(index);
  }
  bool ok = w.ok();
  return std::fclose(f) == 0 && ok ? 0 : 2;
}

Result<std::unique_ptr<XlsDump>> XlsDump::Open(const std::string& path,
                                               formats::ReadLimits limits) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound("file", path);
  std::unique_ptr<XlsDump> d(new XlsDump());
  d->path_ = (std::filesystem::temp_directory_path() / ("odp-xls-" + NewUuid() + ".rows")).string();
  std::vector<std::string> argv;
  {
    std::lock_guard lock(helper_mu);
    argv = helper;
  }
  if (argv.empty()) {
    if (RunXlsHelper(path, d->path_, limits) != 0)
      return Status::Internal("cannot write " + d->path_);
  } else {
    for (const std::string& a :
         {path, d->path_, std::to_string(limits.max_columns), std::to_string(limits.max_cell_bytes),
          std::to_string(limits.max_rows)}) {
      argv.push_back(a);
    }
    ODP_RETURN_IF_ERROR(Spawn(argv));
  }
  d->file_ = std::fopen(d->path_.c_str(), "rb");
  if (!d->file_) return Damaged("no rows were written");
  Reader r(d->file_);
  char magic[sizeof kMagic];
  uint8_t opened = 0;
  if (std::fread(magic, 1, sizeof magic, d->file_) != sizeof magic ||
      std::memcmp(magic, kMagic, sizeof magic) != 0 || !r.Get(opened)) {
    return Damaged("the rows written are incomplete");
  }
  if (!opened) {
    Status s;
    if (!r.GetStatus(s)) return Damaged("the rows written are incomplete");
    return s;
  }
  uint64_t size = 0;
  uint32_t count = 0;
  if (!r.Get(size) || !r.Get(count) || count > 65535)
    return Damaged("the rows written are incomplete");
  d->file_size_ = static_cast<int64_t>(size);
  d->names_.resize(count);
  for (auto& n : d->names_) {
    if (!r.GetString(n)) return Damaged("the rows written are incomplete");
  }
  if (!r.GetString(d->default_font_)) return Damaged("the rows written are incomplete");
  uint64_t index = 0;
  if (std::fseek(d->file_, -static_cast<long>(sizeof index), SEEK_END) != 0 || !r.Get(index) ||
      std::fseek(d->file_, static_cast<long>(index), SEEK_SET) != 0) {
    return Damaged("the rows written are incomplete");
  }
  d->offsets_.resize(count);
  for (auto& o : d->offsets_) {
    if (!r.Get(o)) return Damaged("the rows written are incomplete");
  }
  d->offsets_.push_back(index);
  if (count == 0)
    return Status::InvalidArgument("the workbook has no sheet",
                                   "Bảng tính không có trang tính nào.");
  ODP_RETURN_IF_ERROR(d->SelectSheet(0));
  return d;
}

XlsDump::~XlsDump() {
  if (file_) std::fclose(file_);
  if (!path_.empty()) {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
}

Status XlsDump::SelectSheet(size_t index) {
  if (index >= names_.size()) {
    return Status::InvalidArgument("no sheet " + std::to_string(index) + " in a workbook of " +
                                       std::to_string(names_.size()) + " sheets",
                                   "Bảng tính không có trang tính số " + std::to_string(index + 1) +
                                       " (chỉ có " + std::to_string(names_.size()) + " trang).");
  }
  Reader r(file_);
  uint8_t selected = 0;
  if (std::fseek(file_, static_cast<long>(offsets_[index]), SEEK_SET) != 0 || !r.Get(selected)) {
    return Damaged("the rows written are incomplete");
  }
  if (!selected) {
    Status s;
    if (!r.GetStatus(s)) return Damaged("the rows written are incomplete");
    return s;
  }
  sheet_ = index;
  rows_start_ = static_cast<uint64_t>(std::ftell(file_));
  return Rewind();
}

Status XlsDump::Rewind() {
  line_ = 0;
  fonts_.clear();
  errors_.clear();
  done_ = false;
  status_ = Status::Ok();
  if (std::fseek(file_, static_cast<long>(rows_start_), SEEK_SET) != 0)
    status_ = Damaged("cannot read the rows");
  return status_;
}

bool XlsDump::Next(std::vector<std::string>& cells) {
  cells.clear();
  if (done_ || !status_.ok()) return false;
  Reader r(file_);
  uint8_t kind = 0;
  if (!r.Get(kind)) {
    status_ = Damaged("the rows written are incomplete");
    return false;
  }
  if (kind == kEnd) {
    done_ = true;
    return false;
  }
  if (kind == kFailed) {
    done_ = true;
    if (!r.GetStatus(status_) || status_.ok()) status_ = Damaged("the rows written are incomplete");
    return false;
  }
  uint64_t line = 0;
  uint32_t n = 0;
  if (kind != kRow || !r.Get(line) || !r.Get(n) || n > (1u << 20)) {
    status_ = Damaged("the rows written are incomplete");
    return false;
  }
  cells.resize(n);
  auto read_all = [&](std::vector<std::string>& into) {
    for (auto& c : into) {
      if (!r.GetString(c)) return false;
    }
    return true;
  };
  uint32_t nf = 0, ne = 0;
  bool ok = read_all(cells) && r.Get(nf) && nf <= n;
  if (ok) fonts_.resize(nf);
  ok = ok && read_all(fonts_) && r.Get(ne) && ne <= n;
  if (ok) errors_.resize(ne);
  ok = ok && read_all(errors_);
  if (!ok) {
    status_ = Damaged("the rows written are incomplete");
    cells.clear();
    fonts_.clear();
    errors_.clear();
    return false;
  }
  line_ = static_cast<int64_t>(line);
  return true;
}

int64_t XlsDump::bytes_read() const {
  const uint64_t end = offsets_[sheet_ + 1];
  const auto pos = static_cast<uint64_t>(std::ftell(file_));
  if (end <= rows_start_ || pos <= rows_start_) return 0;
  return static_cast<int64_t>(static_cast<double>(pos - rows_start_) /
                              static_cast<double>(end - rows_start_) *
                              static_cast<double>(file_size_));
}

}  // namespace odp::datastore::ingest
