#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "mig/errors.h"
#include "mig/observer.h"
#include "mig/results.h"
#include "mig/settings.h"
#include "mig/url.h"

namespace mig {

// Every rule `check` has, with its code, group, meaning and hint.
const std::vector<CheckRule>& check_rules();

struct UpgradeOptions {
  std::string target = "head";     // head, heads, an id or prefix, +N, ID+N, NAME@head, …
  bool dry_run = false;            // take the lock, say what would run, change nothing
  bool resume = false;             // continue a half-applied revision at its failed statement
  bool schema_only = false;        // leave data revisions out (throw-away databases only)
  long long max_batches = 100000;  // for each `-- mig:batch` statement
  bool seed = false;               // then run the seed files
  bool force_seed = false;         // … every one of them, changed or not
};

struct DowngradeOptions {
  std::string target;  // required: -1, base, an id, NAME@-1, …
  bool dry_run = false;
  bool resume = false;
  long long max_batches = 100000;
};

// Which revisions check's per-revision rules (MG104, MG105, destructive) run
// on; the graph and database rules always look at everything. Each given
// selection narrows the set further.
struct CheckOptions {
  bool with_database = false;  // also edited and missing files, drift
  std::string since;           // only revisions after REV: neither it nor its ancestors
  std::string git_base;        // only revision files added or changed since the commit where
                               // HEAD left GIT_BASE (git merge-base), uncommitted ones too
  bool pending_only = false;   // only revisions not applied on the database (with_database)
  // Replay the revisions on a scratch database to see what each changes:
  // SCRATCH_URL, an empty database of the project's kind (it implies
  // replay), or on a SQLite project a temporary file.
  bool replay = false;
  std::string scratch_url;
  // How errors name scratch_url, when it came from somewhere other than the
  // option itself (the CLI: "[check] scratch_url in mig.toml"); empty: the
  // option, {scratch} (the CLI's --scratch).
  std::string scratch_origin;
};

struct SeedOptions {
  bool force = false;    // run every seed file, changed or not
  bool dry_run = false;  // say which would run
};

// A new revision file (or seed file) to write from the project's templates.
struct RevisionRequest {
  std::string message;               // one line
  std::string kind = "schema";       // schema or data
  std::string template_name;         // templates/NAME.sql.mustache; default: the kind
  std::vector<std::string> parents;  // targets; default: the single head
  std::string branch;                // start a new base revision with this label instead
  bool seed = false;                 // a seed file in the seed directory instead
  // What the sections hold (mig diff fills them in); empty: the template's.
  std::string upgrade, downgrade;
  // Lines put before `-- mig:upgrade` (such as `-- mig:transaction off`).
  std::vector<std::string> directives;
};

// The next revision written from a desired schema (`mig diff`).
struct DiffOptions {
  std::string message;  // the new revision's
  // The desired schema: a SQL file, or a directory whose .sql files run in
  // name order, in the project's dialect; or a database URL (its schema is
  // read, nothing in it changes).
  std::string to;
  // What to start from instead of the project's revisions (a file,
  // directory or URL as for `to`); then nothing is written: give sql or check.
  std::string from;
  bool check = false;  // write nothing: only say whether the revisions fall short
  bool sql = false;    // write nothing: the statements are in the result
  // What was renamed rather than dropped and made anew: "OLD=NEW" for a
  // table, "TABLE.OLD=NEW" for a column (the schema alone cannot say).
  std::vector<std::string> renames;
  // PostgreSQL and MySQL: the server (a database URL) on which mig makes
  // its scratch database, mig_dev_<random>, dropped afterwards; default:
  // the project's.
  // A user who may not create databases names an empty database of their
  // own instead, which mig empties again after use.
  std::string dev_url;
  // Write the revision although the schema holds objects mig diff cannot
  // express (listed in comments at its top); default: refuse, exit 1.
  bool incomplete = false;
};

// A revision file an application carries in its binary instead of a
// migrations directory: `name` stands for its path in messages.
struct EmbeddedRevision {
  std::string name;
  std::string text;
};

// A migrations project: its settings, its revision files and its database.
// Each operation connects, does its work and disconnects; results are
// values, failures are thrown (UsageError, OperationError and its kinds,
// see mig/errors.h). One Project is used by one thread at a time; projects
// on different threads share nothing.
class Project {
 public:
  // DIR/mig.toml if there is one (else the defaults), relative paths taken
  // from DIR. `env` looks up ${VAR} and DATABASE_URL / MIG_ENV; the default
  // reads no environment at all.
  static Project open(const std::string& dir, const EnvLookup& env = {});
  explicit Project(Settings settings);
  // Revisions held in memory instead of settings.migrations_dir.
  Project(Settings settings, std::vector<EmbeddedRevision> revisions);
  ~Project();
  Project(Project&&) noexcept;
  Project& operator=(Project&&) noexcept;

