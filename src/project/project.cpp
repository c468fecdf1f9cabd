// mig::Project: the library's operations, each composed from the engine's
// parts (files → graph → plan → migrator → database). The CLI is one client.
#include "mig/project.h"

#include <algorithm>
#include <boost/filesystem.hpp>
#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "base/clock.h"
#include "base/process.h"
#include "base/strings.h"
#include "check/lint.h"
#include "check/rules.h"
#include "db/database.h"
#include "db/run.h"
#include "db/schema.h"
#include "engine/drift.h"
#include "engine/half_applied.h"
#include "engine/migrator.h"
#include "engine/offline_script.h"
#include "engine/seeder.h"
#include "engine/state.h"
#include "engine/version_store.h"
#include "graph/targets.h"
#include "project/authoring.h"
#include "project/diff.h"
#include "script/parse_cache.h"
#include "script/revision_file.h"
#include "script/script_directory.h"
#include "script/seed_file.h"
#include "secrets.h"

namespace fs = boost::filesystem;

namespace mig {
namespace {

StepResult step_of(const Revision& rev, Direction d, double ms = 0) {
  return StepResult{rev.id, rev.message, rev.path, action_name(d), ms, false};
}

RevisionInfo info_of(const RevisionGraph& graph, int i, const AppliedSet& applied,
                     const std::vector<int>& current) {
  const Revision& r = graph.at(i);
  const auto& heads = graph.heads();
  RevisionInfo info;
  info.id = r.id;
  info.parents = r.parents;
  info.depends = r.depends;
  info.message = r.message;
  info.kind = to_string(r.kind);
  info.path = r.path;
  info.created = r.created;
  info.branch = r.branch;
  info.head = std::find(heads.begin(), heads.end(), i) != heads.end();
  info.current = std::find(current.begin(), current.end(), i) != current.end();
  info.applied = applied.empty() ? false : static_cast<bool>(applied[i]);
  info.merge = r.parents.size() > 1;
  info.branchpoint = graph.children(i).size() > 1;
  return info;
}

// Tells an Observer what the migrator does (statements masked: a revision
// may quote a password).
class ObserverReporter : public Reporter {
 public:
  ObserverReporter(Observer& observer, const Redactor& redactor)
      : observer_(observer), redactor_(redactor) {}
  void step_started(const Revision& rev, Direction d) override {
    direction_ = d;
    observer_.step_started(step_of(rev, d));
  }
  void statement(const Revision& rev, size_t number, const Statement& st) override {
    observer_.statement(step_of(rev, direction_), static_cast<int>(number),
                        redactor_.apply(st.sql));
  }
  void step_done(const Revision& rev, Direction d, double ms) override {
    StepResult step = step_of(rev, d, ms);
    done_.push_back(step);
    observer_.step_finished(step);
  }
  void batch_progress(const Revision& rev, size_t number, long long batches, long long rows,
                      double seconds, bool done) override {
    observer_.batch_progress(step_of(rev, direction_), static_cast<int>(number), batches, rows,
                             seconds, done);
  }
  void skipped(const Revision& rev) override {
    StepResult step = step_of(rev, Direction::Up);
    step.skipped = true;
    done_.push_back(step);
    observer_.step_skipped(step);
  }
  std::vector<StepResult> take() { return std::move(done_); }

 private:
  Observer& observer_;
  const Redactor& redactor_;
  Direction direction_ = Direction::Up;
  std::vector<StepResult> done_;
};

// True on the second thread an operation reads the database on.
thread_local bool reading_aside = false;

// What status reads from the database.
struct StatusRecords {
  std::vector<AppliedRevision> applied;
  std::vector<LogEntry> unsettled;
  std::vector<Progress> half;
  std::map<std::string, std::string> seeds;
  std::string drift;
};

}  // namespace

struct Project::Impl {
  Settings settings;
  std::vector<EmbeddedRevision> embedded;
  bool use_embedded = false;
  std::shared_ptr<Redactor> redactor = std::make_shared<Redactor>();
  Observer quiet;
  Observer* observer = &quiet;
  const std::atomic<bool>* interrupt = nullptr;

  Dialect dialect() const { return settings.url.dialect; }

  // New revision files go into the migrations directory, which a project
  // of embedded revisions does not have.
  void check_writable() const {
    if (use_embedded)
      throw UsageError(
          "the project's revisions are held in memory: there is no directory to write "
          "a new one to");
  }
  std::string write(const RevisionRequest& request) {
    check_writable();
    return write_revision(
        settings, [this] { return graph(RevisionText::Summary); }, request);
  }
  void say(const std::string& text) { tell(false, Observer::Level::Info, text); }
  void detail(const std::string& text) { tell(false, Observer::Level::Detail, text); }
  void warn(const std::string& text) { tell(false, Observer::Level::Warning, text); }
  void waiting(const std::string& text) { tell(true, Observer::Level::Info, text); }

  // The observer hears everything masked, and only on the thread that
  // called the operation: what a read on a second thread says waits here
  // until the calling thread passes it on (see await).
  struct Message {
    bool waiting;
    Observer::Level level;
    std::string text;
  };
  std::mutex queue_mutex;
  std::vector<Message> queued;

  void tell(bool is_waiting, Observer::Level level, const std::string& text) {
    Message m{is_waiting, level, redactor->apply(text)};
    if (reading_aside) {
      std::lock_guard<std::mutex> lock(queue_mutex);
      queued.push_back(std::move(m));
      return;
    }
    deliver(m);
  }
  void deliver(const Message& m) {
    if (m.waiting)
      observer->waiting(m.text);
    else
      observer->log(m.level, m.text);
  }
  void flush() {
    std::vector<Message> ready;
    {
      std::lock_guard<std::mutex> lock(queue_mutex);
      ready.swap(queued);
    }
    for (const auto& m : ready) deliver(m);
  }

  // `read` on a second thread, while the calling thread goes on.
  template <typename Read>
  auto aside(Read read) {
    {
      std::lock_guard<std::mutex> lock(queue_mutex);
      queued.clear();  // (left by a read whose operation failed)
    }
    return std::async(std::launch::async, [read] {
      struct Aside {
        Aside() { reading_aside = true; }
        ~Aside() { reading_aside = false; }  // (should the thread be pooled)
      } aside;
      return read();
    });
  }
  // Its value, passing on what it says in the meantime.
  template <typename T>
  T await(std::future<T>& reading) {
    while (reading.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) flush();
    flush();
    return reading.get();
  }
  // What `work` returns while `reading` goes on. Should the work fail, the
  // read is still waited for (as leaving would wait anyway) with what it
  // says passed on, such as a wait for the server, and the work's error is
  // the one that goes up.
  template <typename T, typename Work>
  auto meanwhile(std::future<T>& reading, Work work) {
    try {
      return work();
    } catch (...) {
      if (reading.valid()) try {
          await(reading);
        } catch (...) {
        }
      throw;
    }
  }

