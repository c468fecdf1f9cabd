// SQLite's schema as statements, and the statements between two schemas.
#include "diff/sqlite_diff.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "errors.h"

namespace mig {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The top-level parts of a CREATE TABLE: the text before its '(', the
// comma-separated items inside (comments dropped), and what follows ')'.
struct TableText {
  std::string head;
  std::vector<std::string> items;
  std::string tail;
  bool ok = false;
};

// Where the quoted text, identifier or comment starting at `i` ends (the
// index after it), or `i` when nothing of the kind starts there.
size_t skip_quoted(const std::string& s, size_t i) {
  char c = s[i];
  if (c == '\'' || c == '"' || c == '`' || c == '[') {
    char close = c == '[' ? ']' : c;
    for (size_t j = i + 1; j < s.size(); ++j)
      if (s[j] == close) {
        if (close != ']' && j + 1 < s.size() && s[j + 1] == close) {
          ++j;  // a doubled quote
          continue;
        }
        return j + 1;
      }
    return s.size();
  }
  return i;
}

size_t skip_comment(const std::string& s, size_t i) {
  if (s.compare(i, 2, "--") == 0) {
    size_t end = s.find('\n', i);
    return end == std::string::npos ? s.size() : end;
  }
  if (s.compare(i, 2, "/*") == 0) {
    size_t end = s.find("*/", i + 2);
    return end == std::string::npos ? s.size() : end + 2;
  }
  return i;
}

TableText split_table(const std::string& sql) {
  TableText t;
  int depth = 0;
  std::string item;
  for (size_t i = 0; i < sql.size();) {
    if (size_t end = skip_comment(sql, i); end != i) {
      (depth == 0 ? (t.ok ? t.tail : t.head) : item) += ' ';
      i = end;
      continue;
    }
    size_t end = skip_quoted(sql, i);
    if (end == i) end = i + 1;
    std::string piece = sql.substr(i, end - i);
    char c = sql[i];
    i = end;
    if (depth == 0) {
      if (c == '(' && !t.ok) {
        depth = 1;
        continue;
      }
      (t.ok ? t.tail : t.head) += piece;
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) {
      t.items.push_back(item);
      item.clear();
      t.ok = true;
      continue;
    }
    if (c == ',' && depth == 1) {
      t.items.push_back(item);
      item.clear();
      continue;
    }
    item += piece;
  }
  return t;
}

// White space collapsed, and none around brackets and commas.
std::string normalised(const std::string& text) {
  std::string out;
  bool gap = false;
  for (size_t i = 0; i < text.size();) {
    size_t end = skip_quoted(text, i);
    if (end != i) {
      if (gap && !out.empty() && out.back() != '(' && out.back() != ',') out += ' ';
      gap = false;
      out += text.substr(i, end - i);
      i = end;
      continue;
    }
    char c = text[i++];
    if (std::isspace(static_cast<unsigned char>(c))) {
      gap = true;
      continue;
    }
    bool tight = c == '(' || c == ')' || c == ',';
    if (gap && !tight && !out.empty() && out.back() != '(' && out.back() != ',') out += ' ';
    gap = false;
    out += c;
  }
  return out;
}

}  // namespace

// `normalised`, and a quoted name that needs no quotes written without
// them ("users" and users are one name; SQLite quotes the names it rewrites
// in a rename).
std::string comparable_sql(const std::string& text) {
  std::string n = normalised(text), out;
  for (size_t i = 0; i < n.size();) {
    size_t end = skip_quoted(n, i);
    if (end == i) {
      out += n[i++];
      continue;
    }
    std::string piece = n.substr(i, end - i);
    bool plain = n[i] != '\'' && piece.size() > 2 &&
                 (std::isalpha(static_cast<unsigned char>(piece[1])) || piece[1] == '_');
    for (size_t j = 1; plain && j + 1 < piece.size(); ++j)
      plain = std::isalnum(static_cast<unsigned char>(piece[j])) || piece[j] == '_';
    out += plain ? piece.substr(1, piece.size() - 2) : piece;
    i = end;
  }
  return out;
}

