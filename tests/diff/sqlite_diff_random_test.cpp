// Generated cases for the SQLite planner: a random schema, random changes
// to it (columns added, dropped and altered; types, defaults, NOT NULL,
// CHECK constraints, indexes, foreign keys, views, whole tables), and the
// planned statements must take each side to the other exactly. The seed of
// a failing case is printed.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "config/url.h"
#include "diff/sqlite_diff.h"
#include "script/sql_splitter.h"

namespace mig {
namespace {

struct Column {
  std::string name, type, def, check;
  bool not_null = false;
  bool unique = false;
};
struct Index {
  std::string name;
  std::vector<std::string> columns;
  bool unique = false;
  bool partial = false;
};
struct Table {
  std::string name;
  std::vector<Column> columns;                                    // after id
  std::vector<std::pair<std::string, std::string>> foreign_keys;  // column, parent table
  std::vector<Index> indexes;
};
struct View {
  std::string name, table, column;
};
struct Model {
  std::vector<Table> tables;
  std::vector<View> views;
  int serial = 0;  // for fresh names
};

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}
  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool chance(int percent) { return pick(100) < percent; }

  Column column(Model& m) {
    static const char* types[] = {"INTEGER", "TEXT", "REAL", "NUMERIC", "BLOB"};
    Column c;
    c.name = "c" + std::to_string(++m.serial);
    c.type = types[pick(5)];
    c.not_null = chance(30);
    if (c.not_null || chance(30)) c.def = c.type == std::string("TEXT") ? "'x'" : "0";
    if (chance(10)) c.def = chance(50) ? "CURRENT_TIMESTAMP" : "(1 + 1)";  // not for ADD COLUMN
    c.unique = chance(10);
    if (chance(20)) c.check = "length(" + c.name + ") < 100";
    return c;
  }
  Table table(Model& m) {
    Table t;
    t.name = "t" + std::to_string(++m.serial);
    for (int i = 0, n = 1 + pick(4); i < n; ++i) t.columns.push_back(column(m));
    if (!m.tables.empty() && chance(50)) add_foreign_key(m, t);
    if (chance(50)) add_index(m, t);
    return t;
  }
  void add_foreign_key(Model& m, Table& t) {
    Column c;
    c.name = "ref" + std::to_string(++m.serial);
    c.type = "INTEGER";
    t.columns.push_back(c);
    t.foreign_keys.push_back({c.name, m.tables[pick(static_cast<int>(m.tables.size()))].name});
  }
  void add_index(Model& m, Table& t) {
    if (t.columns.empty()) return;
    Index i;
    i.name = t.name + "_i" + std::to_string(++m.serial);
    i.columns.push_back(t.columns[pick(static_cast<int>(t.columns.size()))].name);
    i.unique = chance(30);
    i.partial = chance(20);
    t.indexes.push_back(i);
  }
  Model schema() {
    Model m;
    for (int i = 0, n = 1 + pick(4); i < n; ++i) m.tables.push_back(table(m));
    if (chance(40)) add_view(m);
    return m;
  }
  void add_view(Model& m) {
    Table& t = m.tables[pick(static_cast<int>(m.tables.size()))];
    m.views.push_back(
        {"v" + std::to_string(++m.serial), t.name, t.columns.empty() ? "id" : t.columns[0].name});
  }

  // One random change, keeping the model valid (no reference to what is gone).
  void change(Model& m) {
    Table& t = m.tables[pick(static_cast<int>(m.tables.size()))];
    switch (pick(11)) {
      case 0:
        t.columns.push_back(column(m));
        break;
      case 1:
        if (!t.columns.empty())
          drop_column(m, t, t.columns[pick(static_cast<int>(t.columns.size()))].name);
        break;
      case 2:
        if (!t.columns.empty()) {
          Column& c = t.columns[pick(static_cast<int>(t.columns.size()))];
          static const char* types[] = {"INTEGER", "TEXT", "REAL", "NUMERIC"};
          c.type = types[pick(4)];
        }
        break;
      case 3:
        if (!t.columns.empty()) {
          Column& c = t.columns[pick(static_cast<int>(t.columns.size()))];
          c.not_null = !c.not_null;
          if (c.not_null && c.def.empty()) c.def = "0";
        }
        break;
      case 4:
        if (!t.columns.empty()) {
          Column& c = t.columns[pick(static_cast<int>(t.columns.size()))];
          c.def = c.not_null ? std::to_string(pick(9) + 1) : (c.def.empty() ? "7" : "");
        }
        break;
      case 5:
        if (!t.columns.empty()) {
          Column& c = t.columns[pick(static_cast<int>(t.columns.size()))];
          c.check = c.check.empty() ? "length(" + c.name + ") < 50" : "";
        }
        break;
      case 6:
        if (!t.indexes.empty() && chance(50))
          t.indexes.erase(t.indexes.begin() + pick(static_cast<int>(t.indexes.size())));
        else
          add_index(m, t);
        break;
      case 7:
        if (!t.foreign_keys.empty() && chance(50))
          drop_column(m, t, t.foreign_keys[0].first);
        else if (m.tables.size() > 1)
          add_foreign_key(m, t);
        break;
      case 8:
        if (!m.views.empty() && chance(50))
          m.views.erase(m.views.begin() + pick(static_cast<int>(m.views.size())));
        else
          add_view(m);
        break;
      case 9:
        m.tables.push_back(table(m));
        break;
      case 10:
        if (m.tables.size() > 1) drop_table(m, t.name);
        break;
    }
  }

