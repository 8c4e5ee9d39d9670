#include "api/upload.h"

#include <cstdio>
#include <cstring>
#include <fstream>

#include <strings.h>

#include "api/auth.h"
#include "api/response.h"
#include "base/parse.h"
#include "http/multipart.h"
#include "text/utf8.h"

namespace odp::api {
namespace {

// Reads a multipart body in one of two modes: the text fields (file data skipped, only its
// presence noted), or the file part alone into a new blob.
class FormSink final : public http::MultipartSink {
 public:
  enum class Mode { kFields, kFile };
  FormSink(Mode mode, store::BlobStore& blobs, int64_t max_file)
      : mode_(mode), blobs_(blobs), max_file_(max_file) {}

  Status Begin(const http::MultipartPart& part) override {
    current_ = part;
    value_.clear();
    in_file_ = part.is_file && (part.name == "upload" || part.name == "file");
    if (in_file_) {
      if (seen_file_)
        return Status::InvalidArgument("only one file per request", "Mỗi lần chỉ tải lên một tệp");
      seen_file_ = true;
      if (mode_ == Mode::kFile) {
        ODP_ASSIGN_OR_RETURN(writer_, blobs_.NewWriter(max_file_));
      }
    }
    return Status::Ok();
  }

  Status Data(std::string_view bytes) override {
    if (in_file_) return writer_ ? writer_->Append(bytes) : Status::Ok();
    if (mode_ == Mode::kFile) return Status::Ok();
    if (value_.size() + bytes.size() > 1024 * 1024) {
      return Status::ResourceExhausted("form field too large", "Trường biểu mẫu quá lớn");
    }
    value_.append(bytes);
    return Status::Ok();
  }

  Status End() override {
    if (in_file_) {
      in_file_ = false;
      form.has_file = true;
      if (writer_) {
        ODP_ASSIGN_OR_RETURN(store::BlobInfo info, writer_->Commit());
        writer_.reset();
        form.file = catalog::UploadedFile{info, current_.filename, current_.content_type, {}};
      }
      return Status::Ok();
    }
    if (mode_ == Mode::kFile) return Status::Ok();
    if (!text::IsValidUtf8(value_)) {
      return Status::InvalidArgument("form field " + current_.name + " is not valid UTF-8",
                                     "Trường " + current_.name + " không phải UTF-8 hợp lệ")
          .WithField(current_.name, "Không phải UTF-8 hợp lệ");
    }
    form.fields[current_.name] = value_;
    return Status::Ok();
  }

  UploadForm form;