namespace {

// The column an item defines, or "" for a table constraint.
std::string column_name(const std::string& item) {
  size_t i = item.find_first_not_of(" \t\r\n");
  if (i == std::string::npos) return "";
  size_t end = skip_quoted(item, i);
  if (end != i) {
    std::string name;
    char close = item[i] == '[' ? ']' : item[i];
    for (size_t j = i + 1; j + 1 < end; ++j) {
      name += item[j];
      if (item[j] == close && close != ']') ++j;  // a doubled quote
    }
    return name;
  }
  end = item.find_first_of(" \t\r\n(", i);
  std::string word = item.substr(i, end == std::string::npos ? std::string::npos : end - i);
  static const std::set<std::string> constraint_words = {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK",
                                                         "FOREIGN"};
  return constraint_words.count(upper(word)) ? "" : word;
}

SqliteTable table_of(const std::string& name, const std::string& sql) {
  SqliteTable t;
  t.name = name;
  TableText parts = split_table(sql);
  t.options = normalised(parts.tail);
  std::string body = "(";
  for (size_t i = 0; i < parts.items.size(); ++i) {
    const std::string& item = parts.items[i];
    body += (i ? "," : "") + item;
    std::string column = column_name(item);
    if (column.empty()) {
      t.constraints.push_back(normalised(item));
    } else {
      t.columns.push_back(column);
      t.column_defs.push_back(normalised(item));
    }
  }
  t.body = body + ")";
  return t;
}

// The words of a definition outside quotes, upper-cased ("(" as a word).
std::vector<std::string> words_of(const std::string& def) {
  std::vector<std::string> out;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) out.push_back(upper(word));
    word.clear();
  };
  for (size_t i = 0; i < def.size();) {
    if (size_t end = skip_quoted(def, i); end != i) {
      flush();
      out.push_back("'");
      i = end;
      continue;
    }
    char c = def[i++];
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      word += c;
    } else {
      flush();
      if (c == '(') out.push_back("(");
    }
  }
  flush();
  return out;
}

// A column that ALTER TABLE ADD COLUMN can add (see SQLite's ALTER TABLE):
// no PRIMARY KEY or UNIQUE, no STORED generated column, a constant default,
// a default other than NULL when it is NOT NULL, and none with REFERENCES.
bool addable(const std::string& def) {
  auto w = words_of(def);
  bool has_default = false, not_null = false, references = false;
  for (size_t i = 1; i < w.size(); ++i) {
    if (w[i] == "PRIMARY" || w[i] == "UNIQUE" || w[i] == "STORED") return false;
    if (w[i] == "DEFAULT" && i + 1 < w.size()) {
      if (w[i + 1] == "(" || w[i + 1].rfind("CURRENT_", 0) == 0) return false;
      has_default = w[i + 1] != "NULL";  // DEFAULT NULL is no default here
    }
    if (w[i] == "NULL" && w[i - 1] == "NOT") not_null = true;
    references |= w[i] == "REFERENCES";
  }
  if (references && has_default) return false;  // refused while foreign keys are on
  return !not_null || has_default;
}

std::string literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// The declared type of a column definition: what follows its name up to
// the first constraint word.
std::string declared_type(const std::string& def) {
  std::string rest = def.substr(std::min(def.size(), def.find(' ') + 1));
  std::string u = upper(rest);
  size_t end = rest.size();
  for (const char* word : {"PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE",
                           "REFERENCES", "GENERATED", "AS", "CONSTRAINT"}) {
    std::string w = std::string(word);
    for (size_t at = u.find(w); at != std::string::npos; at = u.find(w, at + 1))
      if ((at == 0 || u[at - 1] == ' ') &&
          (at + w.size() == u.size() || u[at + w.size()] == ' ' || u[at + w.size()] == '(')) {
        end = std::min(end, at);
        break;
      }
  }
  return normalised(rest.substr(0, end));
}

template <typename T>
std::map<std::string, const T*> by_name(const std::vector<T>& items) {
  std::map<std::string, const T*> out;
  for (const auto& item : items) out[item.name] = &item;
  return out;
}

std::string constraints_of(const SqliteTable& t) {
  std::string out;
  for (const auto& constraint : t.constraints) out += comparable_sql(constraint) + "\n";
  return out;
}

enum class TableChange { None, AddColumns, Rebuild };

TableChange table_change(const SqliteTable& from, const SqliteTable& to) {
  if (normalised_definition(from) == normalised_definition(to)) return TableChange::None;
  if (constraints_of(from) != constraints_of(to) || from.options != to.options ||
      to.columns.size() <= from.columns.size())
    return TableChange::Rebuild;
  for (size_t i = 0; i < from.columns.size(); ++i)
    if (from.columns[i] != to.columns[i] ||
        comparable_sql(from.column_defs[i]) != comparable_sql(to.column_defs[i]))
      return TableChange::Rebuild;
  for (size_t i = from.columns.size(); i < to.columns.size(); ++i)
    if (!addable(to.column_defs[i])) return TableChange::Rebuild;
  return TableChange::AddColumns;
}

