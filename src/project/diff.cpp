#include "project/diff.h"

#include <boost/filesystem.hpp>

#include "db/dialect_traits.h"
#include "db/schema.h"
#include "diff/sqlite_diff.h"
#include "engine/migrator.h"
#include "engine/version_store.h"
#include "errors.h"
#include "script/script_directory.h"
#include "script/sql_splitter.h"

namespace mig {
namespace fs = boost::filesystem;
namespace {

// A SQLite file of its own in the temporary directory, gone afterwards.
struct Scratch {
  fs::path dir;
  std::unique_ptr<Database> db;
  Scratch(const Settings& s, const char* name) {
    dir =
        fs::path(s.temp_dir.empty() ? "/tmp" : s.temp_dir) / fs::unique_path("mig-diff-%%%%-%%%%");
    fs::create_directories(dir);
    db = Database::open(parse_url("sqlite://" + (dir / name).string(), "diff"), ConnectOptions{});
  }
  ~Scratch() {
    db.reset();
    boost::system::error_code ec;
    fs::remove_all(dir, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
};

// The files of a schema: `path` itself, or its .sql files in name order;
// `option` names it in errors (to, from).
std::vector<std::string> schema_files(const std::string& path, const std::string& option) {
  std::string name = "{" + option + "}: " + OptionError::literal(path);
  if (fs::is_regular_file(path)) return {path};
  if (!fs::is_directory(path)) throw OptionError(name + " is neither a file nor a directory");
  std::vector<std::string> files;
  for (fs::directory_iterator it(path), end; it != end; ++it)
    if (fs::is_regular_file(it->path()) && it->path().extension() == ".sql")
      files.push_back(it->path().string());
  std::sort(files.begin(), files.end());
  if (files.empty()) throw OptionError(name + " holds no .sql file");
  return files;
}

// Runs a schema's statements; an error names the file and line.
void load_schema(Database& db, const std::string& path, const std::string& option,
                 Dialect dialect) {
  for (const auto& file : schema_files(path, option))
    for (const auto& st : split_statements(read_file(file), dialect, file)) {
      try {
        db.execute(st.sql);
      } catch (const std::exception& e) {
        throw OperationError(file + ":" + std::to_string(st.line) +
                             ": the schema does not load: " + e.what());
      }
    }
}

// What the proof compares: `mig schema`'s form, and each definition as
// written (which also holds what that form leaves out, CHECK constraints).
std::string compared(Database& db, const std::string& prefix) {
  return inspect_schema(db, prefix).text() + "\n" +
         definitions_text(read_sqlite_schema(db, prefix));
}

void apply(Database& db, const std::vector<std::string>& statements, const char* which) {
  for (size_t i = 0; i < statements.size(); ++i) {
    try {
      db.execute(statements[i]);
    } catch (const std::exception& e) {
      throw OperationError("the written " + std::string(which) + " fails on the scratch database " +
                           "at statement " + std::to_string(i + 1) + " (" + statements[i] +
                           "): " + e.what() + "; nothing was written");
    }
  }
}

void prove(Database& db, const std::string& prefix, const std::vector<std::string>& statements,
           const std::string& expected, const char* which, const char* reaches) {
  apply(db, statements, which);
  std::string found = compared(db, prefix);
  if (found != expected)
    throw OperationError("the written " + std::string(which) + " does not give " + reaches +
                         " (expected -, found +); nothing was written:\n" +
                         diff_schemas(expected, found));
}

bool is_url(const std::string& source) {
  return source.rfind("sqlite:", 0) == 0 || source.find("://") != std::string::npos;
}

// Puts `source`'s schema into `scratch`: its files run, or a live
// database's schema made again there (that database is only read).
void load_source(const Settings& s, Database& scratch, const std::string& source,
                 const char* option) {
  if (!is_url(source)) return load_schema(scratch, source, option, s.url.dialect);
  std::string name = std::string("{") + option + "}";
  DatabaseUrl url = parse_url(source, option);
  if (url.dialect != Dialect::SQLite)
    throw OptionError(name + ": mig diff reads SQLite databases so far, not " +
                      OptionError::literal(url.describe()));
  if (!Database::exists(url))
    throw OptionError(name + ": there is no database at " + OptionError::literal(url.describe()));
  auto live = Database::open(url, ConnectOptions{});
  SchemaChange make = plan_sqlite_change({}, read_sqlite_schema(*live, s.table_prefix));
  apply(scratch, make.statements, "copy of the schema");
  std::string want = compared(*live, s.table_prefix), got = compared(scratch, s.table_prefix);
  if (got != want)
    throw OperationError("the schema of " + url.describe() +
                         " cannot be made again exactly (expected -, found +):\n" +
                         diff_schemas(want, got));
}

std::string section(const std::vector<std::string>& statements) {
  std::string out;
  for (const auto& st : statements) out += st + ";\n";
  return out;
}

}  // namespace

void require_sqlite(const Settings& s, const char* command) {
  if (s.url.dialect != Dialect::SQLite)
    throw UsageError(std::string(command) + " works on SQLite projects so far, not on " +
                     traits(s.url.dialect).title);
}

std::string baseline_revision(const Settings& s, Database& live, const std::string& message,
                              const std::function<std::string(const RevisionRequest&)>& write) {
  SqliteSchema schema = read_sqlite_schema(live, s.table_prefix);
  SchemaChange up = plan_sqlite_change({}, schema), down = plan_sqlite_change(schema, {});
  if (up.empty()) throw OperationError(s.url.describe() + " holds no schema to take a baseline of");
  Scratch scratch(s, "baseline.db");
  std::string empty = compared(*scratch.db, s.table_prefix);
  prove(*scratch.db, s.table_prefix, up.statements, compared(live, s.table_prefix), "upgrade",
        "the schema of the database");
  prove(*scratch.db, s.table_prefix, down.statements, empty, "downgrade", "an empty database");
  RevisionRequest request;
  request.message = message;
  request.upgrade = section(up.statements);
  request.downgrade = section(down.statements);
  return write(request);
}

DiffResult diff_to_schema(const Settings& s, const RevisionGraph& g, const DiffOptions& o,
                          const std::function<std::string(const RevisionRequest&)>& write) {
  require_sqlite(s, "mig diff");
  if (o.to.empty()) throw OptionError("{to}: no desired schema given");
  bool writes = !o.check && !o.sql;
  if (!o.from.empty() && writes)
    throw OptionError("{from} compares two schemas and writes no revision: add {sql} or {check}");
  if (writes && o.message.find_first_not_of(" \t") == std::string::npos)
    throw UsageError("MESSAGE must not be empty");
  Scratch replayed(s, "replayed.db"), desired(s, "desired.db");
  if (o.from.empty()) {
    VersionStore store(*replayed.db, s.table_prefix);
    store.ensure();
    SilentReporter quiet;
    Migrator(*replayed.db, store, g, quiet)
        .run(plan_upgrade(g, AppliedSet(g.size(), false), "heads"), nullptr);
  } else {
    load_source(s, *replayed.db, o.from, "from");
  }
  load_source(s, *desired.db, o.to, "to");

  std::string before = compared(*replayed.db, s.table_prefix);
  std::string after = compared(*desired.db, s.table_prefix);
  // Renames first, on the replayed database: the rest is planned from there.
  std::vector<std::string> renames, renames_back;
  for (const auto& spec : o.renames) {
    auto [forward, back] = sqlite_rename(read_sqlite_schema(*replayed.db, s.table_prefix), spec);
    apply(*replayed.db, {forward}, "rename");
    renames.push_back(forward);
    renames_back.insert(renames_back.begin(), back);
  }
  SqliteSchema from = read_sqlite_schema(*replayed.db, s.table_prefix);
  SqliteSchema to = read_sqlite_schema(*desired.db, s.table_prefix);
  SchemaChange up = plan_sqlite_change(from, to), down = plan_sqlite_change(to, from);
  down.statements.insert(down.statements.end(), renames_back.begin(), renames_back.end());
  DiffResult out;
  out.differs = before != after;
  if (!out.differs) return out;
  if (up.empty() && renames.empty())
    throw OperationError("the revisions and " + o.to +
                         " differ in what mig diff cannot express yet (expected -, found +):\n" +
                         diff_schemas(before, after));
  out.upgrade = renames;
  out.upgrade.insert(out.upgrade.end(), up.statements.begin(), up.statements.end());
  out.downgrade = down.statements;
  out.outside_transaction = up.outside_transaction || down.outside_transaction;
  out.destructive = up.destructive;
  prove(*replayed.db, s.table_prefix, up.statements, after, "upgrade", "the desired schema");
  prove(*replayed.db, s.table_prefix, down.statements, before, "downgrade",
        "back the schema of the revisions");
  if (!writes) return out;
  RevisionRequest request;
  request.message = o.message;
  request.upgrade = section(out.upgrade);
  request.downgrade = section(out.downgrade);
  if (out.outside_transaction) request.directives.push_back("-- mig:transaction off");
  if (out.destructive.empty() && up.rebuilds) {
    // Its DROP TABLE statements put rebuilt tables in place and lose no
    // data; a revision that does lose some is left for mig check to stop.
    request.directives.push_back(
        "-- Written by mig diff: its DROP TABLE statements rebuild tables; no data is lost.");
    request.directives.push_back("-- mig:allow destructive");
  }
  out.path = write(request);
  return out;
}

}  // namespace mig
