#pragma once

#include <string>
#include <utility>
#include <vector>

#include "db/database.h"
#include "diff/schema_change.h"

namespace mig {

// A SQLite schema as the statements that made it, which SQLite keeps in
// sqlite_master: each table's CREATE TABLE split into its columns and its
// table constraints, and each index, view and trigger as written.
struct SqliteTable {
  std::string name;
  std::string body;                      // "(…)" as written, after the name
  std::string options;                   // after the ')': WITHOUT ROWID, STRICT
  std::vector<std::string> columns;      // names, in order
  std::vector<std::string> column_defs;  // each column's definition as written
  std::vector<std::string> constraints;  // table constraints, normalised
  std::vector<bool> generated;           // per column: GENERATED ALWAYS AS (never copied)
  bool autoincrement = false;            // its counter lives in sqlite_sequence
  bool rowid_alias = false;              // an INTEGER PRIMARY KEY column holds the rowid
};

struct SqliteObject {
  std::string kind;  // index, view, trigger
  std::string name;
  std::string table;  // what an index or trigger belongs to
  std::string sql;    // as written
};

struct SqliteSchema {
  std::vector<SqliteTable> tables;    // in the order they were made
  std::vector<SqliteObject> objects;  // likewise; indexes that constraints make are left out
  // CREATE VIRTUAL TABLE (FTS and the like), whose shadow tables are left
  // out: compared, but never changed (mig diff refuses to).
  std::vector<SqliteObject> virtual_tables;
};

// Bookkeeping tables (`prefix`) and SQLite's own are left out.
SqliteSchema read_sqlite_schema(Database& db, const std::string& prefix);

// SQL text in a form where white space, comments and needless quotes around
// names do not count (for comparing, not for running).
std::string comparable_sql(const std::string& text);

// One table's parts in a form where formatting and comments do not count:
// two tables that compare equal here were made by the same definition.
std::string normalised_definition(const SqliteTable& table);

// Every definition of a schema in comparable form, sorted: two schemas
// made by the same definitions give the same text.
std::string definitions_text(const SqliteSchema& schema);

// Tables SQLite's ALTER TABLE cannot change are rebuilt: the new table is
// made under a temporary name, the rows copied, the old table dropped and
// the new one renamed (the old one is never renamed, so the foreign keys of
// other tables keep pointing at the name), with foreign keys off and
// `PRAGMA foreign_key_check` made to fail the revision if a row is left
// without its parent. Views and triggers are dropped first and made again
// last whenever a table changes.
SchemaChange plan_sqlite_change(const SqliteSchema& from, const SqliteSchema& to);

// A rename the schema cannot show: "OLD=NEW" for a table, "TABLE.OLD=NEW"
// for a column of TABLE in `from`. Returns the statement that renames and
// the one that renames back; throws OptionError naming `spec`.
std::pair<std::string, std::string> sqlite_rename(const SqliteSchema& from,
                                                  const std::string& spec);

}  // namespace mig
