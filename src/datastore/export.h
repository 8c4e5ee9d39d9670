// Downloads of any query: CSV (UTF-8 with a byte-order mark by default, so that Excel shows
// Vietnamese correctly), TSV, JSON, NDJSON, GeoJSON (tables with a geopoint), produced piece by
// piece with bounded memory (ExportStream); a Frictionless Data Package (zip); and XLSX (typed
// cells, dates as dates, a bold frozen header row, column widths), written to a file row by row
// by the portal's own formats::XlsxWriter (libxlsxwriter only writes the test workbooks).
//
// Exports (`export.cpp`). `ExportStream` produces CSV, TSV, JSON or NDJSON from a `Cursor`, one
// piece of about 1 MiB per `Next()` call: first the header (the UTF-8 BOM for CSV, then the labels
// or ids; the `{"fields":[…],"records":[` of CKAN's JSON dump), then rows, written straight from
// the cursor's typed columns without building JSON values. Memory stays at one piece however large
// the table; the cursor's read connection is held until the stream is destroyed. `datastore.db` is
// created with 16 KiB pages (SQLite's default is 4 KiB; a database made before keeps its size):
// full scans, the loads' inserts and the index builds read and write a quarter as many pages. CSV
// and TSV of a whole SQLite table in `_id` order (no sort, no limit: the download button's export,
// filtered or not) are read in ranges of 4,096 `_id`s by two threads, each with a cursor of its own
// opened with `Query::id_range` (one read transaction, so one snapshot, for all its ranges;
// `Cursor::Restart` binds the next range): each takes the next range, reads its rows with one
// SQLite call per cell (`sqlite3_column_value`) and writes their text straight into a buffer, and
// `Next()` hands the ranges out in order, swapping buffers with the caller instead of copying; at
// most four ranges are read ahead of the client. Other exports (a sort, a limit, JSON, PostgreSQL)
// read the cursor on one thread, a batch of 1,024 rows at a time (values copied out of SQLite, text
// NUL-terminated in one arena), while the caller's thread writes the text of the previous batch.
// Cells that need quotes are found eight bytes at a time; integral numbers go through the integer
// conversion. The HTTP server in turn produces the next piece on the handler pool while the I/O
// thread sends the current one. `datastore_search` pages (`AppendRecordsJson`, the API's hot
// path) are written the same way: each row's cells read with one SQLite call per cell (or from
// PostgreSQL's text), then written as JSON straight into the response's buffer, made big enough for
// the row first. `ckan.cpp` writes the whole body into that one buffer: the envelope and the
// result's header (links, fields, total, as `nlohmann::json` would write them, keys in order) and
// then the records, so the page is never copied. Cells, JSON strings and numbers are written by
// the one writer of each in `formats/text_writers.h` (clean text copied eight bytes at a time).
// `WriteXlsx` writes a workbook with `formats::XlsxWriter` (`src/formats/xlsx_writer.h`): one
// worksheet streamed straight into a zip entry deflated at level 1 (minizip), inline strings, typed
// cells, dates as Excel serial numbers with a `dd/mm/yyyy` style, a bold header row frozen in
// place, column widths from the header and the first 1,000 rows (those rows are held in memory
// until the widths are known, then everything streams), at most 1,048,575 rows
// (`kResourceExhausted` beyond, and the file removed). The API layer writes it into the spool
// directory and sends it as a file.
#pragma once

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "base/batch_queue.h"
#include "base/status.h"
#include "datastore/datastore.h"

namespace odp::datastore {

struct ExportOptions {
  std::string format = "csv";  // "csv", "tsv", "json", "ndjson", "geojson", "xlsx", "datapackage"
  bool bom = true;             // CSV only
  bool header_labels = true;  // CSV/TSV/XLSX header: labels as written ("Số học sinh"), else ids
  // CSV only: for Excel on a machine set to Vietnamese, whose list separator is `;` and decimal
  // mark `,`: cells separated by `;`, numbers with a decimal comma (`12,4`), datetimes with a
  // space instead of the `T` (`2024-09-05 07:05:00`, which Excel reads as a date), and always
  // the UTF-8 BOM.
  bool excel_vietnamese = false;
  // CSV, TSV, JSON, NDJSON and XLSX: false leaves `_id` out (GeoJSON features carry it as their
  // id; a Data Package's schema declares it).
  bool include_id = true;
};

// True for the formats ExportStream produces.
bool IsStreamFormat(const std::string& format);
const char* ExportContentType(const std::string& format);
// CKAN's name of a column type: "int", "numeric", "bool", "date", "timestamp", "text".
const char* CkanTypeName(ColumnType t);

class ExportStream {
 public:
  ~ExportStream();
  ExportStream(const ExportStream&) = delete;
  ExportStream& operator=(const ExportStream&) = delete;
  struct Batch;  // rows read ahead from the database (export.cpp)
  struct Range;  // the text of the rows of one range of `_id` (export.cpp)

