#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace mig {

// What takes a database from one schema to another.
struct SchemaChange {
  std::vector<std::string> statements;
  // The revision must run outside a transaction: a SQLite table is rebuilt
  // (foreign keys can only be switched off there), or a PostgreSQL enum
  // gains a value (which the transaction adding it cannot use).
  bool outside_transaction = false;
  std::vector<std::string> destructive;  // "table t is dropped", "column t.c is dropped", …
  bool rebuilds = false;                 // (whose DROP TABLE loses nothing by itself)
  bool empty() const { return statements.empty(); }
};

// A rename the schema cannot show, as DiffOptions::renames says it: "OLD=NEW"
// for a table, "TABLE.OLD=NEW" (or "TABLE.OLD=TABLE.NEW") for a column of
// TABLE. Returns the statement that renames and the one that renames back,
// with names written by `quote`; `has_table` and `has_column` are asked
// with the names as the user typed them. Throws OptionError naming `spec`.
std::pair<std::string, std::string> rename_statements(
    const std::string& spec, const std::function<std::string(const std::string&)>& quote,
    const std::function<bool(const std::string&)>& has_table,
    const std::function<bool(const std::string&, const std::string&)>& has_column);

}  // namespace mig
