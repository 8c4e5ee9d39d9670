#include "formats/xml_scan.h"

#include <algorithm>
#include <cstring>

#include "text/utf8.h"

namespace odp::formats::internal {
namespace {

// A token (text run, comment, CDATA section …) longer than this is refused rather than buffered
// (a cell's text is at most 1 MiB by default), and a start tag longer than kMaxTag: an
// unfinished token is searched again from its start whenever more bytes come, which is cheap
// for the memchr-like searches of text and slow for the byte loop of start tags.
constexpr size_t kMaxToken = size_t{16} << 20;
constexpr size_t kMaxTag = size_t{1} << 20;
// More attributes than this in one element are checked for duplicates by sorting.
constexpr size_t kFewAttributes = 16;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A control character XML does not allow (all of C0 but tab, line feed and carriage return).
bool IsForbiddenControl(char c) {
  return static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r';
}
bool HasForbiddenControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), IsForbiddenControl);
}

// A character reference's code point ("#233", "#xE9"), or 0 when it names no XML character.
uint32_t CharacterReference(std::string_view ref) {
  if (ref.size() < 2 || ref[0] != '#') return 0;
  const bool hex = ref[1] == 'x';
  std::string_view digits = ref.substr(hex ? 2 : 1);
  if (digits.empty()) return 0;
  while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
  if (digits.size() > 8) return 0;
  uint32_t cp = 0;
  for (char c : digits) {
    uint32_t d;
    if (c >= '0' && c <= '9') {
      d = static_cast<uint32_t>(c - '0');
    } else if (hex && c >= 'a' && c <= 'f') {
      d = static_cast<uint32_t>(c - 'a' + 10);
    } else if (hex && c >= 'A' && c <= 'F') {
      d = static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return 0;
    }
    cp = cp * (hex ? 16 : 10) + d;
  }
  const bool allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                       (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
  return allowed ? cp : 0;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

bool XmlScanner::Eligible(std::string_view head) {
  if (StartsWith(head, "\xEF\xBB\xBF")) head.remove_prefix(3);
  if (head.find('\0') != std::string_view::npos) return false;  // UTF-16 or UTF-32 without a mark
  if (!StartsWith(head, "<?xml")) return head.empty() || head[0] == '<' || IsSpace(head[0]);
  const size_t end = head.find("?>");
  if (end == std::string_view::npos) return false;  // a declaration this long: left to expat
  std::string_view decl = head.substr(0, end);
  const size_t enc = decl.find("encoding");
  if (enc == std::string_view::npos) return true;
  const size_t quote = decl.find_first_of("\"'", enc);
  if (quote == std::string_view::npos) return false;
  const size_t close = decl.find(decl[quote], quote + 1);
  if (close == std::string_view::npos) return false;
  std::string name(decl.substr(quote + 1, close - quote - 1));
  for (char& c : name) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return name == "UTF-8";
}

void XmlScanner::Feed(const char* data, size_t size, bool last) {
  if (pos_ > 0) {
    lines_before_ += std::count(buf_.data(), buf_.data() + pos_, '\n');
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  buf_.append(data, size);
  last_ = last;
}

int64_t XmlScanner::line() const {
  return lines_before_ + std::count(buf_.data(), buf_.data() + std::min(pos_, buf_.size()), '\n') +
         1;
}

XmlScanner::Result XmlScanner::Fail(std::string message) {
  error_ = std::move(message);
  return Result::kError;
}

XmlScanner::Result XmlScanner::Deliver(Action a) {
  return a == Action::kSuspend ? Result::kSuspended : Result::kStopped;
}

bool XmlScanner::Decode(std::string_view raw, bool attribute, std::string& out) {
  size_t i = 0;
  while (i < raw.size()) {
    const char c = raw[i];
    if (c == '&') {
      const size_t semi = raw.find(';', i + 1);
      if (semi == std::string_view::npos) {
        error_ = "an unterminated reference ('&' without ';')";
        return false;
      }
      const std::string_view ref = raw.substr(i + 1, semi - i - 1);
      if (ref == "lt") {
        out += '<';
      } else if (ref == "gt") {
        out += '>';
      } else if (ref == "amp") {
        out += '&';
      } else if (ref == "quot") {
        out += '"';
      } else if (ref == "apos") {
        out += '\'';
      } else if (const uint32_t cp = CharacterReference(ref); cp != 0) {
        text::AppendUtf8(out, cp);
      } else {
        error_ = ref.empty() || ref[0] != '#'
                     ? "undefined entity &" + std::string(ref.substr(0, 40)) + ";"
                     : "reference to an invalid character number";
        return false;
      }
      i = semi + 1;
      continue;
    }
    if (c == '\r') {
      out += attribute ? ' ' : '\n';
      i += i + 1 < raw.size() && raw[i + 1] == '\n' ? 2 : 1;
      continue;
    }
    if (attribute && (c == '\n' || c == '\t')) {
      out += ' ';
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < raw.size() && raw[j] != '&' && raw[j] != '\r' &&
           !(attribute && (raw[j] == '\n' || raw[j] == '\t'))) {
      ++j;
    }
    out.append(raw.data() + i, j - i);
    i = j;
  }
  return true;
}

XmlScanner::Result XmlScanner::Scan() {
  if (!error_.empty()) return Result::kError;
  if (has_pending_end_) {
    has_pending_end_ = false;
    const Action a = handler_.End(pending_end_);
    if (a != Action::kContinue) return Deliver(a);
  }
  if (!bom_checked_) {
    if (buf_.size() - pos_ < 3 && !last_) return Result::kNeedMore;
    if (StartsWith(std::string_view(buf_).substr(pos_), "\xEF\xBB\xBF")) pos_ += 3;
    bom_checked_ = true;
  }
  for (;;) {
    const char* b = buf_.data();
    const size_t n = buf_.size();
    if (pos_ >= n) {
      if (!last_) return Result::kNeedMore;
      if (!open_.empty() && depth_ > 0)
        return Fail("no closing tag for <" + open_[depth_ - 1] + ">");
      if (!root_seen_) return Fail("no element found");
      return Result::kDone;
    }
    // More bytes are needed to finish the token at pos_ (refused when it is already too long).
    auto more = [&] {
      return n - pos_ > kMaxToken ? Fail("a token longer than 16 MiB") : Result::kNeedMore;
    };
    if (b[pos_] != '<') {
      const auto* lt = static_cast<const char*>(std::memchr(b + pos_, '<', n - pos_));
      if (lt == nullptr && !last_) return more();  // the text may go on
      const size_t end = lt == nullptr ? n : static_cast<size_t>(lt - b);
      const std::string_view raw(b + pos_, end - pos_);
      if (depth_ == 0) {
        if (!std::all_of(raw.begin(), raw.end(), IsSpace))
          return Fail("text outside the root element");
        pos_ = end;
        continue;
      }
      std::string_view text = raw;
      bool special = false;  // a reference or a carriage return to decode
      for (char c : raw) {
        if (static_cast<unsigned char>(c) < 0x20) {
          if (IsForbiddenControl(c)) return Fail("a control character (not allowed in XML)");
          special |= c == '\r';
        } else {
          special |= c == '&';
        }
      }
      if (special) {
        text_.clear();
        if (!Decode(raw, false, text_)) return Result::kError;
        text = text_;
      }
      pos_ = end;
      const Action a = handler_.Text(text);
      if (a != Action::kContinue) return Deliver(a);
      continue;
    }
    const std::string_view rest(b + pos_, n - pos_);
    auto need = [&](const char* what) { return last_ ? Fail(what) : more(); };
    if (rest.size() < 2) return need("a '<' at the end of the document");
    if (rest[1] == '?') {
      const size_t end = rest.find("?>", 2);
      if (end == std::string_view::npos) return need("an unterminated processing instruction");
      pos_ += end + 2;
      continue;
    }
    if (rest[1] == '!') {
      if (StartsWith(rest, "<!--")) {
        const size_t end = rest.find("-->", 4);
        if (end == std::string_view::npos) return need("an unterminated comment");
        pos_ += end + 3;
        continue;
      }
      if (StartsWith(rest, "<![CDATA[")) {
        const size_t end = rest.find("]]>", 9);
        if (end == std::string_view::npos) return need("an unterminated CDATA section");
        if (depth_ == 0) return Fail("a CDATA section outside the root element");
        const std::string_view raw = rest.substr(9, end - 9);
        if (HasForbiddenControl(raw)) return Fail("a control character (not allowed in XML)");
        text_.clear();
        for (size_t i = 0; i < raw.size(); ++i) {
          if (raw[i] == '\r') {
            text_ += '\n';
            if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
          } else {
            text_ += raw[i];
          }
        }
        pos_ += end + 3;
        if (text_.empty()) continue;
        const Action a = handler_.Text(text_);
        if (a != Action::kContinue) return Deliver(a);
        continue;
      }
      if (rest.size() < 9 && !last_) return more();
      if (StartsWith(rest, "<!DOCTYPE")) return Fail("a DOCTYPE, which XLSX parts never have");
      return Fail("invalid markup after '<!'");
    }
    if (rest[1] == '/') {
      const size_t gt = rest.find('>', 2);
      if (gt == std::string_view::npos) return need("an unterminated end tag");
      std::string_view name = rest.substr(2, gt - 2);
      while (!name.empty() && IsSpace(name.back())) name.remove_suffix(1);
      if (depth_ == 0 || open_[depth_ - 1] != name) {
        return Fail("mismatched tag </" + std::string(name.substr(0, 60)) + ">");
      }
      --depth_;
      pos_ += gt + 1;
      const Action a = handler_.End(name);
      if (a != Action::kContinue) return Deliver(a);
      continue;
    }
    // A start tag: its '>' is the first one outside quotes.
    size_t gt = std::string_view::npos;
    char quote = 0;
    for (size_t i = 1; i < rest.size(); ++i) {
      const char c = rest[i];
      if (quote != 0) {
        if (c == quote)
          quote = 0;
        else if (c == '<')
          return Fail("'<' in an attribute value");
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        gt = i;
        break;
      } else if (c == '<') {
        return Fail("'<' inside a tag");
      }
    }
    if (gt == std::string_view::npos) {
      if (rest.size() > kMaxTag) return Fail("a start tag longer than 1 MiB");
      return need("an unterminated start tag");
    }
    const std::string_view tag = rest.substr(1, gt - 1);  // between '<' and '>'
    size_t k = 0;
    while (k < tag.size() && !IsSpace(tag[k]) && tag[k] != '/' && tag[k] != '=' && tag[k] != '"' &&
           tag[k] != '\'') {
      ++k;
    }
    const std::string_view name = tag.substr(0, k);
    if (name.empty()) return Fail("a tag without a name");
    // Names and attribute values are used as they are (sheet names, styles): they must be text.
    if (!text::IsValidUtf8(tag) || HasForbiddenControl(tag))
      return Fail("a tag that is not UTF-8 text");
    attr_text_.clear();
    attr_offsets_.clear();
    bool self_closing = false;
    for (;;) {
      const size_t before = k;
      while (k < tag.size() && IsSpace(tag[k])) ++k;
      if (k >= tag.size()) break;
      if (tag[k] == '/') {
        if (k + 1 != tag.size()) return Fail("'/' inside a start tag");
        self_closing = true;
        break;
      }
      if (k == before) return Fail("attributes must be separated by white space");
      const size_t an = k;
      while (k < tag.size() && !IsSpace(tag[k]) && tag[k] != '=' && tag[k] != '/' &&
             tag[k] != '"' && tag[k] != '\'') {
        ++k;
      }
      const std::string_view attribute = tag.substr(an, k - an);
      if (attribute.empty()) return Fail("an attribute without a name");
      while (k < tag.size() && IsSpace(tag[k])) ++k;
      if (k >= tag.size() || tag[k] != '=') return Fail("an attribute without a value");
      ++k;
      while (k < tag.size() && IsSpace(tag[k])) ++k;
      if (k >= tag.size() || (tag[k] != '"' && tag[k] != '\''))
        return Fail("an attribute value without quotes");
      const size_t close = tag.find(tag[k], k + 1);  // found: the quotes are balanced
      const std::string_view raw = tag.substr(k + 1, close - k - 1);
      k = close + 1;
      attr_offsets_.push_back(attr_text_.size());
      attr_text_.append(attribute);
      attr_text_ += '\0';
      attr_offsets_.push_back(attr_text_.size());
      if (!Decode(raw, true, attr_text_)) return Result::kError;
      attr_text_ += '\0';
    }
    attrs_.clear();
    for (size_t off : attr_offsets_) attrs_.push_back(attr_text_.data() + off);
    attrs_.push_back(nullptr);
    // No attribute twice: pairs compared for the usual few, else the names sorted.
    const size_t count = attr_offsets_.size() / 2;
    bool duplicate = false;
    if (count <= kFewAttributes) {
      for (size_t a = 0; a < count && !duplicate; ++a) {
        for (size_t b = a + 1; b < count && !duplicate; ++b)
          duplicate = std::strcmp(attrs_[2 * a], attrs_[2 * b]) == 0;
      }
    } else {
      std::vector<std::string_view> names;
      names.reserve(count);
      for (size_t a = 0; a < count; ++a) names.emplace_back(attrs_[2 * a]);
      std::sort(names.begin(), names.end());
      duplicate = std::adjacent_find(names.begin(), names.end()) != names.end();
    }
    if (duplicate) return Fail("an attribute given twice");
    if (depth_ == 0) {
      if (root_seen_) return Fail("a second root element");
      root_seen_ = true;
    }
    if (depth_ < open_.size()) {
      open_[depth_].assign(name);
    } else {
      open_.emplace_back(name);
    }
    ++depth_;
    pos_ += gt + 1;
    Action a = handler_.Start(name, attrs_.data());
    if (self_closing) {
      --depth_;
      if (a == Action::kSuspend) {
        pending_end_.assign(name);
        has_pending_end_ = true;
        return Result::kSuspended;
      }
      if (a == Action::kStop) return Result::kStopped;
      a = handler_.End(name);
    }
    if (a != Action::kContinue) return Deliver(a);
  }
}

}  // namespace odp::formats::internal