// Made new, copied into, and put in the old one's place.
void rebuild(const SqliteTable& from, const SqliteTable& to, SchemaChange& c) {
  std::string temp = quoted("_mig_new_" + to.name);
  c.statements.push_back("CREATE TABLE " + temp + " " + to.body +
                         (to.options.empty() ? "" : " " + to.options));
  std::set<std::string> old;  // (upper-cased: SQLite's names ignore case)
  for (size_t i = 0; i < from.columns.size(); ++i)
    if (!from.generated[i]) old.insert(upper(from.columns[i]));
  std::string columns;
  // Rowids are kept whenever the new table has them and no column holds
  // them (with an INTEGER PRIMARY KEY the column copy keeps them): an FTS
  // index or a stored reference may name them.
  bool rowids = !to.rowid_alias && upper(from.options).find("WITHOUT") == std::string::npos &&
                upper(to.options).find("WITHOUT") == std::string::npos;
  if (rowids) columns = "rowid";
  for (size_t i = 0; i < to.columns.size(); ++i)
    if (old.count(upper(to.columns[i])) && !to.generated[i])
      columns += (columns.empty() ? "" : ", ") + quoted(to.columns[i]);
  // OR ABORT: the new table's own ON CONFLICT clauses must not drop rows.
  if (!columns.empty())
    c.statements.push_back("INSERT OR ABORT INTO " + temp + " (" + columns + ") SELECT " + columns +
                           " FROM " + quoted(from.name));
  if (from.autoincrement && to.autoincrement) {  // the counter goes on where it was
    std::string name = literal("_mig_new_" + to.name);
    c.statements.push_back("DELETE FROM sqlite_sequence WHERE name = " + name);
    c.statements.push_back("INSERT INTO sqlite_sequence (name, seq) SELECT " + name +
                           ", seq FROM sqlite_sequence WHERE name = " + literal(from.name));
  }
  c.statements.push_back("DROP TABLE " + quoted(from.name));
  c.statements.push_back("ALTER TABLE " + temp + " RENAME TO " + quoted(to.name));
  std::set<std::string> kept;
  for (const auto& column : to.columns) kept.insert(upper(column));
  for (const auto& column : from.columns)
    if (!kept.count(upper(column)))
      c.destructive.push_back("column " + from.name + "." + column + " is dropped");
  std::map<std::string, std::string> types;
  for (size_t i = 0; i < from.columns.size(); ++i)
    types[upper(from.columns[i])] = declared_type(from.column_defs[i]);
  for (size_t i = 0; i < to.columns.size(); ++i)
    if (auto it = types.find(upper(to.columns[i]));
        it != types.end() && upper(it->second) != upper(declared_type(to.column_defs[i])))
      c.destructive.push_back("column " + to.name + "." + to.columns[i] + " changes type (" +
                              it->second + " to " + declared_type(to.column_defs[i]) + ")");
}

std::string drop_statement(const SqliteObject& o) {
  return "DROP " + upper(o.kind) + " " + quoted(o.name);
}

}  // namespace

std::string normalised_definition(const SqliteTable& table) {
  std::string out;
  for (const auto& def : table.column_defs) out += comparable_sql(def) + "\n";
  out += constraints_of(table);
  return out + table.options;
}

std::string definitions_text(const SqliteSchema& s) {
  std::vector<std::string> parts;
  for (const auto& t : s.tables)
    parts.push_back("table " + t.name + "\n" + normalised_definition(t));
  for (const auto* objects : {&s.objects, &s.virtual_tables})
    for (const auto& o : *objects)
      parts.push_back(o.kind + " " + o.name + "\n" + comparable_sql(o.sql));
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += p + "\n";
  return out;
}

