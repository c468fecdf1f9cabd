#include "cli/group_commands.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/filesystem.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "base/clock.h"
#include "base/strings.h"
#include "cli/advice.h"
#include "cli/observer.h"
#include "cli/render.h"
#include "mig/group.h"

using nlohmann::json;
namespace fs = boost::filesystem;

namespace mig {

bool group_command(const std::string& name) {
  static const std::set<std::string> commands = {"upgrade", "downgrade", "stamp", "status",
                                                 "current", "check",     "seed",  "schema"};
  return commands.count(name) > 0;
}

namespace {

std::string ids_text(const std::vector<std::string>& ids) {
  return ids.empty() ? "base" : join(ids, ",");
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out(1);
  for (char c : text)
    if (c == sep)
      out.emplace_back();
    else
      out.back() += c;
  return out;
}

// The error as the CLI words it (mig's commands in its advice).
std::string error_text(const TargetResult& r) {
  if (!r.exception) return r.error;
  try {
    std::rethrow_exception(r.exception);
  } catch (const std::exception& e) {
    return cli_message(e);
  }
}

std::atomic<bool> interrupted{false};
extern "C" void on_group_interrupt(int) { interrupted = true; }

// The first Ctrl-C (or SIGTERM) stops the run as a failure would: no new
// target, running ones after their current revision; a second ends mig.
class GroupInterrupt {
 public:
  GroupInterrupt() {
    struct sigaction sa {};
    sa.sa_handler = on_group_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND | SA_RESTART;
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
    interrupted = false;
  }
  ~GroupInterrupt() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  GroupInterrupt(const GroupInterrupt&) = delete;
  GroupInterrupt& operator=(const GroupInterrupt&) = delete;

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

// Prints what the targets say, each line prefixed with the target's name,
// from the worker threads; on a terminal a progress line on stderr below.
class GroupPrinter : public GroupObserver {
 public:
  GroupPrinter(Context& ctx, const std::vector<GroupTarget>& targets, bool lines)
      : ctx_(ctx), total_(targets.size()), lines_(lines) {
    draw_ = lines && !ctx.out->json() && ctx.out->verbosity() != Verbosity::Quiet &&
            isatty(STDERR_FILENO);
    size_t width = 0;
    for (const auto& t : targets) width = std::max(width, t.name.size());
    for (const auto& t : targets) {
      auto slot = std::make_unique<Slot>();
      std::string prefix = "[" + t.name + "]" + std::string(width - t.name.size(), ' ') + " ";
      slot->out = std::make_unique<Output>(ctx.out->verbosity(), ctx.out->json(), ctx.redactor);
      slot->out->set_sink(
          [this, prefix](bool err, const std::string& line) { print(err, prefix + line); });
      slot->observer = std::make_unique<CliObserver>(*slot->out, false);
      slots_[t.name] = std::move(slot);
    }
  }

  Observer* target_observer(const GroupTarget& t) override {
    return lines_ ? slots_.at(t.name)->observer.get() : nullptr;
  }
  // The target's own Output, for what a command renders per target.
  Output& output(const GroupTarget& t) { return *slots_.at(t.name)->out; }

  void target_started(const GroupTarget&) override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++running_;
    redraw();
  }
  void target_finished(const TargetResult& r) override {
    if (!r.ok() && r.outcome != "not started" && !ctx_.out->json())
      slots_.at(r.target.name)
          ->out->error(std::string(r.outcome == "stopped" ? "stopped: " : "error: ") +
                       error_text(r));
    std::lock_guard<std::mutex> lock(mutex_);
    --running_, ++done_;
    if (r.outcome == "failed") ++failed_;
    redraw();
  }
  void print(bool err, const std::string& line) {
    std::lock_guard<std::mutex> lock(mutex_);
    clear();
    (err ? std::cerr : std::cout) << line << '\n' << std::flush;
    redraw();
  }
  void finish() {
    std::lock_guard<std::mutex> lock(mutex_);
    clear();
  }

