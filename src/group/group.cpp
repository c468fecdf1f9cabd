// Groups: the targets of [groups.NAME], and one operation run on all of
// them, a few at a time, each on its own thread with its own Project.
#include "mig/group.h"

#include <fnmatch.h>
#include <glob.h>

#include <algorithm>
#include <boost/filesystem.hpp>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "base/clock.h"
#include "base/strings.h"
#include "db/database.h"
#include "db/dialect_traits.h"
#include "errors.h"
#include "secrets.h"

namespace fs = boost::filesystem;

namespace mig {

std::string GroupTarget::describe() const {
  if (schema.empty()) return url.describe();
  return "schema '" + schema + "' of " + url.describe();
}

namespace {

// A name that is also a file name (--sql writes NAME.sql).
bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > 100 || name[0] == '.' || name[0] == '-') return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
      return false;
  return true;
}

std::string tidy(const std::string& text) {
  std::string out;
  for (char c : text)
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_';
  while (!out.empty() && (out[0] == '.' || out[0] == '-' || out[0] == '_')) out.erase(0, 1);
  return out.empty() ? "target" : out;
}

// Lower case only: an unquoted name PostgreSQL folds to itself, so the
// search_path and mig's quoted table names mean the same schema.
bool valid_schema(const std::string& s) {
  bool ok = !s.empty() && s.size() <= 63 && !std::isdigit(static_cast<unsigned char>(s[0]));
  for (char c : s) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  return ok;
}

struct Candidate {
  GroupTarget target;
  bool named = false;  // the name was given, not made
  std::string fuller;  // a longer name, should the made one be taken twice
  std::string where;   // "mig.toml:12", for messages
};

class Resolver {
 public:
  Resolver(const Settings& settings, const GroupSettings& group, const EnvLookup& env)
      : settings_(settings), group_(group), env_(env) {}

  std::vector<Candidate> resolve() {
    std::string toml = settings_.config_path.empty() ? "mig.toml" : settings_.config_path;
    for (const auto& e : group_.targets) {
      std::string where =
          toml + ":" + std::to_string(e.line) + ": groups." + group_.name + ".targets";
      add_entry(expand(e.name, where), expand(e.url, where), expand(e.schema, where), where);
    }
    if (!group_.file.empty()) read_file();
    if (!group_.query.empty()) read_query();
    if (!group_.url.empty()) read_schemas();
    return std::move(out_);
  }

 private:
  std::string in_group() const { return " (group " + group_.name + ", " + group_.origin + ")"; }

  // (Normalised, so that ./a.db and a.db are one database.)
  std::string relative(const std::string& path) const {
    fs::path p = settings_.base_dir.empty() || fs::path(path).is_absolute()
                     ? fs::path(path)
                     : fs::path(settings_.base_dir) / path;
    return p.lexically_normal().string();
  }

  // ${VAR} in a value of the group, `where` naming it in errors.
  std::string expand(const std::string& text, const std::string& where) const {
    return expand_variables(text, env_, where);
  }
  std::string value(const std::string& text, const std::string& key) const {
    auto it = group_.where.find(key);
    return expand(text, it != group_.where.end() ? it->second : group_.origin);
  }
  // A SQLite URL relative to mig.toml, as every path of the group.
  DatabaseUrl database_url(const std::string& text, const std::string& where) const {
    DatabaseUrl url = parse_url(text, where);
    if (url.dialect == Dialect::SQLite && !url.is_memory()) url.path = relative(url.path);
    return url;
  }

  void add_entry(const std::string& name, const std::string& text, const std::string& schema,
                 const std::string& where) {
    DatabaseUrl url = parse_url(text, where);
    if (!name.empty() && !valid_name(name))
      throw UsageError(where + ": target name '" + name +
                       "' must be 1-100 characters of [A-Za-z0-9_.-], not starting with . or -");
    if (!schema.empty()) check_schema(url, schema, where);
    if (url.dialect == Dialect::SQLite && !url.is_memory()) {
      std::string given = url.path;
      url.path = relative(given);
      // The pattern is the path as written; the directory of mig.toml is
      // taken literally, whatever characters it holds.
      if (given.find_first_of("*?[") != std::string::npos) return add_glob(name, url, where, given);
    }
    add(name, url, schema, where);
  }

  void check_schema(const DatabaseUrl& url, const std::string& schema, const std::string& where) {
    if (url.dialect != Dialect::PostgreSQL)
      throw UsageError(where + ": a schema is for PostgreSQL targets; " +
                       std::string(to_string(url.dialect)) + " has no schemas");
    if (!valid_schema(schema))
      throw UsageError(where + ": schema '" + tidy(schema) +
                       "' must be 1-63 characters of [a-z0-9_], not starting with a digit");
  }

