#pragma once

#include <string>

#include "connection_support.h"

namespace mig::testing {

// One small schema, written for each database: a table with a primary key,
// a default, a unique column and an index; a child table with a foreign key;
// a view; and one of mig's own tables, which inspection leaves out.
inline void create_shop(Database& db, Dialect dialect) {
  std::string serial = dialect == Dialect::PostgreSQL ? "integer" : "INTEGER";
  db.execute("CREATE TABLE account (id " + serial +
             " NOT NULL PRIMARY KEY, email varchar(200) NOT NULL UNIQUE, "
             "plan varchar(20) DEFAULT 'free')");
  db.execute("CREATE INDEX account_plan ON account (plan)");
  db.execute(
      "CREATE TABLE orders (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES "
      "account (id))");
  db.execute("CREATE VIEW free_accounts AS SELECT id FROM account WHERE plan = 'free'");
  db.execute("CREATE TABLE mig_version (id varchar(40))");
}

}  // namespace mig::testing