 private:
  void clear() {
    if (drawn_) std::cerr << "\r\033[K" << std::flush;
    drawn_ = false;
  }
  void redraw() {
    if (!draw_) return;
    clear();
    std::cerr << done_ << "/" << total_ << " done, " << failed_ << " failed, " << running_
              << " running" << std::flush;
    drawn_ = true;
  }

  struct Slot {
    std::unique_ptr<Output> out;
    std::unique_ptr<CliObserver> observer;
  };
  Context& ctx_;
  size_t total_;
  bool lines_, draw_ = false, drawn_ = false;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Slot>> slots_;
  size_t done_ = 0, failed_ = 0, running_ = 0;
};

std::vector<GroupTarget> targets_of(Context& ctx) {
  std::vector<std::string> patterns;
  for (const auto& given : ctx.global.targets)
    for (const auto& p : split(given, ','))
      if (!p.empty()) patterns.push_back(p);
  auto env = [](const char* name) { return std::getenv(name); };
  std::vector<GroupTarget> targets = group_targets(ctx.settings, ctx.global.group, patterns, env);
  for (const auto& t : targets) {
    ctx.redactor->add_url(t.url);
    ctx.project->mask(t.url);
  }
  return targets;
}

GroupOptions options_of(const Context& ctx) {
  GroupOptions o;
  o.jobs = ctx.global.jobs;
  o.stop_on_error = ctx.global.on_error != "continue";
  o.interrupt = &interrupted;
  return o;
}

struct Counts {
  int ok = 0, failed = 0, stopped = 0, not_started = 0;
  explicit Counts(const std::vector<TargetResult>& results) {
    for (const auto& r : results) {
      if (r.outcome == "ok") ++ok;
      if (r.outcome == "failed") ++failed;
      if (r.outcome == "stopped") ++stopped;
      if (r.outcome == "not started") ++not_started;
    }
  }
  bool all_ok() const { return failed + stopped + not_started == 0; }
  std::string text(size_t total, double ms) const {
    std::string out = std::to_string(total) + " target(s): " + std::to_string(ok) + " ok";
    if (failed) out += ", " + std::to_string(failed) + " failed";
    if (stopped) out += ", " + std::to_string(stopped) + " stopped";
    if (not_started) out += ", " + std::to_string(not_started) + " not started";
    return out + " (" + format_ms(ms) + ")";
  }
};

int exit_code(const Counts& counts) {
  if (interrupted) return 130;
  return counts.all_ok() ? 0 : 1;
}

// Columns padded to their widest cell; the last one is not padded.
void table(Output& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows)
    for (size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], row[i].size());
    }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i)
      line += i + 1 < row.size() ? row[i] + std::string(width[i] - row[i].size() + 2, ' ') : row[i];
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out.data(line);
  }
}

// What every command's JSON says of a target, added to `j`.
json with_target(const TargetResult& r, json j = json::object()) {
  j["name"] = r.target.name;
  j["database"] = r.target.url.redacted();
  j["schema"] = r.target.schema;
  j["outcome"] = r.outcome;
  j["error"] = r.error;
  return j;
}

// The JSON document of a group command: `targets` and whatever `extra` adds.
json document(const Context& ctx, const std::string& command, bool ok, json targets,
              json extra = json::object()) {
  extra["command"] = command;
  extra["group"] = ctx.global.group;
  extra["ok"] = ok;
  extra["targets"] = std::move(targets);
  return extra;
}

json target_json(const TargetResult& r) {
  json unknown;  // (null: never read)
  return with_target(r, json{{"before", r.state_known ? json(r.before) : unknown},
                             {"after", r.state_known ? json(r.after) : unknown},
                             {"applied", r.steps},
                             {"ms", r.ms}});
}

