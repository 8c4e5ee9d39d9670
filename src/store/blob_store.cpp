#include "store/blob_store.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/ids.h"

namespace odp::store {
namespace fs = std::filesystem;

static Status Errno(const std::string& what) {
  int e = errno;
  if (e == ENOSPC) return Status::Unavailable(what + ": disk full");
  return Status::Internal(what + ": " + std::strerror(e));
}

static void FsyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

BlobWriter::BlobWriter(std::string root, std::string tmp_path, int fd, int64_t limit)
    : root_(std::move(root)), tmp_path_(std::move(tmp_path)), fd_(fd), limit_(limit) {}

BlobWriter::~BlobWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(tmp_path_.c_str());
}

Status BlobWriter::Append(std::string_view data) {
  if (size_ + static_cast<int64_t>(data.size()) > limit_) {
    return Status::ResourceExhausted(
        "file larger than the limit of " + std::to_string(limit_) + " bytes",
        "Tệp vượt quá giới hạn " + std::to_string(limit_) + " byte");
  }
  hash_.Update(data);
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("write blob");
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  size_ += static_cast<int64_t>(data.size());
  return Status::Ok();
}

Result<BlobInfo> BlobWriter::Commit() {
  if (::fsync(fd_) != 0) return Errno("fsync blob");
  ::close(fd_);
  fd_ = -1;
  BlobInfo info{hash_.FinishHex(), size_};
  std::string dir = root_ + "/" + info.sha256.substr(0, 2);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::Internal("create " + dir + ": " + ec.message());
  std::string final_path = dir + "/" + info.sha256.substr(2);
  if (::rename(tmp_path_.c_str(), final_path.c_str()) != 0) return Errno("rename blob");
  committed_ = true;
  FsyncDir(dir);
  return info;
}

Result<std::unique_ptr<BlobStore>> BlobStore::Open(const std::string& root) {
  std::error_code ec;
  fs::create_directories(root + "/tmp", ec);
  if (ec) return Status::Internal("create " + root + ": " + ec.message());
  return std::unique_ptr<BlobStore>(new BlobStore(root));
}

Result<std::unique_ptr<BlobWriter>> BlobStore::NewWriter(int64_t max_bytes) {
  std::string tmp = root_ + "/tmp/" + NewUuid();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return Errno("create " + tmp);
  return std::unique_ptr<BlobWriter>(new BlobWriter(root_, tmp, fd, max_bytes));
}

Result<BlobInfo> BlobStore::Put(std::string_view data) {
  ODP_ASSIGN_OR_RETURN(auto w, NewWriter(static_cast<int64_t>(data.size())));
  ODP_RETURN_IF_ERROR(w->Append(data));
  return w->Commit();
}

std::string BlobStore::PathOf(const std::string& sha256) const {
  if (sha256.size() < 3) return root_ + "/invalid";
  return root_ + "/" + sha256.substr(0, 2) + "/" + sha256.substr(2);
}

bool BlobStore::Exists(const std::string& sha256) const {
  struct stat st {};
  return ::stat(PathOf(sha256).c_str(), &st) == 0;
}

static int64_t MtimeMicros(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000 + st.st_mtim.tv_nsec / 1000;
}

static bool IsHex(const std::string& s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::vector<StoredBlob>> BlobStore::List() const {
  std::vector<StoredBlob> out;
  std::error_code ec;
  for (fs::directory_iterator dir(root_, ec), end; !ec && dir != end; dir.increment(ec)) {
    std::string prefix = dir->path().filename().string();
    if (prefix.size() != 2 || !IsHex(prefix) || !dir->is_directory(ec)) continue;
    std::error_code ec2;
    for (fs::directory_iterator f(dir->path(), ec2), fend; !ec2 && f != fend; f.increment(ec2)) {
      std::string rest = f->path().filename().string();
      if (rest.size() != 62 || !IsHex(rest)) continue;  // a GC's renamed file, or a stranger
      struct stat st {};
      if (::stat(f->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      out.push_back({prefix + rest, static_cast<int64_t>(st.st_size), MtimeMicros(st)});
    }
    if (ec2) return Status::Internal("list " + dir->path().string() + ": " + ec2.message());
  }
  if (ec) return Status::Internal("list " + root_ + ": " + ec.message());
  return out;
}

Result<bool> BlobStore::RemoveIfOlder(const std::string& sha256, int64_t cutoff_micros) {
  if (sha256.size() != 64 || !IsHex(sha256))
    return Status::InvalidArgument("not a blob id: " + sha256);
  std::string path = PathOf(sha256);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  if (MtimeMicros(st) >= cutoff_micros) return false;
  // Move it aside first, then look at what was moved: a writer that committed the same bytes
  // in the meantime put a new file in place, which must stay (the bytes are the same, so
  // putting it back over a yet newer copy is harmless).
  std::string aside = path + ".gc-" + NewUuid();
  if (::rename(path.c_str(), aside.c_str()) != 0)
    return errno == ENOENT ? Result<bool>(false) : Errno("rename blob");
  if (::stat(aside.c_str(), &st) == 0 && MtimeMicros(st) >= cutoff_micros) {
    if (::rename(aside.c_str(), path.c_str()) != 0) return Errno("restore blob");
    return false;
  }
  if (::unlink(aside.c_str()) != 0) return Errno("remove blob");
  return true;
}

int64_t BlobStore::RecoverMovedAside(int64_t cutoff_micros) {
  int64_t handled = 0;
  std::error_code ec;
  for (fs::directory_iterator dir(root_, ec), end; !ec && dir != end; dir.increment(ec)) {
    std::string prefix = dir->path().filename().string();
    if (prefix.size() != 2 || !IsHex(prefix)) continue;
    std::error_code ec2;
    for (fs::directory_iterator f(dir->path(), ec2), fend; !ec2 && f != fend; f.increment(ec2)) {
      std::string name = f->path().filename().string();
      if (name.size() <= 66 || name.compare(62, 4, ".gc-") != 0 || !IsHex(name.substr(0, 62)))
        continue;
      struct stat st {};
      // A rename changes ctime, not mtime: ctime says when it was moved aside.
      if (::stat(f->path().c_str(), &st) != 0) continue;
      int64_t moved = static_cast<int64_t>(st.st_ctim.tv_sec) * 1000000 + st.st_ctim.tv_nsec / 1000;
      if (moved >= cutoff_micros) continue;  // a collector may be between its two steps
      std::string primary = (dir->path() / name.substr(0, 62)).string();
      if (::access(primary.c_str(), F_OK) == 0) {
        ::unlink(f->path().c_str());  // the same bytes are in place
      } else {
        ::rename(f->path().c_str(), primary.c_str());
      }
      ++handled;
    }
  }
  return handled;
}

std::pair<int64_t, int64_t> BlobStore::RemoveStaleTempFiles(int64_t cutoff_micros, bool dry_run) {
  int64_t files = 0, bytes = 0;
  std::error_code ec;
  for (fs::directory_iterator f(root_ + "/tmp", ec), end; !ec && f != end; f.increment(ec)) {
    struct stat st {};
    if (::stat(f->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (MtimeMicros(st) >= cutoff_micros) continue;
    if (dry_run || ::unlink(f->path().c_str()) == 0) {
      ++files;
      bytes += static_cast<int64_t>(st.st_size);
    }
  }
  return {files, bytes};
}

}  // namespace odp::store
