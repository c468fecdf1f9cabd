#pragma once

#include <soci/soci.h>

#include <memory>
#include <string>

#include "../e2e/database_support.h"
#include "../test_support.h"
#include "config/url.h"
#include "db/database.h"
#include "db/schema.h"

namespace mig::testing {

// A fresh database of one kind (a SQLite file, or a new database on the
// test server) and connections to it.
class Connected {
 public:
  explicit Connected(Dialect dialect)
      : test_(dialect, dir_ / "app.db"), url_(parse_url(test_.url(), "test")) {
    options.lock_timeout = 0;  // a held lock is refused at once
  }
  std::unique_ptr<Database> open() const { return Database::open(url_, options); }
  const e2e::TestDatabase& test() const { return test_; }
  const DatabaseUrl& url() const { return url_; }
  ConnectOptions options;

 private:
  TempDir dir_;
  e2e::TestDatabase test_;
  DatabaseUrl url_;
};

inline std::string scalar(Database& db, const std::string& sql) {
  std::string value;
  db.session() << sql, soci::into(value);
  return value;
}

// The normalised schema, without mig's tables.
inline std::string schema_text(Database& db) { return inspect_schema(db, "mig_").text(); }

}  // namespace mig::testing
