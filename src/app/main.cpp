// odp: the open data portal in one binary. See `odp --help`.
#include <cstdlib>
#include <iostream>
#include <string_view>

#include <CLI/CLI.hpp>

#include "app/commands.h"
#include "base/crypto.h"
#include "base/log.h"
#include "datastore/ingest/xls_isolated.h"

namespace {

// Records which flags were given so that ODP_* variables do not override them.
std::string FlagsSet(const CLI::App& sub) {
  std::string out = ",";
  for (const CLI::Option* o : sub.get_options()) {
    if (o->count() > 0) out += o->get_name(false, true).substr(2) + ",";
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  // The reader of .xls workbooks, run by the portal itself in a separate process
  // (datastore/ingest/xls_isolated.h): `odp __read-xls IN OUT MAX_COLUMNS MAX_CELL_BYTES MAX_ROWS`.
  if (argc == 7 && std::string_view(argv[1]) == "__read-xls") {
    odp::formats::ReadLimits limits;
    limits.max_columns = std::atoll(argv[4]);
    limits.max_cell_bytes = std::atoll(argv[5]);
    limits.max_rows = std::atoll(argv[6]);
    return odp::datastore::ingest::RunXlsHelper(argv[2], argv[3], limits);
  }
  odp::datastore::ingest::SetXlsHelper({"/proc/self/exe", "__read-xls"});
  if (!odp::InitCrypto().ok()) {
    std::cerr << "odp: libsodium failed to initialise\n";
    return 1;
  }
  CLI::App app{
      "ODP — the open data portal for Vietnamese provinces.\n"
      "Cổng dữ liệu mở cho các tỉnh, thành phố Việt Nam.\n\n"
      "Settings come from flags, then ODP_* environment variables (ODP_DATA, ODP_DB, ODP_LISTEN,\n"
      "ODP_SITE_URL, ODP_THREADS, ODP_WORKERS, ODP_MAX_BODY_BYTES, ODP_MAX_UPLOAD_BYTES,\n"
      "ODP_ALLOW_REGISTRATION, ODP_SECURE_COOKIES, ODP_MIN_UPLOAD_RATE, ODP_UPLOAD_RATE_WINDOW,\n"
      "ODP_GC_INTERVAL_HOURS, ODP_GC_GRACE_HOURS, ODP_LOG_LEVEL), then defaults.",
      "odp"};
  app.require_subcommand(1);
  odp::app::Config cfg;

  auto add_common = [&](CLI::App* sub) {
    sub->add_option("--data", cfg.data_dir, "Data directory (default ./odp-data)");
    sub->add_option("--db", cfg.db_url, "Database URL (default sqlite:DATA/odp.db)");
  };

  bool demo = false;
  CLI::App* init = app.add_subcommand("init", "Create a data directory with the seeded taxonomy");
  add_common(init);
  init->add_flag(
      "--demo", demo,
      "Also add demo content: eleven agencies, datasets with files, and a demo "
      "administrator `admin` whose password is printed (and kept in DATA/demo-login.txt)");

  CLI::App* serve = app.add_subcommand("serve", "Serve the portal (pages, APIs) until SIGTERM");
  add_common(serve);
  serve->add_option("--listen", cfg.listen,
                    "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 = any)");
  serve->add_option("--site-url", cfg.site_url,
                    "Public base URL used in API links (default http://LISTEN)");
  serve->add_option("--threads", cfg.threads,
                    "I/O threads: connections and cached answers (default 1)");
  serve->add_option(
      "--workers", cfg.workers,
      "Threads that run requests: searches, writes, logins (default 2; 0 = on the I/O threads)");
  serve->add_option("--max-body-bytes", cfg.max_body_bytes,
                    "Largest non-upload request body (413 above)");
  serve->add_option("--max-upload-bytes", cfg.max_upload_bytes, "Largest upload (413 above)");
  serve->add_option(
      "--min-upload-rate", cfg.min_upload_rate,
      "Uploads slower than this many bytes/s over a window are cut (default 8192; 0 = never)");
  serve->add_option("--upload-rate-window", cfg.upload_rate_window_seconds,
                    "Seconds over which the upload rate is measured (default 30)");
  serve->add_option(
      "--gc-interval-hours", cfg.gc_interval_hours,
      "Remove unreferenced files from the blob store every N hours (default 6; 0 = off)");
  serve->add_option(
      "--gc-grace-hours", cfg.gc_grace_hours,
      "Keep unreferenced files younger than this, e.g. uploads in progress (default 24)");
  serve->add_option("--gc-daily-at", cfg.gc_daily_at,
                    "Run the blob clean-up daily at HH:MM (portal time) instead of every N hours");
  serve->add_option("--job-workers", cfg.job_workers, "Background job worker threads (default 2)");
  serve->add_option(
      "--trusted-proxies", cfg.trusted_proxies,
      "IPs/CIDRs of reverse proxies whose X-Forwarded-For is believed (default none)");
  serve->add_option(
      "--metrics-allow", cfg.metrics_allow,
      "IPs/CIDRs that may read /metrics without signing in (default none, not even loopback)");
  serve->add_option(
      "--metrics-token", cfg.metrics_token,
      "Bearer token that may read /metrics (prefer ODP_METRICS_TOKEN: flags show in `ps`)");
  serve->add_option("--log-level", cfg.log_level,
                    "Least severe log events written to standard error: debug, info, warn or error "
                    "(default info)");
  serve->add_flag("--audit-fail-closed", cfg.audit_fail_closed,
                  "Answer a consumer system's call only once its usage record is written (503 "
                  "while the audit log cannot be written)");
  serve
      ->add_option("--audit-checkpoint-every", cfg.audit_checkpoint_every,
                   "Sign a checkpoint of the audit log every N records (default 10000)")
      ->check(CLI::PositiveNumber);
  serve
      ->add_option("--audit-checkpoint-seconds", cfg.audit_checkpoint_seconds,
                   "… or every T seconds when records were added (default 60)")
      ->check(CLI::PositiveNumber);
  bool no_migrate = false;
  serve->add_flag("--no-migrate", no_migrate,
                  "Refuse to start on an outdated schema instead of migrating");

  // Hidden (no description): lists the routes for the authorization matrix test.
  CLI::App* routes = app.add_subcommand("routes", "")->group("");
  add_common(routes);

  CLI::App* migrate = app.add_subcommand("migrate", "Bring the database schema up to date");
  add_common(migrate);

  CLI::App* gc = app.add_subcommand("gc",
                                    "Remove files of the blob store that nothing refers to and "
                                    "that are older than the grace period; "
                                    "prints what was freed");
  add_common(gc);
  odp::app::GcOptions gopts;
  gc->add_option("--grace", gopts.grace_hours,
                 "Grace period in hours: younger files are kept (default 24)")
      ->check(CLI::NonNegativeNumber);
  gc->add_flag("--dry-run", gopts.dry_run, "Print what would be removed; remove nothing");

  CLI::App* copy = app.add_subcommand(
      "copy",
      "Copy a whole portal's database (catalogue, accounts, files' metadata, history) between "
      "SQLite and PostgreSQL, verified by counts and checksums");
  std::string copy_from, copy_to;
  copy->add_option("--from", copy_from, "Source: a data directory (SQLite) or postgresql://…")
      ->required();
  copy->add_option("--to", copy_to, "Target, empty: a data directory (SQLite) or postgresql://…")
      ->required();

  CLI::App* user = app.add_subcommand("user", "Manage user accounts");
  user->require_subcommand(1);
  odp::app::UserAddOptions uopts;
  CLI::App* user_add = user->add_subcommand(
      "add",
      "Add a user; the password is read from standard input (generated and printed once "
      "when standard input is a terminal and nothing is typed)");
  add_common(user_add);
  user_add->add_option("USERNAME", uopts.username, "User name: 2-60 of a-z 0-9 _ - .")->required();
  user_add->add_option("--email", uopts.email, "E-mail address")->required();
  user_add->add_flag("--sysadmin", uopts.sysadmin, "Make the user a system administrator");
  user_add->add_option("--org", uopts.org, "Organization (slug) to add the user to");
  user_add->add_option("--role", uopts.role, "Role in --org: member, editor or admin")
      ->check(CLI::IsMember({"member", "editor", "admin"}));

  odp::app::UserInviteOptions viopts;
  CLI::App* user_invite = user->add_subcommand(
      "invite",
      "Invite a person: create the account without a password and queue an e-mail with a link "
      "that sets it (sent by a running server)");
  add_common(user_invite);
  user_invite->add_option("USERNAME", viopts.username, "User name: 2-60 of a-z 0-9 _ - .")
      ->required();
  user_invite->add_option("--email", viopts.email, "E-mail address")->required();
  user_invite->add_option("--name", viopts.display_name, "Display name (default the user name)");
  user_invite->add_option("--org", viopts.org, "Organization (slug) to add the user to");
  user_invite->add_option("--role", viopts.role, "Role in --org: member, editor or admin")
      ->check(CLI::IsMember({"member", "editor", "admin"}));

  std::string unlock_user;
  CLI::App* user_unlock = user->add_subcommand(
      "unlock", "Lift the lock that failed sign-ins put on an account and forget its failures");
  add_common(user_unlock);
  user_unlock->add_option("USERNAME", unlock_user, "The account (user name or id)")->required();

  CLI::App* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  std::string token_user, token_name = "cli";
  CLI::App* token_add = token->add_subcommand("add", "Create an API token and print it once");
  add_common(token_add);
  token_add->add_option("USERNAME", token_user, "The token's owner")->required();
  token_add->add_option("--name", token_name, "A label for the token");

  CLI::App* keys = app.add_subcommand("keys", "The token signing keys of consumer systems");
  keys->require_subcommand(1);
  CLI::App* keys_list = keys->add_subcommand("list", "List the signing keys, newest first");
  add_common(keys_list);
  std::string retire_kid;
  CLI::App* keys_retire = keys->add_subcommand(
      "retire", "Retire a (leaked) signing key now; its tokens are refused from the next call");
  add_common(keys_retire);
  keys_retire->add_option("KID", retire_kid, "The key's id (kid)")->required();

  CLI::App* jobs = app.add_subcommand("jobs", "Background jobs");
  jobs->require_subcommand(1);
  std::string run_schedule;
  int run_wait = 0;
  CLI::App* jobs_run = jobs->add_subcommand(
      "run", "Queue a run of a scheduled job now (such as sharing.expiry) for a server to claim");
  add_common(jobs_run);
  jobs_run->add_option("SCHEDULE", run_schedule, "The schedule's name")->required();
  jobs_run->add_option("--wait", run_wait, "Wait up to this many seconds for the run to end")
      ->check(CLI::Range(0, 3600));

  CLI::App* import = app.add_subcommand("import",
                                        "Add a file to a dataset (a new version when the resource "
                                        "exists) and load it into the datastore");
  add_common(import);
  odp::app::ImportOptions iopts;
  import
      ->add_option("FILE", iopts.file,
                   "The file (CSV, TSV, XLSX, XLS, JSON and NDJSON become tables)")
      ->required()
      ->check(CLI::ExistingFile);
  import->add_option("--sheet", iopts.sheet,
                     "Workbooks: the sheet to load, from 1 (default the first)");
  import->add_option("--records", iopts.records,
                     "Nested JSON: the array of records to load, as a path such as data[].items[] "
                     "(default the deepest array of records that repeats)");
  import->add_option(
      "--encoding", iopts.encoding,
      "Delimited text: utf-8, utf-16, windows-1258, tcvn3, vni or viscii (default: detected)");
  import
      ->add_option("--header-row", iopts.header_row,
                   "The header's (first) row, from 1 as a spreadsheet numbers it (default: found "
                   "from the file)")
      ->check(CLI::PositiveNumber);
  import
      ->add_option("--first-row", iopts.first_row,
                   "The first data row, from 1 (default: the row below the header)")
      ->check(CLI::PositiveNumber);
  import
      ->add_option("--last-row", iopts.last_row,
                   "The last data row, from 1: notes and totals below it are left out (default: "
                   "the last row)")
      ->check(CLI::PositiveNumber);
  import->add_flag("--wide-to-long", iopts.wide_to_long,
                   "A wide statistics table (a column per year and item, such as \"2011 Area "
                   "(Km2)\"): load it long, as key columns, year, item, unit and value");
  import->add_option("--dataset", iopts.dataset, "The dataset's slug or id")->required();
  import->add_option(
      "--resource", iopts.resource,
      "The resource's name: replaced when the dataset has one of that name, else added "
      "(default: the file's name without its extension)");

  CLI::App* audit = app.add_subcommand("audit", "The tamper-evident log");
  audit->require_subcommand(1);
  odp::app::AuditVerifyOptions aopts;
  CLI::App* audit_verify = audit->add_subcommand(
      "verify",
      "Check the audit log's chain and checkpoint signatures; name the first bad record (exit 1)");
  add_common(audit_verify);
  audit_verify->add_option("--from", aopts.from, "First record (sequence number, default 1)")
      ->check(CLI::PositiveNumber);
  audit_verify->add_option("--to", aopts.to, "Last record (default the newest)")
      ->check(CLI::PositiveNumber);
  audit_verify
      ->add_option("--checkpoints", aopts.checkpoints,
                   "Check against this exported file (`odp audit checkpoints`) instead of the "
                   "keys and checkpoints in the database")
      ->check(CLI::ExistingFile);
  CLI::App* audit_checkpoints = audit->add_subcommand(
      "checkpoints",
      "Print the audit keys (public halves) and every signed checkpoint as JSON lines, to keep "
      "outside the portal");
  add_common(audit_checkpoints);
  bool audit_sign_now = false;
  audit_checkpoints->add_flag("--sign-now", audit_sign_now,
                              "First sign a checkpoint of the newest record");

  CLI11_PARSE(app, argc, argv);

  for (CLI::App* sub : {init, serve, routes, migrate, gc, user_add, user_unlock, token_add, import,
                        audit_verify, audit_checkpoints, keys_list, keys_retire, jobs_run}) {
    if (sub->parsed()) odp::app::ApplyEnvironment(cfg, FlagsSet(*sub));
  }
  if (auto level = odp::ParseLogLevel(cfg.log_level)) {
    odp::SetLogLevel(*level);
  } else {
    std::cerr << "odp: mức ghi nhật ký không hợp lệ / invalid log level: " << cfg.log_level
              << " (debug, info, warn, error)\n";
    return 2;
  }
  if (init->parsed()) return odp::app::RunInit(cfg, demo);
  if (serve->parsed()) {
    cfg.migrate = !no_migrate;
    return odp::app::RunServe(cfg);
  }
  if (routes->parsed()) return odp::app::RunRoutes(cfg);
  if (migrate->parsed()) return odp::app::RunMigrate(cfg);
  if (gc->parsed()) return odp::app::RunGc(cfg, gopts);
  if (copy->parsed()) return odp::app::RunCopy(copy_from, copy_to);
  if (user_add->parsed()) {
    if (!uopts.org.empty() && uopts.role.empty()) uopts.role = "member";
    if (uopts.org.empty() && !uopts.role.empty()) {
      std::cerr << "odp: --role needs --org\n";
      return 2;
    }
    return odp::app::RunUserAdd(cfg, uopts);
  }
  if (user_invite->parsed()) {
    if (viopts.org.empty() && !viopts.role.empty()) {
      std::cerr << "odp: --role needs --org\n";
      return 2;
    }
    return odp::app::RunUserInvite(cfg, viopts);
  }
  if (user_unlock->parsed()) return odp::app::RunUserUnlock(cfg, unlock_user);
  if (token_add->parsed()) return odp::app::RunTokenAdd(cfg, token_user, token_name);
  if (keys_list->parsed()) return odp::app::RunKeysList(cfg);
  if (keys_retire->parsed()) return odp::app::RunKeysRetire(cfg, retire_kid);
  if (jobs_run->parsed()) return odp::app::RunJobsRun(cfg, run_schedule, run_wait);
  if (import->parsed()) return odp::app::RunImport(cfg, iopts);
  if (audit_verify->parsed()) return odp::app::RunAuditVerify(cfg, aopts);
  if (audit_checkpoints->parsed()) return odp::app::RunAuditCheckpoints(cfg, audit_sign_now);
  return 2;
}