  // Creates DIR with mig.toml, migrations/, seed/ and templates/ (the
  // built-in templates); what is there already is kept.
  static InitResult init(const std::string& dir);

  const Settings& settings() const;
  // Told about progress while an operation runs; may be null (the default).
  void set_observer(Observer* observer);
  // A flag (set from a signal handler, say) that diff and baseline look at
  // between statements: once it is true they stop, drop their scratch
  // databases and throw InterruptedError. Upgrade and downgrade look at it
  // before each revision: the revisions before stay applied, and they throw
  // InterruptedError. May be null (the default).
  void set_interrupt(const std::atomic<bool>* flag);
  // Another URL whose password must never be printed or stored either.
  void mask(const DatabaseUrl& url);

  StatusResult status();
  CurrentResult current();
  std::vector<RevisionInfo> heads();
  // Heads down to base; `range` "A:B" keeps those between A and B.
  HistoryResult history(const std::string& range = "");
  // What an upgrade to `target` would apply, in order (nothing runs).
  std::vector<StepResult> pending(const std::string& target = "heads");
  RevisionDetail show(const std::string& target);

  MigrateResult upgrade(const UpgradeOptions& options = {});
  MigrateResult downgrade(const DowngradeOptions& options);
  // The SQL script of an upgrade or downgrade to `target`, for a DBA to run
  // with the database's own client. `target` "FROM:TO" needs no database.
  std::string script(const std::string& action, const std::string& target);
  StampResult stamp(const std::string& target);
  SeedRunResult seed(const SeedOptions& options = {});
  // Settles a half-applied revision by hand: completed, or reverted.
  ResolveResult resolve(const std::string& revision, bool completed);
  // Accepts the edited file of an applied revision.
  RehashResult rehash(const std::string& revision);

  // Writes a new revision file from the templates (its parents resolved
  // from the files; no database is read) and returns its path.
  std::string new_revision(const RevisionRequest& request);
  // A merge revision joining `revisions` (default: every head).
  std::string merge(const std::vector<std::string>& revisions, const std::string& message);

  // The static checks, and with `with_database` the database's too.
  CheckResult check(bool with_database);
  CheckResult check(const CheckOptions& options);
  // Every revision up, down and up again on an empty scratch database:
  // `scratch_url`, or a temporary SQLite file when empty.
  VerifyResult verify(const std::string& scratch_url = "");
  SchemaResult schema();
  // Loads `to` into a scratch database and replays the revisions there
  // after it, writes the revision between them (parent: the head) and
  // proves it on the scratch database first: its upgrade gives the desired
  // schema, its downgrade the replayed one. SQLite, PostgreSQL and MySQL.
  DiffResult diff(const DiffOptions& options);
  // Adopts an existing database: writes the project's first revision, whose
  // upgrade makes the database's schema and whose downgrade removes it,
  // proves it on a scratch database, and stamps it as applied on the
  // database (no DDL runs there).
  // `dev_url` as for DiffOptions::dev_url.
  BaselineResult baseline(const std::string& message, const std::string& dev_url = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mig
