// Garbage collection of the blob store: removes the files no row refers to.
//
// A blob is kept when the store refers to it (BlobReferences::ListBlobReferences: every
// resource version, current or old, datastore jobs, site settings) or when it was committed
// within the grace period. The grace period protects uploads in progress: a blob is committed
// before the row that refers to it is written, by this server or by another one on the same
// database (every `odp serve` sharing a PostgreSQL database shares the blob store too). Writers'
// temp files older than the grace period (a crashed upload's) go as well.
//
// Safe to run while servers write: references are read before the files are listed, and a
// file is removed only after checking its mtime on the file itself (BlobStore::RemoveIfOlder).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/time.h"
#include "store/blob_store.h"
#include "store/store.h"

namespace odp::store {

struct BlobGcOptions {
  Micros grace = 24LL * 3600 * 1000000;  // blobs committed more recently are kept
  bool dry_run = false;                  // report what would go, remove nothing
  Micros now = 0;                        // 0: NowMicros()
};

struct BlobGcReport {
  int64_t blobs_seen = 0;
  int64_t blobs_referenced = 0;  // found on disk and referenced
  int64_t blobs_in_grace = 0;    // unreferenced but younger than the grace period
  int64_t blobs_removed = 0;     // (would be, on a dry run)
  int64_t bytes_removed = 0;
  int64_t temp_files_removed = 0;
  int64_t temp_bytes_removed = 0;
  std::vector<StoredBlob> removed;  // the blobs removed (or that would be)
};

// Runs one collection. An error reading the references removes nothing.
Result<BlobGcReport> CollectBlobGarbage(BlobReferences& references, BlobStore& blobs,
                                        const BlobGcOptions& options);

}  // namespace odp::store
