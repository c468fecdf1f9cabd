#pragma once

#include <string>
#include <utility>
#include <vector>

#include "db/database.h"
#include "diff/schema_change.h"

namespace mig {

// A MySQL/MariaDB schema (the connection's database) as mig diff reads it:
// each table as the server writes it in SHOW CREATE TABLE, one item per
// line (the AUTO_INCREMENT counter left out: it is data), split into its
// parts; views, triggers and routines as SHOW CREATE writes them, without
// DEFINER (the user who made them) and without the database's own name.
struct MyTable {
  std::string name;                      // quoted, `name`
  std::vector<std::string> columns;      // names, in order
  std::vector<std::string> column_defs;  // each column's line
  std::string primary;                   // PRIMARY KEY (…), or empty
  // Keys (KEY, UNIQUE KEY, FULLTEXT KEY, SPATIAL KEY), foreign keys and
  // CHECK constraints: (name, line).
  std::vector<std::pair<std::string, std::string>> keys, foreign, checks;
  std::vector<std::string> references;  // per foreign key, its table
  std::string options;                  // after ')': ENGINE=… DEFAULT CHARSET=… COMMENT=…
};

struct MyObject {
  std::string name, table, sql;  // table: a trigger's
  bool procedure = false;        // a routine's kind
};

struct MySchema {
  std::vector<MyTable> tables;
  std::vector<MyObject> views, triggers, routines;
  std::vector<std::string> unsupported;  // "partitioned table `t`", "event `e`", …
};

// A name as MySQL quotes it: `name`.
std::string mysql_quoted(const std::string& name);

// Bookkeeping tables (`prefix`) are left out.
MySchema read_mysql_schema(Database& db, const std::string& prefix);

// Everything read, sorted: two schemas that give the same text are the same
// to mig diff. Column order counts (MySQL can place a column).
std::string mysql_definitions_text(const MySchema& schema);

// The statements that take `from` to `to`: foreign keys dropped first and
// added last, views and routines dropped before and made after the tables,
// new tables in the order their foreign keys allow (a cycle closed by
// ALTER TABLE afterwards), columns added, changed and moved in place.
SchemaChange plan_mysql_change(const MySchema& from, const MySchema& to);

// As postgresql_rename, for MySQL ("OLD=NEW", "TABLE.OLD=NEW").
std::pair<std::string, std::string> mysql_rename(const MySchema& from, const std::string& spec);

}  // namespace mig