  void add_glob(const std::string& name, const DatabaseUrl& url, const std::string& where,
                const std::string& given) {
    if (!name.empty())
      throw UsageError(where + ": a glob names many files; it cannot have one name");
    std::string pattern = given;
    if (!fs::path(given).is_absolute() && !settings_.base_dir.empty()) {
      std::string base;
      for (char c : settings_.base_dir) {
        if (c == '*' || c == '?' || c == '[' || c == '\\') base += '\\';
        base += c;
      }
      pattern = base + "/" + given;
    }
    glob_t found{};
    int rc = ::glob(pattern.c_str(), 0, nullptr, &found);
    std::vector<std::string> paths(found.gl_pathv, found.gl_pathv + found.gl_pathc);
    ::globfree(&found);
    if (rc == GLOB_NOMATCH || (rc == 0 && paths.empty()))
      throw UsageError(where + ": no file matches " + url.path + in_group());
    if (rc != 0) throw OperationError(where + ": cannot read the directories of " + url.path);
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
      DatabaseUrl one = url;
      one.path = fs::path(path).lexically_normal().string();
      add("", one, "", where);
    }
  }

  void add(const std::string& name, const DatabaseUrl& url, const std::string& schema,
           const std::string& where) {
    Candidate c;
    c.target.url = url;
    c.target.schema = schema;
    c.where = where;
    c.named = !name.empty();
    std::string server = url.host.empty() ? "localhost" : url.host;
    if (url.port) server += "_" + std::to_string(url.port);
    if (c.named) {
      c.target.name = name;
    } else if (url.dialect == Dialect::SQLite) {
      c.target.name = tidy(fs::path(url.path).stem().string());
      std::string shown = url.path, base = settings_.base_dir + "/";
      if (!settings_.base_dir.empty() && shown.rfind(base, 0) == 0)
        shown = shown.substr(base.size());
      c.fuller = tidy(shown);
    } else if (!schema.empty()) {
      c.target.name = schema;
      c.fuller = tidy(url.database + "." + schema);
    } else {
      c.target.name = tidy(url.database.empty() ? server : url.database);
      c.fuller = tidy(server + "_" + url.database);
    }
    out_.push_back(std::move(c));
  }

  void read_file() {
    std::string path = relative(value(group_.file, "file"));
    std::ifstream in(path);
    if (!in)
      throw OperationError("cannot read " + path + ", the file of group " + group_.name + " (" +
                           group_.origin + ")");
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      std::string where = path + ":" + std::to_string(number);
      std::istringstream words(expand_variables(line, env_, where));
      std::vector<std::string> fields;
      for (std::string w; words >> w;) fields.push_back(w);
      if (fields.empty() || fields[0][0] == '#') continue;
      if (fields.size() > 2) throw UsageError(where + ": a line holds a URL, or a name and a URL");
      if (fields.size() == 1)
        add_entry("", fields[0], "", where);
      else
        add_entry(fields[0], fields[1], "", where);
    }
  }

  // The rows of `sql` on the control database (or `fallback`).
  std::vector<std::vector<std::string>> rows(const std::string& sql, const std::string& key,
                                             const std::string& fallback_text) {
    std::string where = group_.origin + " (groups." + group_.name + "." + key + ")";
    DatabaseUrl control = settings_.url;
    if (!group_.control_url.empty())
      control = database_url(value(group_.control_url, "control_url"),
                             "groups." + group_.name + ".control_url");
    else if (!fallback_text.empty())
      control = database_url(value(fallback_text, "url"), "groups." + group_.name + ".url");
    ConnectOptions options;
    options.module_dir = settings_.module_dir;
    try {
      auto db = Database::open(control, options);
      return query_rows(*db, sql, "\x01");
    } catch (const UsageError&) {
      throw;
    } catch (const std::exception& e) {
      throw OperationError(where + ": the query on " + control.describe() +
                           " failed: " + first_line(e.what()));
    }
  }

  void read_query() {
    std::string key = "groups." + group_.name + ".query";
    int row = 0;
    for (const auto& r : rows(value(group_.query, "query"), "query", "")) {
      std::string where = key + ", row " + std::to_string(++row);
      if (r.empty() || r.size() > 2)
        throw UsageError(where + ": the query must return (url) or (name, url)");
      for (const auto& cell : r)
        if (cell == "\x01") throw UsageError(where + ": the query returned NULL");
      if (r.size() == 1)
        add_entry("", r[0], "", where);
      else
        add_entry(r[0], r[1], "", where);
    }
  }

  void read_schemas() {
    std::string where = group_.origin + " (groups." + group_.name + ".url)";
    DatabaseUrl url = parse_url(value(group_.url, "url"), "groups." + group_.name + ".url");
    if (url.dialect != Dialect::PostgreSQL)
      throw UsageError(where + ": schemas are for PostgreSQL; " +
                       std::string(to_string(url.dialect)) + " has none");
    std::vector<std::string> schemas;
    for (const auto& schema : group_.schemas) schemas.push_back(value(schema, "schemas"));
    if (!group_.schemas_query.empty()) {
      int row = 0;
      for (const auto& r :
           rows(value(group_.schemas_query, "schemas_query"), "schemas_query", group_.url)) {
        std::string at = "groups." + group_.name + ".schemas_query, row " + std::to_string(++row);
        if (r.size() != 1 || r[0] == "\x01")
          throw UsageError(at + ": the query must return one schema name per row");
        schemas.push_back(r[0]);
      }
    }
    for (const auto& schema : schemas) {
      check_schema(url, schema, where);
      add("", url, schema, where);
    }
  }

  static std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

  const Settings& settings_;
  const GroupSettings& group_;
  const EnvLookup& env_;
  std::vector<Candidate> out_;
};

