// The `odp` subcommands. Each returns the process exit code.
//
// Wiring (`src/app/commands.cpp`). The catalogue and the datastore do not know each other;
// `OpenPortal` joins them:
//
// - it opens `DATA/datastore.db` after the catalogue and the accounts, with the portal's store as
//   its job queue, and calls `Start()` only when its `load_tables` argument is true: for `odp
//   serve`, `odp init` and `odp import`. `odp user add` and `odp token add` open `datastore.db`
//   but load nothing;
// - it gives `CatalogService::SetUploadListener` a function that calls `Enqueue(r.id, r.version,
//   blob path)` when the resource's `format` is exactly `CSV`, `TSV`, `XLSX`, `XLS`, `JSON` or
//   `NDJSON`. The catalogue calls the listener after a file is committed to a resource (a new
//   upload or a new version, from REST, CKAN, the pages or the demo loader), after the store
//   transaction and while it still holds `write_mu_`, so the listener must only queue. `format`
//   comes from the file's extension or from the uploader's `format` field. Links and other
//   formats are not loaded. The upload's `read_as` (the form's `sheet`, `encoding`, …) is merged
//   into the resource's saved options (`MergeOptions`), so that the one load queued already reads
//   the file as asked;
// - it gives `SetOnLoaded` a function that calls `CatalogService::Touch()`: a finished table
//   changes what dataset pages and CKAN resources (`datastore_active`) show, so the caches start
//   over;
// - `RunInit` with `--demo` calls `WaitIdle()` after loading the demo, so that the demo's CSV
//   files are tables before the portal first serves;
// - `RunImport` (`odp import`) stores a file as a resource, with `--sheet`, `--encoding` and
//   `--records` as the file's `read_as`; for a tabular file it then polls `Job()` every 200 ms
//   until that version's job is `done` (rows and indexes), `failed` or `cancelled` (see
//   docs/operators.md, "Importing a file from the command line");
// - `~Portal` stops in reverse order: the change follower first, then the datastore (abandoning
//   the load in progress at its next batch and handing its job back) before it clears the
//   listeners, then the catalogue's download counter, and the store last.
//
// `main.cpp` declares the commands with CLI11. `config.cpp` holds defaults and `ODP_*` environment
// variables; a flag given on the command line always wins over the environment. `commands.cpp`:
//
// - `OpenPortal` opens, in order: the data directory (created by `init` and `serve` if missing),
//   the store (with migrations), the blob store, the seeded taxonomy (`SeedTaxonomy`, once per
//   portal: a `taxonomy_seeded` setting records it, so terms an operator renames or re-slugs
//   never come back), `CatalogService`, `AccountService` and the `Datastore`
//   (`DATA/datastore.db`, its jobs in the portal's store). With `load_tables` (`serve`, `init`,
//   `import`) it calls `Datastore::Start()`, which starts the loading thread; that thread claims
//   every job left queued, and every job whose server stopped beating, from the shared queue.
//   `user add` and `token add` open the datastore without starting it. It then connects the
//   catalogue's upload listener to `Datastore::Enqueue` for CSV, TSV, XLSX, XLS, JSON and NDJSON
//   files, and the datastore's `SetOnLoaded` to `CatalogService::Touch()` (see the datastore
//   section). On exit `~Portal` stops the datastore, which abandons a load in progress at its
//   next batch of 50,000 rows and hands its job back to the queue; the next loading thread to
//   ask, on this server or another, runs it again.
// - `RunInit` with `--demo` loads the demo content and then waits (`WaitIdle`) until its CSV
//   files are loaded.
// - `RunImport` (`odp import FILE --dataset SLUG [--resource NAME] [--sheet N] [--encoding
//   NAME] [--records PATH]`) copies the file into the blob store and stores it as the system user:
//   a new version of the dataset's resource of that name, else a new resource named after the
//   file's stem. For a tabular file (CSV, TSV, XLSX, XLS, JSON, NDJSON) it follows the load and the
//   index build, with a progress bar on standard error when that is a terminal, then prints the
//   table's schema and problems; a failed load exits 1.
// - `RunServe` starts a `catalog::ChangeFollower` (owned by the Portal, stopped first) after
//   `OpenPortal`, so that the server applies the catalogue changes other processes record in the
//   change feed. It then builds the router with the API routes, opens the `WebContext`
//   (templates, assets, messages; a broken template or message stops it here) and adds the pages
//   with `web::RegisterPages`. It
//   blocks SIGTERM/SIGINT in every thread. One waiter thread calls `sigwait` and then
//   `server.Stop()`.
// - `RunCopy` (`odp copy --from … --to …`, each a data directory or a database URL) runs
//   `store::CopyDatabase` and prints each table's row count and checksum; between two data
//   directories it also copies `blobs/` and `datastore.db`.
// - `demo.cpp` generates the demo agencies, datasets and files deterministically.
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

struct UserInviteOptions {
  std::string username, email, display_name, org, role;
};
// `odp user invite`: creates an account without a password (the checks of /admin/invitations)
// and queues its invitation e-mail in the database, for the job runner of any running server on
// it (`odp serve`) to send. Exit status 1 when the account cannot be created.
int RunUserInvite(const Config& cfg, const UserInviteOptions& opts);
// Lifts the login lock of an account (failed sign-ins are forgotten).
int RunUserUnlock(const Config& cfg, const std::string& username);
int RunTokenAdd(const Config& cfg, const std::string& username, const std::string& name);
// `odp keys list`: the token signing keys (kid, created, live or retired), newest first.
int RunKeysList(const Config& cfg);
// `odp keys retire KID`: retires a (leaked) signing key at once (access/consumers.h's
// RetireSigningKey, as the system): its tokens are refused by every server from the next call.
int RunKeysRetire(const Config& cfg, const std::string& kid);
// `odp jobs run SCHEDULE [--wait SECONDS]`: queues a run of a schedule's job now for a running
// server to claim (jobs/jobs.h's RunScheduleNow), prints its id, and with --wait waits until it
// ends (exit 1 when it fails or has not ended in time).
int RunJobsRun(const Config& cfg, const std::string& schedule, int wait_seconds);

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
  std::string records;   // JSON documents: the array of records ("data[].items[]"); "" the default
  std::string encoding;  // delimited text: "" = detected
  // Where the table is: rows of the file or sheet, from 1; 0 = found from the file.
  int64_t header_row = 0;
  int64_t first_row = 0;
  int64_t last_row = 0;
  // A wide statistics table (a column per year and item) loaded long: keys, year, item, unit,
  // value.
  bool wide_to_long = false;
};
// `odp import`: stores the file as a resource of the dataset (as the system user), waits for
// the datastore to load it (progress on a terminal), prints the table's schema and problems.
// The sheet, encoding and rows given are laid over the options saved for the resource.
// Exit status 1 when the file cannot be stored or loaded.
int RunImport(const Config& cfg, const ImportOptions& o);

struct AuditVerifyOptions {
  int64_t from = 0, to = 0;  // sequence numbers; 0 = the first / the newest
  std::string checkpoints;   // an exported file to check against, or "" for the database's
};
// `odp audit verify`: checks the chain and the checkpoints (audit/chain.h), prints what was
// checked, or the first bad record and what is wrong with it; exit 1 when anything is wrong.
int RunAuditVerify(const Config& cfg, const AuditVerifyOptions& o);
// `odp audit checkpoints [--sign-now]`: the export (audit/log.h's ExportCheckpoints) on stdout.
int RunAuditCheckpoints(const Config& cfg, bool sign_now);

}  // namespace odp::app