  // Every revision parsed (nothing touches the database before this
  // succeeded); Summary drops the SQL text and may use the parse cache.
  RevisionGraph graph(RevisionText text = RevisionText::Full) {
    if (use_embedded) {
      std::vector<Revision> revisions;
      for (const auto& e : embedded) revisions.push_back(parse_revision(e.text, e.name, dialect()));
      return RevisionGraph(std::move(revisions));
    }
    if (text == RevisionText::Full)
      return RevisionGraph(load_revisions(settings.migrations_dir, dialect(), text));
    std::string file = ParseCache::file_for(settings.cache_dir, settings.migrations_dir, dialect());
    if (file.empty())
      return RevisionGraph(load_revisions(settings.migrations_dir, dialect(), text));
    ParseCache cache(file, dialect());
    return RevisionGraph(load_revisions(settings.migrations_dir, dialect(), text, &cache));
  }

  std::vector<SeedFile> seeds() const { return load_seeds(settings.seed_dir, dialect()); }

  // One revision with its SQL, read again (for a graph read without it).
  Revision full_revision(const std::string& path) const {
    if (use_embedded)
      for (const auto& e : embedded)
        if (e.name == path) return parse_revision(e.text, e.name, dialect());
    return load_revision(path, dialect());
  }
  // Revision `i` of a graph read without SQL given its text (it is to run).
  void give_text(RevisionGraph& g, int i) const {
    if (i >= 0 && g.at(i).sql_dropped) g.give_text(i, full_revision(g.at(i).path));
  }

  // Connects, retrying for up to settings.wait_seconds while the server is
  // not accepting connections yet (or the database is not there yet).
  std::unique_ptr<Database> connect(const Settings& s, bool announce = true) {
    ConnectOptions options;
    options.lock_timeout = s.lock_timeout;
    options.schema = s.schema;
    options.lock_name = s.table_prefix;
    options.redactor = redactor;
    options.module_dir = s.module_dir;
    auto deadline = Clock::now() + std::chrono::seconds(s.wait_seconds);
    bool told = false;
    for (;;) {
      try {
        return Database::open(s.url, options);
      } catch (const ConnectError& e) {
        if (!e.waitable() || Clock::now() >= deadline) throw;
        if (announce && !told)
          waiting("waiting up to " + std::to_string(s.wait_seconds) + " s for " + s.url.describe() +
                  " to accept connections");
        told = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
      }
    }
  }
  std::unique_ptr<Database> connect() { return connect(settings); }

  Database::WaitNotice lock_notice() {
    return [this](const std::string& m) { waiting(m); };
  }

  // For operations that only read: what is applied, or nothing when the
  // SQLite file does not exist yet (it is not created). `tolerant`: an
  // unreachable server is a warning and an empty state (history and heads
  // still show the files).
  std::vector<AppliedRevision> applied_if_exists(bool tolerant) {
    if (!Database::exists(settings.url)) return {};
    std::unique_ptr<Database> db;
    try {
      db = connect(settings, false);
    } catch (const OperationError& e) {
      if (!tolerant) throw;
      warn(std::string(e.what()) + "; showing the revision files only");
      return {};
    }
    VersionStore store(*db, settings.table_prefix);
    return store.applied();
  }

  // The graph without SQL text and the state, read at once: the database
  // on a second thread while the files are parsed (each took about half of
  // `current` at 1,000 revisions). A malformed file is still the error
  // reported, whatever the database said.
  std::pair<RevisionGraph, DatabaseState> graph_and_state(bool tolerant) {
    auto applied = aside([this, tolerant] { return applied_if_exists(tolerant); });
    RevisionGraph g = meanwhile(applied, [this] { return graph(RevisionText::Summary); });
    DatabaseState state = map_state(await(applied), g);
    return {std::move(g), std::move(state)};
  }

  void warn_unknown(const DatabaseState& state) {
    for (const auto& id : state.unknown)
      warn("revision " + id + " is recorded as applied but no file in " + settings.migrations_dir +
           " defines it");
  }

  // Everything `status` reads from the database, on one connection.
  StatusRecords status_records() {
    StatusRecords r;
    auto db = connect();
    VersionStore store(*db, settings.table_prefix);
    r.applied = store.applied();
    r.unsettled = store.unsettled_steps();
    r.half = store.progress();
    r.seeds = store.seeds();
    r.drift = schema_drift(*db, store, settings.table_prefix);
    return r;
  }

  // A half-applied revision as `status` shows it, with the statement it
  // stopped at.
  HalfApplied half_applied(const RevisionGraph& graph, const Progress& x) {
    HalfApplied h{x.revision,
                  x.direction,
                  x.state,
                  x.statement_no,
                  x.statements,
                  x.error,
                  describe_half_applied(graph, x),
                  ""};
    int i = graph.find(x.revision);
    if (i >= 0) {  // the graph was read without SQL text: read this one file again
      Revision r = full_revision(graph.at(i).path);
      const auto& sts = x.direction == "upgrade" ? r.upgrade : r.downgrade;
      if (x.statement_no >= 1 && x.statement_no <= static_cast<long long>(sts.size()))
        h.sql = sts[x.statement_no - 1].sql;
    }
    return h;
  }

