#include "project/diff.h"

#include <boost/filesystem.hpp>

#include "db/dialect_traits.h"
#include "db/schema.h"
#include "diff/mysql_diff.h"
#include "diff/postgresql_diff.h"
#include "diff/renamed_from.h"
#include "diff/sqlite_diff.h"
#include "engine/migrator.h"
#include "engine/version_store.h"
#include "errors.h"
#include "script/script_directory.h"
#include "script/sql_splitter.h"

namespace mig {
namespace fs = boost::filesystem;
namespace {

// One empty database mig may fill and empty again as it likes.
class Scratch {
 public:
  virtual ~Scratch() = default;
  Database& db() { return *db_; }
  // Back to an empty database.
  virtual void empty() = 0;

 protected:
  std::unique_ptr<Database> db_;
};

// A SQLite file of its own in the temporary directory, gone afterwards.
class SqliteScratch : public Scratch {
 public:
  explicit SqliteScratch(const Settings& s) {
    dir_ =
        fs::path(s.temp_dir.empty() ? "/tmp" : s.temp_dir) / fs::unique_path("mig-diff-%%%%-%%%%");
    fs::create_directories(dir_);
    open();
  }
  ~SqliteScratch() override {
    db_.reset();
    boost::system::error_code ec;
    fs::remove_all(dir_, ec);
  }
  void empty() override {
    db_.reset();
    fs::remove(dir_ / "scratch.db");
    open();
  }

