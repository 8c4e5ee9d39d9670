#include "http/multipart.h"

#include <vector>

#include "http/request.h"

namespace odp::http {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return s;
}

// The value of `key` in a header's parameters (`; key="value"` or `; key=value`).
bool HeaderParam(const std::string& header, const std::string& key, std::string& out) {
  std::string lower = Lower(header);
  size_t pos = 0;
  while ((pos = lower.find(key + "=", pos)) != std::string::npos) {
    if (pos > 0 && lower[pos - 1] != ' ' && lower[pos - 1] != ';' && lower[pos - 1] != '\t') {
      pos += key.size();
      continue;
    }
    size_t v = pos + key.size() + 1;
    out.clear();
    if (v < header.size() && header[v] == '"') {
      for (size_t i = v + 1; i < header.size(); ++i) {
        // Browsers send backslashes as they are (only '"' is escaped, as %22), so a
        // backslash is a character here, not an escape.
        if (header[i] == '"') {
          break;
        } else {
          out += header[i];
        }
      }
    } else {
      size_t end = header.find(';', v);
      out = header.substr(v, end == std::string::npos ? std::string::npos : end - v);
      while (!out.empty() && out.back() == ' ') out.pop_back();
    }
    return true;
  }
  return false;
}

Status Malformed(const std::string& why) {
  return Status::InvalidArgument("malformed multipart body: " + why,
                                 "Dữ liệu biểu mẫu tải lên không hợp lệ");
}

}  // namespace

std::string MultipartBoundary(const std::string& content_type) {
  if (Lower(content_type).rfind("multipart/", 0) != 0) return {};
  std::string b;
  if (!HeaderParam(content_type, "boundary", b) || b.empty() || b.size() > 200) return {};
  return b;
}

Status ParseMultipart(std::istream& in, const std::string& boundary, MultipartSink& sink) {
  const std::string delim = "\r\n--" + boundary;
  std::string buf = "\r\n";  // lets the first boundary match the same delimiter
  std::vector<char> chunk(64 * 1024);
  bool eof = false;
  auto fill = [&]() {
    if (eof) return false;
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    std::streamsize n = in.gcount();
    if (n <= 0) {
      eof = true;
      return false;
    }
    buf.append(chunk.data(), static_cast<size_t>(n));
    return true;
  };

  // Skip the preamble up to the first delimiter.
  size_t pos;
  while ((pos = buf.find(delim)) == std::string::npos) {
    if (buf.size() > delim.size()) buf.erase(0, buf.size() - delim.size());
    if (!fill()) return Malformed("no boundary");
  }
  buf.erase(0, pos + delim.size());

  for (int parts = 0;; ++parts) {
    // After a delimiter: "--" ends the body, CRLF starts a part.
    while (buf.size() < 2) {
      if (!fill()) return Malformed("truncated after boundary");
    }
    if (buf.compare(0, 2, "--") == 0) return Status::Ok();
    if (buf.compare(0, 2, "\r\n") != 0) return Malformed("bad boundary line");
    if (parts >= 1000) return Malformed("too many parts");
    buf.erase(0, 2);

    size_t hend;
    while ((hend = buf.find("\r\n\r\n")) == std::string::npos) {
      if (buf.size() > 16 * 1024) return Malformed("part headers too long");
      if (!fill()) return Malformed("truncated part headers");
    }
    MultipartPart part;
    std::string headers = buf.substr(0, hend + 2);
    buf.erase(0, hend + 4);
    size_t line_start = 0;
    while (line_start < headers.size()) {
      size_t eol = headers.find("\r\n", line_start);
      std::string line = headers.substr(line_start, eol - line_start);
      line_start = eol + 2;
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = Lower(line.substr(0, colon));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      if (name == "content-disposition") {
        HeaderParam(value, "name", part.name);
        std::string ext;
        if (HeaderParam(value, "filename*", ext)) {
          // RFC 5987: charset'lang'percent-encoded
          size_t q = ext.find('\'');
          size_t q2 = q == std::string::npos ? q : ext.find('\'', q + 1);
          std::string decoded;
          if (q2 != std::string::npos && UrlDecode(ext.substr(q2 + 1), false, decoded)) {
            part.filename = decoded;
            part.is_file = true;
          }
        }
        std::string plain;
        if (!part.is_file && HeaderParam(value, "filename", plain)) {
          // Browsers escape a quote in the name as %22; undo that one escape only.
          part.filename.clear();
          for (size_t i = 0; i < plain.size(); ++i) {
            if (plain.compare(i, 3, "%22") == 0) {
              part.filename += '"';
              i += 2;
            } else {
              part.filename += plain[i];
            }
          }
          part.is_file = true;
        }
      } else if (name == "content-type") {
        part.content_type = value;
      }
    }
    ODP_RETURN_IF_ERROR(sink.Begin(part));
    for (;;) {
      size_t d = buf.find(delim);
      if (d != std::string::npos) {
        if (d > 0) ODP_RETURN_IF_ERROR(sink.Data(std::string_view(buf).substr(0, d)));
        buf.erase(0, d + delim.size());
        break;
      }
      if (buf.size() > delim.size()) {
        size_t keep = delim.size();
        ODP_RETURN_IF_ERROR(sink.Data(std::string_view(buf).substr(0, buf.size() - keep)));
        buf.erase(0, buf.size() - keep);
      }
      if (!fill()) return Malformed("truncated part");
    }
    ODP_RETURN_IF_ERROR(sink.End());
  }
}

}  // namespace odp::http
