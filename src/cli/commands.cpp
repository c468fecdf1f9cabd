#include "cli/commands.h"

#include <unistd.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <chrono>
#include <ctime>
#include <fstream>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "check/lint.h"
#include "db/schema.h"
#include "engine/migrator.h"
#include "engine/offline_script.h"
#include "engine/seeder.h"
#include "script/revision_file.h"
#include "script/seed_file.h"
#include "script/templates.h"

namespace fs = boost::filesystem;
using nlohmann::json;

namespace mig {
namespace {

std::string format_ms(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, ms < 10 ? "%.1f ms" : "%.0f ms", ms);
  return buf;
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
  return out;
}

std::vector<std::string> ids(const RevisionGraph& graph, const std::vector<int>& revs) {
  std::vector<std::string> out;
  for (int r : revs) out.push_back(graph.at(r).id);
  return out;
}

class CliReporter : public Reporter {
 public:
  explicit CliReporter(Output& out) : out_(out), tty_(isatty(STDOUT_FILENO)) {}
  void statement(const Revision&, size_t number, const Statement& st) override {
    out_.detail("    [" + std::to_string(number) + "] " + st.sql);
  }
  void step_done(const Revision& rev, Direction d, double ms) override {
    out_.progress(std::string(d == Direction::Up ? "upgrade   " : "downgrade ") + rev.id + "  " +
                  rev.message + "  (" + format_ms(ms) + ")");
    ++count_;
  }
  // On a terminal one line is redrawn as batches go; elsewhere (CI logs) a
  // single summary line is written when the statement is done.
  void batch_progress(const Revision&, size_t number, long long batches, long long rows,
                      double seconds, bool done) override {
    if (out_.verbosity() == Verbosity::Quiet || out_.json()) return;
    auto now = std::chrono::steady_clock::now();
    if (!done && (!tty_ || now - last_draw_ < std::chrono::milliseconds(100))) return;
    last_draw_ = now;
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.0f", seconds > 0 ? rows / seconds : 0.0);
    std::string text = "    [" + std::to_string(number) + "] batch " + std::to_string(batches) +
                       ": " + std::to_string(rows) + " rows so far, " + rate + " rows/s";
    if (done)
      text = "    [" + std::to_string(number) + "] " + std::to_string(rows) + " rows in " +
             std::to_string(batches) + " batches, " + rate + " rows/s";
    if (tty_) {
      std::cout << "\r\033[K" << text << (done ? "\n" : "") << std::flush;
    } else {
      out_.progress(text);
    }
  }
  void skipped(const Revision& rev) override {
    out_.progress("skip      " + rev.id + "  " + rev.message + "  (data, --schema-only)");
  }
  int count() const { return count_; }

