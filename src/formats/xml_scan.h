// A small XML tokenizer for the big parts of an XLSX package (its sheets), in place of expat
// there: the sheets of a large workbook are millions of `<c><is><t>…</t></is></c>` elements, and
// expat's general machinery took most of the time of reading one (see docs/architecture.md).
//
// It reads UTF-8 documents without a DOCTYPE (XlsxArchive's parts): elements and their
// attributes, text with the five predefined entities and character references, CDATA sections,
// comments and processing instructions (skipped). It checks what the readers rely on: tags
// nest and match, attributes are well formed and not repeated, references name a character,
// names and attribute values are UTF-8, no control character but tab and line breaks appears,
// nothing but white space lies outside the root element. Text is not checked for UTF-8 here:
// it becomes cells, and the loader checks every cell. It accepts a few things expat refuses:
// names with characters XML does not allow in names, `]]>` in text, `--` in comments, an XML
// declaration not at the start. Line ends in text and attribute values are normalised as XML
// requires (CR LF and CR become LF; in attribute values white space becomes a space). A
// document in another encoding (a UTF-16 byte-order mark, or an encoding declaration other than
// UTF-8) is left to expat: see Eligible().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace odp::formats::internal {

class XmlScanner {
 public:
  enum class Action { kContinue, kSuspend, kStop };
  class Handler {
   public:
    virtual ~Handler() = default;
    // Names as written (with any prefix); `attributes`: name, value, …, nullptr.
    virtual Action Start(std::string_view name, const char** attributes) = 0;
    virtual Action End(std::string_view name) = 0;
    // Text may come in several pieces.
    virtual Action Text(std::string_view text) = 0;
  };
  enum class Result {
    kNeedMore,   // give it more bytes (Feed), then Scan again
    kSuspended,  // a handler asked to suspend: Scan again to go on
    kStopped,    // a handler asked to stop
    kDone,       // the document ended (after Feed with last = true)
    kError,      // not well-formed: error()
  };

  explicit XmlScanner(Handler& handler) : handler_(handler) {}

  // Whether a document beginning with `head` (its first bytes, at least 64 or all of it) is
  // one this scanner reads: UTF-8, with or without a byte-order mark or declaration.
  static bool Eligible(std::string_view head);

  // Appends bytes of the document; `last`: none follow.
  void Feed(const char* data, size_t size, bool last);
  Result Scan();

  const std::string& error() const { return error_; }
  // The line (from 1) of the first byte not yet read.
  int64_t line() const;
  // Bytes held for a token not yet complete (and bytes read but not yet scanned).
  size_t buffered() const { return buf_.size() - pos_; }

 private:
  Result Fail(std::string message);
  // Decodes text or an attribute value (`attribute`: white space becomes a space) into `out`.
  bool Decode(std::string_view raw, bool attribute, std::string& out);
  Result StartTag(size_t end);  // buf_[pos_] == '<', the tag's '>' at `end`
  Result Deliver(Action a);

  Handler& handler_;
  std::string buf_;
  size_t pos_ = 0;
  bool last_ = false;
  int64_t lines_before_ = 0;       // newlines in bytes dropped from buf_
  std::vector<std::string> open_;  // names of the open elements: the first depth_
  size_t depth_ = 0;
  bool root_seen_ = false;
  bool bom_checked_ = false;
  std::string pending_end_;  // a self-closing element whose Start suspended
  bool has_pending_end_ = false;
  std::string text_, attr_text_;
  std::vector<size_t> attr_offsets_;
  std::vector<const char*> attrs_;
  std::string error_;
};

}  // namespace odp::formats::internal
