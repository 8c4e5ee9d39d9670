// BlobStore: content-addressed files under `<root>/ab/cdef…` (SHA-256 of the bytes).
//
// A blob is written to `<root>/tmp/`, fsynced, then renamed into place, so a reader never sees
// half a file and a crash leaves at most a stray temp file. Blobs are immutable; writing the same
// bytes twice stores them once. Safe to use from several threads and processes at once.
// Layout: two hex digits of the SHA-256 name the folder and the other 62 the file; temp files are
// `<root>/tmp/<uuid>`, mode 0640; Commit() fsyncs the file, renames it and fsyncs the folder (a
// blob stored again gets a fresh mtime: the collection's grace period counts from it). ODP never
// changes a blob; only the collection (store/blob_gc.h, `odp gc`) removes unreferenced ones.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/crypto.h"
#include "base/status.h"

namespace odp::store {

struct BlobInfo {
  std::string sha256;
  int64_t size = 0;
};

// A blob file as found on disk, for the garbage collector.
struct StoredBlob {
  std::string sha256;
  int64_t size = 0;
  int64_t modified_micros = 0;  // the file's mtime: when it was (last) committed
};

class BlobWriter {
 public:
  ~BlobWriter();  // discards the temp file unless Commit() succeeded
  BlobWriter(const BlobWriter&) = delete;
  BlobWriter& operator=(const BlobWriter&) = delete;

  // Appends bytes; fails with kResourceExhausted beyond the writer's size limit.
  Status Append(std::string_view data);
  // Flushes, fsyncs and moves the blob into place.
  Result<BlobInfo> Commit();
  int64_t size() const { return size_; }

 private:
  friend class BlobStore;
  BlobWriter(std::string root, std::string tmp_path, int fd, int64_t limit);

  std::string root_;
  std::string tmp_path_;
  int fd_;
  int64_t limit_;
  int64_t size_ = 0;
  Sha256Stream hash_;
  bool committed_ = false;
};

class BlobStore {
 public:
  // Creates `root` and its tmp/ folder if needed.
  static Result<std::unique_ptr<BlobStore>> Open(const std::string& root);

  // A writer for a new blob of at most `max_bytes`.
  Result<std::unique_ptr<BlobWriter>> NewWriter(int64_t max_bytes);
  // Stores `data` in one call.
  Result<BlobInfo> Put(std::string_view data);
  // Where the blob with `sha256` lives (it may not exist).
  std::string PathOf(const std::string& sha256) const;
  bool Exists(const std::string& sha256) const;

  // Garbage collection (see store/blob_gc.h). Committing a blob always renames a freshly
  // written file into place, so a blob's mtime is the time of its last commit, even when the
  // same bytes were stored before.
  // Every committed blob, in no particular order.
  Result<std::vector<StoredBlob>> List() const;
  // Removes blob `sha256` unless it was committed at or after `cutoff_micros` (checked on the
  // file removed, after a rename out of the way, so that a concurrent commit of the same bytes
  // is never lost). True when it was removed.
  Result<bool> RemoveIfOlder(const std::string& sha256, int64_t cutoff_micros);
  // Puts back, or removes when a copy is in place, the files RemoveIfOlder() moved aside and did
  // not finish with (a crash between its two steps) that were moved before `cutoff_micros`;
  // returns how many it handled.
  int64_t RecoverMovedAside(int64_t cutoff_micros);
  // Removes writers' temp files last written before `cutoff_micros` (a crashed writer's);
  // returns how many files and bytes went.
  std::pair<int64_t, int64_t> RemoveStaleTempFiles(int64_t cutoff_micros, bool dry_run);

 private:
  explicit BlobStore(std::string root) : root_(std::move(root)) {}
  std::string root_;
};

}  // namespace odp::store
