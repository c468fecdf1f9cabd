#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "db/database.h"
#include "db/schema.h"

namespace mig {

// What each database's inspection (db/<database>/inspect.cpp) builds a
// Schema with.

// The rows of a query, every cell as text.
std::vector<std::vector<std::string>> schema_rows(Database& db, const std::string& sql);

// White space collapsed, so formatting of a definition does not matter.
std::string squash(const std::string& s);
std::string lower(std::string s);

// "column NAME TYPE [not null] [default X]" in mig's normal form.
std::string column_line(const std::string& name, const std::string& type, bool not_null,
                        const std::string& def);

// Collects objects by kind and name, then sorts everything.
class SchemaBuilder {
 public:
  explicit SchemaBuilder(std::string prefix) : prefix_(std::move(prefix)) {}
  // Whether `table` is one of mig's own (left out of every schema).
  bool ours(const std::string& table) const {
    return table.compare(0, prefix_.size(), prefix_) == 0;
  }
  // `ordered` lines keep the order they come in (columns); the others are sorted.
  void add(const std::string& kind, const std::string& name, const std::string& line,
           bool ordered = false);
  Schema build();
  // Tables, then views, then triggers.
  static int kind_rank(const std::string& kind) {
    return kind == "table" ? 0 : kind == "view" ? 1 : 2;
  }

 private:
  struct Pending {
    std::string kind, name;
    std::vector<std::string> ordered, lines;
  };
  std::string prefix_;
  std::map<std::pair<int, std::string>, Pending> objects_;
};

// The objects of a recorded schema text (Schema::text()).
std::vector<SchemaObject> parse_schema(const std::string& text);
// The text of `recorded` without the objects `stale` picks and with those
// of `fresh`, in the order an inspection gives them.
std::string replace_objects(std::vector<SchemaObject> recorded,
                            const std::function<bool(const SchemaObject&)>& stale, Schema fresh);

// Each database's inspection, from its own catalog.
Schema inspect_sqlite(Database& db, SchemaBuilder& b);
// Those of SQLite's objects only, by their exact names.
struct SqliteObjects {
  std::vector<std::string> tables, views, triggers;
};
Schema inspect_sqlite_objects(Database& db, SchemaBuilder& b, const SqliteObjects& only);
// The recorded schema text of the catalog `before` made that of `after`:
// the objects whose rows differ are inspected again. Empty when a full
// inspection is as quick.
std::string refresh_sqlite(Database& db, const std::string& prefix, const std::string& recorded,
                           const std::vector<Database::CatalogEntry>& before,
                           const std::vector<Database::CatalogEntry>& after);
Schema inspect_postgresql(Database& db, SchemaBuilder& b);
Schema inspect_mysql(Database& db, SchemaBuilder& b);
// MySQL's objects, all of them or (`only`) those of one table or view by
// its exact name, added to `b` (information_schema then reads that table
// alone).
void inspect_mysql_objects(Database& db, SchemaBuilder& b, const std::string* only);
// SchemaChanges::note and refresh_schema on MySQL (db/mysql/schema_changes.cpp).
void note_mysql_changes(const std::string& sql, SchemaChanges& changes);
std::string refresh_mysql(Database& db, const std::string& prefix, const std::string& recorded,
                          const SchemaChanges& changes);

}  // namespace mig
