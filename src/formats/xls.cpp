#include "formats/xls.h"

#include <freexl.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <utility>

#include "formats/excel.h"
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
    default:
      return {"the workbook is damaged", "bảng tính bị hỏng"};
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
    case FREEXL_CELL_INT:
      return std::to_string(cell.value.int_value);
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
    default:
      return {};
  }
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
  const int rc = freexl_open(path.c_str(), &raw);
  Handle handle(raw);  // FreeXL may leave a handle to close even when it fails
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
  if (row == value_row_) {
    cells.swap(value_cells_);
    value_row_ready_ = false;
  }
  return true;
}

bool XlsReader::FindValueRow() {
  for (uint32_t row = next_row_; row < rows_; ++row) {
    if (!ReadRow(row, value_cells_)) return false;
    if (!value_cells_.empty()) {
      value_row_ = row;
      value_row_ready_ = true;
      return true;
    }
  }
  next_row_ = rows_;  // only empty rows left
  return false;
}

bool XlsReader::ReadRow(uint32_t row, std::vector<std::string>& cells) {
  cells.clear();
  for (uint16_t column = 0; column < columns_; ++column) {
    FreeXL_CellValue cell;
    int rc = freexl_get_cell_value(handle_.get(), row, column, &cell);
    if (rc != FREEXL_OK) {
      Problem p = DescribeFreeXlError(rc);
      return Fail(row, column, "cannot be read: " + p.en, "không đọc được: " + p.vi);
    }
    std::string text = CanonicalCell(cell);
    if (text.empty()) continue;
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
  }
  return true;
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