 private:
  Output& out_;
  bool tty_;
  int count_ = 0;
  std::chrono::steady_clock::time_point last_draw_{};
};

void warn_unknown(Context& ctx, const DatabaseState& state) {
  for (const auto& id : state.unknown)
    ctx.out->warn("revision " + id + " is recorded as applied but no file in " +
                  ctx.settings.migrations_dir + " defines it");
}

std::string describe_current(const RevisionGraph& graph, const AppliedSet& applied) {
  auto current = current_revisions(graph, applied);
  return current.empty() ? "base" : join(ids(graph, current), ", ");
}

void no_json(Context& ctx, const char* command) {
  if (ctx.global.json)
    throw UsageError(std::string("--json: '") + command + "' has no JSON output");
}

std::string half_applied_text(const RevisionGraph& graph, const Progress& p) {
  std::string where;
  int i = graph.find(p.revision);
  if (i >= 0) {
    const Revision& r = graph.at(i);
    const auto& sts = p.direction == "upgrade" ? r.upgrade : r.downgrade;
    where = " (" + r.path;
    if (p.statement_no >= 1 && p.statement_no <= static_cast<long long>(sts.size()))
      where += ":" + std::to_string(sts[p.statement_no - 1].line);
    where += ")";
  }
  std::string text = p.revision + " is half applied: its " + p.direction;
  std::string n = std::to_string(p.statement_no), of = std::to_string(p.statements);
  if (p.state == "failed")
    text += " failed at statement " + n + " of " + of + where + ": " + p.error;
  else if (p.state == "ready" && p.statement_no > p.statements)
    text += " was interrupted after its last statement had taken effect, before it was recorded";
  else if (p.state == "ready")
    text += " was interrupted before statement " + n + " of " + of + where +
            " took effect (the statements before it did)";
  else
    text += " was interrupted while running statement " + n + " of " + of + where +
            "; that statement ran outside a transaction (DDL, or a statement mig cannot run "
            "together with its record), so it may or may not have taken effect";
  return text;
}

// MySQL and `transaction off` revisions can stop half way. Until that is
// settled nothing else runs; --resume continues it from the failed statement.
void check_half_applied(Context& ctx, VersionStore& store, const RevisionGraph& graph,
                        Direction direction, bool resume, Migrator& migrator) {
  const char* verb = direction == Direction::Up ? "upgrade" : "downgrade";
  for (const Progress& p : store.progress()) {
    std::string text = half_applied_text(graph, p);
    int at = graph.find(p.revision);
    bool batch_interrupted = false;
    if (at >= 0 && p.state == "running" && p.direction == verb) {
      const auto& sts = direction == Direction::Up ? graph.at(at).upgrade : graph.at(at).downgrade;
      batch_interrupted = p.statement_no >= 1 &&
                          p.statement_no <= static_cast<long long>(sts.size()) &&
                          sts[p.statement_no - 1].batch;
    }
    if (!resume && !batch_interrupted)
      throw OperationError(text + "\n  fix the file and run `mig " + p.direction +
                           " --resume`, or settle it by hand and run `mig resolve " + p.revision +
                           " --completed` (or --reverted)");
    if (p.direction != verb)
      throw OperationError(text + "\n  --resume continues it with `mig " + p.direction +
                           " --resume`, not with " + verb);
    int i = graph.find(p.revision);
    if (i < 0) throw OperationError(text + "\n  and its file is gone, so it cannot be resumed");
    const auto& sts = direction == Direction::Up ? graph.at(i).upgrade : graph.at(i).downgrade;
    long long last = static_cast<long long>(sts.size()) + (p.state == "ready" ? 1 : 0);
    if (p.statement_no < 1 || p.statement_no > last ||
        done_checksum(sts, p.statement_no - 1) != p.done_checksum)
      throw OperationError(text + "\n  cannot resume: statements 1-" +
                           std::to_string(p.statement_no - 1) +
                           " in the file are no longer the ones that ran");
    if (batch_interrupted)
      ctx.out->progress("resuming interrupted batched " + p.revision + " at statement " +
                        std::to_string(p.statement_no) +
                        " (a run stopped during its backfill; the batches it committed stay, and "
                        "the statement repeats until it changes no rows)");
    else
      ctx.out->progress("resuming " + p.revision + " at statement " +
                        std::to_string(p.statement_no));
    migrator.resume(p.revision, p.statement_no);
  }
}

// --sql: the script for FROM:TO (no connection) or from the database's
// current state to TO (read without taking the lock).
int offline(Context& ctx, const MigrateOptions& opts, Direction direction) {
  const char* verb = direction == Direction::Up ? "upgrade" : "downgrade";
  if (opts.dry_run || opts.resume)
    throw UsageError("--sql cannot be combined with --dry-run or --resume");
  RevisionGraph graph = load_graph(ctx.settings);
  std::string from, to = opts.target;
  AppliedSet applied(graph.size(), false);
  size_t colon = opts.target.find(':');
  if (colon != std::string::npos) {
    from = opts.target.substr(0, colon);
    to = opts.target.substr(colon + 1);
    if (from.empty() || to.empty())
      throw UsageError("--sql target must be FROM:TO, e.g. base:head");
    applied = stamp_state(graph, applied, from);
  } else {
    try {
      applied = read_state_if_exists(ctx.settings, ctx.redactor, graph).applied;
    } catch (const OperationError& e) {
      throw OperationError(std::string(e.what()) +
                           "\n  to write the script without a database, give the start: " + "mig " +
                           verb + " FROM:" + to + " --sql");
    }
    from = describe_current(graph, applied);
  }
  Plan plan = direction == Direction::Up ? plan_upgrade(graph, applied, to)
                                         : plan_downgrade(graph, applied, to);
  ScriptOptions o;
  o.backend = ctx.settings.url.backend;
  o.prefix = ctx.settings.table_prefix;
  o.schema = ctx.settings.schema;
  o.generated_at = utc_now();
  o.description = std::string(verb) + " " + from + ":" + to;
  std::string script = render_script(graph, plan, o);
  script.pop_back();
  // Masked, the script would run with "***" in place of what a revision
  // says (ALTER ROLE … PASSWORD): refused rather than printed either way.
  if (ctx.redactor->apply(script) != script)
    throw OperationError(
        "the script would hold the password of a database URL mig was given "
        "(a revision quotes it); mig prints no password, so take it out of the "
        "revision, or run this " +
        std::string(verb) + " with mig itself");
  ctx.out->data(script);
  return 0;
}

// Remembers the schema mig leaves behind, so `status` can tell drift. The
// fingerprint is stored as "FINGERPRINT@VERSION" where the database keeps a
// schema version (see Database::schema_version), else as FINGERPRINT. Only
// SQLite has one, and it keeps the whole text whatever the column's length.
void save_snapshot(Context& ctx, Database& db, VersionStore& store) {
  try {
    const std::string& prefix = ctx.settings.table_prefix;
    std::string fingerprint = db.schema_fingerprint(prefix);
    std::string version = db.schema_version();
    if (!fingerprint.empty() && !version.empty()) fingerprint += "@" + version;
    store.save_snapshot(inspect_schema(db, prefix).text(), fingerprint);
  } catch (const std::exception& e) {
    ctx.out->warn(std::string("could not record the schema snapshot: ") + e.what());
  }
}

// Drift: how the live schema differs from the snapshot mig last recorded
// (empty when they agree or there is no snapshot yet). Cheapest proof first:
// the same schema version, then the same fingerprint, then the same text.
std::string schema_drift(Context& ctx, Database& db, VersionStore& store) {
  std::string recorded_fingerprint = store.snapshot_fingerprint();
  if (size_t at = recorded_fingerprint.find('@'); at != std::string::npos) {
    std::string version = db.schema_version();
    if (!version.empty() && recorded_fingerprint.compare(at + 1, std::string::npos, version) == 0)
      return {};
    recorded_fingerprint.resize(at);
  }
  std::string fingerprint = db.schema_fingerprint(ctx.settings.table_prefix);
  if (!fingerprint.empty() && fingerprint == recorded_fingerprint) return {};
  std::string recorded = store.snapshot();
  if (recorded.empty()) return {};
  std::string live = inspect_schema(db, ctx.settings.table_prefix).text();
  return live == recorded ? std::string() : diff_schemas(recorded, live);
}

// Applied revisions whose file changed since: (graph index, recorded checksum).
std::vector<std::pair<int, std::string>> edited_revisions(const RevisionGraph& graph,
                                                          const DatabaseState& state) {
  std::vector<std::pair<int, std::string>> out;
  for (const auto& row : state.rows) {
    int i = graph.find(row.id);
    if (i >= 0 && row.checksum != graph.at(i).checksum) out.emplace_back(i, row.checksum);
  }
  return out;
}

// Running on top of an applied revision whose SQL changed would leave the
// database out of step with the files; the user must accept the edit first.
void refuse_edited(const RevisionGraph& graph, const DatabaseState& state) {
  auto edited = edited_revisions(graph, state);
  if (edited.empty()) return;
  std::string list;
  for (const auto& [i, sum] : edited)
    list += "\n  " + graph.at(i).id + "  " + graph.at(i).path + "  recorded " + sum.substr(0, 12) +
            ", file now " + graph.at(i).checksum.substr(0, 12);
  throw OperationError("applied revision(s) changed since they were applied:" + list +
                       "\n  restore the file(s), or accept the change with `mig rehash " +
                       graph.at(edited.front().first).id + "`");
}

// Runs the seed files after an upgrade, or for `mig seed`; the lock is held.
int seed_all(Context& ctx, Database& db, VersionStore& store, const RevisionGraph& graph,
             const AppliedSet& applied, bool force, bool dry_run) {
  auto seeds = load_seeds(ctx.settings.seed_dir, dialect_of(ctx.settings.url.backend));
  if (!dry_run) store.ensure();
  auto recorded = store.seeds();
  // Every requirement is checked before any seed runs. On refusal, commit
  // what this run did so far (SQLite holds it in the run's transaction).
  for (const SeedFile& seed : seeds) {
    if (seed.requires_revision.empty() || !seed.runs_in(ctx.settings.environment)) continue;
    int r = graph.find(seed.requires_revision);
    std::string problem;
    if (r < 0)
      problem = seed.path + ":" + std::to_string(seed.requires_line) +
                ": -- mig:requires names unknown revision " + seed.requires_revision;
    else if (!applied[r])
      problem = "seed " + seed.name + " requires revision " + graph.at(r).id + " (" +
                graph.at(r).message + "), which is not applied yet; run `mig upgrade` first";
    if (!problem.empty()) {
      db.release_lock();
      throw OperationError(problem + "; no seed was run");
    }
  }
  int ran = 0, unchanged = 0;
  for (const SeedFile& seed : seeds) {
    SeedState state = seed_state(seed, recorded, ctx.settings.environment);
    if (state == SeedState::OtherEnvironment) {
      ctx.out->detail("skip seed " + seed.name + " (only for " + join(seed.environments, ", ") +
                      ")");
      continue;
    }
    if (state == SeedState::Applied && !force) {
      ++unchanged;
      ctx.out->detail("seed " + seed.name + " unchanged");
      continue;
    }
    if (dry_run) {
      ctx.out->data("would seed " + seed.name + "  (" + to_string(state) + ")");
      continue;
    }
    double ms = run_seed(db, store, seed);
    ++ran;
    ctx.out->progress("seed      " + seed.name + "  (" + to_string(state) + ", " + format_ms(ms) +
                      ")");
  }
  if (!dry_run)
    ctx.out->progress("seeded " + std::to_string(ran) + " file(s); " + std::to_string(unchanged) +
                      " unchanged");
  return 0;
}

int migrate(Context& ctx, const MigrateOptions& opts, Direction direction) {
  const char* verb = direction == Direction::Up ? "upgrade" : "downgrade";
  no_json(ctx, verb);
  ctx.out->set_data_on_stdout(opts.dry_run || opts.sql);
  if (opts.sql && (opts.seed || opts.schema_only))
    throw UsageError(std::string("--sql cannot be combined with ") +
                     (opts.seed ? "--seed (seeds run against a live database, after an upgrade)"
                                : "--schema-only (the script would leave data revisions out "
                                  "without recording them)"));
  if (opts.sql) return offline(ctx, opts, direction);
  if (opts.target.find(':') != std::string::npos)
    throw UsageError("FROM:TO targets are only for --sql");
  if (opts.max_batches < 1) throw UsageError("--max-batches must be at least 1");
  RevisionGraph graph = load_graph(ctx.settings);
  if (opts.seed) load_seeds(ctx.settings.seed_dir, dialect_of(ctx.settings.url.backend));
  // A new project: there is nothing to do, and nothing (not even an empty
  // database file) is created.
  if (graph.size() == 0 && direction == Direction::Up && !opts.seed &&
      (opts.target == "head" || opts.target == "heads")) {
    ctx.out->progress("nothing to upgrade: there are no revision files in " +
                      ctx.settings.migrations_dir + " yet (mig revision MESSAGE writes one)");
    return 0;
  }
  auto db = connect(ctx.settings, ctx.redactor, ctx.out.get());
  VersionStore store(*db, ctx.settings.table_prefix);
  db->acquire_lock([&](const std::string& m) { ctx.out->notice(m); });
  CliReporter reporter(*ctx.out);
  Migrator migrator(*db, store, graph, reporter);
  migrator.skip_data(opts.schema_only);
  migrator.max_batches(opts.max_batches);
  check_half_applied(ctx, store, graph, direction, opts.resume, migrator);
  DatabaseState state = read_state(store, graph);
  warn_unknown(ctx, state);
  refuse_edited(graph, state);
  if (direction == Direction::Down && !state.unknown.empty())
    throw OperationError("cannot downgrade while applied revision(s) " + join(state.unknown, ", ") +
                         " have no file: mig cannot tell where they sit or how to undo them");
  Plan plan = direction == Direction::Up ? plan_upgrade(graph, state.applied, opts.target)
                                         : plan_downgrade(graph, state.applied, opts.target);
  AppliedSet after = state.applied;
  for (const Step& s : plan.steps) {
    bool skip = opts.schema_only && graph.at(s.revision).kind == RevisionKind::Data;
    if (!skip) after[s.revision] = direction == Direction::Up;
  }
  if (opts.dry_run) {
    for (const Step& s : plan.steps) {
      const Revision& rev = graph.at(s.revision);
      bool skip = opts.schema_only && rev.kind == RevisionKind::Data;
      ctx.out->data(std::string(skip ? "would skip " : "would ") + verb + " " + rev.id + "  " +
                    rev.message + "  (" + rev.path + ")");
    }
    if (opts.seed) seed_all(ctx, *db, store, graph, after, opts.force_seed, true);
    db->release_lock();
    return 0;
  }
  if (plan.steps.empty()) {
    ctx.out->progress(std::string("nothing to ") + verb + "; the database is at " +
                      describe_current(graph, state.applied));
  } else {
    store.ensure();
    auto start = std::chrono::steady_clock::now();
    try {
      migrator.run(plan);
    } catch (const StepFailure&) {
      save_snapshot(ctx, *db, store);  // earlier revisions of the run did change it
      throw;
    }
    save_snapshot(ctx, *db, store);
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    ctx.out->progress(std::string(direction == Direction::Up ? "upgraded " : "downgraded ") +
                      std::to_string(reporter.count()) + " revision(s) in " + format_ms(ms) +
                      "; the database is at " + describe_current(graph, after));
  }
  if (opts.seed) seed_all(ctx, *db, store, graph, after, opts.force_seed, false);
  db->release_lock();
  return 0;
}

std::string now_utc(const char* format) {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

bool write_new_file(const fs::path& path, const std::string& text) {
  if (fs::exists(path)) return false;
  std::ofstream f(path.string(), std::ios::binary);
  f << text;
  f.close();
  if (!f) throw OperationError("cannot write " + path.string());
  return true;
}

json revision_json(const RevisionGraph& graph, int i, const AppliedSet& applied,
                   const std::vector<int>& current) {
  const Revision& r = graph.at(i);
  const auto& heads = graph.heads();
  return json{{"id", r.id},
              {"parents", r.parents},
              {"depends", r.depends},
              {"message", r.message},
              {"kind", to_string(r.kind)},
              {"path", r.path},
              {"head", std::find(heads.begin(), heads.end(), i) != heads.end()},
              {"current", std::find(current.begin(), current.end(), i) != current.end()},
              {"applied", static_cast<bool>(applied[i])}};
}

}  // namespace

std::string default_config_text() {
  return R"(# mig configuration. Every setting is optional; the values below are the
# defaults. Relative paths are relative to this file. ${VAR} and
# ${VAR:-fallback} expand from the environment.

[database]
url = "sqlite:var/mig.db"
table_prefix = "mig_"
lock_timeout = 60          # seconds to wait for another run's lock

[paths]
migrations = "migrations"
seed = "seed"
templates = "templates"

[revision]
file_template = "{{timestamp}}_{{id}}_{{slug}}.sql"

# Select with --env NAME or MIG_ENV=NAME; any setting above can be overridden.
# [environments.production]
# url = "${DATABASE_URL}"
)";
}

