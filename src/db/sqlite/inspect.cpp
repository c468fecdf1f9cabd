// SQLite's schema as mig compares it, from its own catalog.
#include <map>

#include "db/schema_builder.h"

namespace mig {

Schema inspect_sqlite(Database& db, SchemaBuilder& b) {
  for (auto& r : schema_rows(db,
                             "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk "
                             "FROM sqlite_master m JOIN pragma_table_info(m.name) p "
                             "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                             "ORDER BY m.name, p.cid")) {
    if (b.ours(r[0])) continue;
    b.add("table", r[0], column_line(r[1], r[2], r[3] == "1", r[4]), true);
    if (r[5] != "0") b.add("table", r[0], "primary key part " + r[5] + ": " + r[1]);
  }
  std::map<std::pair<std::string, std::string>, std::string> index_cols;
  for (auto& r : schema_rows(db,
                             "SELECT m.name, il.name, ii.name FROM sqlite_master m "
                             "JOIN pragma_index_list(m.name) il "
                             "JOIN pragma_index_info(il.name) ii WHERE m.type = 'table' "
                             "ORDER BY m.name, il.name, ii.seqno")) {
    std::string& cols = index_cols[{r[0], r[1]}];
    cols += (cols.empty() ? "" : ", ") + r[2];
  }
  for (auto& r : schema_rows(db,
                             "SELECT m.name, il.name, il.\"unique\", il.origin, il.partial "
                             "FROM sqlite_master m JOIN pragma_index_list(m.name) il "
                             "WHERE m.type = 'table'")) {
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
                   "WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq")) {
    if (b.ours(r[0])) continue;
    b.add("table", r[0],
          "foreign key (" + r[3] + ") references " + r[2] + " (" + r[4] + ") on update " +
              lower(r[5]) + " on delete " + lower(r[6]));
  }
  for (auto& r : schema_rows(db,
                             "SELECT type, name, tbl_name, sql FROM sqlite_master "
                             "WHERE type IN ('view', 'trigger')")) {
    if (b.ours(r[2])) continue;
    b.add(r[0], r[1], (r[0] == "trigger" ? "on " + r[2] + ": " : "") + squash(r[3]));
  }
  return b.build();
}

}  // namespace mig
