#pragma once

#include <optional>
#include <string>
#include <vector>

#include "script/sql_splitter.h"

namespace mig {

// A column as a statement defines it.
struct ColumnSpec {
  std::string name;
  std::string type;  // PostgreSQL's name for it, lower case: "int4", "varchar(20)", "timestamp"
  bool not_null = false;
  bool has_default = false;       // DEFAULT, serial, identity or generated
  bool volatile_default = false;  // a value computed per row: random(), nextval(), serial, …
  bool primary_key = false;
};

// A key or index CREATE TABLE defines: "primary key", "unique", "foreign
// key" or (MySQL's KEY / INDEX) "index", on COLUMNS.
struct TableKey {
  std::string kind;
  std::vector<std::string> columns;
};

// One thing a statement does, as the linter's rules read it.
struct Change {
  enum class Kind {
    DropSchema,
    DropDatabase,
    DropTable,
    DropColumn,
    AlterType,
    Truncate,
    DeleteAll,
    UpdateAll,
    CreateTable,
    RenameTable,
    RenameColumn,
    CreateIndex,
    DropIndex,
    AddColumn,
    AddConstraint,
    ValidateConstraint,
    SetNotNull,
    SetLockTimeout,
    Begin,
    Commit,
    Write,  // INSERT, UPDATE or DELETE (with a WHERE) into the table
  };
  Kind kind = Kind::CreateTable;
  std::string schema;      // as written; "" when the name has none
  std::string table;       // the table (DropSchema: the schema); PostgreSQL folds unquoted names
  std::string column;      // DropColumn, AlterType, RenameColumn (the old name), SetNotNull
  std::string new_name;    // RenameTable, RenameColumn
  std::string type;        // AlterType: the new type, as ColumnSpec::type
  std::string constraint;  // AddConstraint: "primary key", "unique", "check", "foreign key"
  std::vector<ColumnSpec> columns{};  // CreateTable, AddColumn (one)
  // CreateIndex, a unique or primary key: its columns (empty when one is an
  // expression); a foreign key: the referencing columns.
  std::vector<std::string> keys{};
  std::string ref_schema, ref_table;    // a foreign key: the table it references
  std::vector<std::string> ref_keys{};  // and its columns (empty: its primary key)
  std::string check;                    // a CHECK: its condition as written
  std::string name;                     // CreateIndex, AddConstraint: the name given it, or ""
  // CreateTable: its constraints that are given a name, as (constraint, name).
  std::vector<std::pair<std::string, std::string>> named{};
  std::vector<TableKey> table_keys{};  // CreateTable
  bool partial = false;                // CreateIndex: with a WHERE
  // The rows cannot be counted as the rule would need: NULLS NOT DISTINCT,
  // MATCH FULL, a CHECK that calls functions or holds a subquery (counting
  // would run them) or whose text mig cannot vouch for.
  bool unprobed = false;
  bool clears = false;           // SetLockTimeout: to 0, DEFAULT or RESET
  bool temporary = false;        // CreateTable
  bool if_not_exists = false;    // CreateTable, CreateIndex
  bool concurrently = false;     // CreateIndex, DropIndex
  bool unique = false;           // CreateIndex
  bool not_valid = false;        // AddConstraint
  bool using_index = false;      // AddConstraint: a unique or primary key USING INDEX
  bool has_primary_key = false;  // CreateTable
  bool as_query = false;         // CreateTable: CREATE TABLE … AS
  int line = 0;                  // where the statement it came from starts
};

// What a statement does, by PostgreSQL's parser: TREE is libpg_query's
// JSON for the statement's text; a block of several statements gives the
// changes of each, on its own line.
std::vector<Change> postgresql_changes(const std::string& tree, const Statement& statement);

// What a SQLite or MySQL statement does to what exists, by its tokens:
// CREATE TABLE (whether it has a primary key), CREATE UNIQUE INDEX, ALTER
// TABLE's ADD COLUMN, ADD UNIQUE / PRIMARY KEY / FOREIGN KEY / CHECK and
// RENAME (TO, COLUMN, MySQL's CHANGE), MySQL's RENAME TABLE. (The
// destructive statements are told by check/lint.cpp's own reading.)
std::vector<Change> token_changes(const Statement& statement);

// A column as mig's schema inspection writes it ("column email varchar(20)
// not null default 'x'"), or nullopt for any other line.
std::optional<ColumnSpec> inspected_column(const std::string& line);

// Whether changing a column's type from FROM to TO (as the inspection
// writes types) may lose or refuse values: a shorter varchar, a smaller
// integer or precision, text to varchar, signed to unsigned, or a type of
// another kind. False when TO holds everything FROM does.
bool narrows(const std::string& from, const std::string& to);

// SQLite's affinity for a declared type: integer, text, blob, real or
// numeric (by its rules: INT, CHAR/CLOB/TEXT, BLOB or none, REAL/FLOA/DOUB).
std::string sqlite_affinity(const std::string& type);

// Whether MySQL copies the whole table to change a column's type from FROM
// to TO (ALGORITHM=COPY): any change but a varchar that grows within its
// length prefix (assuming utf8mb4: up to 63 characters, or from 64 up) and
// an ENUM or SET that only gains members at its end.
bool mysql_copies(const std::string& from, const std::string& to);

// The message PostgreSQL's parser gave and the line of STATEMENT it points
// at (ERROR_AT: a 0-based offset into statement.sql).
int line_at(const Statement& statement, int error_at);

}  // namespace mig
