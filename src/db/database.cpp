#include "db/database.h"

#include <soci/soci.h>

#include <boost/filesystem.hpp>
#include <cstdio>

#include "db/backend_module.h"
#include "db/sqlite_database.h"

namespace mig {

Database::~Database() = default;

std::unique_ptr<Database> Database::open(const DatabaseUrl& url, const ConnectOptions& options) {
  std::unique_ptr<Database> db;
  switch (url.dialect) {
    case Dialect::SQLite:
      db = open_sqlite(url, options);
      break;
    case Dialect::PostgreSQL:
      db = open_with_module("postgresql", "PostgreSQL", url, options);
      break;
    case Dialect::MySQL:
      db = open_with_module("mysql", "MySQL/MariaDB", url, options);
      break;
  }
  if (!db) throw UsageError("unknown backend");
  if (options.redactor) {
    db->redactor_ = options.redactor;
  } else {
    auto own = std::make_shared<Redactor>();
    own->add_url(url);
    db->redactor_ = std::move(own);
  }
  return db;
}

std::string quote_conn_value(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string connection_string(const std::vector<std::pair<std::string, std::string>>& fields,
                              const DatabaseUrl& url) {
  std::string out;
  bool timeout = false;
  auto add = [&](const std::string& key, const std::string& value) {
    if (!value.empty()) out += (out.empty() ? "" : " ") + key + "=" + quote_conn_value(value);
    timeout = timeout || key == "connect_timeout";
  };
  for (const auto& [k, v] : fields) add(k, v);
  for (const auto& [k, v] : url.params) add(k, v);
  if (!timeout) add("connect_timeout", "10");
  return out;
}

std::string postgresql_conninfo(const DatabaseUrl& url) {
  return connection_string({{"host", url.host},
                            {"port", url.port ? std::to_string(url.port) : ""},
                            {"dbname", url.database},
                            {"user", url.user},
                            {"password", url.password}},
                           url);
}

std::string mysql_connect_string(const DatabaseUrl& url) {
  // SOCI's MySQL backend refuses any other key with "Malformed connection
  // string.", which does not say which one.
  static const char* const known[] = {"charset",      "sslca",           "sslcert",
                                      "sslkey",       "local_infile",    "reconnect",
                                      "read_timeout", "connect_timeout", "write_timeout"};
  for (const auto& param : url.params) {
    bool ok = false;
    for (const char* k : known) ok = ok || param.first == k;
    if (!ok)
      throw UsageError("database URL option '" + param.first +
                       "' is not one MySQL/MariaDB connections take (charset, sslca, sslcert, "
                       "sslkey, local_infile, reconnect, connect_timeout, read_timeout, "
                       "write_timeout)");
  }
  bool socket = !url.host.empty() && url.host.front() == '/';
  return connection_string(
      {{socket ? "unix_socket" : "host", socket || !url.host.empty() ? url.host : "localhost"},
       {"port", url.port ? std::to_string(url.port) : ""},
       {"dbname", url.database},
       {"user", url.user},
       {"password", url.password}},
      url);
}

std::string lock_wait_notice(int seconds, const DatabaseUrl& url) {
  return "waiting up to " + std::to_string(seconds) +
         " s for another mig run to release its lock on " + url.describe();
}

OperationError lock_timeout_error(int seconds, const DatabaseUrl& url) {
  return OperationError("gave up after " + std::to_string(seconds) +
                        " s waiting for another mig run to release its lock on " + url.describe() +
                        " (see database.lock_timeout)");
}

namespace {

std::string cell(const soci::row& row, std::size_t i, const std::string& null_text) {
  if (row.get_indicator(i) == soci::i_null) return null_text;
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_string:
      return row.get<std::string>(i);
    case soci::dt_integer:
      return std::to_string(row.get<int>(i));
    case soci::dt_long_long:
      return std::to_string(row.get<long long>(i));
    case soci::dt_unsigned_long_long:
      return std::to_string(row.get<unsigned long long>(i));
    case soci::dt_double: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", row.get<double>(i));
      return buf;
    }
    default:
      return "?";
  }
}

}  // namespace

