#include "store/blob_gc.h"

#include <algorithm>

namespace odp::store {

Result<BlobGcReport> CollectBlobGarbage(BlobReferences& references, BlobStore& blobs,
                                        const BlobGcOptions& options) {
  const Micros now = options.now != 0 ? options.now : NowMicros();
  const Micros cutoff = now - std::max<Micros>(0, options.grace);
  // References first: a blob committed after this read is younger than the cutoff (the grace
  // period is far longer than one collection), so it is kept whether or not it is referenced.
  ODP_ASSIGN_OR_RETURN(std::vector<std::string> refs, references.ListBlobReferences());
  // Files a collection that crashed left moved aside (ten minutes is far longer than the
  // moment between its two steps).
  if (!options.dry_run) blobs.RecoverMovedAside(now - 10LL * 60 * 1000000);
  ODP_ASSIGN_OR_RETURN(std::vector<StoredBlob> files, blobs.List());
  BlobGcReport report;
  for (const StoredBlob& b : files) {
    ++report.blobs_seen;
    if (std::binary_search(refs.begin(), refs.end(), b.sha256)) {
      ++report.blobs_referenced;
      continue;
    }
    if (b.modified_micros >= cutoff) {
      ++report.blobs_in_grace;
      continue;
    }
    bool removed = true;
    if (!options.dry_run) {
      ODP_ASSIGN_OR_RETURN(removed, blobs.RemoveIfOlder(b.sha256, cutoff));
    }
    if (!removed) {
      ++report.blobs_in_grace;
      continue;
    }
    ++report.blobs_removed;
    report.bytes_removed += b.size;
    report.removed.push_back(b);
  }
  auto [temp_files, temp_bytes] = blobs.RemoveStaleTempFiles(cutoff, options.dry_run);
  report.temp_files_removed = temp_files;
  report.temp_bytes_removed = temp_bytes;
  return report;
}

}  // namespace odp::store