  // verify: upgrade, downgrade and upgrade again; the schema after each must
  // match.
  VerifiedRevision round_trip(Database& db, Migrator& migrator, const RevisionGraph& g, int r);
  // Which revisions check's per-revision rules run on.
  std::vector<bool> check_selection(const RevisionGraph& g, const CheckOptions& options);
  // check's replay: the selected revisions' schema before and after each
  // of them, on a scratch database (CheckOptions::scratch_url), which is
  // emptied again afterwards.
  void check_replay(const RevisionGraph& g, const CheckOptions& options, LintOptions& lint,
                    CheckResult& out);
  // Its run on `db`, at `url`; `open`: whether a revision's transaction is.
  void replay_revisions(Database& db, const DatabaseUrl& url, const RevisionGraph& g,
                        const CheckOptions& options, LintOptions& lint, CheckResult& out,
                        bool& open);
  // check's part with a database: edited and missing files, drift.
  void check_database(const RevisionGraph& graph, CheckResult& out);
  SeedRunResult run_seeds(Database& db, VersionStore& store, const RevisionGraph& g,
                          const AppliedSet& applied, bool force, bool dry_run);
  Plan plan_run(RevisionGraph& g, VersionStore& store, Migrator& migrator, Direction direction,
                const UpgradeOptions& o, DatabaseState& state);
  void run_plan(Run& run, Database& db, VersionStore& store, Migrator& migrator,
                ObserverReporter& reporter, const Plan& plan, MigrateResult& out);
  MigrateResult migrate(Direction direction, const UpgradeOptions& o);
};

Project Project::open(const std::string& dir, const EnvLookup& env) {
  Overrides o;
  o.config_path = (fs::path(dir.empty() ? "." : dir) / "mig.toml").string();
  EnvLookup lookup = env ? env : [](const char*) -> const char* { return nullptr; };
  Settings s = load_settings(o, lookup);
  if (s.config_path.empty()) {  // no mig.toml: the defaults, from DIR
    for (std::string* path : {&s.migrations_dir, &s.seed_dir, &s.templates_dir})
      if (!fs::path(*path).is_absolute()) *path = (fs::path(dir) / *path).string();
    if (s.url.dialect == Dialect::SQLite && !s.url.is_memory() && s.url_source == "default")
      s.url.path = (fs::path(dir) / s.url.path).string();
  }
  return Project(std::move(s));
}

Project::Project(Settings settings) : impl_(std::make_unique<Impl>()) {
  impl_->settings = std::move(settings);
  impl_->redactor->add_url(impl_->settings.url);
}

Project::Project(Settings settings, std::vector<EmbeddedRevision> revisions)
    : Project(std::move(settings)) {
  impl_->embedded = std::move(revisions);
  impl_->use_embedded = true;
}

Project::~Project() = default;
Project::Project(Project&&) noexcept = default;
Project& Project::operator=(Project&&) noexcept = default;

const Settings& Project::settings() const { return impl_->settings; }

void Project::set_observer(Observer* observer) {
  impl_->observer = observer ? observer : &impl_->quiet;
}

void Project::set_interrupt(const std::atomic<bool>* flag) { impl_->interrupt = flag; }

void Project::mask(const DatabaseUrl& url) { impl_->redactor->add_url(url); }

// ---------------------------------------------------------------- authoring

InitResult Project::init(const std::string& dir) { return init_project(dir); }

DiffResult Project::diff(const DiffOptions& options) {
  Impl& p = *impl_;
  if (!options.check) p.check_writable();
  RevisionGraph g = p.graph();
  return diff_to_schema(p.settings, g, options, Interrupt{p.interrupt},
                        [&p](const RevisionRequest& r) { return p.write(r); });
}

BaselineResult Project::baseline(const std::string& message, const std::string& dev_url) {
  Impl& p = *impl_;
  p.check_writable();
  if (message.find_first_not_of(" \t") == std::string::npos)
    throw UsageError("MESSAGE must not be empty");
  RevisionGraph g = p.graph(RevisionText::Summary);
  if (g.size() > 0)
    throw UsageError("a baseline starts a project's history, and " + p.settings.migrations_dir +
                     " already holds " + std::to_string(g.size()) +
                     " revision(s); write the next one with mig diff or mig revision");
  if (!Database::exists(p.settings.url))
    throw OperationError("there is no database at " + p.settings.url.describe() +
                         " to take a baseline of");
  BaselineResult out;
  {
    auto db = p.connect();
    VersionStore store(*db, p.settings.table_prefix);
    if (store.exists() && !store.applied().empty())
      throw OperationError(p.settings.url.describe() +
                           " already records applied revisions; a baseline is for a database "
                           "mig has not managed yet");
    out.path = baseline_revision(p.settings, *db, message, dev_url, Interrupt{p.interrupt},
                                 [&p](const RevisionRequest& r) { return p.write(r); });
  }
  const Revision written = load_revision(out.path, p.dialect());
  out.revision = written.id;
  out.statements = written.upgrade.size();
  stamp(out.revision);
  return out;
}

std::string Project::new_revision(const RevisionRequest& request) {
  Impl& p = *impl_;
  return p.write(request);
}

std::string Project::merge(const std::vector<std::string>& revisions, const std::string& message) {
  RevisionRequest request;
  request.message = message;
  request.template_name = "merge";
  request.parents = merge_parents(impl_->graph(RevisionText::Summary), revisions);
  return new_revision(request);
}

// ---------------------------------------------------------------- reading

CurrentResult Project::current() {
  auto [graph, state] = impl_->graph_and_state(false);
  auto current = current_revisions(graph, state.applied);
  CurrentResult out;
  for (int i : current) out.current.push_back(info_of(graph, i, state.applied, current));
  out.unknown = state.unknown;
  return out;
}

std::vector<RevisionInfo> Project::heads() {
  auto [graph, state] = impl_->graph_and_state(true);
  auto current = current_revisions(graph, state.applied);
  std::vector<RevisionInfo> out;
  for (int i : graph.heads()) out.push_back(info_of(graph, i, state.applied, current));
  return out;
}

HistoryResult Project::history(const std::string& range) {
  auto [graph, state] = impl_->graph_and_state(true);
  auto current = current_revisions(graph, state.applied);
  std::vector<bool> lower(graph.size(), true), upper(graph.size(), true);
  if (!range.empty()) {
    size_t colon = range.find(':');
    if (colon == std::string::npos || range.find(':', colon + 1) != std::string::npos)
      throw OptionError("{range} expects A:B (either side may be empty), not '" +
                        OptionError::literal(range) + "'");
    std::string a = range.substr(0, colon), b = range.substr(colon + 1);
    if (!a.empty() && a != "base")
      lower = graph.descendants(resolve_target(graph, state.applied, a, Direction::Up), true);
    if (!b.empty() && b != "heads")
      upper = graph.ancestors(resolve_target(graph, state.applied, b, Direction::Up), true);
  }
  HistoryResult out;
  const auto& order = graph.order();
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    if (lower[*it] && upper[*it])
      out.revisions.push_back(info_of(graph, *it, state.applied, current));
  return out;
}

std::vector<StepResult> Project::pending(const std::string& target) {
  auto [graph, state] = impl_->graph_and_state(false);
  std::vector<StepResult> out;
  for (const Step& s : plan_upgrade(graph, state.applied, target).steps)
    out.push_back(step_of(graph.at(s.revision), Direction::Up));
  return out;
}

namespace {

std::string transaction_text(const Revision& r) {
  if (!r.transactional) return "off";
  bool up = r.runs_in_transaction(true), down = r.runs_in_transaction(false);
  if (up && down) return "on";
  if (!up && !down) return "off (each section is one statement that cannot run in one)";
  return std::string("on, but the ") + (up ? "downgrade" : "upgrade") +
         " runs outside one (a statement that cannot run in a transaction)";
}

}  // namespace

RevisionDetail Project::show(const std::string& target) {
  RevisionGraph graph = impl_->graph();
  AppliedSet none(graph.size(), false);
  auto revs = resolve_target(graph, none, target, Direction::Up);
  if (revs.size() != 1)
    throw UsageError("show needs one revision; '" + target + "' names " +
                     std::to_string(revs.size()));
  const Revision& r = graph.at(revs.front());
  RevisionDetail out;
  out.info = info_of(graph, revs.front(), {}, {});
  out.checksum = r.checksum;
  out.transaction = transaction_text(r);
  out.transactional = r.transactional;
  out.has_downgrade = r.has_downgrade;
  for (const auto& st : r.upgrade) out.upgrade.push_back({st.line, st.sql});
  for (const auto& st : r.downgrade) out.downgrade.push_back({st.line, st.sql});
  return out;
}

StatusResult Project::status() {
  Impl& p = *impl_;
  const Settings& s = p.settings;
  bool exists = Database::exists(s.url);
  // The database is read while the files are parsed.
  std::future<StatusRecords> reading;
  if (exists) reading = p.aside([&p] { return p.status_records(); });
  auto [graph, seeds] = p.meanwhile(
      reading, [&p] { return std::make_pair(p.graph(RevisionText::Summary), p.seeds()); });
  StatusRecords records = exists ? p.await(reading) : StatusRecords{};
  DatabaseState state = map_state(std::move(records.applied), graph);

  StatusResult out;
  out.database = s.url.redacted();
  out.exists = exists;
  out.environment = s.environment;
  out.current = current_ids(graph, state.applied);
  out.heads = ids(graph, graph.heads());
  std::set<std::string> skipped;
  for (const auto& e : records.unsettled) {
    if (e.outcome == "failed")
      out.failed.push_back({e.revision, e.action, e.at, e.statement_no, e.error});
    if (e.outcome == "skipped") skipped.insert(e.revision);
  }
  for (const Step& st : plan_upgrade(graph, state.applied, "heads").steps) {
    const Revision& r = graph.at(st.revision);
    out.pending.push_back(
        {r.id, r.message, to_string(r.kind), r.kind == RevisionKind::Data && skipped.count(r.id)});
  }
  for (const auto& [i, sum] : edited_revisions(graph, state))
    out.edited.push_back({graph.at(i).id, graph.at(i).path, sum, graph.at(i).checksum});
  out.missing = state.unknown;
  for (const auto& x : records.half) out.half_applied.push_back(p.half_applied(graph, x));
  for (const auto& seed : seeds)
    out.seeds.push_back({seed.name, to_string(seed_state(seed, records.seeds, s.environment))});
  out.drift = records.drift;
  return out;
}

// ---------------------------------------------------------------- writing

SeedRunResult Project::Impl::run_seeds(Database& db, VersionStore& store, const RevisionGraph& g,
                                       const AppliedSet& applied, bool force, bool dry_run) {
  auto files = seeds();
  if (!dry_run) store.ensure();
  auto recorded = store.seeds();
  // Every requirement is checked before any seed runs.
  for (const SeedFile& seed : files) {
    if (seed.requires_revision.empty() || !seed.runs_in(settings.environment)) continue;
    int r = g.find(seed.requires_revision);
    if (r < 0)
      throw SeedRequirementError(seed.path + ":" + std::to_string(seed.requires_line) +
                                     ": -- mig:requires names unknown revision " +
                                     seed.requires_revision + "; no seed was run",
                                 seed.name, seed.requires_revision, "");
    std::string text = g.at(r).id + " (" + g.at(r).message + ")";
    if (!applied[r])
      throw SeedRequirementError("seed " + seed.name + " requires revision " + text +
                                     ", which is not applied yet; upgrade first; no seed was run",
                                 seed.name, g.at(r).id, text);
  }
  SeedRunResult out;
  out.dry_run = dry_run;
  // A dry run reports every seed in its result; a real one as it goes.
  for (const SeedFile& seed : files) {
    SeedState state = seed_state(seed, recorded, settings.environment);
    SeedResult result{seed.name, to_string(state), false, 0, seed.environments};
    if (state == SeedState::OtherEnvironment) {
      if (!dry_run)
        detail("skip seed " + seed.name + " (only for " + join(seed.environments, ", ") + ")");
      out.seeds.push_back(result);
      continue;
    }
    if (state == SeedState::Applied && !force) {
      ++out.unchanged;
      if (!dry_run) detail("seed " + seed.name + " unchanged");
      out.seeds.push_back(result);
      continue;
    }
    result.ran = true;
    if (!dry_run) {
      StepResult step{seed.name, "", seed.path, "seed", 0, false};
      observer->step_started(step);
      result.ms = run_seed(db, store, seed);
      ++out.ran;
      step.ms = result.ms;
      step.message = result.state;
      observer->step_finished(step);
    }
    out.seeds.push_back(result);
  }
  return out;
}

// What the database holds, checked before anything runs (a half-applied
// revision, edited files, applied revisions without a file), and the plan.
// The graph was read without SQL text: what is to run is read again in full.
Plan Project::Impl::plan_run(RevisionGraph& g, VersionStore& store, Migrator& migrator,
                             Direction direction, const UpgradeOptions& o, DatabaseState& state) {
  std::vector<Progress> half = store.progress();
  for (const Progress& x : half) give_text(g, g.find(x.revision));
  check_half_applied(half, g, direction, o.resume, migrator,
                     [this](const std::string& m) { say(m); });
  state = map_state(store.applied(), g);
  warn_unknown(state);
  refuse_edited(g, state);
  if (direction == Direction::Down && !state.unknown.empty())
    throw OperationError("cannot downgrade while applied revision(s) " + join(state.unknown, ", ") +
                         " have no file: mig cannot tell where they sit or how to undo them");
  Plan plan = direction == Direction::Up ? plan_upgrade(g, state.applied, o.target)
                                         : plan_downgrade(g, state.applied, o.target);
  for (const Step& s : plan.steps) give_text(g, s.revision);
  return plan;
}

// Runs the plan; a snapshot of the schema is saved after it, failed or not
// (the earlier revisions of a failed run did change the database).
void Project::Impl::run_plan(Run& run, Database& db, VersionStore& store, Migrator& migrator,
                             ObserverReporter& reporter, const Plan& plan, MigrateResult& out) {
  store.ensure();
  auto start = Clock::now();
  // A run that stops part way takes its snapshot in full.
  SchemaChanges changes = run_changes(db, store, settings.table_prefix);
  migrator.note_changes(&changes);
  try {
    migrator.run(plan, &run);
  } catch (const StepError&) {
    migrator.note_changes(nullptr);
    if (std::string w = save_snapshot(db, store, settings.table_prefix); !w.empty()) warn(w);
    throw;
  } catch (const InterruptedError&) {
    migrator.note_changes(nullptr);
    if (std::string w = save_snapshot(db, store, settings.table_prefix); !w.empty()) warn(w);
    throw;
  }
  migrator.note_changes(nullptr);
  if (std::string w = save_snapshot(db, store, settings.table_prefix, &changes); !w.empty())
    warn(w);
  out.ms = ms_since(start);
  out.steps = reporter.take();
}

MigrateResult Project::Impl::migrate(Direction direction, const UpgradeOptions& o) {
  const char* verb = action_name(direction);
  if (o.target.find(':') != std::string::npos)
    throw OptionError("FROM:TO targets are only for {script}");
  if (o.max_batches < 1) throw OptionError("{max_batches} must be at least 1");
  if (o.force_seed && !o.seed) throw OptionError("{force_seed} goes with {seed}");
  MigrateResult out;
  out.action = verb;
  out.dry_run = o.dry_run;
  // Every file is parsed (or found unchanged in the parse cache) before the
  // database is touched; the SQL of the revisions that run is read after
  // the plan.
  RevisionGraph g = graph(RevisionText::Summary);
  if (o.seed) seeds();  // parse them first
  // A new project: there is nothing to do, and nothing (not even an empty
  // database file) is created.
  if (g.size() == 0 && direction == Direction::Up && !o.seed &&
      (o.target == "head" || o.target == "heads")) {
    out.no_revisions = true;
    return out;
  }
  auto db = connect();
  VersionStore store(*db, settings.table_prefix);
  Run run(*db, lock_notice());
  ObserverReporter reporter(*observer, *redactor);
  Migrator migrator(*db, store, g, reporter);
  migrator.skip_data(o.schema_only);
  migrator.max_batches(o.max_batches);
  migrator.stop_flag(interrupt);
  DatabaseState state;
  Plan plan = plan_run(g, store, migrator, direction, o, state);
  auto skipped = [&](const Step& s) {
    return o.schema_only && g.at(s.revision).kind == RevisionKind::Data;
  };
  AppliedSet after = state.applied;
  for (const Step& s : plan.steps)
    if (!skipped(s)) after[s.revision] = direction == Direction::Up;
  out.before = current_ids(g, state.applied);
  out.after = current_ids(g, after);
  for (const Step& s : plan.steps) {
    out.steps.push_back(step_of(g.at(s.revision), direction));
    out.steps.back().skipped = skipped(s);
  }
  observer->planned(out);  // (a dry run's answer is this plan)
  if (o.dry_run) {
    // nothing runs
  } else if (plan.steps.empty()) {
    say(std::string("nothing to ") + verb + "; the database is at " +
        describe_current(g, state.applied));
  } else {
    run_plan(run, *db, store, migrator, reporter, plan, out);
    auto finished = std::count_if(out.steps.begin(), out.steps.end(),
                                  [](const StepResult& s) { return !s.skipped; });
    say(std::string(direction == Direction::Up ? "upgraded " : "downgraded ") +
        std::to_string(finished) + " revision(s) in " + format_ms(out.ms) +
        "; the database is at " + describe_current(g, after));
  }
  if (o.seed) {
    // The revisions are made durable first: nothing a seed does can take
    // them back.
    if (!o.dry_run) run.commit();
    out.seeded = true;
    out.seeds = run_seeds(*db, store, g, after, o.force_seed, o.dry_run);
  }
  run.finish();
  return out;
}

MigrateResult Project::upgrade(const UpgradeOptions& o) { return impl_->migrate(Direction::Up, o); }

MigrateResult Project::downgrade(const DowngradeOptions& o) {
  if (o.target.empty()) throw UsageError("downgrade needs a target, e.g. -1, base or an id");
  UpgradeOptions down;  // the options both share
  down.target = o.target;
  down.dry_run = o.dry_run;
  down.resume = o.resume;
  down.max_batches = o.max_batches;
  return impl_->migrate(Direction::Down, down);
}

std::string Project::script(const std::string& action, const std::string& target) {
  Impl& p = *impl_;
  if (action != "upgrade" && action != "downgrade")
    throw UsageError("a script is of an upgrade or a downgrade, not '" + action + "'");
  Direction direction = action == "upgrade" ? Direction::Up : Direction::Down;
  RevisionGraph g = p.graph();
  std::string from, to = target;
  AppliedSet applied(g.size(), false);
  size_t colon = target.find(':');
  if (colon != std::string::npos) {
    from = target.substr(0, colon);
    to = target.substr(colon + 1);
    if (from.empty() || to.empty())
      throw OptionError("{script} target must be FROM:TO, e.g. base:head");
    applied = stamp_state(g, applied, from);
  } else {
    try {
      applied = map_state(p.applied_if_exists(false), g).applied;
    } catch (const OperationError& e) {
      throw StateUnreadableError(e.what());
    }
    from = describe_current(g, applied);
  }
  Plan plan =
      direction == Direction::Up ? plan_upgrade(g, applied, to) : plan_downgrade(g, applied, to);
  ScriptOptions o;
  o.dialect = p.settings.url.dialect;
  o.prefix = p.settings.table_prefix;
  o.schema = p.settings.schema;
  o.generated_at = utc_now();
  o.description = action + " " + from + ":" + to;
  std::string text = render_script(g, plan, o);
  text.pop_back();
  // Masked, the script would run with "***" in place of what a revision
  // says (ALTER ROLE … PASSWORD): refused rather than given either way.
  if (p.redactor->apply(text) != text)
    throw OperationError(
        "the script would hold the password of a database URL mig was given "
        "(a revision quotes it); mig prints no password, so take it out of the "
        "revision, or run this " +
        action + " with mig itself");
  return text;
}

StampResult Project::stamp(const std::string& target) {
  Impl& p = *impl_;
  RevisionGraph g = p.graph(RevisionText::Summary);
  auto db = p.connect();
  VersionStore store(*db, p.settings.table_prefix);
  Run run(*db, p.lock_notice());
  if (auto half = store.progress(); !half.empty()) {
    std::string text = describe_half_applied(g, half.front());
    throw HalfAppliedError(text + "\n  settle it (resolve) before stamping", text,
                           half.front().revision, half.front().direction,
                           HalfAppliedError::Reason::Stamping);
  }
  DatabaseState state = map_state(store.applied(), g);
  p.warn_unknown(state);
  AppliedSet to = stamp_state(g, state.applied, target);
  StampResult out;
  out.after = current_ids(g, to);
  if (to == state.applied) {
    run.finish();
    p.say("nothing to stamp; the database is at " + describe_current(g, state.applied));
    return out;
  }
  store.ensure();
  ObserverReporter reporter(*p.observer, *p.redactor);
  Migrator(*db, store, g, reporter).stamp(state.applied, to);
  if (std::string w = save_snapshot(*db, store, p.settings.table_prefix); !w.empty()) p.warn(w);
  run.finish();
  for (size_t i = 0; i < g.size(); ++i)
    if (to[i] != state.applied[i]) out.changes.push_back({g.at(i).id, g.at(i).message, to[i]});
  return out;
}

SeedRunResult Project::seed(const SeedOptions& o) {
  Impl& p = *impl_;
  RevisionGraph g = p.graph(RevisionText::Summary);
  p.seeds();  // parse first
  auto db = p.connect();
  VersionStore store(*db, p.settings.table_prefix);
  Run run(*db, p.lock_notice());
  DatabaseState state = map_state(store.applied(), g);
  SeedRunResult out = p.run_seeds(*db, store, g, state.applied, o.force, o.dry_run);
  run.finish();
  return out;
}

ResolveResult Project::resolve(const std::string& revision, bool completed) {
  Impl& p = *impl_;
  // An empty prefix would match, and settle, every half-applied revision.
  if (revision.empty()) throw UsageError("resolve: REVISION must not be empty");
  RevisionGraph g = p.graph(RevisionText::Summary);
  auto db = p.connect();
  VersionStore store(*db, p.settings.table_prefix);
  Run run(*db, p.lock_notice());
  std::vector<Progress> matches;
  for (const Progress& x : store.progress())
    if (x.revision.compare(0, revision.size(), revision) == 0) matches.push_back(x);
  if (matches.empty())
    throw UsageError("revision '" + revision + "' is not half applied; nothing to resolve");
  if (matches.size() > 1) {
    std::string list;
    for (const auto& m : matches) list += " " + m.revision;
    throw UsageError("revision prefix '" + revision + "' is ambiguous; half applied are:" + list);
  }
  const Progress x = matches.front();
  int i = g.find(x.revision);
  if (completed && x.direction == "upgrade" && i < 0)
    throw OperationError("cannot record " + x.revision + " as applied: no file defines it");
  db->begin_step();
  if (completed && x.direction == "upgrade")
    store.add(g.at(i), 0);
  else if (completed)
    store.remove(x.revision);
  store.clear_progress(x.revision);
  store.log(
      {0, "", "resolve", x.revision, completed ? "completed" : "reverted", x.statement_no, "", 0});
  db->commit_step();
  run.finish();
  return {x.revision, (x.direction == "upgrade") == completed};
}

RehashResult Project::rehash(const std::string& revision) {
  Impl& p = *impl_;
  RevisionGraph g = p.graph(RevisionText::Summary);
  int i = g.resolve_id(revision);
  const Revision& rev = g.at(i);
  auto db = p.connect();
  VersionStore store(*db, p.settings.table_prefix);
  Run run(*db, p.lock_notice());
  DatabaseState state = map_state(store.applied(), g);
  if (!state.applied[i]) throw OperationError("revision " + rev.id + " is not applied");
  auto row = std::find_if(state.rows.begin(), state.rows.end(),
                          [&](const AppliedRevision& r) { return r.id == rev.id; });
  RehashResult out{rev.id, rev.path, false, row->checksum, rev.checksum};
  if (row->checksum == rev.checksum) {
    run.finish();
    return out;
  }
  db->begin_step();
  store.update_checksum(rev.id, rev.checksum);
  store.log(
      {0, "", "rehash", rev.id, "ok", 0, "checksum " + row->checksum + " -> " + rev.checksum, 0});
  db->commit_step();
  run.finish();
  out.changed = true;
  return out;
}

// ---------------------------------------------------------------- checking

namespace {

// The revision files git reports added, changed or renamed since the commit
// where HEAD left BASE, and the untracked ones, as canonical paths.
std::set<std::string> changed_since(const std::string& dir, const std::string& base) {
  auto git = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", dir});
    ProcessResult r = run_process(args);
    if (r.status != 0) {
      std::string said = r.err.empty() ? "exit status " + std::to_string(r.status) : r.err;
      while (!said.empty() && said.back() == '\n') said.pop_back();
      throw OperationError("--git-base " + base + ": git " + args[3] + " failed in " + dir + ": " +
                           (r.status == 127 ? "git is not installed" : said));
    }
    return r.out;
  };
  std::string merge_base = git({"merge-base", base, "HEAD"});
  while (!merge_base.empty() && merge_base.back() == '\n') merge_base.pop_back();
  std::set<std::string> out;
  auto add = [&](const std::string& listing) {
    for (size_t at = 0; at < listing.size();) {
      size_t end = listing.find('\0', at);
      if (end == std::string::npos) end = listing.size();
      if (end > at)
        out.insert(fs::weakly_canonical(fs::path(dir) / listing.substr(at, end - at)).string());
      at = end + 1;
    }
  };
  // --relative and ls-files name the files from DIR; "." keeps to it.
  add(git({"diff", "--name-only", "--relative", "-z", "--diff-filter=AMR", merge_base, "--", "."}));
  add(git({"ls-files", "--others", "--exclude-standard", "-z", "--", "."}));
  return out;
}

}  // namespace

