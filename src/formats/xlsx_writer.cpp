#include "formats/xlsx_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

#include <minizip/zip.h>

#include "formats/text_writers.h"

namespace odp::formats {

namespace {

constexpr size_t kWidthRows = 1000;  // rows whose cells decide the column widths
constexpr size_t kFlush = 256 * 1024;

constexpr std::string_view kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    "\n"
    R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
    R"(<Default Extension="xml" ContentType="application/xml"/>)"
    R"(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)"
    R"(<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>)"
    R"(<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>)"
    R"(</Types>)";

constexpr std::string_view kRootRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    "\n"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>)"
    R"(</Relationships>)";

constexpr std::string_view kWorkbookRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    "\n"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)"
    R"(</Relationships>)";

// Styles: 0 normal, 1 bold (the header), 2 a date, 3 a date-time.
constexpr std::string_view kStyles =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    "\n"
    R"(<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
    R"(<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm:ss"/></numFmts>)"
    R"(<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>)"
    R"(<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>)"
    R"(<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>)"
    R"(<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>)"
    R"(<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>)"
    R"(<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>)"
    R"(<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>)"
    R"(<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>)"
    R"(<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>)"
    R"(<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>)"
    R"(</styleSheet>)";

// Days from 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Excel's serial day (1900 system, with its phantom 29 February 1900); < 1 before 1900.
int64_t Serial(int year, int month, int day) {
  int64_t serial = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) -
                   DaysFromCivil(1899, 12, 30);
  if (serial < 61) --serial;  // before 1 March 1900
  return serial;
}

size_t Characters(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

// The bytes AppendEscaped may have to replace; every other byte is copied as it is.
constexpr std::array<bool, 256> kMayEscape = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = c != '\t' && c != '\n';
  t['&'] = t['<'] = t['>'] = t['_'] = true;
  return t;
}();

// XML text of a cell: & < > escaped; control characters as Excel's _xHHHH_; a literal
// "_xHHHH_" protected by escaping its underscore.
void AppendEscaped(std::string& out, std::string_view s) {
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!kMayEscape[c]) continue;  // most bytes: one look-up
    const char* rep = nullptr;
    char ctrl[8];
    if (c == '&') {
      rep = "&amp;";
    } else if (c == '\r') {
      rep = "&#13;";  // a character reference survives XML's line-end normalisation
    } else if (c == '<') {
      rep = "&lt;";
    } else if (c == '>') {
      rep = "&gt;";
    } else if (c < 0x20 && c != '\t' && c != '\n') {
      std::snprintf(ctrl, sizeof ctrl, "_x%04X_", c);
      rep = ctrl;
    } else if (c == '_' && i + 6 < s.size() && s[i + 1] == 'x' && IsHex(s[i + 2]) &&
               IsHex(s[i + 3]) && IsHex(s[i + 4]) && IsHex(s[i + 5]) && s[i + 6] == '_') {
      rep = "_x005F_";
    } else {
      continue;
    }
    out.append(s.data() + run, i - run);
    out += rep;
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
}

std::string SheetName(const std::string& name) {
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < name.size() && chars < 31;) {
    const auto c = static_cast<unsigned char>(name[i]);
    const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::string ch = name.substr(i, len);
    if (ch.size() == 1 && std::string_view("[]:*?/\\").find(ch[0]) != std::string_view::npos)
      ch = "_";
    out += ch;
    i += len;
    ++chars;
  }
  return out.empty() ? "Dữ liệu" : out;
}

}  // namespace

struct XlsxWriter::Impl {
  std::string path;
  zipFile zip = nullptr;
  bool sheet_open = false;  // the sheet's zip entry
  bool finished = false;
  std::string sheet_name;
  std::vector<std::string> letters;
  std::vector<size_t> widths;
  std::string xml;  // rows not yet deflated (all of them until the widths are known)
  int64_t row = 0;  // Excel's number of the row being written
  size_t column = 0;
  Status failed;

