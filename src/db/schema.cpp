#include "db/schema.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace mig {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows rows(Database& db, const std::string& sql) { return query_rows(db, sql); }

// White space collapsed, so formatting of a definition does not matter.
std::string squash(const std::string& s) {
  std::string out;
  bool gap = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      gap = !out.empty();
      continue;
    }
    if (gap) out += ' ';
    gap = false;
    out += c;
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Collects objects by kind and name, then sorts everything.
class Builder {
 public:
  explicit Builder(std::string prefix) : prefix_(std::move(prefix)) {}
  bool ours(const std::string& table) const {
    return table.compare(0, prefix_.size(), prefix_) == 0;
  }
  void add(const std::string& kind, const std::string& name, const std::string& line,
           bool ordered = false) {
    auto& o = objects_[{kind_rank(kind), name}];
    o.kind = kind;
    o.name = name;
    if (!line.empty()) (ordered ? o.ordered : o.lines).push_back(line);
  }
  Schema build() {
    Schema s;
    for (auto& [key, o] : objects_) {
      std::sort(o.lines.begin(), o.lines.end());
      SchemaObject out{o.kind, o.name, o.ordered};
      out.lines.insert(out.lines.end(), o.lines.begin(), o.lines.end());
      s.objects.push_back(std::move(out));
    }
    return s;
  }

 private:
  struct Pending {
    std::string kind, name;
    std::vector<std::string> ordered, lines;
  };
  static int kind_rank(const std::string& kind) {
    return kind == "table" ? 0 : kind == "view" ? 1 : 2;
  }
  std::string prefix_;
  std::map<std::pair<int, std::string>, Pending> objects_;
};

std::string column_line(const std::string& name, const std::string& type, bool not_null,
                        const std::string& def) {
  std::string line = "column " + name + " " + lower(squash(type));
  if (not_null) line += " not null";
  if (!def.empty()) line += " default " + squash(def);
  return line;
}