 private:
  void open() {
    db_ = Database::open(parse_url("sqlite://" + (dir_ / "scratch.db").string(), "diff"),
                         ConnectOptions{});
  }
  fs::path dir_;
};

std::string my_quoted(const std::string& name) {
  std::string out = "`";
  for (char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
  return out + "`";
}

// Drops everything the connected user owns in the database's schemas and
// makes its current schema again, empty (as fast as making a database).
void empty_postgresql(Database& db) {
  db.execute("SET client_min_messages = warning");  // (not every object a drop cascades to)
  auto schema = query_rows(db, "SELECT quote_ident(current_schema())").at(0).at(0);
  auto others = query_rows(db,
                           "SELECT quote_ident(nspname) FROM pg_namespace WHERE nspowner = "
                           "current_user::regrole AND nspname <> current_schema() AND nspname "
                           "NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'");
  for (const auto& x :
       query_rows(db, "SELECT quote_ident(extname) FROM pg_extension WHERE extname <> 'plpgsql'"))
    db.execute("DROP EXTENSION " + x[0] + " CASCADE");
  db.execute("DROP SCHEMA " + schema + " CASCADE");
  for (const auto& n : others) db.execute("DROP SCHEMA " + n[0] + " CASCADE");
  db.execute("CREATE SCHEMA " + schema);
}

// Drops every table, view, routine and event of the connected database.
void empty_mysql(Database& db) {
  db.execute("SET FOREIGN_KEY_CHECKS = 0");
  for (const auto& r : query_rows(db,
                                  "SELECT table_name, table_type FROM "
                                  "information_schema.tables WHERE table_schema = DATABASE()"))
    db.execute((r[1] == "VIEW" ? "DROP VIEW " : "DROP TABLE ") + my_quoted(r[0]));
  for (const auto& r : query_rows(db,
                                  "SELECT routine_name, routine_type FROM "
                                  "information_schema.routines WHERE routine_schema = DATABASE()"))
    db.execute("DROP " + r[1] + " " + my_quoted(r[0]));
  for (const auto& r : query_rows(db,
                                  "SELECT event_name FROM information_schema.events WHERE "
                                  "event_schema = DATABASE()"))
    db.execute("DROP EVENT " + my_quoted(r[0]));
  db.execute("SET FOREIGN_KEY_CHECKS = 1");
}

void empty_database(Database& db) {
  if (db.dialect() == Dialect::MySQL) return empty_mysql(db);
  empty_postgresql(db);
}

// Whether a database holds anything of the user's.
bool holds_objects(Database& db, const std::string& prefix) {
  if (db.dialect() == Dialect::MySQL) {
    MySchema m = read_mysql_schema(db, prefix);
    return !m.tables.empty() || !m.views.empty() || !m.routines.empty() || !m.unsupported.empty();
  }
  PgSchema held = read_postgresql_schema(db, prefix);
  return !held.tables.empty() || !held.views.empty() || !held.functions.empty() ||
         !held.enums.empty() || !held.sequences.empty() || !held.unsupported.empty();
}

// PostgreSQL and MySQL: a database of mig's own on the server,
// mig_dev_<random>, dropped afterwards (also when mig diff fails).
class ServerScratch : public Scratch {
 public:
  explicit ServerScratch(const DatabaseUrl& server) : server_(server) {
    url_ = server;
    url_.database = "mig_dev_" + fs::unique_path("%%%%%%%%%%%%").string();
    Database::open(server_, ConnectOptions{})->execute("CREATE DATABASE " + url_.database);
    db_ = Database::open(url_, ConnectOptions{});
  }
  ~ServerScratch() override {
    db_.reset();
    try {
      Database::open(server_, ConnectOptions{})
          ->execute("DROP DATABASE IF EXISTS " + url_.database +
                    (server_.dialect == Dialect::PostgreSQL ? " WITH (FORCE)" : ""));
    } catch (const std::exception&) {
      // (the server went away: nothing is left to drop, or nothing can be)
    }
  }
  void empty() override { empty_database(*db_); }

 private:
  DatabaseUrl server_, url_;
};

// PostgreSQL and MySQL, for a user who may not create databases: the dev URL's own
// database, which must hold nothing (or only what an earlier mig diff left
// there, which a marker table tells) and is emptied after use.
class BorrowedScratch : public Scratch {
 public:
  BorrowedScratch(const DatabaseUrl& url, const std::string& prefix)
      : marker_(prefix + "dev_scratch") {
    db_ = Database::open(url, ConnectOptions{});
    if (holds_objects(*db_, prefix) && !db_->table_exists(marker_))
      throw OptionError("{dev_url}: " + OptionError::literal(url.describe()) +
                        " is not empty; mig diff empties the database it works in, so it "
                        "takes only an empty one (or one that may create databases)");
    empty();
  }
  ~BorrowedScratch() override {
    try {
      empty_database(*db_);
    } catch (const std::exception&) {
      // (what is left is marked: the next mig diff clears it)
    }
  }
  void empty() override {
    empty_database(*db_);
    db_->execute("CREATE TABLE " + marker_ + " (made_by TEXT)");
  }

 private:
  std::string marker_;
};

std::unique_ptr<Scratch> make_scratch(const Settings& s, const std::string& dev_url) {
  if (s.url.dialect == Dialect::SQLite) {
    if (!dev_url.empty())
      throw OptionError(
          "{dev_url} names a server for scratch databases; on SQLite they are "
          "temporary files");
    return std::make_unique<SqliteScratch>(s);
  }
  DatabaseUrl server = dev_url.empty() ? s.url : parse_url(dev_url, "dev_url");
  if (server.dialect != s.url.dialect)
    throw OptionError("{dev_url}: " + OptionError::literal(server.describe()) + " is not " +
                      traits(s.url.dialect).title + ", the project's database");
  try {
    return std::make_unique<ServerScratch>(server);
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    std::string why = e.what();
    bool refused = why.find("permission denied") != std::string::npos ||  // PostgreSQL
                   why.find("Access denied") != std::string::npos;        // MySQL
    if (dev_url.empty() || !refused)
      throw OperationError(
          "mig diff cannot make its scratch database on " + server.describe() + ": " + why +
          (dev_url.empty() ? "; name a server that allows it with --dev-url" : ""));
    return std::make_unique<BorrowedScratch>(server, s.table_prefix);
  }
}

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

// Runs a schema's statements; an error names the file and line. What a
// dump does to the session (search_path emptied) is undone afterwards.
void load_schema(Database& db, const std::string& path, const std::string& option, Dialect dialect,
                 const Interrupt& stop) {
  for (const auto& file : schema_files(path, option))
    for (const auto& st :
         split_statements(read_renamed_from(read_file(file), file).text, dialect, file)) {
      stop.check();
      try {
        db.execute(st.sql);
      } catch (const std::exception& e) {
        throw OperationError(file + ":" + std::to_string(st.line) +
                             ": the schema does not load: " + e.what());
      }
    }
  if (dialect == Dialect::PostgreSQL) db.execute("RESET ALL");
}

// One database's side of mig diff: its schema as a value, the text the
// proof compares, and the statements between two values.
struct SqliteSide {
  using Model = SqliteSchema;
  static Model read(Database& db, const std::string& prefix) {
    return read_sqlite_schema(db, prefix);
  }
  // `mig schema`'s form, and each definition as written (which also holds
  // what that form leaves out, CHECK constraints).
  static std::string text(Database& db, const std::string& prefix) {
    return inspect_schema(db, prefix).text() + "\n" + definitions_text(read(db, prefix));
  }
  static SchemaChange plan(const Model& from, const Model& to) {
    return plan_sqlite_change(from, to);
  }
  static std::pair<std::string, std::string> rename(const Model& from, const std::string& spec) {
    return sqlite_rename(from, spec);
  }
  static std::vector<std::string> unsupported(const Model&) { return {}; }
  static bool transactional() { return false; }
};

struct MysqlSide {
  using Model = MySchema;
  static Model read(Database& db, const std::string& prefix) {
    return read_mysql_schema(db, prefix);
  }
  static std::string text(Database& db, const std::string& prefix) {
    return mysql_definitions_text(read(db, prefix));
  }
  static SchemaChange plan(const Model& from, const Model& to) {
    return plan_mysql_change(from, to);
  }
  static std::pair<std::string, std::string> rename(const Model& from, const std::string& spec) {
    return mysql_rename(from, spec);
  }
  static std::vector<std::string> unsupported(const Model& m) { return m.unsupported; }
  static bool transactional() { return false; }  // (DDL commits on its own)
};

struct PostgresqlSide {
  using Model = PgSchema;
  static Model read(Database& db, const std::string& prefix) {
    return read_postgresql_schema(db, prefix);
  }
  static std::string text(Database& db, const std::string& prefix) {
    return postgresql_definitions_text(read(db, prefix));
  }
  static SchemaChange plan(const Model& from, const Model& to) {
    return plan_postgresql_change(from, to);
  }
  static std::pair<std::string, std::string> rename(const Model& from, const std::string& spec) {
    return postgresql_rename(from, spec);
  }
  static std::vector<std::string> unsupported(const Model& m) { return m.unsupported; }
  static bool transactional() { return true; }
};

// Runs statements on a scratch database, in one transaction where the
// revision will have one.
template <typename Side>
void apply(Database& db, const std::vector<std::string>& statements, const char* which,
           const Interrupt& stop, bool in_transaction = Side::transactional()) {
  if (in_transaction) db.execute("BEGIN");
  for (size_t i = 0; i < statements.size(); ++i) {
    try {
      stop.check();
      db.execute(statements[i]);
    } catch (const std::exception& e) {
      std::string why = e.what();
      if (in_transaction) db.execute("ROLLBACK");
      if (dynamic_cast<const InterruptedError*>(&e)) throw;
      throw OperationError("the written " + std::string(which) + " fails on the scratch database " +
                           "at statement " + std::to_string(i + 1) + " (" + statements[i] +
                           "): " + why + "; nothing was written");
    }
  }
  if (in_transaction) db.execute("COMMIT");
}

template <typename Side>
void prove(Database& db, const std::string& prefix, const SchemaChange& change,
           const std::string& expected, const char* which, const char* reaches,
           const Interrupt& stop) {
  apply<Side>(db, change.statements, which, stop,
              Side::transactional() && !change.outside_transaction);
  std::string found = Side::text(db, prefix);
  if (found != expected)
    throw OperationError("the written " + std::string(which) + " does not give " + reaches +
                         " (expected -, found +); nothing was written:\n" +
                         diff_schemas(expected, found));
}

// The replay on the scratch database says nothing, and stops when told to.
class StopReporter : public SilentReporter {
 public:
  explicit StopReporter(const Interrupt& stop) : stop_(stop) {}
  void statement(const Revision&, size_t, const Statement&) override { stop_.check(); }

 private:
  const Interrupt& stop_;
};

bool is_url(const std::string& source) {
  return source.rfind("sqlite:", 0) == 0 || source.find("://") != std::string::npos;
}

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += "\n  " + n;
  return out;
}

// Puts `source`'s schema into `scratch`: its files run, or a live
// database's schema made again there (that database is only read).
template <typename Side>
void load_source(const Settings& s, Database& scratch, const std::string& source,
                 const char* option, const Interrupt& stop) {
  if (!is_url(source)) return load_schema(scratch, source, option, s.url.dialect, stop);
  std::string name = std::string("{") + option + "}";
  DatabaseUrl url = parse_url(source, option);
  if (url.dialect != s.url.dialect)
    throw OptionError(name + ": " + OptionError::literal(url.describe()) + " is not " +
                      traits(s.url.dialect).title + ", the project's database");
  if (!Database::exists(url))
    throw OptionError(name + ": there is no database at " + OptionError::literal(url.describe()));
  auto live = Database::open(url, ConnectOptions{});
  typename Side::Model model = Side::read(*live, s.table_prefix);
  apply<Side>(scratch, Side::plan({}, model).statements, "copy of the schema", stop);
  std::string want = Side::text(*live, s.table_prefix), got = Side::text(scratch, s.table_prefix);
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

template <typename Side>
std::string baseline_with(const Settings& s, Database& live, const std::string& message,
                          const std::string& dev_url, const Interrupt& stop,
                          const std::function<std::string(const RevisionRequest&)>& write) {
  typename Side::Model schema = Side::read(live, s.table_prefix);
  if (auto missing = Side::unsupported(schema); !missing.empty())
    throw OperationError(s.url.describe() +
                         " holds what mig baseline cannot express yet:" + listed(missing));
  SchemaChange up = Side::plan({}, schema), down = Side::plan(schema, {});
  if (up.empty()) throw OperationError(s.url.describe() + " holds no schema to take a baseline of");
  auto scratch = make_scratch(s, dev_url);
  std::string empty = Side::text(scratch->db(), s.table_prefix);
  prove<Side>(scratch->db(), s.table_prefix, up, Side::text(live, s.table_prefix), "upgrade",
              "the schema of the database", stop);
  prove<Side>(scratch->db(), s.table_prefix, down, empty, "downgrade", "an empty database", stop);
  RevisionRequest request;
  request.message = message;
  request.upgrade = section(up.statements);
  request.downgrade = section(down.statements);
  if (up.outside_transaction || down.outside_transaction)
    request.directives.push_back("-- mig:transaction off");
  return write(request);
}

template <typename Side>
DiffResult diff_with(const Settings& s, const RevisionGraph& g, const DiffOptions& o,
                     const Interrupt& stop,
                     const std::function<std::string(const RevisionRequest&)>& write) {
  bool writes = !o.check && !o.sql;
  auto scratch = make_scratch(s, o.dev_url);
  // The desired schema first, kept as a value: the scratch database is
  // then emptied for the revisions.
  load_source<Side>(s, scratch->db(), o.to, "to", stop);
  std::string after = Side::text(scratch->db(), s.table_prefix);
  typename Side::Model to = Side::read(scratch->db(), s.table_prefix);
  scratch->empty();
  Database& db = scratch->db();  // (emptied: maybe another connection)
  if (o.from.empty()) {
    VersionStore store(db, s.table_prefix);
    store.ensure();
    StopReporter quiet(stop);
    Migrator(db, store, g, quiet)
        .run(plan_upgrade(g, AppliedSet(g.size(), false), "heads"), nullptr);
  } else {
    load_source<Side>(s, db, o.from, "from", stop);
  }
  std::string before = Side::text(db, s.table_prefix);
  DiffResult out;
  out.unsupported = Side::unsupported(to);
  for (const auto& name : Side::unsupported(Side::read(db, s.table_prefix)))
    if (std::find(out.unsupported.begin(), out.unsupported.end(), name) == out.unsupported.end())
      out.unsupported.push_back(name);
  if (!out.unsupported.empty() && !o.incomplete && !o.check)
    throw OperationError("the schemas hold what mig diff cannot express yet (add --incomplete " +
                         std::string("to write the rest, with these named in comments):") +
                         listed(out.unsupported));
  // Renames first, on the replayed database: the rest is planned from there.
  // A marker whose old name the revisions no longer have is done already.
  std::vector<std::string> renames, renames_back;
  std::vector<std::pair<std::string, bool>> specs;  // (spec, from a marker)
  if (!is_url(o.to))
    for (const auto& file : schema_files(o.to, "to"))
      for (const auto& spec : read_renamed_from(read_file(file), file).renames)
        specs.push_back({spec, true});
  for (const auto& spec : o.renames) specs.push_back({spec, false});
  for (const auto& [spec, marked] : specs) {
    std::pair<std::string, std::string> step;
    try {
      step = Side::rename(Side::read(db, s.table_prefix), spec);
    } catch (const OptionError&) {
      if (marked) continue;
      throw;
    }
    auto [forward, back] = step;
    apply<Side>(db, {forward}, "rename", stop);
    renames.push_back(forward);
    renames_back.insert(renames_back.begin(), back);
  }
  typename Side::Model from = Side::read(db, s.table_prefix);
  SchemaChange up = Side::plan(from, to), down = Side::plan(to, from);
  down.statements.insert(down.statements.end(), renames_back.begin(), renames_back.end());
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
  out.rebuilds = up.rebuilds || down.rebuilds;
  out.destructive = up.destructive;
  prove<Side>(db, s.table_prefix, up, after, "upgrade", "the desired schema", stop);
  prove<Side>(db, s.table_prefix, down, before, "downgrade", "back the schema of the revisions",
              stop);
  if (!writes) return out;
  RevisionRequest request;
  request.message = o.message;
  request.upgrade = section(out.upgrade);
  request.downgrade = section(out.downgrade);
  if (out.outside_transaction) request.directives.push_back("-- mig:transaction off");
  for (const auto& name : out.unsupported)
    request.directives.push_back("-- Not written by mig diff, to be written by hand: " + name);
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

}  // namespace

std::string baseline_revision(const Settings& s, Database& live, const std::string& message,
                              const std::string& dev_url, const Interrupt& stop,
                              const std::function<std::string(const RevisionRequest&)>& write) {
  if (s.url.dialect == Dialect::PostgreSQL)
    return baseline_with<PostgresqlSide>(s, live, message, dev_url, stop, write);
  if (s.url.dialect == Dialect::MySQL)
    return baseline_with<MysqlSide>(s, live, message, dev_url, stop, write);
  return baseline_with<SqliteSide>(s, live, message, dev_url, stop, write);
}

DiffResult diff_to_schema(const Settings& s, const RevisionGraph& g, const DiffOptions& o,
                          const Interrupt& stop,
                          const std::function<std::string(const RevisionRequest&)>& write) {
  if (o.to.empty()) throw OptionError("{to}: no desired schema given");
  bool writes = !o.check && !o.sql;
  if (!o.from.empty() && writes)
    throw OptionError("{from} compares two schemas and writes no revision: add {sql} or {check}");
  if (writes && o.message.find_first_not_of(" \t") == std::string::npos)
    throw UsageError("MESSAGE must not be empty");
  // Bad paths are found before any server is asked for a scratch database.
  if (!is_url(o.to)) schema_files(o.to, "to");
  if (!o.from.empty() && !is_url(o.from)) schema_files(o.from, "from");
  if (s.url.dialect == Dialect::PostgreSQL) return diff_with<PostgresqlSide>(s, g, o, stop, write);
  if (s.url.dialect == Dialect::MySQL) return diff_with<MysqlSide>(s, g, o, stop, write);
  return diff_with<SqliteSide>(s, g, o, stop, write);
}

}  // namespace mig