int cmd_init(Context& ctx, const std::string& dir) {
  no_json(ctx, "init");
  fs::path root(dir.empty() ? "." : dir);
  for (const char* sub : {"", "migrations", "seed", "templates"}) {
    fs::path p = root / sub;
    if (!fs::exists(p)) {
      fs::create_directories(p);
      ctx.out->progress("created " + p.string() + "/");
    }
  }
  if (write_new_file(root / "mig.toml", default_config_text()))
    ctx.out->progress("created " + (root / "mig.toml").string());
  else
    ctx.out->progress("kept existing " + (root / "mig.toml").string());
  for (const auto& name : builtin_template_names()) {
    fs::path p = root / "templates" / (name + ".sql.mustache");
    if (write_new_file(p, builtin_template(name))) ctx.out->progress("created " + p.string());
  }
  return 0;
}

void graph_branch_is_new(const RevisionGraph& graph, const std::string& branch) {
  try {
    graph.branch_base(branch);
  } catch (const UsageError&) {
    return;
  }
  throw UsageError("--branch: there is already a branch labelled '" + branch +
                   "'; add to it "
                   "with --parent " +
                   branch + "@head");
}

// `mig revision MESSAGE --seed`: a new file in seed/ from the seed template.
int new_seed(Context& ctx, const RevisionOptions& opts) {
  const Settings& s = ctx.settings;
  if (opts.kind != "schema" || !opts.parents.empty())
    throw UsageError("--seed cannot be combined with --kind or --parent");
  NewRevision nr;
  nr.message = opts.message;
  nr.kind = "seed";
  nr.created = now_utc("%Y-%m-%dT%H:%M:%SZ");
  nr.timestamp = now_utc("%Y%m%d%H%M%S");
  std::string name = opts.template_name.empty() ? "seed" : opts.template_name;
  std::string origin = s.templates_dir + "/" + name + ".sql.mustache";
  std::string text = render_template(load_template(s.templates_dir, name), nr, origin);
  try {
    parse_seed(text, "new", origin + " (rendered)", dialect_of(s.url.backend));
  } catch (const FileError& e) {
    throw OperationError(std::string("template does not render a valid seed file: ") + e.what());
  }
  fs::create_directories(s.seed_dir);
  fs::path file = fs::path(s.seed_dir) / (nr.timestamp + "_" + slugify(nr.message) + ".sql");
  if (!write_new_file(file, text)) throw OperationError(file.string() + " already exists");
  ctx.out->data("created " + file.string());
  return 0;
}