// Every target that ran refused the command as a usage error (an unknown
// revision, say): that is the answer, exit 2, rather than a table of it.
void refused_everywhere(const std::vector<TargetResult>& results) {
  std::exception_ptr usage;
  for (const auto& r : results) {
    if (r.outcome == "not started") continue;
    if (!r.exception) return;
    try {
      std::rethrow_exception(r.exception);
    } catch (const UsageError&) {
      if (!usage) usage = r.exception;
    } catch (...) {
      return;
    }
  }
  if (usage) std::rethrow_exception(usage);
}

// The summary of a run that changes databases: a table, or with --json one
// object per target. `applied`: what the steps column is called.
int summary(Context& ctx, const std::string& command, const std::vector<TargetResult>& results,
            double ms, const char* applied = "applied") {
  refused_everywhere(results);
  Counts counts(results);
  if (ctx.out->json()) {
    json list = json::array();
    for (const auto& r : results) list.push_back(target_json(r));
    ctx.out->data(document(ctx, command, counts.all_ok(), list,
                           {{"counts",
                             {{"ok", counts.ok},
                              {"failed", counts.failed},
                              {"stopped", counts.stopped},
                              {"not_started", counts.not_started}}},
                            {"ms", ms}})
                      .dump(2));
  } else if (ctx.out->verbosity() != Verbosity::Quiet || !counts.all_ok()) {
    std::vector<std::vector<std::string>> rows = {
        {"target", "before -> after", applied, "time", "outcome", "error"}};
    for (const auto& r : results) {
      bool ran = r.outcome != "not started";
      rows.push_back({r.target.name,
                      r.state_known ? ids_text(r.before) + " -> " + ids_text(r.after)
                      : ran         ? "?"
                                    : "-",
                      ran ? std::to_string(r.steps) : "-", ran ? format_ms(r.ms) : "-", r.outcome,
                      first_line(r.error)});
    }
    ctx.out->data("");
    table(*ctx.out, rows);
    ctx.out->data(counts.text(results.size(), ms));
  }
  return exit_code(counts);
}

// Runs `work` on every target with the printer; read-only commands go on
// after a failure whatever --on-error says (each target is reported).
std::vector<TargetResult> run(Context& ctx, const std::vector<GroupTarget>& targets,
                              GroupPrinter& printer, bool read_only, const TargetWork& work) {
  GroupInterrupt scope;
  GroupOptions o = options_of(ctx);
  if (read_only) o.stop_on_error = false;
  auto results = run_group(ctx.settings, targets, o, work, &printer);
  printer.finish();
  return results;
}

// What a read-only command read from each target (its status, say), in
// the group's order beside run_group's results.
template <typename T>
struct Readings {
  std::vector<TargetResult> results;
  std::vector<T> values;
};

template <typename T, typename Read>
Readings<T> read_each(Context& ctx, const std::vector<GroupTarget>& targets, GroupPrinter& printer,
                      Read read) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < targets.size(); ++i) index[targets[i].name] = i;
  Readings<T> out;
  out.values.resize(targets.size());
  out.results = run(ctx, targets, printer, true, [&](Project& p, TargetResult& r) {
    out.values[index.at(r.target.name)] = read(p, r);
  });
  return out;
}

