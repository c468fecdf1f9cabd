#include "project/authoring.h"

#include <boost/filesystem.hpp>
#include <ctime>
#include <fstream>

#include "base/strings.h"
#include "engine/state.h"
#include "graph/targets.h"
#include "script/revision_file.h"
#include "script/seed_file.h"
#include "script/templates.h"

namespace fs = boost::filesystem;

namespace mig {
namespace {

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

void branch_is_new(const RevisionGraph& graph, const std::string& branch) {
  try {
    graph.branch_base(branch);
  } catch (const UsageError&) {
    return;
  }
  std::string label = OptionError::literal(branch);
  throw OptionError("{branch}: there is already a branch labelled '" + label +
                    "'; add to it with {parents} " + label + "@head");
}

NewRevision dated(const RevisionRequest& r, const char* kind) {
  NewRevision nr;
  nr.message = r.message;
  nr.kind = kind;
  nr.created = now_utc("%Y-%m-%dT%H:%M:%SZ");
  nr.timestamp = now_utc("%Y%m%d%H%M%S");
  return nr;
}

// A new file in the seed directory from the seed template.
std::string write_seed(const Settings& s, const RevisionRequest& r) {
  if (r.kind != "schema" || !r.parents.empty())
    throw OptionError("{seed} cannot be combined with {kind} or {parents}");
  NewRevision nr = dated(r, "seed");
  std::string name = r.template_name.empty() ? "seed" : r.template_name;
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
  return file.string();
}

// The parents of a new revision: the parent targets, none for a new
// branch, else the single head.
std::vector<std::string> new_parents(const RevisionGraph& graph, const RevisionRequest& r) {
  std::vector<std::string> parents;
  AppliedSet none(graph.size(), false);
  if (!r.branch.empty()) {
    if (!r.parents.empty())
      throw OptionError("{branch} starts a new base revision; it cannot have {parents}");
    branch_is_new(graph, r.branch);
  } else if (!r.parents.empty()) {
    for (const auto& p : r.parents)
      for (int i : resolve_target(graph, none, p, Direction::Up)) parents.push_back(graph.at(i).id);
    if (parents.empty()) throw OptionError("{parents} names no revision");
  } else if (graph.heads().size() > 1) {
    throw OptionError("there are several heads (" +
                      OptionError::literal(join(ids(graph, graph.heads()), ", ")) +
                      "); pass {parents} ID to choose one");
  } else if (!graph.heads().empty()) {
    parents.push_back(graph.at(graph.heads().front()).id);
  }
  return parents;
}

// The template's text for `nr`, checked to be the revision asked for.
std::string render_revision(const Settings& s, const RevisionRequest& r, const NewRevision& nr) {
  std::string name = r.template_name.empty() ? r.kind : r.template_name;
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
  if (std::string(to_string(rendered.kind)) != r.kind)
    throw OperationError(origin + ": --kind " + r.kind + " asked for, but the template writes " +
                         "a " + to_string(rendered.kind) + " revision");
  return text;
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

InitResult init_project(const std::string& dir) {
  InitResult out;
  fs::path root(dir.empty() ? "." : dir);
  for (const char* sub : {"", "migrations", "seed", "templates"}) {
    fs::path p = root / sub;
    bool created = !fs::exists(p);
    if (created) fs::create_directories(p);
    out.entries.push_back({p.string(), "directory", created});
  }
  fs::path config = root / "mig.toml";
  out.entries.push_back({config.string(), "config", write_new_file(config, default_config_text())});
  for (const auto& name : builtin_template_names()) {
    fs::path p = root / "templates" / (name + ".sql.mustache");
    out.entries.push_back({p.string(), "template", write_new_file(p, builtin_template(name))});
  }
  return out;
}

namespace {

// The rendered template with the sections' statements put in (after each
// section's directive) and, if asked, `-- mig:transaction off` before them.
std::string with_sections(std::string text, const RevisionRequest& r, const std::string& origin) {
  if (r.upgrade.empty() && r.downgrade.empty() && r.directives.empty()) return text;
  auto insert_after = [&](const std::string& directive, const std::string& sql) {
    size_t at = text.find("\n" + directive + "\n");
    if (at == std::string::npos)
      throw OperationError(origin + ": the template has no " + directive + " line to write into");
    text.insert(at + directive.size() + 2, sql);
  };
  insert_after("-- mig:upgrade", r.upgrade);
  insert_after("-- mig:downgrade", r.downgrade);
  std::string lines;
  for (const auto& line : r.directives) lines += line + "\n";
  text.insert(text.find("\n-- mig:upgrade\n") + 1, lines);
  return text;
}

}  // namespace

std::string write_revision(const Settings& s, const std::function<RevisionGraph()>& load_graph,
                           const RevisionRequest& r) {
  if (r.message.find_first_of("\r\n") != std::string::npos)
    throw UsageError("MESSAGE must be one line");
  if (r.message.find_first_not_of(" \t") == std::string::npos)
    throw UsageError("MESSAGE must not be empty");
  if (r.seed) return write_seed(s, r);
  fs::create_directories(s.migrations_dir);
  RevisionGraph graph = load_graph();
  NewRevision nr = dated(r, r.kind.c_str());
  nr.branch = r.branch;
  nr.parents = new_parents(graph, r);
  do nr.id = random_revision_id();
  while (graph.find(nr.id) >= 0);
  std::string origin = s.templates_dir + "/" +
                       (r.template_name.empty() ? r.kind : r.template_name) + ".sql.mustache";
  std::string text = with_sections(render_revision(s, r, nr), r, origin);
  if (!r.upgrade.empty() || !r.downgrade.empty() || !r.directives.empty()) {
    try {
      parse_revision(text, origin + " (with the statements)", s.url.dialect);
    } catch (const FileError& e) {
      throw OperationError(std::string("the written revision would not read back: ") + e.what());
    }
  }
  fs::path file = fs::path(s.migrations_dir) / render_file_name(s.file_template, nr);
  if (file.has_parent_path()) fs::create_directories(file.parent_path());
  if (!write_new_file(file, text)) throw OperationError(file.string() + " already exists");
  return file.string();
}

std::vector<std::string> merge_parents(const RevisionGraph& graph,
                                       const std::vector<std::string>& revisions) {
  std::vector<std::string> parents = revisions;
  if (revisions.empty())
    for (int h : graph.heads()) parents.push_back(graph.at(h).id);
  if (parents.size() < 2)
    throw UsageError(revisions.empty() ? "there is only one head; nothing to merge"
                                       : "a merge needs at least two revisions");
  return parents;
}

}  // namespace mig