  // The cell's opening tag with its reference, e.g. `<c r="B12"`.
  void Open() {
    xml += "<c r=\"";
    xml += letters.size() > column ? letters[column] : ColumnLetters(column);
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, row);
    xml.append(buf, r.ptr);
    xml += '"';
  }
  void Width(size_t w) {
    if (row <= static_cast<int64_t>(kWidthRows) + 1 && column < widths.size())
      widths[column] = std::max(widths[column], w);
  }
  zip_fileinfo Info() const {
    zip_fileinfo info = {};
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    info.tmz_date = {static_cast<uInt>(tm.tm_sec),  static_cast<uInt>(tm.tm_min),
                     static_cast<uInt>(tm.tm_hour), static_cast<uInt>(tm.tm_mday),
                     static_cast<uInt>(tm.tm_mon),  static_cast<uInt>(tm.tm_year + 1900)};
    return info;
  }
  Status Write(std::string_view bytes) {
    if (!bytes.empty() &&
        zipWriteInFileInZip(zip, bytes.data(), static_cast<unsigned>(bytes.size())) != ZIP_OK) {
      return Status::Internal("cannot write " + path);
    }
    return Status::Ok();
  }
  Status OpenEntry(const char* name) {
    zip_fileinfo info = Info();
    if (zipOpenNewFileInZip64(zip, name, &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED, 1,
                              1) != ZIP_OK) {
      return Status::Internal(std::string("cannot add ") + name + " to " + path);
    }
    return Status::Ok();
  }
  Status WholeEntry(const char* name, std::string_view bytes) {
    if (Status s = OpenEntry(name); !s.ok()) return s;
    Status s = Write(bytes);
    if (zipCloseFileInZip(zip) != ZIP_OK && s.ok()) s = Status::Internal("cannot write " + path);
    return s;
  }
  // Once the widths are known: the sheet's head, then the rows so far.
  Status StartSheet() {
    if (Status s = OpenEntry("xl/worksheets/sheet1.xml"); !s.ok()) return s;
    sheet_open = true;
    std::string head =
        R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
        "\n"
        R"(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
        R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
        R"(<sheetViews><sheetView tabSelected="1" workbookViewId="0">)"
        R"(<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>)"
        R"(<selection pane="bottomLeft"/></sheetView></sheetViews>)"
        R"(<sheetFormatPr defaultRowHeight="15"/><cols>)";
    for (size_t c = 0; c < widths.size(); ++c) {
      const size_t w = std::clamp<size_t>(widths[c] + 2, 6, 60);
      head += "<col min=\"" + std::to_string(c + 1) + "\" max=\"" + std::to_string(c + 1) +
              "\" width=\"" + std::to_string(w) + "\" customWidth=\"1\"/>";
    }
    head += "</cols><sheetData>";
    if (Status s = Write(head); !s.ok()) return s;
    Status s = Write(xml);
    xml.clear();
    return s;
  }
};

XlsxWriter::XlsxWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

XlsxWriter::~XlsxWriter() {
  if (impl_->zip) zipClose(impl_->zip, nullptr);
  if (!impl_->finished) std::remove(impl_->path.c_str());
}

Result<std::unique_ptr<XlsxWriter>> XlsxWriter::Create(const std::string& path,
                                                       const std::string& sheet,
                                                       const std::vector<std::string>& header) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->sheet_name = SheetName(sheet);
  impl->zip = zipOpen64(path.c_str(), APPEND_STATUS_CREATE);
  if (!impl->zip) return Status::Internal("cannot create " + path);
  for (size_t c = 0; c < header.size(); ++c) impl->letters.push_back(ColumnLetters(c));
  impl->widths.assign(header.size(), 0);
  std::unique_ptr<XlsxWriter> w(new XlsxWriter(std::move(impl)));
  ODP_RETURN_IF_ERROR(w->BeginRow());
  for (const auto& h : header) {
    Impl& i = *w->impl_;
    i.Open();
    i.xml += " s=\"1\" t=\"inlineStr\"><is><t>";
    AppendEscaped(i.xml, h);
    i.xml += "</t></is></c>";
    i.Width(Characters(h));
    ++i.column;
  }
  ODP_RETURN_IF_ERROR(w->EndRow());
  return w;
}

Status XlsxWriter::BeginRow() {
  Impl& i = *impl_;
  if (!i.failed.ok()) return i.failed;
  if (i.row >= kMaxRows) {
    i.failed = Status::ResourceExhausted(
        "more rows than an Excel sheet holds (1,048,575); filter the table or download CSV",
        "Bảng có nhiều dòng hơn một trang tính Excel chứa được (1.048.575); hãy lọc bớt hoặc tải "
        "CSV");
    return i.failed;
  }
  ++i.row;
  i.column = 0;
  i.xml += "<row r=\"";
  i.xml += std::to_string(i.row);
  i.xml += "\">";
  return Status::Ok();
}

void XlsxWriter::Empty() { ++impl_->column; }

void XlsxWriter::Text(std::string_view utf8) {
  Impl& i = *impl_;
  if (utf8.empty()) {
    ++i.column;
    return;
  }
  // Excel holds at most 32,767 characters in a cell.
  if (utf8.size() > 32767) {
    size_t cut = 32767;
    while (cut > 0 && (static_cast<unsigned char>(utf8[cut]) & 0xC0) == 0x80) --cut;
    utf8 = utf8.substr(0, cut);
  }
  i.Open();
  const bool edges = utf8.front() == ' ' || utf8.back() == ' ' || utf8.front() == '\n' ||
                     utf8.back() == '\n' || utf8.front() == '\t' || utf8.back() == '\t';
  i.xml += edges ? " t=\"inlineStr\"><is><t xml:space=\"preserve\">" : " t=\"inlineStr\"><is><t>";
  AppendEscaped(i.xml, utf8);
  i.xml += "</t></is></c>";
  if (i.row <= static_cast<int64_t>(kWidthRows) + 1) i.Width(Characters(utf8));
  ++i.column;
}

