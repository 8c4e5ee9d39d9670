#include "store/blob_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

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
    return Status::ResourceExhausted("file larger than the limit of " + std::to_string(limit_) + " bytes",
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
  struct stat st{};
  return ::stat(PathOf(sha256).c_str(), &st) == 0;
}

}  // namespace odp::store
