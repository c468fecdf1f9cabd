#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "db/database.h"
#include "diff/schema_change.h"

namespace mig {

// A PostgreSQL schema (the connection's current schema) as mig diff reads it
// from the catalog. Every name is quoted as the server quotes it
// (quote_ident), and every definition is the server's own text
// (format_type, pg_get_expr, pg_get_constraintdef, pg_get_indexdef,
// pg_get_viewdef, pg_get_functiondef, pg_get_triggerdef), with the current
// schema's qualification taken out.
struct PgColumn {
  std::string name, type, collation, default_expr, generated, comment;
  bool not_null = false;
  char identity = 0;         // 'a' (ALWAYS), 'd' (BY DEFAULT) or none
  std::string identity_seq;  // its sequence's options, when an identity
};

struct PgConstraint {
  std::string name, def, comment;
  char type = 0;                 // p, u, f, c, x
  std::string references;        // a foreign key's table
  bool deferred_create = false;  // NOT VALID: only ALTER TABLE can add it
};

struct PgTable {
  std::string name, comment;
  bool unlogged = false;
  std::vector<PgColumn> columns;  // in the table's order
  std::vector<PgConstraint> constraints;
};

struct PgIndex {
  std::string name, table, def, comment;
};

struct PgView {
  std::string name, query, options, comment;
  bool materialized = false;
  std::vector<std::string> depends_on;  // the tables and views it reads
};

struct PgSequence {
  std::string name, options, owned_by, comment;  // owned_by: "table.column"
};

struct PgEnum {
  std::string name, comment;
  std::vector<std::string> labels;  // quoted literals, in order
};

struct PgFunction {
  std::string signature, def, comment;  // signature: name(arguments), as DROP takes it
  bool procedure = false;
  std::string key;  // name(argument types): the same function under other argument names
};

struct PgTrigger {
  std::string name, table, def, comment;
};

struct PgSchema {
  std::vector<std::string> extensions;
  std::vector<PgEnum> enums;
  std::vector<PgSequence> sequences;
  std::vector<PgTable> tables;
  std::vector<PgIndex> indexes;
  std::vector<PgView> views;
  std::vector<PgFunction> functions;
  std::vector<PgTrigger> triggers;
  // What mig diff cannot express yet, by kind and name ("domain price",
  // "partitioned table events"): compared by nothing, made by nothing.
  std::vector<std::string> unsupported;
};

// The current schema of `db`, without the bookkeeping tables (`prefix`) and
// without what extensions own.
PgSchema read_postgresql_schema(Database& db, const std::string& prefix);

// Everything read, one object per line group, sorted: two schemas that give
// the same text are the same to mig diff. Columns are compared by name, not
// by position (ALTER TABLE can only add a column at the end).
std::string postgresql_definitions_text(const PgSchema& schema);

// The statements that take `from` to `to`, ordered by dependency:
// extensions, types and sequences first; triggers, views and foreign keys
// dropped before what they need; new tables in the order their foreign
// keys allow (a cycle closed by ALTER TABLE afterwards); views, triggers
// and comments last.
SchemaChange plan_postgresql_change(const PgSchema& from, const PgSchema& to);

// A rename the schema cannot show ("OLD=NEW" for a table, "TABLE.OLD=NEW"
// for a column): the statement that renames and the one that renames
// back. Throws OptionError naming `spec`.
std::pair<std::string, std::string> postgresql_rename(const PgSchema& from,
                                                      const std::string& spec);

}  // namespace mig
