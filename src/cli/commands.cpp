#include "cli/commands.h"

#include <signal.h>

#include <atomic>

#include "cli/group_commands.h"
#include "cli/render.h"

namespace mig {
namespace {

void no_json(Context& ctx, const char* command) {
  if (ctx.global.json)
    throw UsageError(std::string("--json: '") + command + "' has no JSON output");
}

// --sql: the script for FROM:TO (no connection) or from the database's
// current state to TO (read without taking the lock).
int offline(Context& ctx, const MigrateOptions& opts, const char* verb) {
  if (opts.dry_run || opts.resume)
    throw UsageError("--sql cannot be combined with --dry-run or --resume");
  try {
    ctx.out->data(ctx.project->script(verb, opts.target));
  } catch (const StateUnreadableError& e) {
    throw OperationError(std::string(e.what()) +
                         "\n  to write the script without a database, give the start: mig " + verb +
                         " FROM:" + opts.target + " --sql");
  }
  return 0;
}

int migrate(Context& ctx, const MigrateOptions& opts, const char* verb) {
  if (grouped(ctx)) return group_migrate(ctx, opts, verb);
  no_json(ctx, verb);
  if (!opts.out_dir.empty()) throw UsageError("--out-dir is for --group with --sql");
  if (opts.force_seed && !opts.seed) throw UsageError("--force-seed goes with --seed");
  ctx.out->set_data_on_stdout(opts.dry_run || opts.sql);
  if (opts.sql && (opts.seed || opts.schema_only))
    throw UsageError(std::string("--sql cannot be combined with ") +
                     (opts.seed ? "--seed (seeds run against a live database, after an upgrade)"
                                : "--schema-only (the script would leave data revisions out "
                                  "without recording them)"));
  if (opts.sql) return offline(ctx, opts, verb);
  MigrateResult result;
  if (std::string(verb) == "upgrade") {
    result = ctx.project->upgrade(upgrade_options(opts));
  } else {
    result = ctx.project->downgrade(downgrade_options(opts));
  }
  render_migrate(*ctx.out, ctx.settings, result);
  return 0;
}

}  // namespace

int cmd_init(Context& ctx, const std::string& dir) {
  no_json(ctx, "init");
  for (const InitEntry& e : Project::init(dir).entries) {
    if (e.created)
      ctx.out->progress("created " + e.path + (e.kind == "directory" ? "/" : ""));
    else if (e.kind == "config")
      ctx.out->progress("kept existing " + e.path);
  }
  return 0;
}

int cmd_revision(Context& ctx, const RevisionOptions& opts) {
  no_json(ctx, "revision");
  RevisionRequest request;
  request.message = opts.message;
  request.kind = opts.kind;
  request.template_name = opts.template_name;
  request.parents = opts.parents;
  request.branch = opts.branch;
  request.seed = opts.seed;
  ctx.out->data("created " + ctx.project->new_revision(request));
  return 0;
}

int cmd_merge(Context& ctx, const std::vector<std::string>& revisions, const std::string& message) {
  no_json(ctx, "merge");  // (it writes a file, as revision does, which refuses --json too)
  ctx.out->data("created " + ctx.project->merge(revisions, message));
  return 0;
}

namespace {

std::atomic<bool> interrupted{false};
extern "C" void on_interrupt(int) { interrupted = true; }

// While it lives, the first Ctrl-C (or SIGTERM) asks the project to stop at
// the next statement, dropping its scratch databases; a second one ends mig
// at once, as the handler is reset by the first.
class InterruptScope {
 public:
  explicit InterruptScope(Project& project) : project_(project) {
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND | SA_RESTART;  // (the statement at work is not cut short)
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
    interrupted = false;
    project_.set_interrupt(&interrupted);
  }
  ~InterruptScope() {
    project_.set_interrupt(nullptr);
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  Project& project_;
  struct sigaction old_int_ {
  }, old_term_{};
};

// Database URLs given as options: their passwords are never printed.
// Returns how `source` is named in messages.
std::string masked(Context& ctx, const std::string& source, const char* option) {
  if (source.find("://") == std::string::npos && source.rfind("sqlite:", 0) != 0) return source;
  DatabaseUrl url = parse_url(source, option);
  ctx.redactor->add_url(url);
  ctx.project->mask(url);
  return url.describe();
}

}  // namespace

int cmd_diff(Context& ctx, const DiffOptions& options) {
  no_json(ctx, "diff");
  ctx.out->set_data_on_stdout(options.sql);
  std::string to = masked(ctx, options.to, "--to");
  masked(ctx, options.from, "--from");
  masked(ctx, options.dev_url, "--dev-url");
  InterruptScope scope(*ctx.project);
  DiffResult result = ctx.project->diff(options);
  render_diff(*ctx.out, to, options.check, options.sql, result);
  return options.check && result.differs ? 1 : 0;
}

int cmd_baseline(Context& ctx, const std::string& message, const std::string& dev_url) {
  no_json(ctx, "baseline");
  masked(ctx, dev_url, "--dev-url");
  InterruptScope scope(*ctx.project);
  render_baseline(*ctx.out, ctx.settings, ctx.project->baseline(message, dev_url));
  return 0;
}

int cmd_upgrade(Context& ctx, const MigrateOptions& opts) { return migrate(ctx, opts, "upgrade"); }

int cmd_downgrade(Context& ctx, const MigrateOptions& opts) {
  return migrate(ctx, opts, "downgrade");
}

int cmd_current(Context& ctx) {
  if (grouped(ctx)) return group_current(ctx);
  ctx.out->set_data_on_stdout(true);
  render_current(*ctx.out, ctx.settings, ctx.project->current());
  return 0;
}

int cmd_heads(Context& ctx) {
  ctx.out->set_data_on_stdout(true);
  render_heads(*ctx.out, ctx.project->heads());
  return 0;
}

int cmd_history(Context& ctx, const std::string& range, const std::string& format) {
  ctx.out->set_data_on_stdout(true);
  if (format != "text" && format != "graph" && format != "dot")
    throw UsageError("--format must be text, graph or dot");
  if (ctx.out->json() && format != "text")
    throw UsageError("--json and --format " + format + " ask for two output formats; choose one");
  render_history(*ctx.out, ctx.project->history(range), format);
  return 0;
}

int cmd_show(Context& ctx, const std::string& target) {
  ctx.out->set_data_on_stdout(true);
  render_show(*ctx.out, ctx.project->show(target));
  return 0;
}

int cmd_status(Context& ctx, bool exit_code) {
  if (grouped(ctx)) return group_status(ctx, exit_code);
  ctx.out->set_data_on_stdout(true);
  StatusResult status = ctx.project->status();
  render_status(*ctx.out, ctx.settings, status);
  return exit_code && !status.up_to_date() ? 1 : 0;
}

int cmd_stamp(Context& ctx, const std::string& target) {
  if (grouped(ctx)) return group_stamp(ctx, target);
  no_json(ctx, "stamp");
  render_stamp(*ctx.out, ctx.project->stamp(target));
  return 0;
}

int cmd_seed(Context& ctx, bool force, bool dry_run) {
  if (grouped(ctx)) return group_seed(ctx, force, dry_run);
  no_json(ctx, "seed");
  ctx.out->set_data_on_stdout(dry_run);
  SeedOptions o;
  o.force = force;
  o.dry_run = dry_run;
  render_seeds(*ctx.out, ctx.project->seed(o));
  return 0;
}

int cmd_resolve(Context& ctx, const std::string& revision, bool completed) {
  no_json(ctx, "resolve");
  ResolveResult r = ctx.project->resolve(revision, completed);
  ctx.out->progress("resolved " + r.revision + ": recorded as " +
                    (r.applied ? "applied" : "not applied"));
  return 0;
}

int cmd_rehash(Context& ctx, const std::string& revision) {
  no_json(ctx, "rehash");
  RehashResult r = ctx.project->rehash(revision);
  if (!r.changed)
    ctx.out->progress(r.revision + " is unchanged; nothing to rehash");
  else
    ctx.out->progress("rehashed " + r.revision + ": the edit of " + r.path +
                      " is accepted (checksum " + r.new_checksum.substr(0, 12) + ")");
  return 0;
}

int cmd_check(Context& ctx, const std::string& format, CheckOptions which, bool no_replay) {
  if (grouped(ctx)) {
    if (!which.since.empty() || !which.git_base.empty() || which.pending_only || which.replay ||
        !which.scratch_url.empty())
      throw UsageError(
          "check --since, --git-base, --pending, --replay and --scratch are for one database, not "
          "--group");
    return group_check(ctx, format);
  }
  ctx.out->set_data_on_stdout(true);
  // The database is checked only when one is named explicitly (an empty
  // DATABASE_URL names none, as in choosing the URL).
  bool database = ctx.settings.url_source == "--url" || ctx.settings.url_source == "DATABASE_URL";
  which.with_database = database;
  if (which.since.empty()) which.since = ctx.settings.check_since;
  if (which.git_base.empty()) which.git_base = ctx.settings.check_git_base;
  // [check] replay turns the replay on (--no-replay off again); [check]
  // scratch_url says where, when the command line does not.
  if (!no_replay && !which.replay && which.scratch_url.empty())
    which.replay = ctx.settings.check_replay;
  if (which.replay && which.scratch_url.empty() && !ctx.settings.check_scratch_url.empty()) {
    which.scratch_url = ctx.settings.check_scratch_url;
    which.scratch_origin = "[check] scratch_url in mig.toml";
  }
  CheckResult r = ctx.project->check(which);
  render_check(*ctx.out, r, format);
  size_t warnings = r.findings.size() - r.errors();
  if (format == "sarif") return r.ok() ? 0 : 1;  // one JSON document on stdout, nothing else
  std::string selection, by;
  if (!which.since.empty()) by += " --since " + which.since;
  if (!which.git_base.empty()) by += " --git-base " + which.git_base;
  if (which.pending_only) by += " --pending";
  if (!by.empty()) selection = " (" + std::to_string(r.selected) + " selected by" + by + ")";
  ctx.out->progress("check: " + std::to_string(r.revisions) + " revision(s)" + selection + ", " +
                    std::to_string(r.errors()) + " problem(s)" +
                    (warnings ? ", " + std::to_string(warnings) + " warning(s)" : "") +
                    (database ? "" : " (files only; give --url to check a database too)"));
  return r.ok() ? 0 : 1;
}

int cmd_verify(Context& ctx) {
  no_json(ctx, "verify");
  ctx.out->set_data_on_stdout(true);
  // Only --url names a scratch database: DATABASE_URL and mig.toml point at
  // real ones, which verify must never touch.
  VerifyResult r = ctx.project->verify(ctx.global.url);
  render_verify(*ctx.out, r);
  return r.ok() ? 0 : 1;
}

int cmd_schema(Context& ctx) {
  if (grouped(ctx)) return group_schema(ctx);
  ctx.out->set_data_on_stdout(true);
  render_schema(*ctx.out, ctx.project->schema());
  return 0;
}

}  // namespace mig