int cmd_revision(Context& ctx, const RevisionOptions& opts) {
  no_json(ctx, "revision");
  std::string message = opts.message;
  if (message.find_first_of("\r\n") != std::string::npos)
    throw UsageError("MESSAGE must be one line");
  if (message.find_first_not_of(" \t") == std::string::npos)
    throw UsageError("MESSAGE must not be empty");
  const Settings& s = ctx.settings;
  if (opts.seed) return new_seed(ctx, opts);
  fs::create_directories(s.migrations_dir);
  RevisionGraph graph = load_graph(s, RevisionText::Summary);

  NewRevision nr;
  nr.branch = opts.branch;
  AppliedSet none(graph.size(), false);
  if (!opts.branch.empty()) {
    if (!opts.parents.empty())
      throw UsageError("--branch starts a new base revision; it cannot have --parent");
    graph_branch_is_new(graph, opts.branch);
  } else if (!opts.parents.empty()) {
    for (const auto& p : opts.parents)
      for (int r : resolve_target(graph, none, p, Direction::Up))
        nr.parents.push_back(graph.at(r).id);
    if (nr.parents.empty()) throw UsageError("--parent names no revision");
  } else if (graph.heads().size() > 1) {
    throw UsageError("there are several heads (" + join(ids(graph, graph.heads()), ", ") +
                     "); pass --parent ID to choose one");
  } else if (!graph.heads().empty()) {
    nr.parents.push_back(graph.at(graph.heads().front()).id);
  }
  do nr.id = random_revision_id();
  while (graph.find(nr.id) >= 0);
  nr.message = message;
  nr.kind = opts.kind;
  nr.created = now_utc("%Y-%m-%dT%H:%M:%SZ");
  nr.timestamp = now_utc("%Y%m%d%H%M%S");

  std::string name = opts.template_name.empty() ? opts.kind : opts.template_name;
  std::string origin = s.templates_dir + "/" + name + ".sql.mustache";
  std::string text = render_template(load_template(s.templates_dir, name), nr, origin);
  Revision rendered;
  try {
    rendered = parse_revision(text, origin + " (rendered)", dialect_of(s.url.backend));
  } catch (const FileError& e) {
    throw OperationError(std::string("template does not render a valid revision file: ") +
                         e.what());
  }
  if (rendered.id != nr.id || rendered.parents != nr.parents || rendered.branch != nr.branch)
    throw OperationError(origin +
                         ": the template must write -- mig:revision {{id}} and "
                         "-- mig:parent {{parents}} (and -- mig:branch {{branch}} for --branch)");
  if (std::string(to_string(rendered.kind)) != opts.kind)
    throw OperationError(origin + ": --kind " + opts.kind + " asked for, but the template writes " +
                         "a " + to_string(rendered.kind) + " revision");

  fs::path file = fs::path(s.migrations_dir) / render_file_name(s.file_template, nr);
  if (file.has_parent_path()) fs::create_directories(file.parent_path());
  if (!write_new_file(file, text)) throw OperationError(file.string() + " already exists");
  ctx.out->data("created " + file.string());
  return 0;
}

int cmd_upgrade(Context& ctx, const MigrateOptions& opts) {
  return migrate(ctx, opts, Direction::Up);
}

int cmd_downgrade(Context& ctx, const MigrateOptions& opts) {
  return migrate(ctx, opts, Direction::Down);
}

int cmd_current(Context& ctx) {
  ctx.out->set_data_on_stdout(true);
  auto [graph, state] = load_graph_and_state(ctx.settings, ctx.redactor);
  auto current = current_revisions(graph, state.applied);
  if (ctx.out->json()) {
    json list = json::array();
    for (int i : current) list.push_back(revision_json(graph, i, state.applied, current));
    ctx.out->data(json{
        {"database", ctx.settings.url.redacted()}, {"current", list}, {"unknown", state.unknown}}
                      .dump(2));
    return 0;
  }
  warn_unknown(ctx, state);
  if (current.empty()) ctx.out->data("base (no revision applied)");
  const auto& heads = graph.heads();
  for (int i : current) {
    bool head = std::find(heads.begin(), heads.end(), i) != heads.end();
    ctx.out->data(graph.at(i).id + (head ? " (head)" : "") + "  " + graph.at(i).message);
  }
  return 0;
}

int cmd_heads(Context& ctx) {
  ctx.out->set_data_on_stdout(true);
  auto [graph, state] = load_graph_and_state(ctx.settings, ctx.redactor, ctx.out.get());
  auto current = current_revisions(graph, state.applied);
  if (ctx.out->json()) {
    json list = json::array();
    for (int i : graph.heads()) list.push_back(revision_json(graph, i, state.applied, current));
    ctx.out->data(json{{"heads", list}}.dump(2));
    return 0;
  }
  for (int i : graph.heads()) {
    bool cur = std::find(current.begin(), current.end(), i) != current.end();
    ctx.out->data(graph.at(i).id + " (head)" + (cur ? " (current)" : "") + "  " +
                  graph.at(i).message);
  }
  return 0;
}

// Draws the graph like `git log --graph`: one lane per line of descent,
// `|\` where a merge revision's parents split off, `|/` where lanes join.
std::vector<std::string> draw_graph(const RevisionGraph& graph, const std::vector<int>& rows,
                                    const std::function<std::string(int)>& mark,
                                    const std::function<std::string(int)>& text) {
  std::vector<std::string> out;
  std::vector<int> lanes;
  auto bars = [&](size_t from, size_t to) {
    std::string s;
    for (size_t i = from; i < to; ++i) s += "| ";
    return s;
  };
  for (int rev : rows) {
    auto it = std::find(lanes.begin(), lanes.end(), rev);
    size_t col = it - lanes.begin();
    if (it == lanes.end()) lanes.push_back(rev);
    // Other lanes waiting for this revision join it first.
    for (size_t j = lanes.size(); j-- > col + 1;) {
      if (lanes[j] != rev) continue;
      out.push_back(bars(0, j - 1) + "|/" + std::string(j + 1 < lanes.size() ? " " : "") +
                    bars(j + 1, lanes.size()));
      lanes.erase(lanes.begin() + j);
    }
    std::string line = bars(0, col) + mark(rev) + " " + bars(col + 1, lanes.size());
    out.push_back(line + " " + text(rev));
    const auto& parents = graph.parents(rev);
    if (parents.empty()) {
      lanes.erase(lanes.begin() + col);
      continue;
    }
    lanes[col] = parents[0];
    for (size_t k = 1; k < parents.size(); ++k) {
      if (std::find(lanes.begin(), lanes.end(), parents[k]) != lanes.end()) continue;
      lanes.insert(lanes.begin() + col + k, parents[k]);
      out.push_back(bars(0, col) + "|\\" + std::string(col + k + 1 < lanes.size() ? " " : "") +
                    bars(col + k + 1, lanes.size()));
    }
  }
  return out;
}