  static Result<std::unique_ptr<ExportStream>> Open(const Datastore& ds, const TableInfo& t,
                                                    const Query& q, const ExportOptions& options);
  // Appends the next piece (about 1 MiB) to `out`; 1 while more follows, 0 after the last,
  // -1 on a failure (see status()).
  int Next(std::string& out);
  Status status() const { return status_; }
  int64_t rows() const;

 private:
  ExportStream();  // in export.cpp, where Batch is complete
  template <typename Row>
  void AppendRow(std::string& out, const Row& row);
  void WriteDelimitedRows(std::string& out, size_t limit);
  void Read();  // the reading thread: cursor rows into batches
  // CSV and TSV of a whole SQLite table in `_id` order: several threads read ranges of `_id`
  // (each its own snapshot cursor) and write their rows' text at once; the ranges go out in
  // order, at most kWindow of them ahead of the client.
  void Produce(size_t worker);
  std::vector<std::unique_ptr<Cursor>> range_cursors_;
  std::vector<std::thread> producers_;
  std::map<int64_t, std::unique_ptr<Range>> produced_;  // guarded by mu_, by range number
  std::vector<std::string> spare_;                      // guarded by mu_: buffers to reuse
  int64_t ranges_ = 0, next_claim_ = 0, next_out_ = 0;  // guarded by mu_
  std::unique_ptr<Cursor> cursor_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;          // guarded by mu_: the range producers stop
  BatchQueue<Batch> batches_;  // made in export.cpp, where Batch is complete
  std::thread reader_;
  std::unique_ptr<Batch> batch_;  // being written out
  size_t pos_ = 0;
  int64_t rows_ = 0;
  std::vector<Field> fields_;  // _id then the selected ones
  enum Kind { kCsv, kTsv, kJson, kNdjson, kGeojson } kind_ = kCsv;
  size_t lat_ = 0, lon_ = 0;       // GeoJSON: the coordinates' columns in fields_
  std::vector<std::string> keys_;  // NDJSON: "\"id\":" per column
  ExportOptions options_;
  size_t first_column_ = 0;        // 1 when `_id` is left out
  char delimiter_ = ',';           // CSV and TSV
  bool excel_vietnamese_ = false;  // CSV for Excel set to Vietnamese (decimal comma)
  int state_ = 0;                  // 0 header, 1 rows, 2 done
  bool first_ = true;
  Status status_;
};

// The rows of a query as JSON text written straight from the database, without building JSON
// values: an array of objects ({"_id":1,"ma":"046001",…}) or of lists ([1,"046001",…]),
// appended to `out` (the response being written). Returns the number of rows. The API's hot
// path (datastore_search).
Result<int64_t> AppendRecordsJson(const Datastore& ds, const TableInfo& t, const Query& q,
                                  bool objects, std::string& out);

// Writes a Frictionless Data Package at `path`: a zip holding `datapackage.json` (`package`'s
// properties — name, title, licenses, … — and one tabular resource with the table's schema:
// field names, titles, types, descriptions, primary key) and the query's rows as UTF-8 CSV
// (header of field names, as the schema says) named `<package name>.csv`.
Status WriteDataPackage(const Datastore& ds, const TableInfo& t, const Query& q,
                        const std::string& path, nlohmann::json package);

// Writes the query's rows as an XLSX workbook at `path`. More rows than a sheet holds
// (1,048,575 below the header) is an error.
Status WriteXlsx(const Datastore& ds, const TableInfo& t, const Query& q, const std::string& path,
                 const std::string& sheet_name, const ExportOptions& options = {});

}  // namespace odp::datastore