// --sql: one script per target, DIR/NAME.sql (read without the lock).
int group_scripts(Context& ctx, const MigrateOptions& opts, const char* verb) {
  if (opts.dry_run || opts.resume)
    throw UsageError("--sql cannot be combined with --dry-run or --resume");
  if (opts.out_dir.empty())
    throw UsageError("--group with --sql writes one script per target: give --out-dir DIR");
  auto targets = targets_of(ctx);
  boost::system::error_code ec;
  fs::create_directories(opts.out_dir, ec);
  if (ec || !fs::is_directory(opts.out_dir))
    throw UsageError("--out-dir: cannot make directory '" + opts.out_dir + "'");
  GroupPrinter printer(ctx, targets, true);
  auto start = Clock::now();
  auto results = run(ctx, targets, printer, true, [&](Project& p, TargetResult& r) {
    std::string script;
    try {
      script = p.script(verb, opts.target);
    } catch (const StateUnreadableError& e) {
      throw OperationError(std::string(e.what()) +
                           "\n  to write the scripts without databases, give the start: mig "
                           "--group " +
                           ctx.global.group + " " + verb + " FROM:" + opts.target + " --sql");
    }
    std::string path = (fs::path(opts.out_dir) / (r.target.name + ".sql")).string();
    std::ofstream file(path, std::ios::binary);
    file << script;
    file.close();
    if (!file) throw OperationError("cannot write " + path);
    printer.output(r.target).progress("wrote " + path);
  });
  return summary(ctx, std::string(verb) + " --sql", results, ms_since(start), "revisions");
}

}  // namespace

int group_migrate(Context& ctx, const MigrateOptions& opts, const char* verb) {
  if (opts.force_seed && !opts.seed) throw UsageError("--force-seed goes with --seed");
  if (opts.sql && (opts.seed || opts.schema_only))
    throw UsageError("--sql cannot be combined with --seed or --schema-only");
  if (opts.sql) return group_scripts(ctx, opts, verb);
  if (!opts.out_dir.empty()) throw UsageError("--out-dir goes with --sql");
  // What every target would refuse alike is refused once, before any runs.
  if (opts.target.find(':') != std::string::npos)
    throw UsageError("FROM:TO targets are only for --sql");
  if (opts.max_batches < 1) throw UsageError("--max-batches must be at least 1");
  auto targets = targets_of(ctx);
  GroupPrinter printer(ctx, targets, true);
  bool up = std::string(verb) == "upgrade";
  auto start = Clock::now();
  auto results = run(ctx, targets, printer, opts.dry_run, [&](Project& p, TargetResult& r) {
    MigrateResult m = up ? p.upgrade(upgrade_options(opts)) : p.downgrade(downgrade_options(opts));
    if (m.dry_run)  // (would apply)
      r.steps = static_cast<int>(std::count_if(m.steps.begin(), m.steps.end(),
                                               [](const StepResult& s) { return !s.skipped; }));
    render_migrate(printer.output(r.target), p.settings(), m);
  });
  return summary(ctx, verb, results, ms_since(start), opts.dry_run ? "would apply" : "applied");
}

int group_stamp(Context& ctx, const std::string& target) {
  auto targets = targets_of(ctx);
  GroupPrinter printer(ctx, targets, true);
  auto start = Clock::now();
  auto results = run(ctx, targets, printer, false, [&](Project& p, TargetResult& r) {
    for (const auto& c : p.current().current) r.before.push_back(c.id);
    r.state_known = true;
    StampResult s = p.stamp(target);
    r.after = s.after;
    r.steps = static_cast<int>(s.changes.size());
    render_stamp(printer.output(r.target), s);
  });
  return summary(ctx, "stamp", results, ms_since(start), "stamped");
}

int group_seed(Context& ctx, bool force, bool dry_run) {
  auto targets = targets_of(ctx);
  GroupPrinter printer(ctx, targets, true);
  auto start = Clock::now();
  auto results = run(ctx, targets, printer, dry_run, [&](Project& p, TargetResult& r) {
    for (const auto& c : p.current().current) r.before.push_back(c.id);
    r.after = r.before;
    r.state_known = true;
    SeedOptions o;
    o.force = force;
    o.dry_run = dry_run;
    SeedRunResult s = p.seed(o);
    r.steps = s.ran;
    if (dry_run)
      for (const auto& seed : s.seeds) r.steps += seed.ran;
    render_seeds(printer.output(r.target), s);
  });
  return summary(ctx, "seed", results, ms_since(start), dry_run ? "would run" : "seeds run");
}

