#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <chrono>
#include <thread>

#include "db/database.h"
#include "script/checksum.h"

namespace mig {
namespace {

std::string trim_end(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// PostgreSQL: the run lock is a session advisory lock; each revision is its
// own transaction, so DDL and bookkeeping commit together.
class PostgresqlDatabase : public Database {
 public:
  PostgresqlDatabase(const DatabaseUrl& url, const ConnectOptions& options)
      : url_(url), options_(options) {
    try {
      session_ = std::make_unique<soci::session>(soci::postgresql, postgresql_conninfo(url));
    } catch (const soci::soci_error& e) {
      std::string message = trim_end(e.get_error_message());
      const std::string generic = "Cannot establish connection to the database.\n";
      if (message.rfind(generic, 0) == 0) message = message.substr(generic.size());
      for (char& c : message)
        if (c == '\n') c = ' ';
      throw OperationError("cannot connect to " + url.describe() + ": " + message);
    }
    conn_ = static_cast<soci::postgresql_session_backend*>(session_->get_backend())->conn_;
    execute("SET client_min_messages = warning");
    if (!options_.schema.empty()) {
      schema_ = options_.schema;
    } else {
      session() << "SELECT current_schema()", soci::into(schema_);
    }
  }

  ~PostgresqlDatabase() override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
  }

  SqlDialect dialect() const override { return SqlDialect::PostgreSQL; }
  Backend backend() const override { return Backend::PostgreSQL; }
  std::string schema() const override { return options_.schema; }
  bool transactional_ddl() const override { return true; }

  long long execute(const std::string& sql) override {
    // libpq takes SQL text only up to a NUL byte: refused, not cut short.
    if (sql.find('\0') != std::string::npos)
      throw DatabaseError("the statement holds a NUL byte, where PostgreSQL would stop reading it");
    PGresult* r = PQexec(conn_, sql.c_str());
    ExecStatusType status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
      const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
      const char* detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : nullptr;
      std::string message = primary ? primary : trim_end(PQerrorMessage(conn_));
      if (detail) message += " (" + std::string(detail) + ")";
      PQclear(r);
      throw DatabaseError(redact(message.empty() ? "statement failed" : message));
    }
    long long rows = std::atoll(PQcmdTuples(r));
    PQclear(r);
    return rows;
  }

  bool table_exists(const std::string& name) override {
    int count = 0;
    session() << "SELECT count(*) FROM information_schema.tables WHERE table_schema = :s AND "
                 "table_name = :n",
        soci::use(schema_), soci::use(name), soci::into(count);
    return count > 0;
  }

  std::string qualified(const std::string& name) const override {
    return qualified_prefix(Backend::PostgreSQL, options_.schema, name);
  }

  void acquire_lock(const WaitNotice& notice) override {
    // A key every mig build derives alike from the schema and table prefix.
    long long key = std::stoll(
        sha256_hex("mig:" + schema_ + ":" + options_.lock_name).substr(0, 15), nullptr, 16);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options_.lock_timeout);
    bool told = false;
    for (;;) {
      int got = 0;
      session() << "SELECT CASE WHEN pg_try_advisory_lock(:k) THEN 1 ELSE 0 END", soci::use(key),
          soci::into(got);
      if (got) break;
      if (std::chrono::steady_clock::now() >= deadline)
        throw lock_timeout_error(options_.lock_timeout, url_);
      if (!told && notice) notice(lock_wait_notice(options_.lock_timeout, url_));
      told = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    lock_key_ = key;
    locked_ = true;
  }

  void release_lock() override {
    if (!locked_) return;
    locked_ = false;
    int released = 0;
    session() << "SELECT CASE WHEN pg_advisory_unlock(:k) THEN 1 ELSE 0 END", soci::use(lock_key_),
        soci::into(released);
  }

  std::string quote(const std::string& text) override {
    char* quoted = PQescapeLiteral(conn_, text.data(), text.size());
    if (!quoted) throw DatabaseError(trim_end(PQerrorMessage(conn_)));
    std::string out(quoted);
    PQfreemem(quoted);
    return out;
  }

  void begin_step() override { execute("BEGIN"); }
  bool rollback_step() override {
    execute("ROLLBACK");
    return true;
  }
  void suspend_transaction() override {}
  void resume_transaction() override {}

 protected:
  std::string commit_statement() const override { return "COMMIT"; }

 private:
  DatabaseUrl url_;
  ConnectOptions options_;
  std::string schema_;
  PGconn* conn_ = nullptr;
  long long lock_key_ = 0;
  bool locked_ = false;
};

}  // namespace

}  // namespace mig

// The module's entry point (see db/backend_module.h).
extern "C" mig::Database* mig_open_postgresql(const mig::DatabaseUrl& url,
                                              const mig::ConnectOptions& options) {
  return new mig::PostgresqlDatabase(url, options);
}
