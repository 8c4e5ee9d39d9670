#include "formats/xls.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>

#include <freexl.h>

#include "base/ids.h"
#include "formats/excel.h"
#include "formats/internal/biff.h"
#include "formats/internal/excel_dates.h"
#include "formats/text_writers.h"

namespace odp::formats {
namespace {

// What went wrong, as FreeXL's return code says it, in English and in Vietnamese.
struct Problem {
  std::string en;
  std::string vi;
};

Problem DescribeFreeXlError(int code) {
  switch (code) {
    case FREEXL_INVALID_CFBF_HEADER:
    case FREEXL_CFBF_INVALID_SIGNATURE:
    case FREEXL_CFBF_INVALID_SECTOR_SIZE:
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
    case FREEXL_BIFF_INVALID_BOF:
      return {"not an Excel 97-2003 workbook", "không phải bảng tính Excel 97–2003"};
    case FREEXL_CFBF_READ_ERROR:
    case FREEXL_CFBF_SEEK_ERROR:
      return {"the file ends too early (truncated or not an .xls file)",
              "tệp bị cụt (tải lên chưa hết) hoặc không phải tệp .xls"};
    case FREEXL_INSUFFICIENT_MEMORY:
      return {"not enough memory to read the workbook", "không đủ bộ nhớ để đọc bảng tính"};
    case FREEXL_INVALID_CHARACTER:
    case FREEXL_UNSUPPORTED_CHARSET:
      return {"text in an encoding that cannot be converted to UTF-8",
              "có chữ ở bảng mã không chuyển được sang UTF-8"};
    default: return {"the workbook is damaged", "bảng tính bị hỏng"};
  }
}

Status FreeXlError(const std::string& path, int code) {
  Problem p = DescribeFreeXlError(code);
  return Status::InvalidArgument(
      "cannot read XLS file " + path + ": " + p.en + " (FreeXL error " + std::to_string(code) + ")",
      "Không đọc được tệp XLS: " + p.vi +
          ". Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi tải lên lần nữa.");
}

// The first bytes of a file say what it is better than FreeXL's errors do.
enum class Magic { kCompoundFile, kOldBiff, kZip, kOther };

Magic SniffMagic(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, 8> b{};
  in.read(reinterpret_cast<char*>(b.data()), b.size());
  const auto got = in.gcount();
  static constexpr std::array<unsigned char, 8> kCompound = {0xD0, 0xCF, 0x11, 0xE0,
                                                             0xA1, 0xB1, 0x1A, 0xE1};
  if (got == 8 && b == kCompound) return Magic::kCompoundFile;
  if (got >= 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) return Magic::kZip;
  // A BIFF2/3/4 worksheet starts with its BOF record: 0x0009, 0x0209 or 0x0409.
  if (got >= 2 && b[0] == 0x09 && (b[1] == 0x00 || b[1] == 0x02 || b[1] == 0x04)) {
    return Magic::kOldBiff;
  }
  return Magic::kOther;
}

// The canonical text of one cell (empty for an empty cell).
std::string CanonicalCell(const FreeXL_CellValue& cell) {
  switch (cell.type) {
    case FREEXL_CELL_INT: return std::to_string(cell.value.int_value);
    case FREEXL_CELL_DOUBLE: {
      std::string text;
      AppendCanonicalNumber(text, cell.value.double_value);
      return text;
    }
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_TIME:
      return cell.value.text_value == nullptr ? std::string() : cell.value.text_value;
    case FREEXL_CELL_DATETIME: {
      // FreeXL writes "YYYY-MM-DD HH:MM:SS".
      std::string text = cell.value.text_value == nullptr ? "" : cell.value.text_value;
      if (text.size() > 10 && text[10] == ' ') text[10] = 'T';
      return text;
    }
    default: return {};
  }
}

// A copy of the file at `path` padded with zeros to a whole number of 512-byte sectors, in the
// temporary directory; "" when it cannot be written.
std::string PaddedCopy(const std::string& path, uintmax_t size) {
  std::string out =
      (std::filesystem::temp_directory_path() / ("odp-xls-padded-" + NewUuid() + ".xls")).string();
  std::ifstream in(path, std::ios::binary);
  std::ofstream copy(out, std::ios::binary | std::ios::trunc);
  if (!in || !copy) return "";
  copy << in.rdbuf();
  const std::string zeros(512 - size % 512, '\0');
  copy.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
  copy.close();
  if (!copy) {
    std::error_code ec;
    std::filesystem::remove(out, ec);
    return "";
  }
  return out;
}

}  // namespace

void XlsReader::HandleCloser::operator()(const void* handle) const { freexl_close(handle); }

Result<std::unique_ptr<XlsReader>> XlsReader::Open(const std::string& path, ReadLimits limits) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::NotFound("file", path);

