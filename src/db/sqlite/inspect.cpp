// SQLite's schema as mig compares it, from its own catalog.
#include <map>
#include <set>

#include "db/schema_builder.h"

namespace mig {
namespace {

// " AND <column> IN ('a', 'b')", or nothing for no restriction.
std::string name_in(Database& db, const char* column, const std::vector<std::string>* names) {
  if (!names) return {};
  if (names->empty()) return " AND 0";
  std::string list;
  for (const auto& n : *names) list += (list.empty() ? "" : ", ") + db.quote(n);
  return std::string(" AND ") + column + " IN (" + list + ")";
}

// The objects of the database, or (`only`) of those tables, views and
// triggers alone: the same queries, each row of sqlite_master filtered by
// name first.
Schema inspect(Database& db, SchemaBuilder& b, const SqliteObjects* only) {
  const std::vector<std::string>* tables = only ? &only->tables : nullptr;
  if (!only || !only->tables.empty()) {
    std::string in = name_in(db, "m.name", tables);
    for (auto& r : schema_rows(db,
                               "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk "
                               "FROM sqlite_master m JOIN pragma_table_info(m.name) p "
                               "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE "
                               "'\\'" +
                                   in + " ORDER BY m.name, p.cid")) {
      if (b.ours(r[0])) continue;
      b.add("table", r[0], column_line(r[1], r[2], r[3] == "1", r[4]), true);
      if (r[5] != "0") b.add("table", r[0], "primary key part " + r[5] + ": " + r[1]);
    }
    std::map<std::pair<std::string, std::string>, std::string> index_cols;
    for (auto& r : schema_rows(db,
                               "SELECT m.name, il.name, ii.name FROM sqlite_master m "
                               "JOIN pragma_index_list(m.name) il "
                               "JOIN pragma_index_info(il.name) ii WHERE m.type = 'table'" +
                                   in + " ORDER BY m.name, il.name, ii.seqno")) {
      std::string& cols = index_cols[{r[0], r[1]}];
      cols += (cols.empty() ? "" : ", ") + r[2];
    }
    for (auto& r : schema_rows(db,
                               "SELECT m.name, il.name, il.\"unique\", il.origin, il.partial "
                               "FROM sqlite_master m JOIN pragma_index_list(m.name) il "
                               "WHERE m.type = 'table'" +
                                   in)) {
      if (b.ours(r[0]) || r[3] == "pk") continue;
      std::string cols = index_cols[{r[0], r[1]}];
      if (r[3] == "u")
        b.add("table", r[0], "unique (" + cols + ")");
      else
        b.add("table", r[0],
              std::string(r[2] == "1" ? "unique " : "") + "index " + r[1] + " (" + cols + ")" +
                  (r[4] == "1" ? " partial" : ""));
    }
    for (auto& r :
         schema_rows(db,
                     "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, "
                     "f.on_delete FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f "
                     "WHERE m.type = 'table'" +
                         in + " ORDER BY m.name, f.id, f.seq")) {
      if (b.ours(r[0])) continue;
      b.add("table", r[0],
            "foreign key (" + r[3] + ") references " + r[2] + " (" + r[4] + ") on update " +
                lower(r[5]) + " on delete " + lower(r[6]));
    }
  }
  std::string which = " WHERE type IN ('view', 'trigger')";
  if (only) {
    if (only->views.empty() && only->triggers.empty()) return b.build();
    which = " WHERE (type = 'view'" + name_in(db, "name", &only->views) + ") OR (type = 'trigger'" +
            name_in(db, "name", &only->triggers) + ")";
  }
  for (auto& r : schema_rows(db, "SELECT type, name, tbl_name, sql FROM sqlite_master" + which)) {
    if (b.ours(r[2])) continue;
    b.add(r[0], r[1], (r[0] == "trigger" ? "on " + r[2] + ": " : "") + squash(r[3]));
  }
  return b.build();
}

}  // namespace

Schema inspect_sqlite(Database& db, SchemaBuilder& b) { return inspect(db, b, nullptr); }

Schema inspect_sqlite_objects(Database& db, SchemaBuilder& b, const SqliteObjects& only) {
  return inspect(db, b, &only);
}

// What changed between the two catalogs, by the object of the inspection
// each row belongs to: a table's own row and its indexes' rows are the
// table; a view or trigger is its own row.
std::string refresh_sqlite(Database& db, const std::string& prefix, const std::string& recorded,
                           const std::vector<Database::CatalogEntry>& before,
                           const std::vector<Database::CatalogEntry>& after) {
  // Past this many objects one full inspection is as quick.
  constexpr size_t kMostObjects = 64;
  using Key = std::pair<std::string, std::string>;  // (type, name)
  auto object = [](const Database::CatalogEntry& e) -> Key {
    if (e.type == "table" || e.type == "index") return {"table", e.table};
    return {e.type, e.name};
  };
  auto same = [](const Database::CatalogEntry& a, const Database::CatalogEntry& b) {
    return a.type == b.type && a.name == b.name && a.table == b.table && a.sql == b.sql;
  };
  std::map<Key, const Database::CatalogEntry*> was;
  for (const auto& e : before) was[{e.type, e.name}] = &e;
  std::set<Key> stale;
  for (const auto& e : after) {
    auto it = was.find({e.type, e.name});
    if (it != was.end() && same(*it->second, e)) {
      was.erase(it);
      continue;
    }
    stale.insert(object(e));
    if (it != was.end()) {
      stale.insert(object(*it->second));
      was.erase(it);
    }
  }
  for (const auto& [key, e] : was) stale.insert(object(*e));  // dropped
  if (stale.empty()) return recorded;
  if (stale.size() > kMostObjects) return {};
  SqliteObjects only;
  for (const auto& [type, name] : stale)
    (type == "table" ? only.tables : type == "view" ? only.views : only.triggers).push_back(name);
  SchemaBuilder b(prefix);
  Schema fresh = inspect_sqlite_objects(db, b, only);
  return replace_objects(
      parse_schema(recorded),
      [&](const SchemaObject& o) {
        return stale.count({o.kind, o.name}) > 0;
      },
      std::move(fresh));
}

}  // namespace mig