std::string dot_quote(const std::string& s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    // Keep the "\n" line breaks we put in labels; escape everything else.
    bool line_break = s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 'n';
    if (s[i] == '"' || (s[i] == '\\' && !line_break)) out += '\\';
    out += s[i];
  }
  return out + "\"";
}

int cmd_history(Context& ctx, const std::string& range, const std::string& format) {
  ctx.out->set_data_on_stdout(true);
  if (format != "text" && format != "graph" && format != "dot")
    throw UsageError("--format must be text, graph or dot");
  if (ctx.out->json() && format != "text")
    throw UsageError("--json and --format " + format + " ask for two output formats; choose one");
  auto [graph, state] = load_graph_and_state(ctx.settings, ctx.redactor, ctx.out.get());
  auto current = current_revisions(graph, state.applied);
  std::vector<bool> lower(graph.size(), true), upper(graph.size(), true);
  if (!range.empty()) {
    size_t colon = range.find(':');
    if (colon == std::string::npos || range.find(':', colon + 1) != std::string::npos)
      throw UsageError("--range expects A:B (either side may be empty), not '" + range + "'");
    std::string a = range.substr(0, colon), b = range.substr(colon + 1);
    if (!a.empty() && a != "base")
      lower = graph.descendants(resolve_target(graph, state.applied, a, Direction::Up), true);
    if (!b.empty() && b != "heads")
      upper = graph.ancestors(resolve_target(graph, state.applied, b, Direction::Up), true);
  }
  const auto& heads = graph.heads();
  auto is_head = [&](int i) { return std::find(heads.begin(), heads.end(), i) != heads.end(); };
  auto is_current = [&](int i) {
    return std::find(current.begin(), current.end(), i) != current.end();
  };
  std::vector<int> rows;
  const auto& order = graph.order();
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    if (lower[*it] && upper[*it]) rows.push_back(*it);

  if (ctx.out->json()) {
    json list = json::array();
    for (int i : rows) list.push_back(revision_json(graph, i, state.applied, current));
    ctx.out->data(list.dump(2));
    return 0;
  }
  auto markers = [&](int i) {
    const Revision& r = graph.at(i);
    std::string m;
    if (!r.branch.empty()) m += " (branch " + r.branch + ")";
    if (is_head(i)) m += " (head)";
    if (is_current(i)) m += " (current)";
    if (r.parents.size() > 1) m += " (merge)";
    if (graph.children(i).size() > 1) m += " (branchpoint)";
    if (r.kind == RevisionKind::Data) m += " (data)";
    if (!r.depends.empty()) m += " (depends " + join(r.depends, ", ") + ")";
    return m;
  };
  if (format == "dot") {
    std::string dot = "digraph mig {\n  rankdir=BT;\n  node [shape=box, fontname=\"monospace\"];\n";
    for (int i : rows) {
      const Revision& r = graph.at(i);
      std::string attrs = "label=" + dot_quote(r.id + "\\n" + r.message + markers(i));
      if (is_current(i))
        attrs += ", style=filled, fillcolor=\"lightblue\"";
      else if (state.applied[i])
        attrs += ", style=filled, fillcolor=\"#e8f0e8\"";
      if (is_head(i)) attrs += ", penwidth=2";
      if (r.kind == RevisionKind::Data) attrs += ", shape=note";
      dot += "  " + dot_quote(r.id) + " [" + attrs + "];\n";
    }
    for (int i : rows) {
      const Revision& r = graph.at(i);
      for (const auto& p : r.parents)
        if (lower[graph.find(p)] && upper[graph.find(p)])
          dot += "  " + dot_quote(p) + " -> " + dot_quote(r.id) + ";\n";
      for (const auto& d : r.depends)
        if (lower[graph.find(d)] && upper[graph.find(d)])
          dot += "  " + dot_quote(d) + " -> " + dot_quote(r.id) +
                 " [style=dashed, label=\"depends\"];\n";
    }
    ctx.out->data(dot + "}");
    return 0;
  }
  if (format == "graph") {
    auto mark = [&](int i) {
      return std::string(is_current(i) ? "@" : state.applied[i] ? "*" : "o");
    };
    auto text = [&](int i) { return graph.at(i).id + markers(i) + ", " + graph.at(i).message; };
    for (const auto& line : draw_graph(graph, rows, mark, text)) ctx.out->data(line);
    return 0;
  }
  for (int i : rows) {
    const Revision& r = graph.at(i);
    std::string line = (r.parents.empty() ? "<base>" : join(r.parents, ", ")) + " -> " + r.id;
    ctx.out->data(line + markers(i) + ", " + r.message);
    ctx.out->detail("    " + r.path + (r.created.empty() ? "" : "  created " + r.created) +
                    (state.applied[i] ? "  applied" : "  pending"));
  }
  return 0;
}

int cmd_merge(Context& ctx, const std::vector<std::string>& revisions, const std::string& message) {
  RevisionGraph graph = load_graph(ctx.settings, RevisionText::Summary);
  RevisionOptions opts;
  opts.message = message;
  opts.template_name = "merge";
  if (revisions.empty()) {
    for (int h : graph.heads()) opts.parents.push_back(graph.at(h).id);
  } else {
    opts.parents = revisions;
  }
  if (opts.parents.size() < 2)
    throw UsageError(revisions.empty() ? "there is only one head; nothing to merge"
                                       : "a merge needs at least two revisions");
  return cmd_revision(ctx, opts);
}

std::string transaction_text(const Revision& r) {
  if (!r.transactional) return "off";
  bool up = r.runs_in_transaction(true), down = r.runs_in_transaction(false);
  if (up && down) return "on";
  if (!up && !down) return "off (each section is one statement that cannot run in one)";
  return std::string("on, but the ") + (up ? "downgrade" : "upgrade") +
         " runs outside one (a statement that cannot run in a transaction)";
}