  const Magic magic = SniffMagic(path);
  if (magic == Magic::kZip) {
    return Status::InvalidArgument(
        "cannot read XLS file " + path +
            ": it is a ZIP archive (an .xlsx workbook?), not an Excel 97-2003 workbook",
        "Tệp không phải bảng tính Excel 97–2003 (.xls) mà là tệp nén ZIP, có thể là bảng tính "
        ".xlsx: hãy tải lên với đuôi .xlsx.");
  }
  if (magic == Magic::kOther) {
    return Status::InvalidArgument(
        "cannot read XLS file " + path + ": not an Excel 97-2003 workbook",
        "Tệp không phải bảng tính Excel 97–2003 (.xls). Nếu là CSV hay XLSX, hãy tải lên với "
        "đúng đuôi tệp.");
  }

  const void* raw = nullptr;
  int rc = freexl_open(path.c_str(), &raw);
  Handle handle(raw);  // FreeXL may leave a handle to close even when it fails
  if (rc == FREEXL_CFBF_READ_ERROR && size % 512 != 0) {
    // Some exporters (the GSO's among them) end the file inside its last sector; Excel and
    // LibreOffice read the bytes that are there. FreeXL reads whole sectors: it is given a copy
    // padded with zeros (FreeXL reads the workbook into memory when it opens it, so the copy
    // is removed at once).
    const std::string padded = PaddedCopy(path, size);
    if (!padded.empty()) {
      handle.reset();
      raw = nullptr;
      rc = freexl_open(padded.c_str(), &raw);
      handle.reset(raw);
      std::error_code removed;
      std::filesystem::remove(padded, removed);
    }
  }
  if (rc != FREEXL_OK) return FreeXlError(path, rc);

  unsigned int password = 0;
  if (freexl_get_info(handle.get(), FREEXL_BIFF_PASSWORD, &password) == FREEXL_OK &&
      password != FREEXL_BIFF_PLAIN) {
    return Status::InvalidArgument(
        "cannot read XLS file " + path + ": the workbook is password-protected",
        "Bảng tính được đặt mật khẩu. Hãy mở tệp, gỡ mật khẩu, lưu lại rồi tải lên lần nữa.");
  }

  unsigned int sheet_count = 0;
  int info_rc = freexl_get_info(handle.get(), FREEXL_BIFF_SHEET_COUNT, &sheet_count);
  if (info_rc != FREEXL_OK) return FreeXlError(path, info_rc);
  if (sheet_count == 0) {
    return Status::InvalidArgument("cannot read XLS file " + path + ": the workbook has no sheet",
                                   "Bảng tính không có trang tính nào.");
  }
  std::vector<std::string> names;
  for (unsigned int i = 0; i < sheet_count; ++i) {
    const char* name = nullptr;
    int name_rc = freexl_get_worksheet_name(handle.get(), static_cast<uint16_t>(i), &name);
    if (name_rc != FREEXL_OK) return FreeXlError(path, name_rc);
    names.emplace_back(name == nullptr ? "" : name);
  }

  std::unique_ptr<XlsReader> reader(
      new XlsReader(std::move(handle), std::move(names), static_cast<int64_t>(size), limits));
  reader->ScanRecords(path);
  Status selected = reader->SelectSheet(0);
  if (!selected.ok()) return selected;
  return reader;
}

XlsReader::XlsReader(Handle handle, std::vector<std::string> sheet_names, int64_t file_size,
                     ReadLimits limits)
    : handle_(std::move(handle)),
      sheet_names_(std::move(sheet_names)),
      file_size_(file_size),
      limits_(limits) {}

XlsReader::~XlsReader() = default;