namespace {

// Where one target stands, in a few words; empty: at head.
std::vector<std::string> states(const StatusResult& s) {
  std::vector<std::string> out;
  if (!s.half_applied.empty()) out.push_back("half-applied");
  if (!s.missing.empty() && !s.pending.empty())
    out.push_back("diverged (" + std::to_string(s.missing.size()) + " applied without a file, " +
                  std::to_string(s.pending.size()) + " pending)");
  else if (!s.missing.empty())
    out.push_back("ahead of the files (" + std::to_string(s.missing.size()) +
                  " applied without a file)");
  else if (!s.pending.empty())
    out.push_back("behind " + std::to_string(s.pending.size()) +
                  (s.exists ? "" : " (no database yet)"));
  if (!s.edited.empty()) out.push_back("edited (" + std::to_string(s.edited.size()) + ")");
  if (!s.drift.empty()) out.push_back("drifted");
  return out;
}

}  // namespace

int group_status(Context& ctx, bool exit_code) {
  auto targets = targets_of(ctx);
  GroupPrinter printer(ctx, targets, false);
  auto [results, statuses] =
      read_each<StatusResult>(ctx, targets, printer, [](Project& p, TargetResult& r) {
        StatusResult s = p.status();
        r.before = r.after = s.current;
        r.state_known = true;
        return s;
      });
  bool behind = false;
  json list = json::array();
  std::vector<std::vector<std::string>> rows = {{"target", "current", "state"}};
  for (size_t i = 0; i < results.size(); ++i) {
    const TargetResult& r = results[i];
    std::vector<std::string> words = r.ok() ? states(statuses[i]) : std::vector<std::string>{};
    bool at_head = r.ok() && words.empty();
    behind = behind || (r.ok() && !at_head);
    if (ctx.out->json()) {
      json j = with_target(r, r.ok() ? status_json(statuses[i]) : json::object());
      j["at_head"] = at_head;
      j["state"] = words;
      list.push_back(j);
      continue;
    }
    std::string state = !r.ok()         ? "unreadable: " + first_line(error_text(r))
                        : words.empty() ? "at head"
                                        : join(words, ", ");
    rows.push_back({r.target.name, r.ok() ? ids_text(statuses[i].current) : "?", state});
  }
  Counts counts(results);
  if (ctx.out->json()) {
    ctx.out->data(
        document(ctx, "status", counts.all_ok(), list, {{"at_head", counts.all_ok() && !behind}})
            .dump(2));
  } else {
    table(*ctx.out, rows);
  }
  if (interrupted || !counts.all_ok()) return mig::exit_code(counts);
  return exit_code && behind ? 1 : 0;
}

int group_current(Context& ctx) {
  auto targets = targets_of(ctx);
  GroupPrinter printer(ctx, targets, false);
  auto [results, currents] =
      read_each<CurrentResult>(ctx, targets, printer, [](Project& p, TargetResult& r) {
        CurrentResult c = p.current();
        for (const auto& x : c.current) r.after.push_back(x.id);
        r.before = r.after;
        r.state_known = true;
        return c;
      });
  json list = json::array();
  std::vector<std::vector<std::string>> rows = {{"target", "current", ""}};
  for (size_t i = 0; i < results.size(); ++i) {
    const TargetResult& r = results[i];
    if (ctx.out->json()) {
      list.push_back(with_target(r, {{"current", r.after}, {"unknown", currents[i].unknown}}));
      continue;
    }
    if (!r.ok()) {
      rows.push_back({r.target.name, "?", "unreadable: " + first_line(error_text(r))});
      continue;
    }
    std::string note;
    for (const auto& c : currents[i].current)
      note += (note.empty() ? "" : "; ") + std::string(c.head ? "(head) " : "") + c.message;
    if (!currents[i].unknown.empty())
      note += (note.empty() ? "" : "; ") + std::string("applied without a file: ") +
              join(currents[i].unknown, ",");
    rows.push_back({r.target.name, ids_text(r.after), note});
  }
  Counts counts(results);
  if (ctx.out->json())
    ctx.out->data(document(ctx, "current", counts.all_ok(), list).dump(2));
  else
    table(*ctx.out, rows);
  return exit_code(counts);
}