int cmd_show(Context& ctx, const std::string& target) {
  ctx.out->set_data_on_stdout(true);
  RevisionGraph graph = load_graph(ctx.settings);
  AppliedSet none(graph.size(), false);
  auto revs = resolve_target(graph, none, target, Direction::Up);
  if (revs.size() != 1)
    throw UsageError("show needs one revision; '" + target + "' names " +
                     std::to_string(revs.size()));
  const Revision& r = graph.at(revs.front());
  auto sql_list = [](const std::vector<Statement>& sts) {
    json out = json::array();
    for (const auto& st : sts) out.push_back(json{{"line", st.line}, {"sql", st.sql}});
    return out;
  };
  if (ctx.out->json()) {
    ctx.out->data(json{{"id", r.id},
                       {"parents", r.parents},
                       {"depends", r.depends},
                       {"message", r.message},
                       {"created", r.created},
                       {"kind", to_string(r.kind)},
                       {"transaction", r.transactional},
                       {"path", r.path},
                       {"checksum", r.checksum},
                       {"upgrade", sql_list(r.upgrade)},
                       {"downgrade", r.has_downgrade ? sql_list(r.downgrade) : json(nullptr)}}
                      .dump(2));
    return 0;
  }
  std::ostringstream o;
  o << "Revision:    " << r.id << "\n"
    << "Parents:     " << (r.parents.empty() ? "<base>" : join(r.parents, " ")) << "\n";
  if (!r.depends.empty()) o << "Depends:     " << join(r.depends, " ") << "\n";
  o << "Message:     " << r.message << "\n"
    << "Kind:        " << to_string(r.kind) << "\n"
    << "Transaction: " << transaction_text(r) << "\n";
  if (!r.created.empty()) o << "Created:     " << r.created << "\n";
  o << "Path:        " << r.path << "\n"
    << "Checksum:    " << r.checksum << "\n\n"
    << "Upgrade (" << r.upgrade.size() << " statements):\n";
  for (const auto& st : r.upgrade) o << "  " << st.sql << ";\n";
  if (r.has_downgrade) {
    o << "\nDowngrade (" << r.downgrade.size() << " statements):\n";
    for (const auto& st : r.downgrade) o << "  " << st.sql << ";\n";
  } else {
    o << "\nDowngrade: none (irreversible)\n";
  }
  std::string text = o.str();
  text.pop_back();
  ctx.out->data(text);
  return 0;
}

int cmd_check(Context& ctx) {
  ctx.out->set_data_on_stdout(true);
  std::vector<Finding> findings;
  std::unique_ptr<RevisionGraph> graph;
  try {
    graph = std::make_unique<RevisionGraph>(load_graph(ctx.settings));
  } catch (const FileError& e) {
    findings.push_back({"parse", e.path(), e.line(), "", e.what()});
  } catch (const OperationError& e) {
    findings.push_back({"graph", "", 0, "", e.what()});
  }
  if (graph) {
    LintOptions options;
    options.max_heads = ctx.settings.max_heads;
    for (auto& f : lint(*graph, options)) findings.push_back(f);
  }
  // The database is checked only when one is named explicitly.
  // (an empty DATABASE_URL names none, as in choosing the URL)
  bool database = ctx.settings.url_source == "--url" || ctx.settings.url_source == "DATABASE_URL";
  if (graph && database) {
    try {
      DatabaseState state = read_state_if_exists(ctx.settings, ctx.redactor, *graph);
      for (const auto& [i, sum] : edited_revisions(*graph, state))
        findings.push_back(
            {"edited", graph->at(i).path, graph->at(i).revision_line, graph->at(i).id,
             "applied revision " + graph->at(i).id + " changed since (recorded " +
                 sum.substr(0, 12) + ", file now " + graph->at(i).checksum.substr(0, 12) + ")"});
      for (const auto& id : state.unknown)
        findings.push_back(
            {"missing", "", 0, id, "revision " + id + " is applied but no file defines it"});
      if (Database::exists(ctx.settings.url)) {
        auto db = connect(ctx.settings, ctx.redactor);
        VersionStore store(*db, ctx.settings.table_prefix);
        std::string drift = schema_drift(ctx, *db, store);
        if (!drift.empty())
          findings.push_back(
              {"drift", "", 0, "", "the schema changed outside mig since its last run:\n" + drift});
      }
    } catch (const OperationError& e) {
      findings.push_back({"database", "", 0, "", e.what()});
    }
  }
  size_t revisions = graph ? graph->size() : 0;
  if (ctx.out->json()) {
    json list = json::array();
    for (const auto& f : findings)
      list.push_back(json{{"rule", f.rule},
                          {"path", f.path},
                          {"line", f.line},
                          {"revision", f.revision},
                          {"message", f.message}});
    ctx.out->data(json{
        {"ok", findings.empty()},
        {"revisions", revisions},
        {"database_checked", database && graph != nullptr},
        {"findings",
         list}}.dump(2));
  } else {
    for (const auto& f : findings) {
      bool located = !f.path.empty() && f.rule != "parse";
      ctx.out->data((located ? f.path + ":" + std::to_string(f.line) + ": " : "") + f.message);
    }
    ctx.out->progress("check: " + std::to_string(revisions) + " revision(s), " +
                      std::to_string(findings.size()) + " problem(s)" +
                      (database ? "" : " (files only; give --url to check a database too)"));
  }
  return findings.empty() ? 0 : 1;
}

json schema_json(const Schema& schema) {
  json list = json::array();
  for (const auto& o : schema.objects)
    list.push_back(json{{"kind", o.kind}, {"name", o.name}, {"details", o.lines}});
  return list;
}

// Output of verify: the revision lines, not every step's progress.
class SilentReporter : public Reporter {
 public:
  void statement(const Revision&, size_t, const Statement&) override {}
  void step_done(const Revision&, Direction, double) override {}
  void batch_progress(const Revision&, size_t, long long, long long, double, bool) override {}
  void skipped(const Revision&) override {}
};

int cmd_verify(Context& ctx) {
  no_json(ctx, "verify");
  ctx.out->set_data_on_stdout(true);
  RevisionGraph graph = load_graph(ctx.settings);
  // Only --url names a scratch database: DATABASE_URL and mig.toml point at
  // real ones, which verify must never touch.
  DatabaseUrl url;
  fs::path temp;
  if (!ctx.global.url.empty()) {
    url = ctx.settings.url;
  } else {
    temp = fs::temp_directory_path() / fs::unique_path("mig-verify-%%%%-%%%%");
    fs::create_directories(temp);
    url = parse_url("sqlite://" + (temp / "scratch.db").string(), "verify");
  }
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      boost::system::error_code ec;
      if (!dir.empty()) fs::remove_all(dir, ec);
    }
  } cleanup{temp};
  Settings scratch = ctx.settings;
  scratch.url = url;
  auto db = connect(scratch, ctx.redactor, ctx.out.get());
  VersionStore store(*db, ctx.settings.table_prefix);
  if (!inspect_schema(*db, ctx.settings.table_prefix).objects.empty() || store.exists())
    throw UsageError("--url: verify needs an empty scratch database, and " + url.describe() +
                     " is not empty");
  store.ensure();
  ctx.out->progress("verifying " + std::to_string(graph.size()) + " revision(s) on " +
                    url.describe());
  SilentReporter reporter;
  Migrator migrator(*db, store, graph, reporter);
  auto start = std::chrono::steady_clock::now();
  int verified = 0, skipped = 0;
  auto step = [&](int r, Direction d) { migrator.run(Plan{{Step{r, d}}}); };
  auto snapshot = [&] { return inspect_schema(*db, ctx.settings.table_prefix).text(); };
  auto fail = [&](const Revision& r, const std::string& what, const std::string& a,
                  const std::string& b) {
    ctx.out->data("FAIL " + r.id + "  " + r.message + "  (" + r.path + ")\n  " + what +
                  " (- expected, + found):\n" + diff_schemas(a, b));
    ctx.out->data("verify: " + std::to_string(verified) + " verified, " + std::to_string(skipped) +
                  " skipped, 1 failed");
    return 1;
  };
  for (int r : graph.order()) {
    const Revision& rev = graph.at(r);
    std::string s0 = snapshot();
    step(r, Direction::Up);
    std::string s1 = snapshot();
    if (!rev.has_downgrade) {
      ++skipped;
      ctx.out->data("skip " + rev.id + "  " + rev.message + "  (irreversible: upgraded only)");
      continue;
    }
    step(r, Direction::Down);
    std::string s2 = snapshot();
    if (s2 != s0) return fail(rev, "its downgrade does not restore the schema", s0, s2);
    step(r, Direction::Up);
    std::string s3 = snapshot();
    if (s3 != s1) return fail(rev, "upgrading again after the downgrade differs", s1, s3);
    ++verified;
    ctx.out->data("ok   " + rev.id + "  " + rev.message +
                  (rev.kind == RevisionKind::Data ? "  (data)" : ""));
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ctx.out->data("verify: " + std::to_string(verified) + " verified, " + std::to_string(skipped) +
                " skipped, 0 failed, in " + format_ms(ms));
  return 0;
}

