#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.h"

namespace mig {

// One object of a live schema, in normalised text: a header line
// ("table account") and its sorted detail lines.
struct SchemaObject {
  std::string kind;  // table, view, trigger
  std::string name;
  std::vector<std::string> lines;
};

// The schema of a database as mig compares it: tables (columns with type,
// nullability and default; primary, unique and foreign keys; indexes), views
// and triggers, ordered by kind and name. Bookkeeping tables (`prefix`) are
// left out. Two databases with the same schema give the same value.
struct Schema {
  std::vector<SchemaObject> objects;

  std::string text() const;
  bool operator==(const Schema& other) const { return text() == other.text(); }
  bool operator!=(const Schema& other) const { return !(*this == other); }
};

Schema inspect_schema(Database& db, const std::string& prefix);

// The tables and views a run's statements may have created, changed,
// renamed or dropped (each spelling of the name in the statement), and the
// triggers it created or dropped by name. `known` turns false
// at the first statement mig cannot account for (CALL, USE, a `/*! */`
// block, a name in another database ...), and then stays false.
struct SchemaChanges {
  bool known = true;
  std::vector<std::string> names;
  std::vector<std::string> triggers;  // created or dropped by name
  long long ddl_statements = 0;       // CREATE, ALTER, DROP, RENAME noted
  std::string start_version;          // Database::schema_version() when the run began
  // SQLite: the catalog when the run began, proved to be what the recorded
  // snapshot was taken of; the run's statements need not be noted, the
  // catalog after is compared with it.
  std::optional<std::vector<Database::CatalogEntry>> catalog;
  // Adds what `sql` may change (MySQL; nothing to add while `catalog` is
  // held; elsewhere `known` turns false).
  void note(Dialect dialect, const std::string& sql);
};

// The schema text `recorded` with the objects `changes` names inspected
// again and put in place of what it said of them: the text a full
// inspection would give, when `recorded` was the schema before the
// statements. Empty when that cannot be done here (then inspect in full):
// changes not known, too many names to be worth it, a backend without it.
bool can_refresh_schema(Dialect dialect);
std::string refresh_schema(Database& db, const std::string& prefix, const std::string& recorded,
                           const SchemaChanges& changes);
// The same where `changes` holds the catalog when the run began (SQLite),
// given the catalog now.
std::string refresh_schema(Database& db, const std::string& prefix, const std::string& recorded,
                           const SchemaChanges& changes,
                           const std::vector<Database::CatalogEntry>& now);

// A readable line diff: "- line" for lines only in `before`, "+ line" for
// lines only in `after`, with the object header each change belongs to.
std::string diff_schemas(const std::string& before, const std::string& after);

}  // namespace mig