SqliteSchema read_sqlite_schema(Database& db, const std::string& prefix) {
  SqliteSchema s;
  std::set<std::string> shadow;
  for (auto& r : query_rows(db, "SELECT name FROM pragma_table_list WHERE type = 'shadow'", ""))
    shadow.insert(r[0]);
  // Per table: generated columns (hidden 2, 3) and a rowid alias.
  std::map<std::string, std::set<std::string>> generated;
  std::map<std::string, int> integer_keys, keys;
  for (auto& r :
       query_rows(db,
                  "SELECT m.name, x.name, x.hidden, x.pk, upper(x.type) FROM sqlite_master m "
                  "JOIN pragma_table_xinfo(m.name, 'main') x WHERE m.type = 'table' "
                  "AND upper(m.sql) NOT LIKE 'CREATE VIRTUAL%'",
                  "")) {
    if (r[2] == "2" || r[2] == "3") generated[r[0]].insert(r[1]);
    if (r[3] != "0") ++keys[r[0]], integer_keys[r[0]] += r[4] == "INTEGER";
  }
  // An INTEGER PRIMARY KEY DESC is no rowid alias: SQLite makes an index for it.
  std::set<std::string> key_index;
  for (auto& r : query_rows(db,
                            "SELECT m.name FROM sqlite_master m JOIN pragma_index_list(m.name, "
                            "'main') i WHERE m.type = 'table' AND i.origin = 'pk' "
                            "AND upper(m.sql) NOT LIKE 'CREATE VIRTUAL%'",
                            ""))
    key_index.insert(r[0]);
  for (auto& r : query_rows(db,
                            "SELECT type, name, tbl_name, sql FROM sqlite_master "
                            "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                            "ORDER BY rowid",
                            "")) {
    if (r[2].compare(0, prefix.size(), prefix) == 0 || shadow.count(r[1]))
      continue;  // not the user's
    if (r[0] == "table" && upper(r[3]).rfind("CREATE VIRTUAL", 0) == 0) {
      s.virtual_tables.push_back({"virtual table", r[1], r[1], r[3]});
    } else if (r[0] == "table") {
      SqliteTable t = table_of(r[1], r[3]);
      for (const auto& column : t.columns)
        t.generated.push_back(generated[t.name].count(column) > 0);
      for (const auto& def : t.column_defs)
        for (const auto& word : words_of(def)) t.autoincrement |= word == "AUTOINCREMENT";
      t.rowid_alias = keys[t.name] == 1 && integer_keys[t.name] == 1 && !key_index.count(t.name);
      s.tables.push_back(std::move(t));
    } else {
      s.objects.push_back({r[0], r[1], r[2], r[3]});
    }
  }
  return s;
}

std::pair<std::string, std::string> sqlite_rename(const SqliteSchema& from,
                                                  const std::string& spec) {
  auto table = [&](const std::string& name) {
    return std::find_if(from.tables.begin(), from.tables.end(),
                        [&](const SqliteTable& x) { return x.name == name; });
  };
  return rename_statements(
      spec, quoted, [&](const std::string& t) { return table(t) != from.tables.end(); },
      [&](const std::string& t, const std::string& c) {
        const auto& columns = table(t)->columns;
        return std::find(columns.begin(), columns.end(), c) != columns.end();
      });
}