int cmd_schema(Context& ctx) {
  ctx.out->set_data_on_stdout(true);
  if (!Database::exists(ctx.settings.url))
    throw OperationError(ctx.settings.url.describe() + " does not exist yet");
  auto db = connect(ctx.settings, ctx.redactor, ctx.out.get());
  Schema schema = inspect_schema(*db, ctx.settings.table_prefix);
  if (ctx.out->json()) {
    ctx.out->data(json{{"objects", schema_json(schema)}}.dump(2));
  } else {
    std::string text = schema.text();
    if (!text.empty()) text.pop_back();
    ctx.out->data(text.empty() ? "(no tables, views or triggers)" : text);
  }
  return 0;
}

int cmd_rehash(Context& ctx, const std::string& revision) {
  no_json(ctx, "rehash");
  RevisionGraph graph = load_graph(ctx.settings, RevisionText::Summary);
  int i = graph.resolve_id(revision);
  const Revision& rev = graph.at(i);
  auto db = connect(ctx.settings, ctx.redactor, ctx.out.get());
  VersionStore store(*db, ctx.settings.table_prefix);
  db->acquire_lock([&](const std::string& m) { ctx.out->notice(m); });
  DatabaseState state = read_state(store, graph);
  if (!state.applied[i]) throw OperationError("revision " + rev.id + " is not applied");
  auto row = std::find_if(state.rows.begin(), state.rows.end(),
                          [&](const AppliedRevision& r) { return r.id == rev.id; });
  if (row->checksum == rev.checksum) {
    db->release_lock();
    ctx.out->progress(rev.id + " is unchanged; nothing to rehash");
    return 0;
  }
  db->begin_step();
  store.update_checksum(rev.id, rev.checksum);
  store.log(
      {0, "", "rehash", rev.id, "ok", 0, "checksum " + row->checksum + " -> " + rev.checksum, 0});
  db->commit_step();
  db->release_lock();
  ctx.out->progress("rehashed " + rev.id + ": the edit of " + rev.path + " is accepted (checksum " +
                    rev.checksum.substr(0, 12) + ")");
  return 0;
}

int cmd_seed(Context& ctx, bool force, bool dry_run) {
  no_json(ctx, "seed");
  ctx.out->set_data_on_stdout(dry_run);
  RevisionGraph graph = load_graph(ctx.settings, RevisionText::Summary);
  load_seeds(ctx.settings.seed_dir, dialect_of(ctx.settings.url.backend));  // parse first
  auto db = connect(ctx.settings, ctx.redactor, ctx.out.get());
  VersionStore store(*db, ctx.settings.table_prefix);
  db->acquire_lock([&](const std::string& m) { ctx.out->notice(m); });
  DatabaseState state = read_state(store, graph);
  seed_all(ctx, *db, store, graph, state.applied, force, dry_run);
  db->release_lock();
  return 0;
}

int cmd_stamp(Context& ctx, const std::string& target) {
  no_json(ctx, "stamp");
  RevisionGraph graph = load_graph(ctx.settings, RevisionText::Summary);
  auto db = connect(ctx.settings, ctx.redactor, ctx.out.get());
  VersionStore store(*db, ctx.settings.table_prefix);
  db->acquire_lock([&](const std::string& m) { ctx.out->notice(m); });
  if (!store.progress().empty())
    throw OperationError(half_applied_text(graph, store.progress().front()) +
                         "\n  settle it with `mig resolve` before stamping");
  DatabaseState state = read_state(store, graph);
  warn_unknown(ctx, state);
  AppliedSet to = stamp_state(graph, state.applied, target);
  if (to == state.applied) {
    db->release_lock();
    ctx.out->progress("nothing to stamp; the database is at " +
                      describe_current(graph, state.applied));
    return 0;
  }
  store.ensure();
  CliReporter reporter(*ctx.out);
  Migrator(*db, store, graph, reporter).stamp(state.applied, to);
  save_snapshot(ctx, *db, store);
  db->release_lock();
  for (size_t i = 0; i < graph.size(); ++i)
    if (to[i] != state.applied[i])
      ctx.out->progress(std::string(to[i] ? "stamped   " : "unstamped ") + graph.at(i).id + "  " +
                        graph.at(i).message);
  ctx.out->progress("the database is at " + describe_current(graph, to) +
                    " (recorded only; no SQL was run)");
  return 0;
}

namespace {

// What status reads from the database.
struct StatusRecords {
  std::vector<AppliedRevision> applied;
  std::vector<LogEntry> unsettled;
  std::vector<Progress> half;
  std::map<std::string, std::string> seeds;
  std::string drift;
};

StatusRecords read_status_records(Context& ctx) {
  StatusRecords r;
  auto db = connect(ctx.settings, ctx.redactor, ctx.out.get());
  VersionStore store(*db, ctx.settings.table_prefix);
  r.applied = store.applied();
  r.unsettled = store.unsettled_steps();
  r.half = store.progress();
  r.seeds = store.seeds();
  r.drift = schema_drift(ctx, *db, store);
  return r;
}

}  // namespace

