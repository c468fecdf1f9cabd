#pragma once

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

// A readable line diff: "- line" for lines only in `before`, "+ line" for
// lines only in `after`, with the object header each change belongs to.
std::string diff_schemas(const std::string& before, const std::string& after);

}  // namespace mig
