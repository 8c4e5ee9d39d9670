// Reading multipart uploads: file parts stream from the spooled body into the blob store;
// other fields are kept as text.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "api/context.h"

namespace odp::api {

struct UploadForm {
  std::map<std::string, std::string> fields;
  std::optional<catalog::UploadedFile> file;  // the part named `upload` or `file`
};

// Parses a multipart/form-data request. Non-multipart requests give an empty form.
Result<UploadForm> ReadUploadForm(ApiContext& ctx, const http::Request& req);

// `Content-Disposition: attachment` with an ASCII fallback and the UTF-8 name (RFC 6266/5987).
std::string ContentDisposition(const std::string& filename);

// Serves a stored file with ETag / Last-Modified / 304 and single byte-range (206 / 416) support.
http::Response FileResponse(const http::Request& req, const catalog::Download& d);

}  // namespace odp::api