std::vector<bool> Project::Impl::check_selection(const RevisionGraph& g,
                                                 const CheckOptions& options) {
  std::vector<bool> selected(g.size(), true);
  if (!options.since.empty()) {
    std::vector<bool> before = g.ancestors({g.resolve_id(options.since)}, true);
    for (size_t i = 0; i < g.size(); ++i) selected[i] = selected[i] && !before[i];
  }
  if (!options.git_base.empty()) {
    std::set<std::string> changed = changed_since(settings.migrations_dir, options.git_base);
    for (size_t i = 0; i < g.size(); ++i)
      selected[i] =
          selected[i] &&
          changed.count(fs::weakly_canonical(fs::path(g.at(static_cast<int>(i)).path)).string());
  }
  if (options.pending_only) {
    if (!options.with_database)
      throw UsageError("check --pending needs a database: give --url (or DATABASE_URL)");
    AppliedSet applied = map_state(applied_if_exists(false), g).applied;
    for (size_t i = 0; i < g.size(); ++i) selected[i] = selected[i] && !applied[i];
  }
  return selected;
}

CheckResult Project::check(bool with_database) {
  CheckOptions options;
  options.with_database = with_database;
  options.since = impl_->settings.check_since;
  options.git_base = impl_->settings.check_git_base;
  return check(options);
}

