// The .xls reading process for the fuzz build (the portal's is `odp __read-xls`).
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

#include "datastore/ingest/xls_isolated.h"

int main(int argc, char** argv) {
  if (argc != 6) return 2;
  // FreeXL's memory errors are expected here and end this process; the fuzzer only needs the
  // exit status, not thousands of AddressSanitizer reports.
  int null = open("/dev/null", O_WRONLY);
  if (null >= 0) dup2(null, STDERR_FILENO);
  odp::formats::ReadLimits limits;
  limits.max_columns = std::atoll(argv[3]);
  limits.max_cell_bytes = std::atoll(argv[4]);
  limits.max_rows = std::atoll(argv[5]);
  return odp::datastore::ingest::RunXlsHelper(argv[1], argv[2], limits);
}
