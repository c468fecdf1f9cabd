#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "errors.h"
#include "mig/url.h"

namespace soci {
class session;
}

namespace mig {

class Redactor;

// A statement the database refused; what() is the database's own message.
class DatabaseError : public OperationError {
 public:
  using OperationError::OperationError;
};

// Connecting failed. `waitable`: because the server is not accepting
// connections yet, or the database is not there yet (a container that
// starts late), so --wait may try again; a refused password never is.
class ConnectError : public OperationError {
 public:
  ConnectError(const std::string& message, bool waitable)
      : OperationError(message), waitable_(waitable) {}
  bool waitable() const { return waitable_; }

 private:
  bool waitable_;
};

// One connection plus what differs per dialect: how raw SQL is sent, the
// bookkeeping DDL, the run lock and the unit of work for one revision.
struct ConnectOptions {
  int lock_timeout = 60;          // seconds to wait for the run lock
  std::string schema;             // PostgreSQL: schema of the bookkeeping tables
  std::string lock_name = "mig";  // distinguishes runs with different prefixes
  // Masks passwords in the errors the connection raises (and so in what
  // the log stores); none given: the URL's own password.
  std::shared_ptr<const Redactor> redactor;
  // Where the PostgreSQL and MySQL modules are (see db/backend_module.h).
  std::string module_dir;
};

class Database {
 public:
  using WaitNotice = std::function<void(const std::string&)>;

  Database();  // (out of line: soci::session is complete only there)
  virtual ~Database();

  // Connects. Throws OperationError naming host and database (never the
  // password) if the server cannot be reached or refuses us.
  static std::unique_ptr<Database> open(const DatabaseUrl& url, const ConnectOptions& options);
  // False for a SQLite file that does not exist yet (reading commands then
  // treat the database as empty instead of creating the file).
  static bool exists(const DatabaseUrl& url);

  virtual Dialect dialect() const = 0;
  // The configured bookkeeping schema (PostgreSQL), or empty.
  virtual std::string schema() const { return {}; }
  // False where DDL commits implicitly (MySQL/MariaDB): revisions then run
  // statement by statement with their progress recorded.
  virtual bool transactional_ddl() const = 0;
  soci::session& session() { return *session_; }

  // Sends one of mig's own statements exactly as written (never through
  // SOCI's placeholder parsing); returns the rows it changed. Throws
  // DatabaseError.
  virtual long long execute(const std::string& sql) = 0;
  // Sends one statement of a revision or seed file. Where the database has
  // no transactional DDL (MySQL) these run on a connection of their own, so
  // that nothing they do to their session (LOCK TABLES, USE, SET autocommit)
  // reaches mig's bookkeeping or its lock.
  virtual long long run(const std::string& sql) { return execute(sql); }
  // A transaction around statements sent with run(); commit_work runs
  // `last_sql` (mig's own, e.g. a progress row) inside it first.
  virtual void begin_work() { begin_step(); }
  virtual void commit_work(const std::string& last_sql = {}) { commit_step(last_sql); }
  virtual bool rollback_work() { return rollback_step(); }
  // True if `sql`, run between begin_work() and commit_work(), takes effect
  // exactly when the commit does (MySQL: one INSERT, UPDATE, DELETE or
  // REPLACE on an InnoDB table, outside LOCK TABLES). Such a statement and
  // its progress record commit together, so a crash can never leave it in
  // doubt. Where DDL is transactional, revisions need no such thing.
  virtual bool atomic(const std::string& sql) {
    (void)sql;
    return false;
  }
  // True for a connection that writes a script instead of running SQL
  // (db/script_connection.h): it answers no query.
  virtual bool offline() const { return false; }

  // After each revision or seed file: what end_of_revision_sql() cannot do
  // in SQL (MySQL: the session of run() is reset).
  virtual void end_revision() {}
  // Whether statements sent with run() opened a transaction of their own
  // that is still open, so that what they did is not committed yet
  // (MySQL; elsewhere revisions run in mig's transaction or not at all).
  virtual bool work_in_transaction() { return false; }

  // `name` unqualified; looked up in the bookkeeping schema.
  virtual bool table_exists(const std::string& name) = 0;
  // Those of `names` that exist, in one query where the database allows.
  virtual std::vector<std::string> existing_tables(const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const auto& n : names)
      if (table_exists(n)) out.push_back(n);
    return out;
  }
  // A cheap digest of the catalog that changes whenever the schema does, or
  // empty where there is none; lets drift checks skip a full inspection.
  virtual std::string schema_fingerprint(const std::string& prefix) {
    (void)prefix;
    return {};
  }
  // One row of a catalog that stores each object's definition (SQLite's
  // sqlite_master): its type, name, the table it is on and its SQL (empty
  // for an index SQLite made itself).
  struct CatalogEntry {
    std::string type, name, table, sql;
  };
  // Those rows but mig's own, ordered by type and name, on a database whose
  // schema_fingerprint() is their digest (catalog_fingerprint()) and whose
  // inspection of an object reads only the rows of that object (a table's
  // own and those of its indexes); nothing elsewhere.
  virtual std::optional<std::vector<CatalogEntry>> schema_catalog(const std::string& prefix) {
    (void)prefix;
    return std::nullopt;
  }
  // A counter the database itself moves on every schema change (SQLite's
  // schema cookie, the server's count of DDL statements on MySQL), or empty
  // where there is none. An unchanged value means an unchanged schema, so
  // drift checks need not even take the fingerprint; a changed one proves
  // nothing (SQLite's VACUUM moves it too, and MySQL's moves with DDL in any
  // database of the server).
  virtual std::string schema_version() { return {}; }
  // Whether the schema version now proves the schema unchanged since
  // `recorded` (a value schema_version() gave then). Equal values, unless a
  // database knows better (MySQL's holds times read to the second).
  virtual bool schema_version_matches(const std::string& recorded) {
    std::string now = schema_version();
    return !now.empty() && now == recorded;
  }
  // How many schema changes the database counted from version `before` to
  // `after` (MySQL: DDL statements), or -1 where it does not count them.
  virtual long long schema_changes_between(const std::string& before, const std::string& after) {
    (void)before;
    (void)after;
    return -1;
  }
  // How to write the bookkeeping table `name` in SQL (schema-qualified where
  // a schema is configured).
  virtual std::string qualified(const std::string& name) const { return name; }

