#include "db/database.h"

#include <soci/soci.h>

#include <boost/filesystem.hpp>
#include <cstdio>

#include "base/sha256.h"
#include "db/backend_module.h"
#include "db/dialect_traits.h"
#include "db/sqlite/sqlite_database.h"
#include "secrets.h"

namespace mig {

Database::Database() = default;
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

std::string catalog_fingerprint(const std::vector<Database::CatalogEntry>& rows) {
  size_t size = 0;
  for (const auto& r : rows)
    size += r.type.size() + r.name.size() + r.table.size() + r.sql.size() + 4;
  std::string all;
  all.reserve(size);
  for (const auto& r : rows) {
    if (!all.empty()) all += '\n';
    all.append(r.type).append(1, ' ').append(r.name).append(1, ' ').append(r.table);
    all.append(1, ' ').append(r.sql);
  }
  return sha256_hex(all);
}

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
  if (!traits(dialect).schemas || schema.empty()) return prefix;
  std::string quoted;
  for (char c : schema) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return "\"" + quoted + "\"." + prefix;
}

std::string session_reset_sql(Dialect dialect) { return traits(dialect).session_reset; }

std::vector<std::string> bookkeeping_ddl(Dialect dialect, const std::string& p,
                                         const std::string& schema) {
  const DialectTraits& t = traits(dialect);
  std::string real = t.double_type, big = t.bigint_type, engine = t.table_options;
  std::vector<std::string> ddl;
  if (t.schemas && !schema.empty()) ddl.push_back("CREATE SCHEMA IF NOT EXISTS \"" + schema + "\"");
  ddl.push_back("CREATE TABLE IF NOT EXISTS " + p +
                "revisions (revision VARCHAR(40) PRIMARY KEY, parents VARCHAR(1000) NOT NULL, "
                "message TEXT NOT NULL, kind VARCHAR(10) NOT NULL, checksum CHAR(64) NOT NULL, "
                "applied_at VARCHAR(32) NOT NULL, duration_ms " +
                real + " NOT NULL, seq " + big + " NOT NULL)" + engine);
  ddl.push_back("CREATE TABLE IF NOT EXISTS " + p + "log (" + t.log_id_column +
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
  ddl.push_back("CREATE TABLE IF NOT EXISTS " + p + "schema (id INTEGER PRIMARY KEY, snapshot " +
                t.long_text_type +
                " NOT NULL, checksum CHAR(64) NOT NULL, fingerprint VARCHAR(64) NOT NULL, "
                "taken_at VARCHAR(32) NOT NULL)" +
                engine);
  return ddl;
}

void Database::begin_step() { execute(traits(dialect()).begin_transaction); }

bool Database::exists(const DatabaseUrl& url) {
  if (url.dialect != Dialect::SQLite || url.is_memory()) return true;
  return boost::filesystem::exists(url.path);
}

std::string Database::redact(const std::string& text) const {
  return redactor_ ? redactor_->apply(text) : text;
}

}  // namespace mig