CheckResult Project::check(const CheckOptions& options) {
  bool with_database = options.with_database;
  Impl& p = *impl_;
  CheckResult out;
  std::unique_ptr<RevisionGraph> g;
  try {
    g = std::make_unique<RevisionGraph>(p.graph());
  } catch (const FileError& e) {
    // The finding names the place; the message says what is wrong there.
    std::string message = e.what();
    std::string place = e.path() + ":" + std::to_string(e.line()) + ": ";
    if (message.rfind(place, 0) == 0) message.erase(0, place.size());
    out.findings.push_back(make_finding("MG101", e.path(), e.line(), "", message));
  } catch (const OperationError& e) {
    out.findings.push_back(make_finding("MG102", "", 0, "", e.what()));
  }
  if (g) {
    LintOptions lint_options;
    lint_options.max_heads = p.settings.max_heads;
    lint_options.selected = p.check_selection(*g, options);
    lint_options.dialect = p.settings.url.dialect;
    lint_options.naming = p.settings.check_naming;
    lint_options.levels = p.settings.check_levels;
    if (lint_options.dialect == Dialect::PostgreSQL)
      lint_options.parser = postgresql_parser(p.settings.module_dir);
    out.selected = static_cast<size_t>(
        std::count(lint_options.selected.begin(), lint_options.selected.end(), true));
    // With a database: the data-dependent rules of the revisions it has not
    // applied look at its rows, in a transaction that only reads and is
    // rolled back (a failing query, say of a table an earlier pending
    // revision creates, only leaves its finding as it was).
    // (The replay first: the live transaction below stays open only while
    // its queries run.)
    p.check_replay(*g, options, lint_options, out);
    std::unique_ptr<Database> data;
    if (with_database) {
      try {
        if (Database::exists(p.settings.url)) {
          data = p.connect(p.settings, false);
          Dialect d = lint_options.dialect;
          data->execute(d == Dialect::PostgreSQL ? "BEGIN TRANSACTION READ ONLY"
                        : d == Dialect::MySQL    ? "START TRANSACTION READ ONLY"
                                                 : "BEGIN");
          if (d == Dialect::PostgreSQL) data->execute("SET LOCAL statement_timeout = '60s'");
          lint_options.pending = map_state(p.applied_if_exists(false), *g).applied;
          lint_options.pending.flip();
          Database* db = data.get();
          // A query that fails is rolled back to its savepoint; if that
          // fails too (the connection is gone), no more are run.
          auto broken = std::make_shared<bool>(false);
          lint_options.query =
              [db, broken](
                  const std::string& sql) -> std::optional<std::vector<std::vector<std::string>>> {
            if (*broken) return std::nullopt;
            try {
              db->execute("SAVEPOINT mig_check");
            } catch (const std::exception&) {
              *broken = true;
              return std::nullopt;
            }
            try {
              auto rows = query_rows(*db, sql);
              db->execute("RELEASE SAVEPOINT mig_check");
              return rows;
            } catch (const std::exception&) {  // DatabaseError, or SOCI's own
              try {
                db->execute("ROLLBACK TO SAVEPOINT mig_check");
                db->execute("RELEASE SAVEPOINT mig_check");
              } catch (const std::exception&) {
                *broken = true;
              }
              return std::nullopt;
            }
          };
        }
      } catch (const OperationError&) {
        data.reset();  // check_database reports why (DB104)
        lint_options.query = nullptr;
      }
      // MySQL's parser is the server's: a name is asked about by PREPAREing
      // a CREATE TABLE (which the read-only transaction above refuses, and
      // which is never run) on a connection of its own, opened when first
      // needed; if it cannot be, no name is looked at.
      if (data && lint_options.dialect == Dialect::MySQL) {
        auto names = std::make_shared<std::unique_ptr<Database>>();
        auto broken = std::make_shared<bool>(false);
        lint_options.syntax_error = [&p, names, broken](const std::string& sql) {
          if (*broken) return false;
          try {
            if (!*names) *names = p.connect(p.settings, false);
          } catch (const std::exception&) {
            *broken = true;
            return false;
          }
          try {
            (*names)->execute("PREPARE mig_check_name FROM " + (*names)->quote(sql));
            (*names)->execute("DEALLOCATE PREPARE mig_check_name");
            return false;
          } catch (const std::exception& e) {  // ER_PARSE_ERROR, or another refusal
            return std::string(e.what()).find("(error 1064)") != std::string::npos;
          }
        };
      }
    }
    for (auto& f : lint(*g, lint_options)) out.findings.push_back(f);
    if (data) {
      try {
        data->execute("ROLLBACK");
      } catch (const std::exception&) {
        // (nothing was written; the connection closes with it)
      }
    }
  }
  out.revisions = g ? g->size() : 0;
  out.database_checked = with_database && g != nullptr;
  if (out.database_checked) p.check_database(*g, out);
  // [check.rules]: a code's level, else its group's, else error.
  std::vector<Finding> kept;
  for (Finding& f : out.findings) {
    const CheckRule* rule = find_check_rule(f.code);
    auto level = p.settings.check_levels.find(f.code);
    if (level == p.settings.check_levels.end() && rule)
      level = p.settings.check_levels.find(rule->group);
    if (level != p.settings.check_levels.end()) f.severity = level->second;
    if (f.confirmed && f.severity == "warning") f.severity = "error";
    if (f.severity != "off") kept.push_back(std::move(f));
  }
  out.findings = std::move(kept);
  return out;
}