SchemaChange plan_sqlite_change(const SqliteSchema& from, const SqliteSchema& to) {
  std::map<std::string, std::string> virtual_before, virtual_after;
  for (const auto& v : from.virtual_tables) virtual_before[v.name] = comparable_sql(v.sql);
  for (const auto& v : to.virtual_tables) virtual_after[v.name] = comparable_sql(v.sql);
  for (const auto& [name, sql] : virtual_before)
    if (auto it = virtual_after.find(name); it != virtual_after.end() && it->second != sql)
      throw OperationError("virtual table " + name +
                           ": mig diff does not change a virtual table's definition yet (its "
                           "data lives in tables of its own); write that part with mig revision");
  SchemaChange c;
  auto old_tables = by_name(from.tables), new_tables = by_name(to.tables);
  std::vector<const SqliteTable*> dropped, created;
  std::vector<std::pair<const SqliteTable*, const SqliteTable*>> added_to, rebuilt;
  std::set<std::string> remade;  // tables whose indexes are all made again
  for (auto t = from.tables.rbegin(); t != from.tables.rend(); ++t)  // the newest first
    if (!new_tables.count(t->name)) dropped.push_back(&*t);
  for (const auto& t : to.tables) {
    auto old = old_tables.find(t.name);
    if (old == old_tables.end()) {
      created.push_back(&t);
      remade.insert(t.name);
      continue;
    }
    TableChange change = table_change(*old->second, t);
    if (change == TableChange::AddColumns) added_to.push_back({old->second, &t});
    if (change == TableChange::Rebuild) {
      rebuilt.push_back({old->second, &t});
      remade.insert(t.name);
    }
  }
  bool tables_change =
      !dropped.empty() || !created.empty() || !added_to.empty() || !rebuilt.empty();
  c.outside_transaction = c.rebuilds = !rebuilt.empty();
  // Foreign keys can only be switched off outside a transaction; the
  // rebuild then runs in a transaction of its own, so a failure anywhere in
  // it (the foreign key check at its end included) undoes all of it.
  if (c.outside_transaction) {
    c.statements.push_back("PRAGMA foreign_keys = OFF");
    c.statements.push_back("BEGIN");
  }

  // Views and triggers: all made again when a table changes (a rename
  // checks every one of them), else only those that changed.
  std::map<std::string, const SqliteObject*> old_objects, new_objects;
  for (const auto& o : from.objects) old_objects[o.kind + " " + o.name] = &o;
  for (const auto& o : to.objects) new_objects[o.kind + " " + o.name] = &o;
  auto same = [&](const SqliteObject& o, const std::map<std::string, const SqliteObject*>& other) {
    auto it = other.find(o.kind + " " + o.name);
    return it != other.end() && comparable_sql(it->second->sql) == comparable_sql(o.sql);
  };
  std::set<std::string> views_remade;  // (their INSTEAD OF triggers go with them)
  for (const auto* objects : {&from.objects, &to.objects})
    for (const auto& o : *objects)
      if (o.kind == "view" &&
          (tables_change || !same(o, objects == &from.objects ? new_objects : old_objects)))
        views_remade.insert(o.name);
  auto remade_object = [&](const SqliteObject& o,
                           const std::map<std::string, const SqliteObject*>& other) {
    if (o.kind == "index") return remade.count(o.table) > 0 || !same(o, other);
    if (o.kind == "trigger" && views_remade.count(o.table)) return true;
    return tables_change || !same(o, other);
  };
  for (auto it = from.objects.rbegin(); it != from.objects.rend(); ++it) {
    if (!remade_object(*it, new_objects)) continue;
    bool goes_with_table = it->kind != "view" && !new_tables.count(it->table);
    bool rebuilt_table = std::any_of(rebuilt.begin(), rebuilt.end(),
                                     [&](const auto& r) { return r.first->name == it->table; });
    if (it->kind == "index" && (goes_with_table || rebuilt_table)) continue;  // dropped with it
    c.statements.push_back(drop_statement(*it));
  }
  for (const auto& v : from.virtual_tables)  // (one in both is the same: see above)
    if (!virtual_after.count(v.name)) {
      c.statements.push_back("DROP TABLE " + quoted(v.name));
      c.destructive.push_back("virtual table " + v.name + " is dropped");
    }
  for (const SqliteTable* t : dropped) {
    c.statements.push_back("DROP TABLE " + quoted(t->name));
    c.destructive.push_back("table " + t->name + " is dropped");
  }
  for (const SqliteTable* t : created)
    c.statements.push_back("CREATE TABLE " + quoted(t->name) + " " + t->body +
                           (t->options.empty() ? "" : " " + t->options));
  for (const auto& v : to.virtual_tables)
    if (!virtual_before.count(v.name)) c.statements.push_back(v.sql);
  for (const auto& [old, now] : added_to)
    for (size_t i = old->columns.size(); i < now->columns.size(); ++i)
      c.statements.push_back("ALTER TABLE " + quoted(now->name) + " ADD COLUMN " +
                             now->column_defs[i]);
  for (const auto& [old, now] : rebuilt) rebuild(*old, *now, c);
  for (const auto& o : to.objects)
    if (remade_object(o, old_objects)) c.statements.push_back(o.sql);
  if (c.outside_transaction) {
    // Fails the revision when a row lost its parent (foreign keys are off).
    c.statements.push_back(
        "CREATE TEMP TABLE \"_mig_foreign_key_check\" (rows_without_parent INTEGER "
        "CHECK (rows_without_parent = 0))");
    c.statements.push_back(
        "INSERT INTO \"_mig_foreign_key_check\" SELECT count(*) FROM pragma_foreign_key_check");
    c.statements.push_back("DROP TABLE \"_mig_foreign_key_check\"");
    c.statements.push_back("COMMIT");
  }
  return c;
}

}  // namespace mig
