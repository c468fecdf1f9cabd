#include "project/diff.h"

#include <boost/filesystem.hpp>
#include <regex>

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
  // Throws unless the connection is still in the scratch database.
  virtual void check() {}

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

// The database a connection is in (PostgreSQL and MySQL).
std::string current_database(Database& db) {
  return query_rows(
             db, db.dialect() == Dialect::MySQL ? "SELECT DATABASE()" : "SELECT current_database()")
      .at(0)
      .at(0);
}

// Refuses to go on unless `db` is still in the database mig made or was
// given for scratch work (a schema file's USE, a URL's dbname= option).
void check_in(Database& db, const std::string& name) {
  std::string now = current_database(db);
  if (now != name)
    throw OperationError("the scratch connection is in database '" + now + "', not in '" + name +
                         "'; nothing more is run there");
}

// Drops everything the connected user owns in the database's schemas and
// makes its current schema again, empty (as fast as making a database).
void empty_postgresql(Database& db, const std::string& name) {
  check_in(db, name);
  db.execute("SET client_min_messages = warning");  // (not every object a drop cascades to)
  auto schema = query_rows(db, "SELECT quote_ident(current_schema())").at(0).at(0);
  auto others = query_rows(db,
                           "SELECT quote_ident(nspname) FROM pg_namespace WHERE nspowner = "
                           "current_user::regrole AND nspname <> current_schema() AND nspname "
                           "NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'");
  for (const auto& x :
       query_rows(db, "SELECT quote_ident(extname) FROM pg_extension WHERE extname <> 'plpgsql'"))
    db.execute("DROP EXTENSION IF EXISTS " + x[0] + " CASCADE");  // (one may take another)
  db.execute("DROP SCHEMA " + schema + " CASCADE");
  for (const auto& n : others) db.execute("DROP SCHEMA " + n[0] + " CASCADE");
  db.execute("CREATE SCHEMA " + schema);
}

// Drops every table, view, routine and event of database `name`, named
// as its own (whatever database the connection is in).
void empty_mysql(Database& db, const std::string& name) {
  std::string in = mysql_quoted(name) + ".", where = db.quote(name);
  db.execute("SET FOREIGN_KEY_CHECKS = 0");
  for (const auto& r : query_rows(db,
                                  "SELECT table_name, table_type FROM "
                                  "information_schema.tables WHERE table_schema = " +
                                      where))
    db.execute((r[1] == "VIEW" ? "DROP VIEW " : "DROP TABLE ") + in + mysql_quoted(r[0]));
  for (const auto& r : query_rows(db,
                                  "SELECT routine_name, routine_type FROM "
                                  "information_schema.routines WHERE routine_schema = " +
                                      where))
    db.execute("DROP " + r[1] + " " + in + mysql_quoted(r[0]));
  for (const auto& r : query_rows(db,
                                  "SELECT event_name FROM information_schema.events WHERE "
                                  "event_schema = " +
                                      where))
    db.execute("DROP EVENT " + in + mysql_quoted(r[0]));
  db.execute("SET FOREIGN_KEY_CHECKS = 1");
}

void empty_database(Database& db, const std::string& name) {
  if (db.dialect() == Dialect::MySQL) return empty_mysql(db, name);
  empty_postgresql(db, name);
}

// Whether a database holds anything but `marker`: mig's own tables count.
bool holds_objects(Database& db, const std::string& marker) {
  if (db.dialect() == Dialect::MySQL) {
    MySchema m = read_mysql_schema(db, marker);
    return !m.tables.empty() || !m.views.empty() || !m.routines.empty() || !m.unsupported.empty();
  }
  PgSchema held = read_postgresql_schema(db, marker);
  return !held.tables.empty() || !held.views.empty() || !held.functions.empty() ||
         !held.enums.empty() || !held.sequences.empty() || !held.unsupported.empty() ||
         !held.extensions.empty();
}