// Made names taken twice become their fuller forms; a name given twice, or
// one still taken twice, is an error.
std::vector<GroupTarget> unique_names(std::vector<Candidate> candidates) {
  std::map<std::string, int> count;
  for (const auto& c : candidates) ++count[c.target.name];
  for (auto& c : candidates)
    if (!c.named && count[c.target.name] > 1 && !c.fuller.empty()) c.target.name = c.fuller;
  std::map<std::string, const Candidate*> seen;
  std::map<std::string, std::string> databases;  // each database (and schema) once
  std::vector<GroupTarget> out;
  for (const auto& c : candidates) {
    std::string key = c.target.url.redacted() + "#" + c.target.schema;
    auto [db, first] = databases.emplace(key, c.where);
    if (!first)
      throw UsageError(c.where + ": " + c.target.describe() + " is a target already (" +
                       db->second + "); a database is migrated once per run");
    auto [it, fresh] = seen.emplace(c.target.name, &c);
    if (!fresh)
      throw UsageError(c.where + ": target name '" + c.target.name + "' is taken by " +
                       it->second->where +
                       " already; name one of them ({ name = \"…\", url = "
                       "\"…\" })");
    out.push_back(c.target);
  }
  return out;
}

}  // namespace

std::vector<GroupTarget> group_targets(const Settings& settings, const std::string& group,
                                       const std::vector<std::string>& patterns,
                                       const EnvLookup& env) {
  auto it = settings.groups.find(group);
  if (it == settings.groups.end()) {
    std::vector<std::string> names;
    for (const auto& [name, g] : settings.groups) names.push_back(name);
    throw UsageError("--group: no [groups." + group + "] in " +
                     (settings.config_path.empty() ? std::string("mig.toml (there is none)")
                                                   : settings.config_path) +
                     (names.empty() ? std::string() : "; groups: " + join(names, ", ")));
  }
  EnvLookup lookup = env ? env : EnvLookup([](const char*) -> const char* { return nullptr; });
  std::vector<GroupTarget> all = unique_names(Resolver(settings, it->second, lookup).resolve());
  if (all.empty())
    throw UsageError("group " + group + " (" + it->second.origin + ") has no targets");
  if (patterns.empty()) return all;
  std::vector<GroupTarget> kept;
  std::vector<bool> used(patterns.size());
  for (const auto& t : all) {
    bool match = false;
    for (size_t i = 0; i < patterns.size(); ++i)
      if (::fnmatch(patterns[i].c_str(), t.name.c_str(), 0) == 0) match = used[i] = true;
    if (match) kept.push_back(t);
  }
  for (size_t i = 0; i < patterns.size(); ++i)
    if (!used[i])
      throw UsageError("--target: '" + patterns[i] + "' matches no target of group " + group +
                       " (" + std::to_string(all.size()) + " target(s), such as " +
                       all.front().name + ")");
  return kept;
}

Settings target_settings(const Settings& settings, const GroupTarget& target) {
  Settings s = settings;
  s.url = target.url;
  s.url_source = "group";
  s.warnings.clear();
  if (!target.schema.empty()) {
    s.schema = target.schema;
    std::string path = "-c search_path=" + target.schema;
    auto options = std::find_if(s.url.params.begin(), s.url.params.end(),
                                [](const auto& p) { return p.first == "options"; });
    if (options == s.url.params.end())
      s.url.params.emplace_back("options", path);
    else
      options->second += " " + path;
  }
  return s;
}

int default_jobs() {
  unsigned cores = std::thread::hardware_concurrency();
  return static_cast<int>(std::clamp(cores, 1u, 4u));
}