 private:
  Mode mode_;
  store::BlobStore& blobs_;
  int64_t max_file_;
  http::MultipartPart current_;
  std::string value_;
  bool in_file_ = false;
  bool seen_file_ = false;
  std::unique_ptr<store::BlobWriter> writer_;
};

Result<UploadForm> ParseForm(ApiContext& ctx, const http::Request& req, FormSink::Mode mode) {
  std::string boundary = http::MultipartBoundary(req.Header("content-type"));
  if (boundary.empty()) {
    return Status::InvalidArgument("multipart body without a boundary",
                                   "Thiếu tham số boundary trong Content-Type");
  }
  std::ifstream in(req.body_file, std::ios::binary);
  FormSink sink(mode, ctx.blobs, ctx.config.max_upload_bytes);
  ODP_RETURN_IF_ERROR(http::ParseMultipart(in, boundary, sink));
  return std::move(sink.form);
}

bool IsMultipart(const std::string& content_type) {
  return content_type.size() >= 19 &&
         strncasecmp(content_type.c_str(), "multipart/form-data", 19) == 0;
}

}  // namespace

Result<UploadForm> ReadUploadForm(ApiContext& ctx, const http::Request& req) {
  if (req.body_file.empty()) return UploadForm{};
  return ParseForm(ctx, req, FormSink::Mode::kFields);
}

Status StoreUploadedFile(ApiContext& ctx, const http::Request& req, UploadForm& form) {
  if (!form.has_file || form.file || req.body_file.empty()) return Status::Ok();
  ODP_ASSIGN_OR_RETURN(UploadForm stored, ParseForm(ctx, req, FormSink::Mode::kFile));
  form.file = std::move(stored.file);
  return Status::Ok();
}

std::optional<http::Response> AdmitUpload(ApiContext& ctx, const Router& router,
                                          const http::Request& head) {
  if (!IsMultipart(head.Header("content-type"))) return std::nullopt;
  if (!router.TakesUploads(head)) {
    http::Response r = ErrorResponse(Status::InvalidArgument(
        "this address does not take file uploads (multipart/form-data); send JSON or a form",
        "Địa chỉ này không nhận tải tệp lên (multipart/form-data); hãy gửi JSON hoặc biểu mẫu"));
    r.status = 415;
    r.route = "refused_upload";
    return r;
  }
  auto who = Authenticate(ctx, head);
  if (!who.ok() || !who->authenticated()) {
    http::Response r = ErrorResponse(
        who.ok() ? Status::Unauthenticated("log in or send an API token to upload a file",
                                           "Hãy đăng nhập hoặc gửi mã API (token) để tải tệp lên")
                 : who.status());
    r.route = "refused_upload";
    return r;
  }
  return std::nullopt;
}

std::string ContentDisposition(const std::string& filename, const std::string& ascii_name) {
  std::string ascii = text::AsciiFallbackFilename(ascii_name.empty() ? filename : ascii_name);
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + http::UrlEncode(filename);
}

std::string ExportFilename(std::string_view dataset_slug, std::string_view table,
                           std::string_view variant, Micros now, std::string_view extension) {
  constexpr size_t kMaxTable = 80;
  std::string safe;
  for (char ch : table) {
    const auto u = static_cast<unsigned char>(ch);
    const bool bad = u < 0x20 || u == 0x7F || std::strchr(" \t\\/:*?\"<>|", ch) != nullptr;
    if (bad) {
      if (!safe.empty() && safe.back() != '-') safe += '-';
    } else if (ch != '-' || (!safe.empty() && safe.back() != '-')) {
      safe += ch;
    }
  }
  if (safe.size() > kMaxTable) {
    size_t cut = kMaxTable;
    while (cut > 0 && (static_cast<unsigned char>(safe[cut]) & 0xC0) == 0x80) --cut;
    safe.resize(cut);
  }
  while (!safe.empty() && (safe.back() == '-' || safe.back() == '.')) safe.pop_back();
  std::tm tm = VietnamTime(now);
  char date[48];
  std::snprintf(date, sizeof date, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  std::string name(dataset_slug);
  for (std::string_view part : {std::string_view(safe), variant, std::string_view(date)}) {
    if (part.empty()) continue;
    if (!name.empty()) name += '-';
    name += part;
  }
  return name + "." + std::string(extension);
}

http::Response FileResponse(const http::Request& req, const catalog::Download& d) {
  http::Response r;
  std::string etag = "\"" + d.sha256 + "\"";
  std::string last_modified = FormatHttpDate(d.modified);
  r.Set("ETag", etag);
  r.Set("Last-Modified", last_modified);
  r.Set("Accept-Ranges", "bytes");
  // Restricted files must never sit in a shared cache.
  r.Set("Cache-Control",
        d.world_readable ? "public, max-age=0, must-revalidate" : "private, no-cache");
  const std::string& inm = req.Header("if-none-match");
  bool not_modified = false;
  if (!inm.empty()) {
    not_modified = inm == "*" || inm.find(etag) != std::string::npos;
  } else if (!req.Header("if-modified-since").empty()) {
    Micros since = ParseHttpDate(req.Header("if-modified-since"));
    not_modified = since >= 0 && d.modified / 1000000 <= since / 1000000;
  }
  if (not_modified) {
    r.status = 304;
    return r;
  }
  r.Set("Content-Type", d.mimetype.empty() ? "application/octet-stream" : d.mimetype);
  r.Set("Content-Disposition", ContentDisposition(d.filename));
  r.Set("X-Content-Type-Options", "nosniff");
  r.file_path = d.path;
  r.file_offset = 0;
  r.file_length = d.size;
  const std::string& range = req.Header("range");
  const std::string& if_range = req.Header("if-range");
  if (range.rfind("bytes=", 0) == 0 && (if_range.empty() || if_range == etag)) {
    std::string spec = range.substr(6);
    if (spec.find(',') == std::string::npos) {  // multiple ranges: serve the whole file
      size_t dash = spec.find('-');
      int64_t start = -1, end = -1;
      bool ok = dash != std::string::npos;
      if (ok && dash == 0) {  // suffix: last N bytes
        Result<int64_t> n = ParseInt(std::string_view(spec).substr(1));
        ok = n.ok() && *n > 0;
        if (ok) {
          start = std::max<int64_t>(0, d.size - *n);
          end = d.size - 1;
        }
      } else if (ok) {
        Result<int64_t> first = ParseInt(std::string_view(spec).substr(0, dash));
        Result<int64_t> last = dash + 1 < spec.size()
                                   ? ParseInt(std::string_view(spec).substr(dash + 1))
                                   : Result<int64_t>(d.size - 1);
        ok = first.ok() && last.ok();
        if (ok) {
          start = *first;
          end = std::min(*last, d.size - 1);
        }
      }
      if (ok && (start >= d.size || start > end || start < 0)) {
        http::Response bad;
        bad.status = 416;
        bad.Set("Content-Range", "bytes */" + std::to_string(d.size));
        return bad;
      }
      if (ok) {
        r.status = 206;
        r.file_offset = start;
        r.file_length = end - start + 1;
        r.Set("Content-Range", "bytes " + std::to_string(start) + "-" + std::to_string(end) + "/" +
                                   std::to_string(d.size));
      }
    }
  }
  return r;
}

}  // namespace odp::api