void XlsReader::ScanRecords(const std::string& path) {
  biff_sheets_.assign(sheet_names_.size(), nullptr);
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<size_t>(file_size_), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<size_t>(in.gcount()));
  if (bytes.size() % 512 != 0)
    bytes.resize(bytes.size() + 512 - bytes.size() % 512, '\0');  // as in Open()
  auto scanned = internal::ScanBiff(bytes);
  if (!scanned.ok()) return;  // FreeXL read it: its cells come out, formulas empty
  biff_ = std::make_unique<internal::BiffWorkbook>(std::move(*scanned));
  if (!biff_->fonts.empty()) default_font_ = biff_->fonts.front();
  // FreeXL lists the worksheets; the records list every sheet (charts too): matched by name.
  size_t j = 0;
  for (size_t i = 0; i < sheet_names_.size(); ++i) {
    size_t k = j;
    while (k < biff_->sheets.size() && biff_->sheets[k].name != sheet_names_[i]) ++k;
    if (k == biff_->sheets.size()) continue;
    biff_sheets_[i] = &biff_->sheets[k];
    j = k + 1;
  }
}

Status XlsReader::SelectSheet(size_t index) {
  if (index >= sheet_names_.size()) {
    return Status::InvalidArgument("no sheet " + std::to_string(index) + " in a workbook of " +
                                       std::to_string(sheet_names_.size()) + " sheets",
                                   "Bảng tính không có trang tính số " + std::to_string(index + 1) +
                                       " (chỉ có " + std::to_string(sheet_names_.size()) +
                                       " trang).");
  }
  const auto sheet = static_cast<unsigned short>(index);
  unsigned int rows = 0;
  unsigned short columns = 0;
  int rc = freexl_select_active_worksheet(handle_.get(), sheet);
  if (rc == FREEXL_OK) rc = freexl_worksheet_dimensions(handle_.get(), &rows, &columns);
  if (rc != FREEXL_OK) {
    Problem p = DescribeFreeXlError(rc);
    return Status::InvalidArgument(
        "cannot read sheet '" + sheet_names_[index] + "': " + p.en,
        "Không đọc được trang tính '" + sheet_names_[index] + "': " + p.vi + ".");
  }
  sheet_ = index;
  rows_ = rows;
  columns_ = columns;
  return Rewind();
}

Status XlsReader::Rewind() {
  next_row_ = 0;
  value_row_ready_ = false;
  value_cells_.clear();
  fonts_.clear();
  errors_.clear();
  line_ = 0;
  status_ = Status::Ok();
  return Status::Ok();
}

bool XlsReader::Next(std::vector<std::string>& cells) {
  cells.clear();
  if (!status_.ok()) return false;
  if (!value_row_ready_ && !FindValueRow()) return false;
  const uint32_t row = next_row_++;
  line_ = static_cast<int64_t>(row) + 1;
  if (line_ > limits_.max_rows) {
    const std::string limit = std::to_string(limits_.max_rows);
    const std::string& sheet = sheet_names_[sheet_];
    status_ = Status::InvalidArgument(
        "XLS sheet '" + sheet + "': more than " + limit + " rows (max_rows)",
        "Trang tính '" + sheet + "' có quá " + limit + " dòng.");
    return false;
  }
  fonts_.clear();
  errors_.clear();
  if (row == value_row_) {
    cells.swap(value_cells_);
    fonts_.swap(value_fonts_);
    errors_.swap(value_errors_);
    value_row_ready_ = false;
  }
  return true;
}

bool XlsReader::FindValueRow() {
  for (uint32_t row = next_row_; row < rows_; ++row) {
    if (!ReadRow(row, value_cells_, value_fonts_, value_errors_)) return false;
    if (!value_cells_.empty()) {
      value_row_ = row;
      value_row_ready_ = true;
      return true;
    }
  }
  next_row_ = rows_;  // only empty rows left
  return false;
}