namespace {

// Passes everything on to the target's observer, and keeps what the
// result needs: the plan's start and end, the steps done.
class Tracker : public Observer {
 public:
  Tracker(Observer* inner, TargetResult& result) : inner_(inner), result_(result) {}
  bool planned_ = false;

  void planned(const MigrateResult& plan) override {
    planned_ = true;
    result_.state_known = true;
    result_.before = plan.before;
    result_.after = plan.dry_run ? plan.before : plan.after;
    if (inner_) inner_->planned(plan);
  }
  void step_started(const StepResult& step) override {
    if (inner_) inner_->step_started(step);
  }
  void step_finished(const StepResult& step) override {
    if (step.action != "seed") ++result_.steps;  // (revisions; seed counts its own)
    if (inner_) inner_->step_finished(step);
  }
  void step_skipped(const StepResult& step) override {
    if (inner_) inner_->step_skipped(step);
  }
  void statement(const StepResult& step, int number, const std::string& sql) override {
    if (inner_) inner_->statement(step, number, sql);
  }
  void batch_progress(const StepResult& step, int number, long long batches, long long rows,
                      double seconds, bool done) override {
    if (inner_) inner_->batch_progress(step, number, batches, rows, seconds, done);
  }
  void verified(const VerifiedRevision& revision) override {
    if (inner_) inner_->verified(revision);
  }
  void waiting(const std::string& what) override {
    if (inner_) inner_->waiting(what);
  }
  void log(Level level, const std::string& text) override {
    if (inner_) inner_->log(level, text);
  }

 private:
  Observer* inner_;
  TargetResult& result_;
};

}  // namespace

std::vector<TargetResult> run_group(const Settings& settings,
                                    const std::vector<GroupTarget>& targets,
                                    const GroupOptions& options, const TargetWork& work,
                                    GroupObserver* observer) {
  int jobs = options.jobs > 0 ? options.jobs : default_jobs();
  jobs = std::min<int>(jobs, static_cast<int>(std::max<size_t>(targets.size(), 1)));
  std::vector<TargetResult> results(targets.size());
  for (size_t i = 0; i < targets.size(); ++i) results[i].target = targets[i];
  std::atomic<size_t> next{0};
  std::atomic<bool> halt{false};  // what each project looks at before a revision
  std::atomic<int> running{jobs};

  // Every message a result holds is masked with every target's password.
  Redactor redactor;
  for (const auto& t : targets) redactor.add_url(t.url);
  auto failed = [&](TargetResult& r, const char* outcome, const std::string& what) {
    r.outcome = outcome;
    r.error = redactor.apply(what);
    r.exception = std::current_exception();
  };

  auto one = [&](TargetResult& r) {
    auto start = Clock::now();
    try {
      if (observer) observer->target_started(r.target);
      Tracker tracker(observer ? observer->target_observer(r.target) : nullptr, r);
      Project project(target_settings(settings, r.target));
      project.set_observer(&tracker);
      project.set_interrupt(&halt);
      try {
        work(project, r);
        r.outcome = "ok";
      } catch (const InterruptedError& e) {
        failed(r, "stopped", e.what());
      } catch (const std::exception& e) {
        failed(r, "failed", e.what());
      } catch (...) {
        failed(r, "failed", "an unknown exception");
      }
      // Where it is now: a failed upgrade keeps the revisions before.
      if (!r.ok() && r.state_known) try {
          r.after.clear();
          for (const auto& c : project.current().current) r.after.push_back(c.id);
        } catch (...) {
          r.after = {"?"};
        }
    } catch (const std::exception& e) {  // (its settings, the observer, say)
      failed(r, "failed", e.what());
    } catch (...) {
      failed(r, "failed", "an unknown exception");
    }
    if (r.outcome == "failed" && options.stop_on_error) halt = true;
    r.ms = ms_since(start);
    try {
      if (observer) observer->target_finished(r);
    } catch (...) {  // (the result stands)
    }
  };

  auto stopping = [&] {
    if (options.interrupt && *options.interrupt) halt = true;
    return halt.load();
  };
  auto worker = [&] {
    for (;;) {
      if (stopping()) break;
      size_t i = next++;
      if (i >= results.size() || stopping()) break;  // (it stays "not started")
      one(results[i]);
    }
    --running;
  };
  std::vector<std::thread> threads;
  try {
    for (int j = 0; j < jobs; ++j) threads.emplace_back(worker);
  } catch (...) {  // no thread to be had: those there finish the work
    running -= jobs - static_cast<int>(threads.size());
    if (threads.empty()) throw;
  }
  // The host's flag becomes the projects' flag.
  while (options.interrupt && running > 0) {
    stopping();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& t : threads) t.join();
  return results;
}

}  // namespace mig
