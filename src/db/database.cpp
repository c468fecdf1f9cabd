#include "db/database.h"

#include <soci/soci.h>

#include <boost/filesystem.hpp>

#include "db/sqlite_database.h"

namespace mig {

Database::~Database() = default;

std::unique_ptr<Database> Database::open(const DatabaseUrl& url, int lock_timeout) {
  switch (url.backend) {
    case Backend::SQLite:
      return open_sqlite(url, lock_timeout);
    case Backend::PostgreSQL:
    case Backend::MySQL:
      break;
  }
  throw UsageError(std::string("the ") + to_string(url.backend) +
                   " backend is not available in this build of mig yet");
}

bool Database::exists(const DatabaseUrl& url) {
  if (url.backend != Backend::SQLite || url.is_memory()) return true;
  return boost::filesystem::exists(url.path);
}

}  // namespace mig
