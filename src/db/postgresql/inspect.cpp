// PostgreSQL's schema as mig compares it, from its own catalog.
#include <map>

#include "db/schema_builder.h"

namespace mig {

Schema inspect_postgresql(Database& db, SchemaBuilder& b) {
  // User objects are read from the connection's current schema; bookkeeping
  // tables in a configured schema of their own are not there to begin with.
  const std::string ns = "current_schema()";
  for (auto& r :
       schema_rows(db,
                   "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
                   "CASE WHEN a.attnotnull THEN 1 ELSE 0 END, "
                   "pg_get_expr(d.adbin, d.adrelid) FROM pg_class c "
                   "JOIN pg_namespace n ON n.oid = c.relnamespace "
                   "JOIN pg_attribute a ON a.attrelid = c.oid "
                   "LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum "
                   "WHERE n.nspname = " +
                       ns +
                       " AND c.relkind IN ('r', 'p') "
                       "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum")) {
    if (b.ours(r[0])) continue;
    b.add("table", r[0], column_line(r[1], r[2], r[3] == "1", r[4]), true);
  }
  for (auto& r : schema_rows(db,
                             "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) "
                             "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
                             "JOIN pg_namespace n ON n.oid = c.relnamespace "
                             "WHERE n.nspname = " +
                                 ns + " AND k.contype IN ('p', 'u', 'f', 'c')")) {
    if (b.ours(r[0])) continue;
    b.add("table", r[0], "constraint " + r[1] + " " + squash(r[2]));
  }
  for (auto& r :
       schema_rows(db,
                   "SELECT tablename, indexname, indexdef FROM pg_indexes "
                   "WHERE schemaname = " +
                       ns +
                       " AND indexname NOT IN "
                       "(SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u', 'x'))")) {
    if (b.ours(r[0])) continue;
    std::string def = squash(r[2]);
    size_t on = def.find(" ON ");
    size_t dot = on == std::string::npos ? on : def.find('.', on);
    if (dot != std::string::npos && def.find(' ', on + 4) > dot) def.erase(on + 4, dot - on - 3);
    b.add("table", r[0], "index " + def);
  }
  for (auto& r :
       schema_rows(db, "SELECT viewname, definition FROM pg_views WHERE schemaname = " + ns))
    b.add("view", r[0], squash(r[1]));
  for (auto& r :
       schema_rows(db,
                   "SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                   "JOIN pg_class c ON c.oid = t.tgrelid "
                   "JOIN pg_namespace n ON n.oid = c.relnamespace "
                   "WHERE n.nspname = " +
                       ns + " AND NOT t.tgisinternal")) {
    if (b.ours(r[0])) continue;
    b.add("trigger", r[1], "on " + r[0] + ": " + squash(r[2]));
  }
  return b.build();
}

}  // namespace mig
