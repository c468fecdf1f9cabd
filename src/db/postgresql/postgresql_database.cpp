#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <chrono>
#include <thread>

#include "base/sha256.h"
#include "db/backend_module.h"
#include "db/database.h"

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
      // libpq's own answer to "is the server up?": anything but OK means
      // not accepting yet (or starting up); up and refusing us is waited
      // for only when the database does not exist yet.
      PGPing ping = PQping(postgresql_conninfo(url).c_str());
      bool waitable = ping == PQPING_NO_RESPONSE || ping == PQPING_REJECT ||
                      (ping == PQPING_OK && message.find("database \"") != std::string::npos &&
                       message.find("does not exist") != std::string::npos);
      throw ConnectError("cannot connect to " + url.describe() + ": " + message, waitable);
    }
    conn_ = static_cast<soci::postgresql_session_backend*>(session_->get_backend())->conn_;
    execute("SET client_min_messages = warning");
    // The bookkeeping tables are always named with their schema: a revision
    // may change search_path (pg_dump output empties it), and mig's own
    // statements must find the same tables whatever it did. Without a
    // configured schema that is the one the connection starts in (NULL when
    // no schema on search_path exists or may be used: then public).
    if (!options_.schema.empty()) {
      schema_ = options_.schema;
    } else {
      soci::indicator ind = soci::i_null;
      session() << "SELECT current_schema()", soci::into(schema_, ind);
      if (ind != soci::i_ok || schema_.empty()) schema_ = "public";
    }
  }

  ~PostgresqlDatabase() override {
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
  }

  Dialect dialect() const override { return Dialect::PostgreSQL; }
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

  // From the catalog, which every role may read: information_schema shows
  // only tables the role has some privilege on, so a role without any read
  // mig's tables as missing and the database as empty.
  bool table_exists(const std::string& name) override {
    int count = 0;
    session() << "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON "
                 "n.oid = c.relnamespace WHERE n.nspname = :s AND c.relname = :n AND "
                 "c.relkind IN ('r', 'p')",
        soci::use(schema_), soci::use(name), soci::into(count);
    return count > 0;
  }

  // Every catalog row inspection reads for the current schema (relations,
  // columns, defaults, constraints, indexes, triggers, view rules, types and
  // functions), as its oid and xmin: PostgreSQL writes a new row version, with
  // a new xmin, for every change a statement makes to the catalog, and
  // VACUUM and ANALYZE change their statistics in place. The rows are summed
  // as hashes (hashint8extended, PostgreSQL 11 and later), so no sort is
  // needed; one query, about a third of what the five inspection queries
  // cost at 1,000 tables. mig's own tables are in it too: their catalog rows
  // change only when mig makes them. A change mig would not show (a GRANT,
  // a TRUNCATE) moves it too; the full comparison then says there is no
  // drift. Empty (compare in full) where it cannot be taken.
  std::string schema_fingerprint(const std::string& prefix) override {
    (void)prefix;
    if (PQserverVersion(conn_) < 110000) return {};
    std::string ns = "(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = current_schema())";
    try {
      std::string value;
      soci::indicator ind = soci::i_null;
      session() << "WITH rel AS (SELECT c.oid, c.xmin FROM pg_catalog.pg_class c "
                   "WHERE c.relnamespace = " +
                       ns +
                       ") SELECT count(*) || '.' || "
                       "coalesce(sum(hashint8extended(k, x::text::bigint)), 0) "
                       "FROM (SELECT oid::bigint, xmin FROM rel "
                       "UNION ALL SELECT (a.attrelid::bigint << 16) + a.attnum, a.xmin "
                       "FROM pg_catalog.pg_attribute a JOIN rel ON rel.oid = a.attrelid "
                       "WHERE a.attnum > 0 "
                       "UNION ALL SELECT d.oid::bigint, d.xmin FROM pg_catalog.pg_attrdef d "
                       "JOIN rel ON rel.oid = d.adrelid "
                       "UNION ALL SELECT k.oid::bigint, k.xmin FROM pg_catalog.pg_constraint k "
                       "JOIN rel ON rel.oid = k.conrelid "
                       "UNION ALL SELECT g.oid::bigint, g.xmin FROM pg_catalog.pg_trigger g "
                       "JOIN rel ON rel.oid = g.tgrelid "
                       "UNION ALL SELECT w.oid::bigint, w.xmin FROM pg_catalog.pg_rewrite w "
                       "JOIN rel ON rel.oid = w.ev_class "
                       "UNION ALL SELECT y.oid::bigint, y.xmin FROM pg_catalog.pg_type y "
                       "WHERE y.typnamespace = " +
                       ns +
                       " AND y.typrelid = 0 AND y.typcategory <> 'A' "
                       "UNION ALL SELECT p.oid::bigint, p.xmin FROM pg_catalog.pg_proc p "
                       "WHERE p.pronamespace = " +
                       ns + ") s(k, x)",
          soci::into(value, ind);
      return ind == soci::i_ok ? "pg1:" + value : std::string();
    } catch (const soci::soci_error&) {
      return {};
    }
  }

  std::vector<std::string> existing_tables(const std::vector<std::string>& names) override {
    if (names.empty()) return {};
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + quote(n);
    std::vector<std::string> out;
    for (auto& row : query_rows(*this,
                                "SELECT c.relname FROM pg_catalog.pg_class c JOIN "
                                "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
                                "n.nspname = " +
                                    quote(schema_) +
                                    " AND c.relkind IN ('r', 'p') AND c.relname IN (" + list + ")"))
      out.push_back(std::move(row.at(0)));
    return out;
  }

  std::string qualified(const std::string& name) const override {
    return qualified_prefix(Dialect::PostgreSQL, schema_, name);
  }

  std::string end_of_revision_sql() const override {
    return session_reset_sql(Dialect::PostgreSQL);
  }

  // A `transaction off` revision that says BEGIN itself (known from libpq,
  // without asking the server).
  bool work_in_transaction() override {
    PGTransactionStatusType status = PQtransactionStatus(conn_);
    return status == PQTRANS_INTRANS || status == PQTRANS_INERROR;
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
    // An error may have left a step's transaction open: undone first.
    if (PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
    int released = 0;
    session() << "SELECT CASE WHEN pg_advisory_unlock(:k) THEN 1 ELSE 0 END", soci::use(lock_key_),
        soci::into(released);
  }

  std::string quote(const std::string& text) override {
    // (The connection knows standard_conforming_strings even when a revision
    // changed it: libpq tracks the server's reports.)
    char* quoted = PQescapeLiteral(conn_, text.data(), text.size());
    if (!quoted) throw DatabaseError(trim_end(PQerrorMessage(conn_)));
    std::string out(quoted);
    PQfreemem(quoted);
    return out;
  }

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
