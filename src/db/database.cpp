#include "db/database.h"

#include <soci/soci.h>

#include <boost/filesystem.hpp>

#include "db/mysql_database.h"
#include "db/postgresql_database.h"
#include "db/sqlite_database.h"

namespace mig {

Database::~Database() = default;

std::unique_ptr<Database> Database::open(const DatabaseUrl& url, const ConnectOptions& options) {
  switch (url.backend) {
    case Backend::SQLite:
      return open_sqlite(url, options);
    case Backend::PostgreSQL:
      return open_postgresql(url, options);
    case Backend::MySQL:
      return open_mysql(url, options);
  }
  throw UsageError("unknown backend");
}

std::string quote_conn_value(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

bool Database::exists(const DatabaseUrl& url) {
  if (url.backend != Backend::SQLite || url.is_memory()) return true;
  return boost::filesystem::exists(url.path);
}

}  // namespace mig
