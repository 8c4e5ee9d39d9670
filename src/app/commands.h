// The `odp` subcommands. Each returns the process exit code.
#pragma once

#include <string>

#include "app/config.h"

namespace odp::app {

struct UserAddOptions {
  std::string username, email, org, role;
  bool sysadmin = false;
};

int RunInit(const Config& cfg, bool demo);
int RunServe(const Config& cfg);
// `odp routes` (not listed in --help): prints "METHOD PATTERN" for every route the server
// would register (APIs and pages), one a line, in matching order, then "action NAME" for every
// CKAN action; serves nothing. For the
// authorization matrix test, which must cover every route.
int RunRoutes(const Config& cfg);
int RunMigrate(const Config& cfg);
// Copies a portal's database from `from` to `to` (each a data directory or a database URL) and
// verifies it; between two data directories, the files and tables are copied too.
int RunCopy(const std::string& from, const std::string& to);
int RunUserAdd(const Config& cfg, const UserAddOptions& opts);
// Lifts the login lock of an account (failed sign-ins are forgotten).
int RunUserUnlock(const Config& cfg, const std::string& username);
int RunTokenAdd(const Config& cfg, const std::string& username, const std::string& name);

struct GcOptions {
  double grace_hours = 24;
  bool dry_run = false;
};
// `odp gc`: one blob garbage collection (store/blob_gc.h); prints the files removed, their
// count and bytes, and the writers' temp files removed.
int RunGc(const Config& cfg, const GcOptions& o);

struct ImportOptions {
  std::string file;
  std::string dataset;
  std::string resource;
  int sheet = 0;         // workbooks: 1-based; 0 = the first
  std::string encoding;  // delimited text: "" = detected
};
// `odp import`: stores the file as a resource of the dataset (as the system user), waits for
// the datastore to load it (progress on a terminal), prints the table's schema and problems.
// Exit status 1 when the file cannot be stored or loaded.
int RunImport(const Config& cfg, const ImportOptions& o);

}  // namespace odp::app