int group_check(Context& ctx, const std::string& format) {
  if (format == "github" || format == "sarif")
    throw UsageError("check --format " + format +
                     " is for one database; with --group use text or --json");
  // The files once; then each database for what only it can show.
  CheckResult files = ctx.project->check(false);
  auto same = [](const Finding& a, const Finding& b) {
    return a.rule == b.rule && a.path == b.path && a.line == b.line && a.message == b.message;
  };
  auto targets = targets_of(ctx);
  GroupPrinter printer(ctx, targets, false);
  auto [results, found] =
      read_each<std::vector<Finding>>(ctx, targets, printer, [&](Project& p, TargetResult& r) {
        std::vector<Finding> own;
        for (const Finding& f : p.check(true).findings)
          if (std::none_of(files.findings.begin(), files.findings.end(),
                           [&](const Finding& g) { return same(f, g); }))
            own.push_back(f);
        r.steps = static_cast<int>(own.size());
        return own;
      });
  Counts counts(results);
  size_t problems = files.errors();
  for (const auto& list : found)
    for (const auto& f : list) problems += f.severity == "error";
  if (ctx.out->json() || format == "json") {
    json common = json::array(), list = json::array();
    for (const auto& f : files.findings) common.push_back(finding_json(f));
    for (size_t i = 0; i < results.size(); ++i) {
      json fl = json::array();
      for (const auto& f : found[i]) fl.push_back(finding_json(f));
      list.push_back(with_target(results[i], {{"findings", fl}}));
    }
    ctx.out->data(document(ctx, "check", counts.all_ok() && problems == 0, list,
                           {{"revisions", files.revisions}, {"findings", common}})
                      .dump(2));
  } else {
    render_check(*ctx.out, files);
    std::vector<std::vector<std::string>> rows = {{"target", "outcome"}};
    for (size_t i = 0; i < results.size(); ++i) {
      for (const auto& f : found[i]) printer.output(results[i].target).data(finding_text(f));
      rows.push_back({results[i].target.name,
                      !results[i].ok()   ? "unreadable: " + first_line(error_text(results[i]))
                      : found[i].empty() ? "ok"
                                         : std::to_string(found[i].size()) + " problem(s)"});
    }
    table(*ctx.out, rows);
    ctx.out->progress("check: " + std::to_string(files.revisions) + " revision(s), " +
                      std::to_string(problems) + " problem(s) in the files and " +
                      std::to_string(results.size()) + " database(s)");
  }
  if (interrupted) return 130;
  return counts.all_ok() && problems == 0 ? 0 : 1;
}

int group_schema(Context& ctx) {
  auto targets = targets_of(ctx);
  GroupPrinter printer(ctx, targets, false);
  auto [results, schemas] = read_each<SchemaResult>(
      ctx, targets, printer, [](Project& p, TargetResult&) { return p.schema(); });
  Counts counts(results);
  if (ctx.out->json()) {
    json list = json::array();
    for (size_t i = 0; i < results.size(); ++i)
      list.push_back(with_target(results[i], {{"text", schemas[i].text}}));
    ctx.out->data(document(ctx, "schema", counts.all_ok(), list).dump(2));
  } else {
    for (size_t i = 0; i < results.size(); ++i) {
      ctx.out->data("-- " + results[i].target.name + ": " + results[i].target.describe());
      if (!results[i].ok())
        ctx.out->data("-- unreadable: " + first_line(error_text(results[i])));
      else if (!schemas[i].text.empty())
        ctx.out->data(schemas[i].text.back() == '\n'
                          ? schemas[i].text.substr(0, schemas[i].text.size() - 1)
                          : schemas[i].text);
      ctx.out->data("");
    }
  }
  return exit_code(counts);
}

}  // namespace mig