void Project::Impl::check_database(const RevisionGraph& graph, CheckResult& out) {
  Impl& p = *this;
  const RevisionGraph* g = &graph;
  try {
    DatabaseState state = map_state(p.applied_if_exists(false), *g);
    for (const auto& [i, sum] : edited_revisions(*g, state))
      out.findings.push_back(make_finding(
          "DB101", g->at(i).path, g->at(i).revision_line, g->at(i).id,
          "applied revision " + g->at(i).id + " changed since (recorded " + sum.substr(0, 12) +
              ", file now " + g->at(i).checksum.substr(0, 12) + ")"));
    for (const auto& id : state.unknown)
      out.findings.push_back(make_finding("DB102", "", 0, id,
                                          "revision " + id + " is applied but no file defines it"));
    if (Database::exists(p.settings.url)) {
      auto db = p.connect(p.settings, false);
      VersionStore store(*db, p.settings.table_prefix);
      std::string drift = schema_drift(*db, store, p.settings.table_prefix);
      if (!drift.empty())
        out.findings.push_back(make_finding(
            "DB103", "", 0, "", "the schema changed outside mig since its last run:\n" + drift));
    }
  } catch (const OperationError& e) {
    out.findings.push_back(make_finding("DB104", "", 0, "", e.what()));
  }
}