bool XlsReader::ReadRow(uint32_t row, std::vector<std::string>& cells,
                        std::vector<std::string>& fonts, std::vector<std::string>& errors) {
  cells.clear();
  fonts.clear();
  errors.clear();
  const internal::BiffSheet* records =
      sheet_ < biff_sheets_.size() ? biff_sheets_[sheet_] : nullptr;
  for (uint16_t column = 0; column < columns_; ++column) {
    FreeXL_CellValue cell;
    int rc = freexl_get_cell_value(handle_.get(), row, column, &cell);
    if (rc != FREEXL_OK) {
      Problem p = DescribeFreeXlError(rc);
      return Fail(row, column, "cannot be read: " + p.en, "không đọc được: " + p.vi);
    }
    std::string text = CanonicalCell(cell);
    std::string error;
    const std::string* font = nullptr;
    if (records != nullptr) {
      const uint32_t key = internal::CellKey(row, column);
      if (cell.type == FREEXL_CELL_NULL) {
        if (auto f = records->formulas.find(key); f != records->formulas.end()) {
          switch (f->second.kind) {
            case internal::FormulaResult::Kind::kNumber: {
              // A result shown with a date format is a date, as FreeXL gives other date cells.
              const internal::DateKind kind = DateKindOfCell(*records, key);
              if (kind == internal::DateKind::kNone ||
                  !internal::AppendSerialDate(f->second.number, kind, biff_->date1904, text)) {
                AppendCanonicalNumber(text, f->second.number);
              }
              break;
            }
            case internal::FormulaResult::Kind::kString: text = f->second.text; break;
            case internal::FormulaResult::Kind::kBoolean:
              text = f->second.boolean ? "true" : "false";
              break;
            case internal::FormulaResult::Kind::kError:
              error = internal::ErrorText(f->second.error);
              break;
            case internal::FormulaResult::Kind::kEmpty: break;
          }
        }
      }
      if (!text.empty()) {
        if (auto x = records->text_xf.find(key); x != records->text_xf.end()) {
          font = &biff_->FontOfXf(x->second);
        }
      }
    }
    if (text.empty() && error.empty()) continue;
    if (column >= limits_.max_columns) {
      const std::string limit = std::to_string(limits_.max_columns);
      return Fail(row, column, "beyond the limit of " + limit + " columns (max_columns)",
                  "vượt quá giới hạn " + limit + " cột");
    }
    if (static_cast<int64_t>(text.size()) > limits_.max_cell_bytes) {
      const std::string limit = std::to_string(limits_.max_cell_bytes);
      return Fail(row, column, "longer than the limit of " + limit + " bytes (max_cell_bytes)",
                  "dài quá giới hạn " + limit + " byte");
    }
    cells.resize(column + 1);
    cells[column] = std::move(text);
    if (font != nullptr && !font->empty() && *font != default_font_) {
      fonts.resize(column + 1);
      fonts[column] = *font;
    }
    if (!error.empty()) {
      errors.resize(column + 1);
      errors[column] = std::move(error);
    }
  }
  fonts.resize(cells.size());
  if (!errors.empty()) errors.resize(cells.size());
  return true;
}

internal::DateKind XlsReader::DateKindOfCell(const internal::BiffSheet& records,
                                             uint32_t key) const {
  auto x = records.text_xf.find(key);
  if (x == records.text_xf.end() || x->second >= biff_->xf_format.size())
    return internal::DateKind::kNone;
  const uint16_t format = biff_->xf_format[x->second];
  if (auto code = biff_->number_formats.find(format); code != biff_->number_formats.end())
    return internal::ClassifyFormatCode(code->second);
  return internal::BuiltinFormatKind(format);
}

bool XlsReader::Fail(uint32_t row, uint16_t column, const std::string& problem,
                     const std::string& problem_vi) {
  const std::string cell = CellName(column, static_cast<int64_t>(row) + 1);
  const std::string& sheet = sheet_names_[sheet_];
  status_ =
      Status::InvalidArgument("XLS sheet '" + sheet + "', cell " + cell + ": " + problem,
                              "Trang tính '" + sheet + "': ô " + cell + " " + problem_vi + ".");
  return false;
}

int64_t XlsReader::bytes_read() const {
  if (rows_ == 0) return file_size_;
  return static_cast<int64_t>(static_cast<double>(file_size_) * next_row_ / rows_);
}

std::string XlsReader::describe() const { return "XLS sheet '" + sheet_names_[sheet_] + "'"; }

}  // namespace odp::formats