Schema inspect_sqlite(Database& db, Builder& b) {
  for (auto& r : rows(db,
                      "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk "
                      "FROM sqlite_master m JOIN pragma_table_info(m.name) p "
                      "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' "
                      "ORDER BY m.name, p.cid")) {
    if (b.ours(r[0])) continue;
    b.add("table", r[0], column_line(r[1], r[2], r[3] == "1", r[4]), true);
    if (r[5] != "0") b.add("table", r[0], "primary key part " + r[5] + ": " + r[1]);
  }
  std::map<std::pair<std::string, std::string>, std::string> index_cols;
  for (auto& r : rows(db,
                      "SELECT m.name, il.name, ii.name FROM sqlite_master m "
                      "JOIN pragma_index_list(m.name) il "
                      "JOIN pragma_index_info(il.name) ii WHERE m.type = 'table' "
                      "ORDER BY m.name, il.name, ii.seqno")) {
    std::string& cols = index_cols[{r[0], r[1]}];
    cols += (cols.empty() ? "" : ", ") + r[2];
  }
  for (auto& r : rows(db,
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
  for (auto& r : rows(db,
                      "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, "
                      "f.on_delete FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f "
                      "WHERE m.type = 'table' ORDER BY m.name, f.id, f.seq")) {
    if (b.ours(r[0])) continue;
    b.add("table", r[0],
          "foreign key (" + r[3] + ") references " + r[2] + " (" + r[4] + ") on update " +
              lower(r[5]) + " on delete " + lower(r[6]));
  }
  for (auto& r : rows(db,
                      "SELECT type, name, tbl_name, sql FROM sqlite_master "
                      "WHERE type IN ('view', 'trigger')")) {
    if (b.ours(r[2])) continue;
    b.add(r[0], r[1], (r[0] == "trigger" ? "on " + r[2] + ": " : "") + squash(r[3]));
  }
  return b.build();
}

Schema inspect_postgresql(Database& db, Builder& b) {
  // User objects are read from the connection's current schema; bookkeeping
  // tables in a configured schema of their own are not there to begin with.
  const std::string ns = "current_schema()";
  for (auto& r : rows(db,
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
  for (auto& r : rows(db,
                      "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) "
                      "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
                      "JOIN pg_namespace n ON n.oid = c.relnamespace "
                      "WHERE n.nspname = " +
                          ns + " AND k.contype IN ('p', 'u', 'f', 'c')")) {
    if (b.ours(r[0])) continue;
    b.add("table", r[0], "constraint " + r[1] + " " + squash(r[2]));
  }
  for (auto& r : rows(db,
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
  for (auto& r : rows(db, "SELECT viewname, definition FROM pg_views WHERE schemaname = " + ns))
    b.add("view", r[0], squash(r[1]));
  for (auto& r : rows(db,
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

Schema inspect_mysql(Database& db, Builder& b) {
  for (auto& r : rows(db,
                      "SELECT c.table_name, c.column_name, c.column_type, "
                      "CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END, c.column_default, "
                      "c.extra FROM information_schema.columns c "
                      "JOIN information_schema.tables t ON t.table_schema = c.table_schema "
                      "AND t.table_name = c.table_name WHERE c.table_schema = DATABASE() "
                      "AND t.table_type = 'BASE TABLE' "
                      "ORDER BY c.table_name, c.ordinal_position")) {
    if (b.ours(r[0])) continue;
    std::string line = column_line(r[1], r[2], r[3] == "1", r[4] == "NULL" ? "" : r[4]);
    if (!r[5].empty()) line += " " + lower(r[5]);
    b.add("table", r[0], line, true);
  }
  std::map<std::pair<std::string, std::string>, std::pair<bool, std::string>> indexes;
  for (auto& r : rows(db,
                      "SELECT table_name, index_name, non_unique, column_name "
                      "FROM information_schema.statistics WHERE table_schema = DATABASE() "
                      "ORDER BY table_name, index_name, seq_in_index")) {
    auto& idx = indexes[{r[0], r[1]}];
    idx.first = r[2] == "0";
    idx.second += (idx.second.empty() ? "" : ", ") + r[3];
  }
  for (auto& [key, idx] : indexes) {
    if (b.ours(key.first)) continue;
    if (key.second == "PRIMARY")
      b.add("table", key.first, "primary key (" + idx.second + ")");
    else
      b.add("table", key.first,
            std::string(idx.first ? "unique " : "") + "index " + key.second + " (" + idx.second +
                ")");
  }
  for (auto& r : rows(db,
                      "SELECT table_name, constraint_name, column_name, "
                      "referenced_table_name, referenced_column_name "
                      "FROM information_schema.key_column_usage "
                      "WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL "
                      "ORDER BY table_name, constraint_name, ordinal_position")) {
    if (b.ours(r[0])) continue;
    b.add("table", r[0],
          "foreign key " + r[1] + " (" + r[2] + ") references " + r[3] + " (" + r[4] + ")");
  }
  for (auto& r : rows(db,
                      "SELECT table_name, view_definition FROM information_schema.views "
                      "WHERE table_schema = DATABASE()"))
    b.add("view", r[0], squash(r[1]));
  for (auto& r : rows(db,
                      "SELECT trigger_name, event_object_table, action_timing, "
                      "event_manipulation, action_statement FROM information_schema.triggers "
                      "WHERE trigger_schema = DATABASE()")) {
    if (b.ours(r[1])) continue;
    b.add("trigger", r[0], "on " + r[1] + ": " + r[2] + " " + r[3] + " " + squash(r[4]));
  }
  return b.build();
}

}  // namespace

std::string Schema::text() const {
  std::ostringstream out;
  for (const auto& o : objects) {
    out << o.kind << " " << o.name << "\n";
    for (const auto& l : o.lines) out << "  " << l << "\n";
  }
  return out.str();
}

Schema inspect_schema(Database& db, const std::string& prefix) {
  Builder b(prefix);
  switch (db.dialect()) {
    case Dialect::SQLite:
      return inspect_sqlite(db, b);
    case Dialect::PostgreSQL:
      return inspect_postgresql(db, b);
    case Dialect::MySQL:
      return inspect_mysql(db, b);
  }
  return {};
}

std::string diff_schemas(const std::string& before, const std::string& after) {
  auto split = [](const std::string& s) {
    std::vector<std::string> lines;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
  };
  auto a = split(before), b = split(after);
  // Longest common subsequence over lines; schemas are small.
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (size_t i = a.size(); i-- > 0;)
    for (size_t j = b.size(); j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::string out, header, shown;
  auto note = [&](const std::string& sign, const std::string& line) {
    if (line.rfind("  ", 0) == 0 && header != shown) {
      out += "  " + header + "\n";
      shown = header;
    }
    if (line.rfind("  ", 0) != 0) shown = line;
    out += sign + " " + line + "\n";
  };
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      if (a[i].rfind("  ", 0) != 0) header = a[i];
      ++i, ++j;
    } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
      if (b[j].rfind("  ", 0) != 0) header = b[j];
      note("+", b[j++]);
    } else {
      if (a[i].rfind("  ", 0) != 0) header = a[i];
      note("-", a[i++]);
    }
  }
  return out;
}

}  // namespace mig