namespace {

// A directory removed with everything in it when this goes.
struct TempDir {
  fs::path dir;
  ~TempDir() {
    boost::system::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }
};

// The scratch database: the URL given, or a new SQLite file in `temp`.
// `origin` names it in an error (verify's is the CLI's --url, parsed once
// already: this names it for the library; check's is "scratch", its --scratch).
DatabaseUrl scratch_database(const std::string& scratch_url, const std::string& temp_dir,
                             TempDir& temp, const std::string& origin = "scratch_url") {
  if (!scratch_url.empty()) return parse_url(scratch_url, origin);
  temp.dir =
      fs::path(temp_dir.empty() ? "/tmp" : temp_dir) / fs::unique_path("mig-verify-%%%%-%%%%");
  fs::create_directories(temp.dir);
  return parse_url("sqlite://" + (temp.dir / "scratch.db").string(), "verify");
}

}  // namespace

void Project::Impl::check_replay(const RevisionGraph& g, const CheckOptions& options,
                                 LintOptions& lint, CheckResult& out) {
  if (!options.replay && options.scratch_url.empty()) return;
  if (options.scratch_url.empty() && settings.url.dialect != Dialect::SQLite)
    throw UsageError(
        "check --replay on " + std::string(to_string(settings.url.dialect)) +
        " needs a scratch database: --scratch URL (or [check] scratch_url in mig.toml), an "
        "empty database to replay on");
  TempDir temp;
  std::string named = options.scratch_origin.empty() ? std::string("{scratch}")
                                                     : OptionError::literal(options.scratch_origin);
  DatabaseUrl url =
      scratch_database(options.scratch_url, settings.temp_dir, temp,
                       options.scratch_origin.empty() ? "scratch" : options.scratch_origin);
  if (url.dialect != settings.url.dialect)
    throw OptionError(named + ": check replays on a database of the project's kind (" +
                      std::string(to_string(settings.url.dialect)) + "), and " +
                      OptionError::literal(url.describe()) + " is not one");
  if (!options.scratch_url.empty() && url.describe() == settings.url.describe())
    throw OptionError(named + ": the scratch database must not be the project's own, " +
                      OptionError::literal(url.describe()));
  if (url.dialect == Dialect::MySQL && url.database.empty())
    throw OptionError(named + ": name the scratch database in " +
                      OptionError::literal(url.describe()));
  Settings scratch = settings;
  scratch.url = url;
  redactor->add_url(url);
  auto db = connect(scratch, false);
  if (!inspect_schema(*db, settings.table_prefix).objects.empty() ||
      VersionStore(*db, settings.table_prefix).exists())
    throw OptionError(named + ": check needs an empty scratch database, and " +
                      OptionError::literal(url.describe()) + " is not empty");
  // A temporary file of ours: no need to wait for the disk.
  if (options.scratch_url.empty()) {
    db->execute("PRAGMA synchronous = OFF");
    db->execute("PRAGMA journal_mode = MEMORY");
  }
  // A scratch database given is emptied again afterwards (it was empty),
  // so the next check can use it; what a failed revision left open goes
  // first. (The temporary file goes with its directory.)
  std::string name = scratch_database_name(*db);
  bool open = false;
  auto clean = [&] {
    if (options.scratch_url.empty()) return;
    if (open) db->execute("ROLLBACK");
    open = false;
    std::string reset = db->end_of_revision_sql();  // (a failed revision's settings)
    if (!reset.empty()) db->run(reset);
    empty_scratch_database(*db, name);
  };
  try {
    replay_revisions(*db, url, g, options, lint, out, open);
  } catch (...) {
    try {
      clean();
    } catch (const std::exception&) {
      // (the error that stopped the replay is the one to tell)
    }
    throw;
  }
  try {
    clean();
  } catch (const std::exception& e) {
    throw OperationError("cannot empty the scratch database " + url.describe() +
                         " after the replay: " + redactor->apply(e.what()) +
                         "; empty it before the next check");
  }
}