 private:
  void drop_column(Model& m, Table& t,
                   std::string name) {  // (a copy: it may name an element erased here)
    t.columns.erase(std::remove_if(t.columns.begin(), t.columns.end(),
                                   [&](const Column& c) { return c.name == name; }),
                    t.columns.end());
    t.foreign_keys.erase(std::remove_if(t.foreign_keys.begin(), t.foreign_keys.end(),
                                        [&](const auto& f) { return f.first == name; }),
                         t.foreign_keys.end());
    t.indexes.erase(std::remove_if(t.indexes.begin(), t.indexes.end(),
                                   [&](const Index& i) { return i.columns[0] == name; }),
                    t.indexes.end());
    for (auto& v : m.views)
      if (v.table == t.name && v.column == name) v.column = "id";
  }
  void drop_table(Model& m, std::string name) {
    for (auto& other : m.tables)
      for (const auto& [column, parent] : std::vector(other.foreign_keys))
        if (parent == name) drop_column(m, other, column);
    m.tables.erase(std::remove_if(m.tables.begin(), m.tables.end(),
                                  [&](const Table& t) { return t.name == name; }),
                   m.tables.end());
    m.views.erase(std::remove_if(m.views.begin(), m.views.end(),
                                 [&](const View& v) { return v.table == name; }),
                  m.views.end());
  }
  std::mt19937 rng_;
};

std::string sql_of(const Model& m) {
  std::string sql;
  for (const auto& t : m.tables) {
    sql += "CREATE TABLE " + t.name + " (id INTEGER PRIMARY KEY";
    for (const auto& c : t.columns) {
      sql += ", " + c.name + " " + c.type + (c.not_null ? " NOT NULL" : "") +
             (c.unique ? " UNIQUE" : "");
      if (!c.def.empty()) sql += " DEFAULT " + c.def;
      if (!c.check.empty()) sql += " CHECK (" + c.check + ")";
    }
    for (const auto& [column, parent] : t.foreign_keys)
      sql += ", FOREIGN KEY (" + column + ") REFERENCES " + parent + " (id)";
    sql += ");\n";
    for (const auto& i : t.indexes)
      sql += std::string("CREATE ") + (i.unique ? "UNIQUE " : "") + "INDEX " + i.name + " ON " +
             t.name + " (" + i.columns[0] + ")" + (i.partial ? " WHERE id > 10" : "") + ";\n";
  }
  for (const auto& v : m.views)
    sql += "CREATE VIEW " + v.name + " AS SELECT id, " + v.column + " FROM " + v.table + ";\n";
  return sql;
}

// (In memory: 300 cases of files would spend their time syncing.)
std::unique_ptr<Database> made(const std::string& name, const std::string& sql) {
  auto db = Database::open(parse_url("sqlite::memory:", "test"), ConnectOptions{});
  for (const auto& st : split_statements(sql, Dialect::SQLite, name)) db->execute(st.sql);
  return db;
}

std::string definitions(Database& db) { return definitions_text(read_sqlite_schema(db, "mig_")); }

// Applies `plan` to `db`; "" or what failed.
std::string apply(Database& db, const SchemaChange& plan) {
  for (const auto& st : plan.statements) try {
      db.execute(st);
    } catch (const std::exception& e) {
      return st + ": " + e.what();
    }
  return "";
}

TEST(SqliteDiffGenerated, ThreeHundredRandomChangesRoundTrip) {
  int changed = 0;
  for (unsigned seed = 1; seed <= 300; ++seed) {
    Generator gen(seed);
    Model before = gen.schema(), after = before;
    for (int i = 0, n = 1 + gen.pick(3); i < n; ++i) gen.change(after);
    std::string a = sql_of(before), b = sql_of(after);
    std::unique_ptr<Database> live, want;
    try {
      live = made("live", a), want = made("want", b);
    } catch (const std::exception& e) {
      FAIL() << "seed " << seed << ": the generated schema is invalid: " << e.what() << "\n"
             << a << "--\n"
             << b;
    }
    SqliteSchema from = read_sqlite_schema(*live, "mig_"), to = read_sqlite_schema(*want, "mig_");
    SchemaChange up = plan_sqlite_change(from, to), down = plan_sqlite_change(to, from);
    changed += !up.empty();
    ASSERT_EQ(apply(*live, up), "") << "seed " << seed << "\n" << a << "--\n" << b;
    ASSERT_EQ(definitions(*live), definitions(*want)) << "seed " << seed << "\n"
                                                      << a << "--\n"
                                                      << b;
    ASSERT_EQ(apply(*live, down), "") << "seed " << seed << " (downgrade)\n" << a << "--\n" << b;
    auto again = made("again", a);
    ASSERT_EQ(definitions(*live), definitions(*again)) << "seed " << seed << " (downgrade)\n"
                                                       << a << "--\n"
                                                       << b;
  }
  EXPECT_GT(changed, 250);  // the changes were mostly real ones
}

}  // namespace
}  // namespace mig