// The server would not make a database for this user.
struct CreateRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// PostgreSQL and MySQL: a database of mig's own on the server,
// mig_dev_<random>, dropped afterwards (also when the command fails).
class ServerScratch : public Scratch {
 public:
  explicit ServerScratch(const DatabaseUrl& server) : server_(server) {
    url_ = server;
    url_.database = "mig_dev_" + fs::unique_path("%%%%%%%%%%%%").string();
    // A connection option naming another database would take the scratch
    // connection there instead.
    url_.params.erase(
        std::remove_if(url_.params.begin(), url_.params.end(),
                       [](const auto& p) { return p.first == "dbname" || p.first == "service"; }),
        url_.params.end());
    {
      auto admin = Database::open(server_, ConnectOptions{});
      std::string create = "CREATE DATABASE " + url_.database;
      if (server_.dialect == Dialect::PostgreSQL) {
        // template0: nothing added to template1 on this server comes along.
        create += " TEMPLATE template0";
        force_ = std::stoi(query_rows(*admin, "SHOW server_version_num").at(0).at(0)) >= 130000;
      } else {
        // As the project's database is made, so its defaults are the same.
        auto defaults = query_rows(*admin,
                                   "SELECT default_character_set_name, default_collation_name "
                                   "FROM information_schema.schemata WHERE schema_name = "
                                   "DATABASE()");
        if (!defaults.empty())
          create += " CHARACTER SET " + defaults[0][0] + " COLLATE " + defaults[0][1];
      }
      try {
        admin->execute(create);
      } catch (const std::exception& e) {
        throw CreateRefused(e.what());
      }
    }
    try {
      db_ = Database::open(url_, ConnectOptions{});
      check_in(*db_, url_.database);
    } catch (...) {
      drop();
      throw;
    }
  }
  ~ServerScratch() override {
    try {
      drop();
    } catch (const std::exception&) {
      // (the server went away: nothing is left to drop, or nothing can be)
    }
  }
  void empty() override { empty_database(*db_, url_.database); }
  void check() override { check_in(*db_, url_.database); }

 private:
  void drop() {
    db_.reset();
    Database::open(server_, ConnectOptions{})
        ->execute("DROP DATABASE IF EXISTS " + url_.database + (force_ ? " WITH (FORCE)" : ""));
  }
  DatabaseUrl server_, url_;
  bool force_ = false;
};

// PostgreSQL and MySQL, for a user who may not create databases: the dev
// URL's own database, which must hold nothing (or only what an earlier
// mig diff left there, which a marker table tells) and is emptied after use.
class BorrowedScratch : public Scratch {
 public:
  BorrowedScratch(const DatabaseUrl& url, const std::string& prefix)
      : marker_(prefix + "dev_scratch") {
    db_ = Database::open(url, ConnectOptions{});
    name_ = current_database(*db_);
    if (holds_objects(*db_, marker_) && !db_->table_exists(marker_))
      throw OptionError("{dev_url}: " + OptionError::literal(url.describe()) +
                        " is not empty; mig empties the database it works in, so it "
                        "takes only an empty one (or a server where it may create databases)");
    empty();
  }
  ~BorrowedScratch() override {
    try {
      empty_database(*db_, name_);
    } catch (const std::exception&) {
      // (what is left is marked: the next mig diff clears it)
    }
  }
  void empty() override {
    empty_database(*db_, name_);
    db_->execute("CREATE TABLE " + marker_ + " (made_by TEXT)");
  }
  void check() override { check_in(*db_, name_); }

