// MySQL/MariaDB's schema as the server writes it, and the statements
// between two schemas.
#include "diff/mysql_diff.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "errors.h"

namespace mig {

std::string mysql_quoted(const std::string& name) {
  std::string out = "`";
  for (char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
  return out + "`";
}

namespace {

std::string bq(const std::string& name) { return mysql_quoted(name); }

// The backquoted name that starts at `at` (as written, quotes included),
// or empty.
std::string quoted_at(const std::string& s, size_t at) {
  if (at >= s.size() || s[at] != '`') return {};
  for (size_t i = at + 1; i < s.size(); ++i)
    if (s[i] == '`') {
      if (i + 1 < s.size() && s[i + 1] == '`') {
        ++i;
        continue;
      }
      return s.substr(at, i - at + 1);
    }
  return {};
}

// The first backquoted name in `s`.
std::string first_name(const std::string& s) {
  size_t at = s.find('`');
  return at == std::string::npos ? std::string() : quoted_at(s, at);
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

// DEFINER=`user`@`host` is who made the object, not what it is.
std::string without_definer(std::string sql) {
  size_t at = sql.find("DEFINER=");
  if (at == std::string::npos) return sql;
  size_t i = at + 8;
  std::string user = quoted_at(sql, i);
  if (user.empty()) return sql;
  i += user.size();
  if (i < sql.size() && sql[i] == '@') {
    std::string host = quoted_at(sql, i + 1);
    i += 1 + host.size();
  }
  while (i < sql.size() && sql[i] == ' ') ++i;
  return sql.erase(at, i - at);
}

std::string without(std::string text, const std::string& part) {
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at))
    text.erase(at, part.size());
  return text;
}

// AUTO_INCREMENT=N among the table options is the counter: data.
std::string without_counter(const std::string& options) {
  size_t at = options.find("AUTO_INCREMENT=");
  if (at == std::string::npos) return options;
  size_t end = options.find(' ', at);
  std::string out =
      options.substr(0, at) + (end == std::string::npos ? "" : options.substr(end + 1));
  return trim(out);
}

std::string create_text(const MyTable& t, const std::set<std::string>& leave_out = {}) {
  std::vector<std::string> items = t.column_defs;
  if (!t.primary.empty()) items.push_back(t.primary);
  for (const auto& [name, line] : t.keys) items.push_back(line);
  for (const auto& [name, line] : t.foreign)
    if (!leave_out.count(name)) items.push_back(line);
  for (const auto& [name, line] : t.checks) items.push_back(line);
  std::string out = "CREATE TABLE " + t.name + " (\n";
  for (size_t i = 0; i < items.size(); ++i)
    out += "  " + items[i] + (i + 1 < items.size() ? ",\n" : "\n");
  return out + ")" + (t.options.empty() ? "" : " " + t.options);
}

// A foreign key the server named (`table_ibfk_N`): its number depends on
// the order keys were made in, so it is compared as `table_ibfk_#`.
std::string comparable_key(const std::string& line) {
  size_t at = line.find("_ibfk_");
  if (line.rfind("CONSTRAINT `", 0) != 0 || at == std::string::npos) return line;
  size_t end = at + 6;
  while (end < line.size() && std::isdigit(static_cast<unsigned char>(line[end]))) ++end;
  if (end == at + 6 || end >= line.size() || line[end] != '`') return line;
  return line.substr(0, at + 6) + "#" + line.substr(end);
}

bool server_named(const std::string& line) { return comparable_key(line) != line; }

}  // namespace

MySchema read_mysql_schema(Database& db, const std::string& prefix) {
  MySchema s;
  auto ours = [&](const std::string& raw) { return raw.compare(0, prefix.size(), prefix) == 0; };
  std::string own = bq(query_rows(db, "SELECT DATABASE()").at(0).at(0)) + ".";
  for (auto& r : query_rows(db,
                            "SELECT table_name, table_type FROM information_schema.tables "
                            "WHERE table_schema = DATABASE() ORDER BY table_name")) {
    if (ours(r[0])) continue;
    if (r[1] == "VIEW") {
      std::string sql = query_rows(db, "SHOW CREATE VIEW " + bq(r[0])).at(0).at(1);
      s.views.push_back({bq(r[0]), "", without(without_definer(sql), own)});
      continue;
    }
    if (r[1] != "BASE TABLE") {
      s.unsupported.push_back((r[1] == "SEQUENCE" ? "sequence " : "table of type " + r[1] + " ") +
                              bq(r[0]));
      continue;
    }
    std::string create = query_rows(db, "SHOW CREATE TABLE " + bq(r[0])).at(0).at(1);
    MyTable t;
    t.name = bq(r[0]);
    size_t open = create.find("(\n"), close = create.rfind("\n)");
    if (open == std::string::npos || close == std::string::npos || close < open) {
      s.unsupported.push_back("table " + t.name + " (SHOW CREATE TABLE unread)");
      continue;
    }
    t.options = without_counter(trim(create.substr(close + 2)));
    if (t.options.find("PARTITION BY") != std::string::npos) {
      s.unsupported.push_back("partitioned table " + t.name);
      continue;
    }
    if (t.options.find("WITH SYSTEM VERSIONING") != std::string::npos) {
      s.unsupported.push_back("system-versioned table " + t.name);
      continue;
    }
    std::string body = create.substr(open + 2, close - open - 2);
    size_t start = 0;
    while (start <= body.size()) {
      size_t end = body.find('\n', start);
      if (end == std::string::npos) end = body.size();
      std::string line = trim(body.substr(start, end - start));
      start = end + 1;
      if (!line.empty() && line.back() == ',') line.pop_back();
      if (line.empty()) continue;
      if (line[0] == '`') {
        t.columns.push_back(quoted_at(line, 0));
        t.column_defs.push_back(line);
      } else if (line.rfind("PRIMARY KEY", 0) == 0) {
        t.primary = line;
      } else if (line.rfind("CONSTRAINT ", 0) == 0 &&
                 line.find(" FOREIGN KEY ") != std::string::npos) {
        t.foreign.push_back({first_name(line), without(line, own)});
        size_t ref = line.find("REFERENCES ");
        t.references.push_back(ref == std::string::npos ? "" : quoted_at(line, ref + 11));
      } else if (line.rfind("CONSTRAINT ", 0) == 0 && line.find(" CHECK ") != std::string::npos) {
        t.checks.push_back({first_name(line), line});
      } else if (line.find("KEY `") != std::string::npos) {
        t.keys.push_back({first_name(line), line});
      } else {
        s.unsupported.push_back("part of table " + t.name + ": " + line);
      }
    }
    // The order of keys is the order they were made in, which says nothing.
    std::sort(t.keys.begin(), t.keys.end());
    std::sort(t.checks.begin(), t.checks.end());
    std::vector<size_t> by_name(t.foreign.size());
    for (size_t i = 0; i < by_name.size(); ++i) by_name[i] = i;
    std::sort(by_name.begin(), by_name.end(),
              [&](size_t x, size_t y) { return t.foreign[x] < t.foreign[y]; });
    MyTable sorted = t;
    for (size_t i = 0; i < by_name.size(); ++i) {
      sorted.foreign[i] = t.foreign[by_name[i]];
      sorted.references[i] = t.references[by_name[i]];
    }
    s.tables.push_back(sorted);
  }
  for (auto& r : query_rows(db,
                            "SELECT trigger_name, event_object_table, action_timing, "
                            "event_manipulation, action_statement FROM information_schema.triggers "
                            "WHERE trigger_schema = DATABASE() ORDER BY event_object_table, "
                            "action_order")) {
    if (ours(r[1])) continue;
    s.triggers.push_back({bq(r[0]), bq(r[1]),
                          "CREATE TRIGGER " + bq(r[0]) + " " + r[2] + " " + r[3] + " ON " +
                              bq(r[1]) + " FOR EACH ROW " + r[4]});
  }
  for (auto& r : query_rows(db,
                            "SELECT routine_name, routine_type FROM information_schema.routines "
                            "WHERE routine_schema = DATABASE() ORDER BY routine_name")) {
    bool procedure = r[1] == "PROCEDURE";
    std::string sql = query_rows(db, std::string("SHOW CREATE ") +
                                         (procedure ? "PROCEDURE " : "FUNCTION ") + bq(r[0]))
                          .at(0)
                          .at(2);
    s.routines.push_back({bq(r[0]), "", without_definer(sql), procedure});
  }
  for (auto& r : query_rows(db,
                            "SELECT event_name FROM information_schema.events WHERE "
                            "event_schema = DATABASE() ORDER BY event_name"))
    s.unsupported.push_back("event " + bq(r[0]));
  return s;
}

std::string mysql_definitions_text(const MySchema& s) {
  std::vector<std::string> lines;
  for (const auto& t : s.tables) {
    MyTable c = t;
    for (auto& [name, line] : c.foreign) line = comparable_key(line), name.clear();
    std::sort(c.foreign.begin(), c.foreign.end());
    lines.push_back("table " + create_text(c));
  }
  for (const auto& v : s.views) lines.push_back("view " + v.sql);
  for (const auto& t : s.triggers) lines.push_back("trigger " + t.sql);
  for (const auto& r : s.routines) lines.push_back("routine " + r.sql);
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::pair<std::string, std::string> mysql_rename(const MySchema& from, const std::string& spec) {
  auto table = [&](const std::string& name) {
    return std::find_if(from.tables.begin(), from.tables.end(),
                        [&](const MyTable& x) { return x.name == bq(name); });
  };
  return rename_statements(
      spec, bq, [&](const std::string& t) { return table(t) != from.tables.end(); },
      [&](const std::string& t, const std::string& c) {
        const auto& columns = table(t)->columns;
        return std::find(columns.begin(), columns.end(), bq(c)) != columns.end();
      });
}

namespace {

// The type of a column line, as written after its name.
std::string type_of(const std::string& line) {
  size_t start = quoted_at(line, 0).size() + 1;
  int depth = 0;
  size_t i = start;
  for (; i < line.size(); ++i) {
    if (line[i] == '(') ++depth;
    if (line[i] == ')') --depth;
    if (line[i] == ' ' && depth == 0) {
      if (line.compare(i, 9, " unsigned") == 0) continue;
      break;
    }
  }
  return line.substr(start, i - start);
}

// Types that hold every value of the one they replace.
bool widens(const std::string& from, const std::string& to) {
  static const std::vector<std::string> ints = {"tinyint", "smallint", "mediumint", "int",
                                                "bigint"};
  static const std::vector<std::string> texts = {"tinytext", "text", "mediumtext", "longtext"};
  auto base = [](const std::string& t) { return t.substr(0, t.find('(')); };
  auto rank = [&](const std::vector<std::string>& v, const std::string& t) {
    return std::find(v.begin(), v.end(), base(t)) - v.begin();
  };
  bool unsigned_from = from.find("unsigned") != std::string::npos,
       unsigned_to = to.find("unsigned") != std::string::npos;
  size_t fi = rank(ints, from), ti = rank(ints, to);
  if (fi < ints.size() && ti < ints.size() && unsigned_from == unsigned_to) return fi <= ti;
  auto length = [](const std::string& t) { return std::atol(t.c_str() + t.find('(') + 1); };
  // Values added at the end of an enum or set keep every row's value.
  for (const char* kind : {"enum(", "set("})
    if (base(from) + "(" == kind && base(to) + "(" == kind)
      return to.compare(0, from.size() - 1, from, 0, from.size() - 1) == 0 &&
             (to.size() == from.size() || to[from.size() - 1] == ',');
  if (base(from) == "decimal" && base(to) == "decimal") {
    auto scale = [](const std::string& t) {
      size_t comma = t.find(',');
      return comma == std::string::npos ? 0L : std::atol(t.c_str() + comma + 1);
    };
    return scale(to) >= scale(from) && length(to) - scale(to) >= length(from) - scale(from);
  }
  if (base(from) == "varchar" && base(to) == "varchar") return length(to) >= length(from);
  size_t fx = rank(texts, from), tx = rank(texts, to);
  if (base(from) == "varchar" && tx < texts.size()) return tx >= 1;
  return fx < texts.size() && tx < texts.size() && fx <= tx;
}

template <typename T>
std::map<std::string, const T*> named(const std::vector<T>& items) {
  std::map<std::string, const T*> out;
  for (const auto& i : items) out[i.name] = &i;
  return out;
}

using Parts = std::vector<std::pair<std::string, std::string>>;

const std::string* line_of(const Parts& parts, const std::string& name) {
  for (const auto& [n, line] : parts)
    if (n == name) return &line;
  return nullptr;
}

// Whether `parts` hold the part `name` as `line`.
bool kept(const Parts& parts, const std::string& name, const std::string& line) {
  const std::string* now = line_of(parts, name);
  return now && *now == line;
}

class Planner {
 public:
  Planner(const MySchema& from, const MySchema& to) : a_(from), b_(to) {}

  SchemaChange plan() {
    auto ta = named(a_.tables), tb = named(b_.tables);
    auto va = named(a_.views), vb = named(b_.views);
    auto ra = routines(a_), rb = routines(b_);
    for (const auto& [name, v] : va)
      if (!vb.count(name) || vb[name]->sql != v->sql) emit("DROP VIEW " + name);
    for (const auto& t : a_.triggers)
      if (tb.count(t.table) && !same_object(b_.triggers, t)) emit("DROP TRIGGER " + t.name);
    for (const auto& [name, r] : ra)
      if (!rb.count(name) || rb[name]->sql != r->sql || rb[name]->procedure != r->procedure)
        emit("DROP " + name);  // (the key is the kind and the name)
    // Columns whose definition changes: a foreign key on them, at either
    // end, must go while they change and come back after.
    std::set<std::string> changing;
    for (const auto& [name, t] : ta)
      if (auto now = tb.find(name); now != tb.end())
        for (size_t i = 0; i < t->columns.size(); ++i) {
          const auto& after = now->second->columns;
          auto at = std::find(after.begin(), after.end(), t->columns[i]);
          if (at != after.end() &&
              now->second->column_defs[at - after.begin()] != t->column_defs[i])
            changing.insert(name + "." + t->columns[i]);
        }
    // Foreign keys first: of tables that go (so the rest drop in any
    // order), those that change or go, and those on changing columns.
    for (const auto& [name, t] : ta) {
      auto now = tb.find(name);
      for (const auto& [key, line] : t->foreign) {
        bool held = on_changing(name, line, changing);
        if (held) held_.insert(name + " " + comparable_key(line));
        if (now == tb.end() || !has_key(*now->second, line) || held)
          emit("ALTER TABLE " + name + " DROP FOREIGN KEY " + key);
      }
    }
    std::vector<std::string> dropped;
    for (const auto& [name, t] : ta)
      if (!tb.count(name)) {
        dropped.push_back(name);
        c_.destructive.push_back("table " + name + " is dropped");
      }
    if (!dropped.empty()) emit("DROP TABLE " + join(dropped, ", "));
    for (const auto& [name, t] : ta)
      if (auto now = tb.find(name); now != tb.end()) alter(*t, *now->second);
    create_tables(ta);
    for (const auto& [name, t] : tb) {
      auto old = ta.find(name);
      for (const auto& [key, line] : t->foreign) {
        bool add = old == ta.end() ? deferred_.count(name + " " + key) > 0
                                   : !has_key(*old->second, line) ||
                                         held_.count(name + " " + comparable_key(line)) > 0;
        // A name the server gave is left to the server to give again (it
        // then names the key's index after its columns, as it first did).
        if (add)
          emit("ALTER TABLE " + name + " ADD " +
               (server_named(line) ? line.substr(line.find("FOREIGN KEY")) : line));
      }
    }
    for (const auto& [name, r] : rb)
      if (!ra.count(name) || ra[name]->sql != r->sql || ra[name]->procedure != r->procedure)
        emit(r->sql);
    create_views(va);
    for (const auto& t : b_.triggers)
      if (!ta.count(t.table) || !same_object(a_.triggers, t)) emit(t.sql);
    return c_;
  }

 private:
  void emit(const std::string& sql) { c_.statements.push_back(sql); }
  static std::string join(const std::vector<std::string>& v, const std::string& by) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i ? by : "") + v[i];
    return out;
  }
  // A function and a procedure may share a name.
  static std::map<std::string, const MyObject*> routines(const MySchema& s) {
    std::map<std::string, const MyObject*> out;
    for (const auto& r : s.routines) out[(r.procedure ? "PROCEDURE " : "FUNCTION ") + r.name] = &r;
    return out;
  }
  static bool same_object(const std::vector<MyObject>& items, const MyObject& x) {
    return std::any_of(items.begin(), items.end(),
                       [&](const MyObject& y) { return y.name == x.name && y.sql == x.sql; });
  }

  // Whether a foreign key of `table` (its line) uses a changing column, its
  // own or the one it points at.
  static bool on_changing(const std::string& table, const std::string& line,
                          const std::set<std::string>& changing) {
    auto names = [](const std::string& list) {
      std::vector<std::string> out;
      for (size_t at = list.find('`'); at != std::string::npos;) {
        std::string name = quoted_at(list, at);
        if (name.empty()) break;
        out.push_back(name);
        at = list.find('`', at + name.size());
      }
      return out;
    };
    size_t own = line.find("FOREIGN KEY ("), ref = line.find(" REFERENCES ");
    if (own == std::string::npos || ref == std::string::npos) return false;
    for (const auto& c : names(line.substr(own + 12, ref - own - 12)))
      if (changing.count(table + "." + c)) return true;
    std::string target = quoted_at(line, ref + 12);
    size_t open = line.find('(', ref), close = line.find(')', open);
    if (target.empty() || open == std::string::npos || close == std::string::npos) return false;
    for (const auto& c : names(line.substr(open, close - open)))
      if (changing.count(target + "." + c)) return true;
    return false;
  }

  // Whether `t` has a foreign key defined as `line` (a name the server
  // gave aside).
  static bool has_key(const MyTable& t, const std::string& line) {
    return std::any_of(t.foreign.begin(), t.foreign.end(), [&](const auto& k) {
      return comparable_key(k.second) == comparable_key(line);
    });
  }

  // One table option's value ("DEFAULT CHARSET" in "… DEFAULT CHARSET=x …").
  static std::string option(const std::string& options, const std::string& name) {
    size_t at = options.find(name + "=");
    if (at == std::string::npos) return {};
    size_t start = at + name.size() + 1, end = options.find(' ', start);
    return options.substr(start, end == std::string::npos ? std::string::npos : end - start);
  }

  // Every change to one table in one ALTER TABLE (one copy of its rows at
  // most), foreign keys aside; a new character set first, in one of its own.
  void alter(const MyTable& a, const MyTable& b) {
    std::string charset = option(b.options, "DEFAULT CHARSET"),
                collate = option(b.options, "COLLATE");
    bool converted = !charset.empty() && (charset != option(a.options, "DEFAULT CHARSET") ||
                                          collate != option(a.options, "COLLATE"));
    if (converted) {
      // Its text columns follow the table's character set, as the desired
      // schema's do; a character the new set lacks would be lost.
      emit("ALTER TABLE " + b.name + " CONVERT TO CHARACTER SET " + charset +
           (collate.empty() ? "" : " COLLATE " + collate));
      c_.destructive.push_back("table " + b.name + " converts its text to " + charset);
    }
    std::vector<std::string> clauses;
    for (const auto& [name, line] : a.checks)
      if (!kept(b.checks, name, line)) clauses.push_back("DROP CONSTRAINT " + name);
    for (const auto& [name, line] : a.keys)
      if (!kept(b.keys, name, line)) clauses.push_back("DROP INDEX " + name);
    if (!a.primary.empty() && a.primary != b.primary) clauses.push_back("DROP PRIMARY KEY");
    std::vector<std::string> order;
    for (size_t i = 0; i < a.columns.size(); ++i) {
      if (std::find(b.columns.begin(), b.columns.end(), a.columns[i]) == b.columns.end()) {
        clauses.push_back("DROP COLUMN " + a.columns[i]);
        c_.destructive.push_back("column " + b.name + "." + a.columns[i] + " is dropped");
      } else {
        order.push_back(a.columns[i]);
      }
    }
    // Each column of the new table in turn: added, changed or moved after
    // the one before it, so the order ends as wanted.
    for (size_t i = 0; i < b.columns.size(); ++i) {
      std::string place = i == 0 ? " FIRST" : " AFTER " + b.columns[i - 1];
      auto old = std::find(a.columns.begin(), a.columns.end(), b.columns[i]);
      auto at = std::find(order.begin(), order.end(), b.columns[i]);
      if (old == a.columns.end()) {
        clauses.push_back("ADD COLUMN " + b.column_defs[i] + place);
        order.insert(order.begin() + static_cast<long>(i), b.columns[i]);
        continue;
      }
      const std::string& before = a.column_defs[old - a.columns.begin()];
      bool moved = at - order.begin() != static_cast<long>(i);
      // CONVERT TO may have widened a text type to hold the new set's bytes.
      std::string type = type_of(b.column_defs[i]);
      bool text = type.find("text") != std::string::npos || type.find("char") != std::string::npos;
      if (before == b.column_defs[i] && !moved && !(converted && text)) continue;
      clauses.push_back("MODIFY COLUMN " + b.column_defs[i] + place);
      order.erase(at);
      order.insert(order.begin() + static_cast<long>(i), b.columns[i]);
      std::string t0 = type_of(before), t1 = type_of(b.column_defs[i]);
      if (t0 != t1 && !widens(t0, t1))
        c_.destructive.push_back("column " + b.name + "." + b.columns[i] + " changes type from " +
                                 t0 + " to " + t1);
      // Inserts that leave out a NOT NULL column rely on its default.
      const std::string& now = b.column_defs[i];
      bool had = before.find(" DEFAULT ") != std::string::npos &&
                 before.find(" DEFAULT NULL") == std::string::npos;
      if (had && now.find(" DEFAULT ") == std::string::npos &&
          now.find(" NOT NULL") != std::string::npos)
        c_.destructive.push_back("column " + b.name + "." + b.columns[i] + " loses its default");
    }
    if (!b.primary.empty() && a.primary != b.primary) clauses.push_back("ADD " + b.primary);
    for (const auto& [name, line] : b.keys)
      if (!kept(a.keys, name, line)) clauses.push_back("ADD " + line);
    for (const auto& [name, line] : b.checks)
      if (!kept(a.checks, name, line)) clauses.push_back("ADD " + line);
    if (a.options != b.options) {
      std::string options = b.options;
      if (a.options.find("COMMENT=") != std::string::npos &&
          b.options.find("COMMENT=") == std::string::npos)
        options += " COMMENT=''";
      clauses.push_back(options);
    }
    if (!clauses.empty()) emit("ALTER TABLE " + b.name + " " + join(clauses, ", "));
  }

  // New tables in the order their foreign keys allow; a key to a table
  // made later (a cycle) is added once both are there.
  void create_tables(const std::map<std::string, const MyTable*>& ta) {
    std::vector<const MyTable*> pending;
    for (const auto& t : b_.tables)
      if (!ta.count(t.name)) pending.push_back(&t);
    std::set<std::string> ready;
    for (const auto& [name, t] : ta) ready.insert(name);
    auto can = [&](const MyTable* t, const std::string& ref) {
      return ref == t->name || ready.count(ref) > 0 ||
             std::none_of(b_.tables.begin(), b_.tables.end(),
                          [&](const MyTable& x) { return x.name == ref; });
    };
    while (!pending.empty()) {
      auto next = std::find_if(pending.begin(), pending.end(), [&](const MyTable* t) {
        return std::all_of(t->references.begin(), t->references.end(),
                           [&](const std::string& r) { return can(t, r); });
      });
      if (next == pending.end()) next = pending.begin();  // a cycle: its keys come later
      const MyTable& t = **next;
      std::set<std::string> later;
      for (size_t i = 0; i < t.foreign.size(); ++i)
        if (!can(&t, t.references[i])) {
          later.insert(t.foreign[i].first);
          deferred_.insert(t.name + " " + t.foreign[i].first);
        }
      emit(create_text(t, later));
      ready.insert(t.name);
      pending.erase(next);
    }
  }

  // Views after the views they read.
  void create_views(const std::map<std::string, const MyObject*>& va) {
    std::vector<const MyObject*> wanted;
    for (const auto& v : b_.views)
      if (!va.count(v.name) || va.at(v.name)->sql != v.sql) wanted.push_back(&v);
    std::set<std::string> made;
    for (const auto& v : b_.views)
      if (std::find(wanted.begin(), wanted.end(), &v) == wanted.end()) made.insert(v.name);
    while (!wanted.empty()) {
      auto next = std::find_if(wanted.begin(), wanted.end(), [&](const MyObject* v) {
        return std::all_of(b_.views.begin(), b_.views.end(), [&](const MyObject& other) {
          return other.name == v->name || made.count(other.name) ||
                 v->sql.find(other.name, v->sql.find(" AS ")) == std::string::npos;
        });
      });
      if (next == wanted.end()) next = wanted.begin();
      emit((*next)->sql);
      made.insert((*next)->name);
      wanted.erase(next);
    }
  }

  const MySchema& a_;
  const MySchema& b_;
  SchemaChange c_;
  std::set<std::string> deferred_;
  std::set<std::string> held_;  // foreign keys dropped while their columns change
};

}  // namespace

SchemaChange plan_mysql_change(const MySchema& from, const MySchema& to) {
  return Planner(from, to).plan();
}

}  // namespace mig
