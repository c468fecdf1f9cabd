// The commands that write project files (init, revision, merge) rather
// than touch a database.
#include <boost/filesystem.hpp>
#include <ctime>
#include <fstream>

#include "base/strings.h"
#include "cli/commands.h"
#include "engine/state.h"
#include "graph/revision_graph.h"
#include "graph/targets.h"
#include "script/parse_cache.h"
#include "script/revision_file.h"
#include "script/script_directory.h"
#include "script/seed_file.h"
#include "script/templates.h"

namespace fs = boost::filesystem;

namespace mig {
namespace {

void no_json(Context& ctx, const char* command) {
  if (ctx.global.json)
    throw UsageError(std::string("--json: '") + command + "' has no JSON output");
}

// The revisions as they are now, for choosing a new one's parents.
RevisionGraph load_graph(const Settings& s) {
  Dialect dialect = s.url.dialect;
  std::string file = ParseCache::file_for(s.cache_dir, s.migrations_dir, dialect);
  if (file.empty())
    return RevisionGraph(load_revisions(s.migrations_dir, dialect, RevisionText::Summary));
  ParseCache cache(file, dialect);
  return RevisionGraph(load_revisions(s.migrations_dir, dialect, RevisionText::Summary, &cache));
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
    parse_seed(text, "new", origin + " (rendered)", s.url.dialect);
  } catch (const FileError& e) {
    throw OperationError(std::string("template does not render a valid seed file: ") + e.what());
  }
  fs::create_directories(s.seed_dir);
  fs::path file = fs::path(s.seed_dir) / (nr.timestamp + "_" + slugify(nr.message) + ".sql");
  if (!write_new_file(file, text)) throw OperationError(file.string() + " already exists");
  ctx.out->data("created " + file.string());
  return 0;
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

namespace {

// The parents of a new revision: --parent targets, none for a new --branch,
// else the single head.
std::vector<std::string> new_parents(const RevisionGraph& graph, const RevisionOptions& opts) {
  std::vector<std::string> parents;
  AppliedSet none(graph.size(), false);
  if (!opts.branch.empty()) {
    if (!opts.parents.empty())
      throw UsageError("--branch starts a new base revision; it cannot have --parent");
    graph_branch_is_new(graph, opts.branch);
  } else if (!opts.parents.empty()) {
    for (const auto& p : opts.parents)
      for (int r : resolve_target(graph, none, p, Direction::Up)) parents.push_back(graph.at(r).id);
    if (parents.empty()) throw UsageError("--parent names no revision");
  } else if (graph.heads().size() > 1) {
    throw UsageError("there are several heads (" + join(ids(graph, graph.heads()), ", ") +
                     "); pass --parent ID to choose one");
  } else if (!graph.heads().empty()) {
    parents.push_back(graph.at(graph.heads().front()).id);
  }
  return parents;
}

// The template's text for `nr`, checked to be the revision asked for.
std::string render_revision(const Settings& s, const RevisionOptions& opts, const NewRevision& nr) {
  std::string name = opts.template_name.empty() ? opts.kind : opts.template_name;
  std::string origin = s.templates_dir + "/" + name + ".sql.mustache";
  std::string text = render_template(load_template(s.templates_dir, name), nr, origin);
  Revision rendered;
  try {
    rendered = parse_revision(text, origin + " (rendered)", s.url.dialect);
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
  return text;
}

}  // namespace

int cmd_revision(Context& ctx, const RevisionOptions& opts) {
  no_json(ctx, "revision");
  if (opts.message.find_first_of("\r\n") != std::string::npos)
    throw UsageError("MESSAGE must be one line");
  if (opts.message.find_first_not_of(" \t") == std::string::npos)
    throw UsageError("MESSAGE must not be empty");
  const Settings& s = ctx.settings;
  if (opts.seed) return new_seed(ctx, opts);
  fs::create_directories(s.migrations_dir);
  RevisionGraph graph = load_graph(s);
  NewRevision nr;
  nr.branch = opts.branch;
  nr.parents = new_parents(graph, opts);
  do nr.id = random_revision_id();
  while (graph.find(nr.id) >= 0);
  nr.message = opts.message;
  nr.kind = opts.kind;
  nr.created = now_utc("%Y-%m-%dT%H:%M:%SZ");
  nr.timestamp = now_utc("%Y%m%d%H%M%S");
  std::string text = render_revision(s, opts, nr);
  fs::path file = fs::path(s.migrations_dir) / render_file_name(s.file_template, nr);
  if (file.has_parent_path()) fs::create_directories(file.parent_path());
  if (!write_new_file(file, text)) throw OperationError(file.string() + " already exists");
  ctx.out->data("created " + file.string());
  return 0;
}

int cmd_merge(Context& ctx, const std::vector<std::string>& revisions, const std::string& message) {
  RevisionGraph graph = load_graph(ctx.settings);
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

}  // namespace mig