 private:
  std::string marker_, name_;
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
  } catch (const CreateRefused& e) {
    std::string why = e.what();
    bool refused = why.find("permission denied") != std::string::npos ||  // PostgreSQL
                   why.find("Access denied") != std::string::npos;        // MySQL
    if (dev_url.empty() || !refused)
      throw OperationError(
          "cannot make a scratch database on " + server.describe() + ": " + why +
          (dev_url.empty() ? "; name a server that allows it with --dev-url" : ""));
    // The user's own database, then: never the project's.
    if (server.describe() == s.url.describe())
      throw OptionError("{dev_url} names the project's own database; name an empty one");
    return std::make_unique<BorrowedScratch>(server, s.table_prefix);
  } catch (const UsageError&) {
    throw;
  } catch (const std::exception& e) {
    throw OperationError("cannot make a scratch database on " + server.describe() + ": " +
                         e.what() +
                         (dev_url.empty() ? "; name a server that allows it with --dev-url" : ""));
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

// A statement that would take the scratch connection to another database
// (a dump made with --databases, or with -C): refused, as it could run the
// rest of the file, and the emptying after it, in a real database.
bool leaves_database(const std::string& sql, Dialect dialect) {
  static const std::regex mysql(R"(^\s*(USE\b|(CREATE|DROP|ALTER)\s+(DATABASE|SCHEMA)\b))",
                                std::regex::icase);
  static const std::regex postgresql(R"(^\s*(CREATE|DROP|ALTER)\s+DATABASE\b)", std::regex::icase);
  if (dialect == Dialect::SQLite) return false;
  std::string text = sql;
  // (comments before the statement do not count)
  for (size_t at = text.find_first_not_of(" \t\r\n"); at != std::string::npos;
       at = text.find_first_not_of(" \t\r\n")) {
    if (text.compare(at, 2, "--") == 0) {
      size_t end = text.find('\n', at);
      text = end == std::string::npos ? std::string() : text.substr(end);
    } else if (text.compare(at, 2, "/*") == 0 && text.compare(at, 3, "/*!") != 0 &&
               text.compare(at, 3, "/*M") != 0) {
      size_t end = text.find("*/", at);
      text = end == std::string::npos ? std::string() : text.substr(end + 2);
    } else {
      break;
    }
  }
  return std::regex_search(text, dialect == Dialect::MySQL ? mysql : postgresql);
}

// A rename: from a `-- mig:renamed-from` marker (its file and line), or
// given as an option (line 0).
struct Rename {
  std::string spec, file;
  int line = 0;
};

// Runs a schema's statements; an error names the file and line. What a
// pg_dump file does to the session (search_path emptied) is undone
// afterwards. Returns the renames its markers say (`fold`: unquoted names
// in lower case).
std::vector<Rename> load_schema(Database& db, const std::string& path, const std::string& option,
                                Dialect dialect, bool fold, const Interrupt& stop) {
  std::vector<Rename> renames;
  for (const auto& file : schema_files(path, option)) {
    MarkedSchema marked = read_renamed_from(read_file(file), file, fold);
    for (size_t i = 0; i < marked.renames.size(); ++i)
      renames.push_back({marked.renames[i], file, marked.lines[i]});
    for (const auto& st : split_statements(marked.text, dialect, file)) {
      stop.check();
      if (leaves_database(st.sql, dialect))
        throw FileError(file, st.line,
                        "a desired schema describes one database and does not change which "
                        "(USE, CREATE/DROP DATABASE): leave it out (a dump made without "
                        "--databases or -C has none)");
      try {
        db.execute(st.sql);
      } catch (const std::exception& e) {
        stop.check();
        throw OperationError(file + ":" + std::to_string(st.line) +
                             ": the schema does not load: " + e.what());
      }
    }
  }
  if (dialect == Dialect::PostgreSQL) db.execute("RESET ALL");
  return renames;
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
  static bool folds_case() { return false; }
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
  static bool folds_case() { return false; }
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
  static bool folds_case() { return true; }  // (unquoted names are lower case)
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
      stop.check();  // (the statement may have failed because of the interrupt)
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
// Returns the renames the files' markers say.
template <typename Side>
std::vector<Rename> load_source(const Settings& s, Database& scratch, const std::string& source,
                                const char* option, const Interrupt& stop) {
  if (!is_url(source))
    return load_schema(scratch, source, option, s.url.dialect, Side::folds_case(), stop);
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
  return {};
}

// A --to or --from as messages may name it (a URL without its password).
std::string shown(const std::string& source) {
  return is_url(source) ? parse_url(source, "to").describe() : source;
}

// "NEW=OLD" for "OLD=NEW", "T.NEW=OLD" for "T.OLD=NEW".
std::string reversed(const std::string& spec) {
  size_t eq = spec.find('='), dot = spec.find('.');
  if (eq == std::string::npos) return spec;
  if (dot == std::string::npos || dot > eq) return spec.substr(eq + 1) + "=" + spec.substr(0, eq);
  return spec.substr(0, dot + 1) + spec.substr(eq + 1) + "=" + spec.substr(dot + 1, eq - dot - 1);
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
  SchemaChange up = Side::plan({}, schema);
  if (up.empty()) throw OperationError(s.url.describe() + " holds no schema to take a baseline of");
  auto scratch = make_scratch(s, dev_url);
  std::string empty = Side::text(scratch->db(), s.table_prefix);
  prove<Side>(scratch->db(), s.table_prefix, up, Side::text(live, s.table_prefix), "upgrade",
              "the schema of the database", stop);
  SchemaChange down = Side::plan(Side::read(scratch->db(), s.table_prefix), {});
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
DiffResult diff_with(const Settings& s, const RevisionGraph& g, const DiffOptions& o, bool writes,
                     const Interrupt& stop,
                     const std::function<std::string(const RevisionRequest&)>& write) {
  auto scratch = make_scratch(s, o.dev_url);
  // The desired schema first, kept as a value: the scratch database is
  // then emptied for the revisions.
  std::vector<Rename> specs = load_source<Side>(s, scratch->db(), o.to, "to", stop);
  scratch->check();
  std::string after = Side::text(scratch->db(), s.table_prefix);
  typename Side::Model to = Side::read(scratch->db(), s.table_prefix);
  scratch->empty();
  Database& db = scratch->db();  // (emptied: maybe another connection)
  if (o.from.empty()) {
    VersionStore store(db, s.table_prefix);
    store.ensure();
    StopReporter quiet(stop);
    try {
      Migrator(db, store, g, quiet)
          .run(plan_upgrade(g, AppliedSet(g.size(), false), "heads"), nullptr);
    } catch (const std::exception&) {
      stop.check();  // (the migrator reports an interrupt as a failed step)
      throw;
    }
  } else {
    load_source<Side>(s, db, o.from, "from", stop);
  }
  scratch->check();
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
  // A marker whose old name is gone and whose new name is there is done
  // already (in an earlier revision).
  std::vector<std::string> renames, renames_back;
  for (const auto& spec : o.renames) specs.push_back({spec, "", 0});
  for (const auto& spec : specs) {
    std::pair<std::string, std::string> step;
    typename Side::Model now = Side::read(db, s.table_prefix);
    try {
      step = Side::rename(now, spec.spec);
    } catch (const OptionError&) {
      if (spec.line == 0) throw;
      try {
        Side::rename(now, reversed(spec.spec));
        continue;
      } catch (const OptionError&) {
        throw FileError(spec.file, spec.line,
                        "-- mig:renamed-from: the revisions have neither the old nor the new "
                        "name of " +
                            spec.spec);
      }
    }
    auto [forward, back] = step;
    apply<Side>(db, {forward}, "rename", stop);
    renames.push_back(forward);
    renames_back.insert(renames_back.begin(), back);
  }
  typename Side::Model from = Side::read(db, s.table_prefix);
  SchemaChange up = Side::plan(from, to);
  out.differs = before != after;
  if (!out.differs) return out;
  if (up.empty() && renames.empty())
    throw OperationError("the revisions and " + shown(o.to) +
                         " differ in what mig diff cannot express yet (expected -, found +):\n" +
                         diff_schemas(before, after));
  prove<Side>(db, s.table_prefix, up, after, "upgrade", "the desired schema", stop);
  // The way back is planned from where the upgrade left the database, with
  // the names the server gave there (MySQL numbers foreign keys itself).
  SchemaChange down = Side::plan(Side::read(db, s.table_prefix), from);
  down.statements.insert(down.statements.end(), renames_back.begin(), renames_back.end());
  prove<Side>(db, s.table_prefix, down, before, "downgrade", "back the schema of the revisions",
              stop);
  out.upgrade = renames;
  out.upgrade.insert(out.upgrade.end(), up.statements.begin(), up.statements.end());
  out.downgrade = down.statements;
  out.outside_transaction = up.outside_transaction || down.outside_transaction;
  out.rebuilds = up.rebuilds || down.rebuilds;
  out.destructive = up.destructive;
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

std::string scratch_database_name(Database& db) {
  return db.dialect() == Dialect::SQLite ? std::string() : current_database(db);
}

void empty_scratch_database(Database& db, const std::string& name) {
  if (db.dialect() != Dialect::SQLite) return empty_database(db, name);
  // Views first; a table takes its indexes and triggers along.
  db.execute("PRAGMA foreign_keys = OFF");
  for (const auto& r : query_rows(db,
                                  "SELECT type, name FROM sqlite_master WHERE type IN ('view', "
                                  "'table') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                  "ORDER BY type = 'table'")) {
    std::string quoted = "\"";
    for (char c : r[1]) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    db.execute((r[0] == "view" ? "DROP VIEW IF EXISTS " : "DROP TABLE IF EXISTS ") + quoted + "\"");
  }
  db.execute("PRAGMA foreign_keys = ON");
}

bool statement_leaves_database(const std::string& sql, Dialect dialect) {
  return leaves_database(sql, dialect);
}

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
  if (s.url.dialect == Dialect::PostgreSQL)
    return diff_with<PostgresqlSide>(s, g, o, writes, stop, write);
  if (s.url.dialect == Dialect::MySQL) return diff_with<MysqlSide>(s, g, o, writes, stop, write);
  return diff_with<SqliteSide>(s, g, o, writes, stop, write);
}

}  // namespace mig
