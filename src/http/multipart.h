// Streaming multipart/form-data parsing (RFC 7578): bytes in, parts out, bounded memory.
//
// `multipart.cpp` is a streaming RFC 7578 parser. It reads from a stream and passes parts to a
// sink, so memory stays bounded. It accepts at most 1000 parts with headers of at most 16 KiB, and
// prefers `filename*` over `filename`.
#pragma once

#include <istream>
#include <map>
#include <string>
#include <string_view>

#include "base/status.h"

namespace odp::http {

struct MultipartPart {
  std::string name;
  std::string filename;  // decoded (filename* preferred), empty when not a file
  bool is_file = false;
  std::string content_type;
};

// Receives the parts in order. Data() may be called many times per part.
class MultipartSink {
 public:
  virtual ~MultipartSink() = default;
  virtual Status Begin(const MultipartPart& part) = 0;
  virtual Status Data(std::string_view bytes) = 0;
  virtual Status End() = 0;
};

// The boundary parameter of a multipart Content-Type, or "" when there is none.
std::string MultipartBoundary(const std::string& content_type);

// Reads `in` to the end, feeding `sink`. A malformed or truncated body is kInvalidArgument.
Status ParseMultipart(std::istream& in, const std::string& boundary, MultipartSink& sink);

}  // namespace odp::http