int cmd_status(Context& ctx, bool exit_code) {
  ctx.out->set_data_on_stdout(true);
  bool exists = Database::exists(ctx.settings.url);
  // The database is read while the files are parsed (see load_graph_and_state).
  std::future<StatusRecords> reading;
  if (exists) reading = std::async(std::launch::async, [&ctx] { return read_status_records(ctx); });
  RevisionGraph graph = load_graph(ctx.settings, RevisionText::Summary);
  auto seeds = load_seeds(ctx.settings.seed_dir, dialect_of(ctx.settings.url.backend));
  StatusRecords records = exists ? reading.get() : StatusRecords{};
  DatabaseState state = map_state(std::move(records.applied), graph);
  const auto& unsettled = records.unsettled;
  const auto& half = records.half;
  const auto& recorded_seeds = records.seeds;
  const auto& drift = records.drift;
  auto current = current_revisions(graph, state.applied);
  Plan pending = plan_upgrade(graph, state.applied, "heads");

  auto edited = edited_revisions(graph, state);
  // --exit-code: 1 unless the database is exactly where the files say it
  // should be (a deploy gate).
  bool settled = pending.steps.empty() && half.empty() && edited.empty() && state.unknown.empty() &&
                 drift.empty();
  int code = exit_code && !settled ? 1 : 0;
  std::vector<LogEntry> failed;
  std::set<std::string> skipped;
  for (const auto& e : unsettled) {
    if (e.outcome == "failed") failed.push_back(e);
    if (e.outcome == "skipped") skipped.insert(e.revision);
  }

  if (ctx.out->json()) {
    json j;
    j["database"] = ctx.settings.url.redacted();
    j["current"] = ids(graph, current);
    j["heads"] = ids(graph, graph.heads());
    json p = json::array();
    for (const Step& s : pending.steps)
      p.push_back(json{{"id", graph.at(s.revision).id},
                       {"message", graph.at(s.revision).message},
                       {"kind", to_string(graph.at(s.revision).kind)}});
    j["pending"] = p;
    json e = json::array();
    for (const auto& [i, sum] : edited)
      e.push_back(json{{"id", graph.at(i).id},
                       {"recorded_checksum", sum},
                       {"file_checksum", graph.at(i).checksum},
                       {"path", graph.at(i).path}});
    j["edited"] = e;
    j["missing_files"] = state.unknown;
    json f = json::array();
    for (const auto& x : failed)
      f.push_back(json{{"id", x.revision},
                       {"action", x.action},
                       {"at", x.at},
                       {"statement", x.statement_no},
                       {"error", x.error}});
    j["failed"] = f;
    json h = json::array();
    for (const auto& x : half)
      h.push_back(json{{"id", x.revision},
                       {"direction", x.direction},
                       {"state", x.state},
                       {"statement", x.statement_no},
                       {"statements", x.statements},
                       {"error", x.error},
                       {"description", half_applied_text(graph, x)}});
    j["half_applied"] = h;
    json sj = json::array();
    for (const auto& seed : seeds)
      sj.push_back(
          json{{"name", seed.name},
               {"state", to_string(seed_state(seed, recorded_seeds, ctx.settings.environment))}});
    j["seeds"] = sj;
    j["drift"] = json{{"detected", !drift.empty()}, {"diff", drift}};
    ctx.out->data(j.dump(2));
    return code;
  }
  auto& o = *ctx.out;
  o.data("database: " + ctx.settings.url.redacted() + (exists ? "" : " (not created yet)"));
  if (!ctx.settings.environment.empty()) o.data("environment: " + ctx.settings.environment);
  o.data("current:  " + describe_current(graph, state.applied));
  o.data("heads:    " + (graph.heads().empty() ? std::string("(no revisions)")
                                               : join(ids(graph, graph.heads()), ", ")));
  if (pending.steps.empty()) {
    o.data("pending:  none, up to date");
  } else {
    o.data("pending:  " + std::to_string(pending.steps.size()) + " revision(s)");
    for (const Step& s : pending.steps) {
      const Revision& r = graph.at(s.revision);
      std::string mark = r.kind != RevisionKind::Data ? ""
                         : skipped.count(r.id)        ? "  (data, skipped by --schema-only)"
                                                      : "  (data)";
      o.data("  " + r.id + "  " + r.message + mark);
    }
  }
  if (!edited.empty()) {
    o.data("edited since applied:");
    for (const auto& [i, sum] : edited) {
      const Revision& r = graph.at(i);
      o.data("  " + r.id + "  " + r.path + "  recorded " + sum.substr(0, 12) + ", file now " +
             r.checksum.substr(0, 12));
    }
  }
  if (!state.unknown.empty()) {
    o.data("applied but missing from " + ctx.settings.migrations_dir + ":");
    for (const auto& id : state.unknown) o.data("  " + id);
  }
  if (!seeds.empty()) {
    o.data("seeds:");
    for (const auto& seed : seeds) {
      std::string state = to_string(seed_state(seed, recorded_seeds, ctx.settings.environment));
      if (state == "changed") state = "changed since applied";
      o.data("  " + seed.name + "  " + state);
    }
  }
  if (!drift.empty()) {
    o.data("drift: the schema changed outside mig since its last run (- recorded, + live):");
    std::string d = drift;
    d.pop_back();
    o.data(d);
  }
  if (!half.empty()) {
    o.data("half applied (resolve before going on):");
    for (const auto& x : half) {
      o.data("  " + half_applied_text(graph, x));
      int i = graph.find(x.revision);
      if (i >= 0) {  // the graph was read without SQL text: read this one file again
        Revision r = load_revision(graph.at(i).path, dialect_of(ctx.settings.url.backend));
        const auto& sts = x.direction == "upgrade" ? r.upgrade : r.downgrade;
        if (x.statement_no >= 1 && x.statement_no <= static_cast<long long>(sts.size()))
          o.data("    statement: " + sts[x.statement_no - 1].sql);
      }
    }
  }
  if (!failed.empty()) {
    o.data("failed:");
    for (const auto& x : failed)
      o.data("  " + x.revision + "  " + x.action + " failed at " + x.at +
             (x.statement_no ? ", statement " + std::to_string(x.statement_no) : "") + ": " +
             x.error);
  }
  return code;
}

int cmd_resolve(Context& ctx, const std::string& revision, bool completed) {
  no_json(ctx, "resolve");
  // An empty prefix would match, and settle, every half-applied revision.
  if (revision.empty()) throw UsageError("resolve: REVISION must not be empty");
  RevisionGraph graph = load_graph(ctx.settings, RevisionText::Summary);
  auto db = connect(ctx.settings, ctx.redactor, ctx.out.get());
  VersionStore store(*db, ctx.settings.table_prefix);
  db->acquire_lock([&](const std::string& m) { ctx.out->notice(m); });
  std::vector<Progress> half = store.progress();
  std::vector<Progress> matches;
  for (const Progress& p : half)
    if (p.revision.compare(0, revision.size(), revision) == 0) matches.push_back(p);
  if (matches.empty())
    throw UsageError("revision '" + revision + "' is not half applied; nothing to resolve");
  if (matches.size() > 1) {
    std::string list;
    for (const auto& m : matches) list += " " + m.revision;
    throw UsageError("revision prefix '" + revision + "' is ambiguous; half applied are:" + list);
  }
  const Progress p = matches.front();
  int i = graph.find(p.revision);
  if (completed && p.direction == "upgrade" && i < 0)
    throw OperationError("cannot record " + p.revision + " as applied: no file defines it");
  db->begin_step();
  if (completed && p.direction == "upgrade")
    store.add(graph.at(i), 0);
  else if (completed)
    store.remove(p.revision);
  store.clear_progress(p.revision);
  store.log(
      {0, "", "resolve", p.revision, completed ? "completed" : "reverted", p.statement_no, "", 0});
  db->commit_step();
  db->release_lock();
  bool applied = (p.direction == "upgrade") == completed;
  ctx.out->progress("resolved " + p.revision + ": recorded as " +
                    (applied ? "applied" : "not applied"));
  return 0;
}

}  // namespace mig
