// Reading multipart uploads in two steps, so that nothing reaches the blob store before the
// caller was allowed to write: ReadUploadForm() reads the text fields and notes the file part;
// StoreUploadedFile(), called after the permission and CSRF checks, streams the file part from
// the spooled body into the blob store. The spooled body is deleted by the server after the
// response, whatever the handler did.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/context.h"
#include "api/router.h"
#include "base/time.h"
#include "http/request.h"

namespace odp::api {

struct UploadForm {
  std::map<std::string, std::string> fields;
  bool has_file = false;  // the body has a file part named `upload` or `file`
  // That part, once StoreUploadedFile() has stored it.
  std::optional<catalog::UploadedFile> file;
};

// Parses a multipart/form-data request's text fields and notes whether it has a file part;
// stores nothing. Non-multipart requests give an empty form.
Result<UploadForm> ReadUploadForm(ApiContext& ctx, const http::Request& req);

// Stores the file part of `form` (read from `req` by ReadUploadForm) in the blob store and sets
// form.file; does nothing when the form has no file part.
// REQUIRES: the caller has checked that the principal may write where the file goes, and the
// CSRF token of a cookie session. A stored blob that no row ends up referencing is removed by
// the blob garbage collector after its grace period (store/blob_gc.h).
Status StoreUploadedFile(ApiContext& ctx, const http::Request& req, UploadForm& form);

// The admission rule for request bodies, asked by the server after the headers and before the
// body (http::ServerOptions::admit): a multipart body is accepted only on a route marked by
// Router::AcceptUploads (else 415) and only from a caller with a valid session cookie or API
// token (else 401). The handler then checks the right to write and CSRF before storing the
// file. Every other request is admitted (nullopt).
std::optional<http::Response> AdmitUpload(ApiContext& ctx, const Router& router,
                                          const http::Request& head);

// `Content-Disposition: attachment` with an ASCII fallback and the UTF-8 name (RFC 6266/5987).
// The fallback is `ascii` when given, else `filename` with `_` for each non-ASCII character.
std::string ContentDisposition(const std::string& filename, const std::string& ascii = "");

// The name of an export, unlike the original file's: `<dataset slug>-<table>[-<variant>]-
// <yyyy-mm-dd, Viet Nam time>.<extension>` ("dan-so-hue-Dân-số-2024-excel-2026-12-07.csv"). The
// table's name keeps its Vietnamese letters; whitespace and the characters no file system
// takes (`\ / : * ? " < > |`, control characters) become `-`, runs of `-` one, and it is cut at
// 80 bytes on a character boundary. ContentDisposition gives browsers the ASCII fallback.
std::string ExportFilename(std::string_view dataset_slug, std::string_view table,
                           std::string_view variant, Micros now, std::string_view extension);

// Serves a stored file with ETag / Last-Modified / 304 and single byte-range (206 / 416) support.
http::Response FileResponse(const http::Request& req, const catalog::Download& d);

}  // namespace odp::api
