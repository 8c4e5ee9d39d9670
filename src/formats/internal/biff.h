// What FreeXL does not give of an .xls workbook, read from its BIFF8 records directly: the font
// of each text cell and the cached last result of each formula. Private to formats/ (XlsReader
// uses it); the reader itself stays on FreeXL for everything else.
//
// The file is an OLE2 compound file; ScanBiff() finds its "Workbook" stream (in the regular or
// the mini stream), reads the workbook globals (FONT, XF, BOUNDSHEET) and then each sheet's
// substream for the records that carry a text cell's XF (LABELSST, LABEL, RSTRING) and for
// FORMULA records with the STRING record that holds a string result, and the number formats
// (XF, FORMAT, DATEMODE) that tell a formula's date result from a number. Everything is bounded by
// the file: sector chains are followed at most once per sector, records must lie inside the
// stream, strings inside their records (and CONTINUE records), so a hostile file gives an error
// or less information, never a read outside the buffer. BIFF5/7 workbooks ("Book" stream) and
// BIFF2–4 files give an empty scan (no fonts, no formula results): FreeXL still reads their cells.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace odp::formats::internal {

// The cached result of one formula.
struct FormulaResult {
  enum class Kind { kNumber, kString, kBoolean, kError, kEmpty };
  Kind kind = Kind::kEmpty;
  double number = 0;  // kNumber
  std::string text;   // kString: UTF-8
  bool boolean = false;
  uint8_t error = 0;  // kError: Excel's code (0x07 #DIV/0!, 0x2A #N/A, …)
};

// "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", else "#ERROR!".
const char* ErrorText(uint8_t code);

struct BiffSheet {
  std::string name;  // UTF-8
  uint8_t type = 0;  // BOUNDSHEET dt: 0 worksheet, 1 macro sheet, 2 chart, 6 VBA module
  // Keyed by CellKey(row, column), 0-based.
  std::unordered_map<uint32_t, uint16_t> text_xf;  // XF of text and formula cells
  std::unordered_map<uint32_t, FormulaResult> formulas;
};

struct BiffWorkbook {
  std::vector<std::string> fonts;   // font names by Excel's font index (index 4 is never used)
  std::vector<uint16_t> xf_font;    // each XF's font index
  std::vector<uint16_t> xf_format;  // each XF's number format index
  std::unordered_map<uint16_t, std::string> number_formats;  // FORMAT records: index → code
  bool date1904 = false;                                     // DATEMODE: the 1904 date system
  std::vector<BiffSheet> sheets;                             // in BOUNDSHEET order, every type
  // The font name of XF `xf`; "" when the file does not say.
  const std::string& FontOfXf(uint16_t xf) const;
};

inline uint32_t CellKey(uint32_t row, uint32_t column) { return (row << 8) | (column & 0xFF); }

// Scans the file's bytes. InvalidArgument (English only: the caller reports its own message)
// when the compound file or the workbook stream is malformed; an empty workbook for a
// BIFF5/7 or older file.
Result<BiffWorkbook> ScanBiff(std::string_view file);

}  // namespace odp::formats::internal