void Project::Impl::replay_revisions(Database& db, const DatabaseUrl& url, const RevisionGraph& g,
                                     const CheckOptions& options, LintOptions& lint,
                                     CheckResult& out, bool& open) {
  // Every revision runs, in graph order, statement by statement without
  // mig's bookkeeping; the schema is inspected before and after each
  // selected one, and what differs is kept.
  std::optional<Schema> last;  // the schema now, if inspected since the last statement ran
  for (int i : g.order()) {
    const Revision& r = g.at(i);
    bool look = lint.selected.empty() || lint.selected[i];
    Schema before;
    if (look) before = last ? *last : inspect_schema(db, settings.table_prefix);
    last.reset();
    // As upgrade runs it: in a transaction where the database has
    // transactional DDL, the session reset after it.
    bool transaction =
        db.transactional_ddl() && r.runs_in_transaction(true) && url.dialect == Dialect::PostgreSQL;
    auto fail = [&](const Statement& st, const std::string& what) {
      bool exempt = std::find(r.nolint.begin(), r.nolint.end(), "MG107") != r.nolint.end() ||
                    std::find(st.nolint.begin(), st.nolint.end(), "MG107") != st.nolint.end();
      if (!exempt)
        out.findings.push_back(
            make_finding("MG107", r.path, st.line, r.id,
                         "fails on the scratch database" +
                             (options.scratch_url.empty() ? std::string() : " " + url.describe()) +
                             ": " + redactor->apply(what)));
    };
    try {
      if (transaction) db.execute("BEGIN");
      open = transaction;
      for (const auto& st : r.upgrade) {
        if (statement_leaves_database(st.sql, url.dialect)) {
          fail(st,
               "it leaves the scratch database (USE, CREATE or DROP DATABASE), which the "
               "replay does not follow");
          return;
        }
        try {
          db.run(st.sql);
        } catch (const std::exception& e) {  // OperationError, or the driver's own
          fail(st, e.what());
          return;  // what comes after depends on it
        }
      }
      if (transaction) db.execute("COMMIT");
      open = false;
      std::string reset = db.end_of_revision_sql();
      if (!reset.empty()) db.run(reset);
      db.end_revision();
    } catch (const std::exception& e) {
      fail(r.upgrade.empty() ? Statement{} : r.upgrade.back(), e.what());
      return;
    }
    if (!look) continue;
    last = inspect_schema(db, settings.table_prefix);
    LintOptions::Replayed seen;
    auto differs = [](const Schema& from, const Schema& to, Schema& into) {
      std::map<std::pair<std::string, std::string>, const SchemaObject*> there;
      for (const auto& n : to.objects) there[{n.kind, n.name}] = &n;
      for (const auto& o : from.objects) {
        auto it = there.find({o.kind, o.name});
        if (it == there.end() || it->second->lines != o.lines) into.objects.push_back(o);
      }
    };
    differs(before, *last, seen.before);
    differs(*last, before, seen.after);
    lint.replayed[i] = std::move(seen);
  }
}

VerifiedRevision Project::Impl::round_trip(Database& db, Migrator& migrator, const RevisionGraph& g,
                                           int r) {
  const Revision& rev = g.at(r);
  VerifiedRevision v{rev.id, rev.message, rev.path, to_string(rev.kind), "ok", "", ""};
  // (No Run: the scratch database is mig's alone, and not held in a transaction.)
  auto step = [&](Direction d) { migrator.run(Plan{{Step{r, d}}}, nullptr); };
  auto snapshot = [&] { return inspect_schema(db, settings.table_prefix).text(); };
  auto failed = [&](const std::string& what, const std::string& a, const std::string& b) {
    v.outcome = "failed";
    v.problem = what;
    v.diff = diff_schemas(a, b);
    return v;
  };
  std::string s0 = snapshot();
  step(Direction::Up);
  std::string s1 = snapshot();
  if (!rev.has_downgrade) {
    v.outcome = "skipped";
    return v;
  }
  step(Direction::Down);
  std::string s2 = snapshot();
  if (s2 != s0) return failed("its downgrade does not restore the schema", s0, s2);
  step(Direction::Up);
  std::string s3 = snapshot();
  if (s3 != s1) return failed("upgrading again after the downgrade differs", s1, s3);
  return v;
}

VerifyResult Project::verify(const std::string& scratch_url) {
  Impl& p = *impl_;
  RevisionGraph g = p.graph();
  TempDir temp;
  DatabaseUrl url = scratch_database(scratch_url, p.settings.temp_dir, temp);
  Settings scratch = p.settings;
  scratch.url = url;
  p.redactor->add_url(url);
  auto db = p.connect(scratch);
  VersionStore store(*db, p.settings.table_prefix);
  if (!inspect_schema(*db, p.settings.table_prefix).objects.empty() || store.exists())
    throw OptionError("{scratch_url}: verify needs an empty scratch database, and " +
                      OptionError::literal(url.describe()) + " is not empty");
  store.ensure();
  VerifyResult out;
  out.database = url.describe();
  p.say("verifying " + std::to_string(g.size()) + " revision(s) on " + url.describe());
  SilentReporter reporter;  // verify reports revisions, not every step's progress
  Migrator migrator(*db, store, g, reporter);
  auto start = Clock::now();
  for (int r : g.order()) {
    VerifiedRevision v = p.round_trip(*db, migrator, g, r);
    v.problem = p.redactor->apply(v.problem);  // (the scratch schema may quote a password)
    v.diff = p.redactor->apply(v.diff);
    ++(v.outcome == "failed" ? out.failed : v.outcome == "skipped" ? out.skipped : out.verified);
    out.revisions.push_back(v);
    p.observer->verified(v);
    if (v.outcome == "failed") break;
  }
  out.ms = ms_since(start);
  return out;
}

SchemaResult Project::schema() {
  Impl& p = *impl_;
  if (!Database::exists(p.settings.url))
    throw OperationError(p.settings.url.describe() + " does not exist yet");
  auto db = p.connect();
  Schema schema = inspect_schema(*db, p.settings.table_prefix);
  SchemaResult out;
  for (const auto& o : schema.objects) out.objects.push_back({o.kind, o.name, o.lines});
  out.text = schema.text();
  return out;
}

}  // namespace mig
