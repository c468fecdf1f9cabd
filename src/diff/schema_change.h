#pragma once

#include <string>
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

}  // namespace mig