void XlsxWriter::Integer(int64_t v) {
  Impl& i = *impl_;
  i.Open();
  i.xml += "><v>";
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  i.xml.append(buf, r.ptr);
  i.xml += "</v></c>";
  i.Width(static_cast<size_t>(r.ptr - buf));
  ++i.column;
}

void XlsxWriter::Number(double v) {
  Impl& i = *impl_;
  if (!std::isfinite(v)) {
    ++i.column;
    return;
  }
  i.Open();
  i.xml += "><v>";
  char buf[kShortestNumberBound];
  char* end = WriteShortestNumber(buf, v);
  i.xml.append(buf, end);
  i.xml += "</v></c>";
  i.Width(static_cast<size_t>(end - buf));
  ++i.column;
}

void XlsxWriter::Boolean(bool v) {
  Impl& i = *impl_;
  i.Open();
  i.xml += v ? " t=\"b\"><v>1</v></c>" : " t=\"b\"><v>0</v></c>";
  i.Width(5);
  ++i.column;
}

void XlsxWriter::Date(int year, int month, int day) {
  Impl& i = *impl_;
  const int64_t serial = Serial(year, month, day);
  if (year < 1900 || serial < 1) {  // Excel has no such dates: kept as text
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    Text(buf);
    return;
  }
  i.Open();
  i.xml += " s=\"2\"><v>";
  i.xml += std::to_string(serial);
  i.xml += "</v></c>";
  i.Width(10);
  ++i.column;
}

void XlsxWriter::Datetime(int year, int month, int day, int hour, int minute, double seconds) {
  Impl& i = *impl_;
  const int64_t serial = Serial(year, month, day);
  if (year < 1900 || serial < 1) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute,
                  static_cast<int>(seconds));
    Text(buf);
    return;
  }
  const double value =
      static_cast<double>(serial) + (hour * 3600.0 + minute * 60.0 + seconds) / 86400.0;
  i.Open();
  i.xml += " s=\"3\"><v>";
  char buf[kShortestNumberBound];
  i.xml.append(buf, WriteShortestNumber(buf, value));
  i.xml += "</v></c>";
  i.Width(19);
  ++i.column;
}

Status XlsxWriter::EndRow() {
  Impl& i = *impl_;
  if (!i.failed.ok()) return i.failed;
  i.xml += "</row>";
  if (!i.sheet_open && i.row > static_cast<int64_t>(kWidthRows)) i.failed = i.StartSheet();
  if (i.failed.ok() && i.sheet_open && i.xml.size() >= kFlush) {
    i.failed = i.Write(i.xml);
    i.xml.clear();
  }
  return i.failed;
}

Status XlsxWriter::Finish() {
  Impl& i = *impl_;
  if (!i.failed.ok()) return i.failed;
  if (!i.sheet_open) ODP_RETURN_IF_ERROR(i.StartSheet());
  i.xml += "</sheetData></worksheet>";
  ODP_RETURN_IF_ERROR(i.Write(i.xml));
  i.xml.clear();
  i.xml.shrink_to_fit();
  if (zipCloseFileInZip(i.zip) != ZIP_OK) return Status::Internal("cannot write " + i.path);
  i.sheet_open = false;
  std::string workbook =
      R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
      "\n"
      R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
      R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
      R"(<bookViews><workbookView/></bookViews><sheets><sheet name=")";
  std::string name;
  AppendEscaped(name, i.sheet_name);
  for (size_t p = 0; (p = name.find('"', p)) != std::string::npos; p += 6)
    name.replace(p, 1, "&quot;");
  workbook += name + R"(" sheetId="1" r:id="rId1"/></sheets></workbook>)";
  ODP_RETURN_IF_ERROR(i.WholeEntry("[Content_Types].xml", kContentTypes));
  ODP_RETURN_IF_ERROR(i.WholeEntry("_rels/.rels", kRootRels));
  ODP_RETURN_IF_ERROR(i.WholeEntry("xl/workbook.xml", workbook));
  ODP_RETURN_IF_ERROR(i.WholeEntry("xl/_rels/workbook.xml.rels", kWorkbookRels));
  ODP_RETURN_IF_ERROR(i.WholeEntry("xl/styles.xml", kStyles));
  const int rc = zipClose(i.zip, nullptr);
  i.zip = nullptr;
  if (rc != ZIP_OK) return Status::Internal("cannot write " + i.path);
  i.finished = true;
  return Status::Ok();
}

}  // namespace odp::formats