  // The run lock: taken once per run, released by release_lock() or when the
  // connection ends, never left behind by a crash. `notice` is called once if
  // the lock is busy and we start waiting.
  virtual void acquire_lock(const WaitNotice& notice) = 0;
  virtual void release_lock() = 0;

  // `text` as a SQL string literal, quoted by the database's own rules.
  virtual std::string quote(const std::string& text) = 0;

  // One revision's statements plus its bookkeeping: a transaction of its
  // own, begun as the dialect begins one (SQLite: a savepoint in the run's).
  virtual void begin_step();
  // Commits the step. `last_sql` (statements mig wrote itself, separated by
  // ';') runs first, in the same call: one round trip to the server instead
  // of one per bookkeeping row, which was most of what mig added to each
  // revision on PostgreSQL. If it fails nothing is committed.
  void commit_step(const std::string& last_sql = {}) {
    execute(last_sql.empty() ? commit_statement() : last_sql + ";\n" + commit_statement());
    step_committed();
  }
  // Returns false if the database also threw away earlier steps of the run.
  virtual bool rollback_step() {
    execute("ROLLBACK");
    return true;
  }

  // Around a `transaction off` revision: leave any run-wide transaction
  // (only SQLite keeps one).
  virtual void suspend_transaction() {}
  virtual void resume_transaction() {}

  // What puts the session back as the run found it, after a revision that
  // may have changed it (SET, SET ROLE, temporary tables), so the next one
  // starts as it would in a run of its own; empty where nothing is needed.
  // Sent before the revision's bookkeeping, in the same round trip.
  virtual std::string end_of_revision_sql() const { return {}; }

  // `text` with the passwords masked (see Redactor): for every error text
  // the connection raises and for everything written to the log.
  std::string redact(const std::string& text) const;

 protected:
  // What ends a step: COMMIT, or RELEASE of SQLite's savepoint.
  virtual std::string commit_statement() const { return "COMMIT"; }
  virtual void step_committed() {}

  std::unique_ptr<soci::session> session_;

 private:
  std::shared_ptr<const Redactor> redactor_;
};

}  // namespace mig

namespace mig {

// 'value' quoted for a libpq / SOCI MySQL connection string.
std::string quote_conn_value(const std::string& value);

// "key='value' …" from the given fields (empty values left out) followed by
// the URL's query options, with connect_timeout=10 unless the URL sets one.
std::string connection_string(const std::vector<std::pair<std::string, std::string>>& fields,
                              const DatabaseUrl& url);

// The libpq connection string for a URL (db/postgresql/conninfo.cpp).
std::string postgresql_conninfo(const DatabaseUrl& url);
// The SOCI MySQL connection string for a URL (db/mysql/connect_string.cpp);
// UsageError naming an option that MySQL connections do not take.
std::string mysql_connect_string(const DatabaseUrl& url);

// What the run lock says while it waits, and when it gives up: one wording
// for every backend.
std::string lock_wait_notice(int seconds, const DatabaseUrl& url);
OperationError lock_timeout_error(int seconds, const DatabaseUrl& url);

// The digest schema_fingerprint() gives for these catalog rows (SQLite):
// SHA-256 of one line per row, "type name table sql", in the given order.
std::string catalog_fingerprint(const std::vector<Database::CatalogEntry>& rows);

// Runs a query and returns every row as text (NULL as `null_text`).
std::vector<std::vector<std::string>> query_rows(Database& db, const std::string& sql,
                                                 const std::string& null_text = "");

// The CREATE statements of the bookkeeping tables in one dialect.
// `prefix` is already schema-qualified where a schema is used.
std::vector<std::string> bookkeeping_ddl(Dialect dialect, const std::string& prefix,
                                         const std::string& schema);

// How the bookkeeping table prefix is written in SQL for this schema.
std::string qualified_prefix(Dialect dialect, const std::string& schema, const std::string& prefix);

// The statements that undo what a revision did to its session (PostgreSQL:
// settings, role, temporary tables), or empty; for live runs and scripts.
std::string session_reset_sql(Dialect dialect);

}  // namespace mig