std::vector<std::vector<std::string>> query_rows(Database& db, const std::string& sql,
                                                 const std::string& null_text) {
  std::vector<std::vector<std::string>> out;
  soci::rowset<soci::row> rows = db.session().prepare << sql;
  for (const auto& row : rows) {
    std::vector<std::string> r;
    for (std::size_t i = 0; i < row.size(); ++i) r.push_back(cell(row, i, null_text));
    out.push_back(std::move(r));
  }
  return out;
}

std::string qualified_prefix(Dialect dialect, const std::string& schema,
                             const std::string& prefix) {
  if (dialect != Dialect::PostgreSQL || schema.empty()) return prefix;
  std::string quoted;
  for (char c : schema) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return "\"" + quoted + "\"." + prefix;
}

std::string session_reset_sql(Dialect dialect) {
  if (dialect != Dialect::PostgreSQL) return {};
  // RESET ALL leaves the role and session user alone, and DISCARD ALL would
  // also drop the run's advisory lock; so each part on its own. mig's own
  // setting comes back last.
  return "RESET SESSION AUTHORIZATION;\nRESET ROLE;\nRESET ALL;\nDISCARD TEMP;\n"
         "SET client_min_messages = warning";
}

std::vector<std::string> bookkeeping_ddl(Dialect dialect, const std::string& p,
                                         const std::string& schema) {
  std::string real = dialect == Dialect::PostgreSQL ? "DOUBLE PRECISION"
                     : dialect == Dialect::MySQL    ? "DOUBLE"
                                                    : "REAL";
  std::string big = dialect == Dialect::SQLite ? "INTEGER" : "BIGINT";
  std::string log_id = dialect == Dialect::PostgreSQL ? "id BIGSERIAL PRIMARY KEY"
                       : dialect == Dialect::MySQL    ? "id BIGINT AUTO_INCREMENT PRIMARY KEY"
                                                      : "id INTEGER PRIMARY KEY AUTOINCREMENT";
  std::string engine = dialect == Dialect::MySQL ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4" : "";
  std::vector<std::string> ddl;
  if (dialect == Dialect::PostgreSQL && !schema.empty())
    ddl.push_back("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
  ddl.push_back("CREATE TABLE IF NOT EXISTS " + p +
                "revisions (revision VARCHAR(40) PRIMARY KEY, parents VARCHAR(1000) NOT NULL, "
                "message TEXT NOT NULL, kind VARCHAR(10) NOT NULL, checksum CHAR(64) NOT NULL, "
                "applied_at VARCHAR(32) NOT NULL, duration_ms " +
                real + " NOT NULL, seq " + big + " NOT NULL)" + engine);
  ddl.push_back("CREATE TABLE IF NOT EXISTS " + p + "log (" + log_id +
                ", at VARCHAR(32) NOT NULL, action VARCHAR(16) NOT NULL, revision VARCHAR(255), "
                "outcome VARCHAR(10) NOT NULL, statement_no INTEGER, error TEXT, duration_ms " +
                real + ")" + engine);
  ddl.push_back("CREATE TABLE IF NOT EXISTS " + p +
                "seeds (name VARCHAR(255) PRIMARY KEY, checksum CHAR(64) NOT NULL, "
                "applied_at VARCHAR(32) NOT NULL)" +
                engine);
  ddl.push_back("CREATE TABLE IF NOT EXISTS " + p +
                "progress (revision VARCHAR(40) PRIMARY KEY, direction VARCHAR(10) NOT NULL, "
                "statement_no INTEGER NOT NULL, statements INTEGER NOT NULL, "
                "state VARCHAR(10) NOT NULL, error TEXT, done_checksum CHAR(64) NOT NULL, "
                "updated_at VARCHAR(32) NOT NULL)" +
                engine);
  std::string text = dialect == Dialect::MySQL ? "MEDIUMTEXT" : "TEXT";
  ddl.push_back("CREATE TABLE IF NOT EXISTS " + p + "schema (id INTEGER PRIMARY KEY, snapshot " +
                text +
                " NOT NULL, checksum CHAR(64) NOT NULL, fingerprint VARCHAR(64) NOT NULL, "
                "taken_at VARCHAR(32) NOT NULL)" +
                engine);
  return ddl;
}

bool Database::exists(const DatabaseUrl& url) {
  if (url.dialect != Dialect::SQLite || url.is_memory()) return true;
  return boost::filesystem::exists(url.path);
}

}  // namespace mig
