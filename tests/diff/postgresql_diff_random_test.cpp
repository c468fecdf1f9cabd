// Generated schemas on the real PostgreSQL server: a seeded random schema,
// a few random changes to it, both loaded natively (each in a schema of its
// own in one database), the statements planned both ways, applied, and the
// result compared with what was loaded. The seed of a failing case is
// printed; MIG_DIFF_SEED=N runs that one case alone.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>
#include <set>

#include "../e2e/database_support.h"
#include "config/url.h"
#include "diff/postgresql_diff.h"
#include "script/sql_splitter.h"

namespace mig {
namespace {

struct Column {
  std::string name, type, def;
  bool not_null = false;
  bool generated = false;  // twice the table's n
};

struct Index {
  std::string name, def;  // def: after "ON table"
  bool unique = false;
};

struct Table {
  std::string name;
  bool identity = false;
  std::vector<Column> columns;                            // after id (integer) and n (integer)
  std::vector<std::pair<std::string, std::string>> keys;  // column -> table
  std::vector<std::string> checks;
  std::vector<Index> indexes;
  std::string comment;
};

struct View {
  std::string name, table;
  std::vector<std::string> columns;
  bool materialized = false;
};

struct Model {
  std::vector<std::string> labels;  // of the enum mood
  std::vector<Table> tables;
  std::vector<View> views;
};

const std::vector<std::string> kTypes = {"integer", "bigint",        "text", "varchar(50)",
                                         "boolean", "numeric(10,2)", "date", "timestamptz",
                                         "jsonb",   "mood",          "uuid", "smallint"};

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool chance(int percent) { return pick(100) < percent; }
  std::string fresh(const std::string& stem) { return stem + std::to_string(++names_); }

  Column column(const Model& m) {
    Column c;
    c.name = fresh("c");
    c.type = kTypes[pick(static_cast<int>(kTypes.size()))];
    c.not_null = chance(30);
    if (chance(40)) c.def = default_for(c.type, m);
    if (c.not_null && c.def.empty()) c.def = default_for(c.type, m);
    return c;
  }

  std::string default_for(const std::string& type, const Model& m) {
    if (type == "integer" || type == "bigint" || type == "smallint") return std::to_string(pick(9));
    if (type == "text" || type == "varchar(50)") return "'v" + std::to_string(pick(9)) + "'";
    if (type == "boolean") return chance(50) ? "true" : "false";
    if (type.rfind("numeric", 0) == 0) return "1.5";
    if (type == "date") return "CURRENT_DATE";
    if (type == "timestamptz") return "now()";
    if (type == "jsonb") return "'{}'";
    if (type == "uuid") return "'00000000-0000-0000-0000-000000000000'";
    return "'" + m.labels[pick(static_cast<int>(m.labels.size()))] + "'";
  }

  Table table(const Model& m) {
    Table t;
    t.name = fresh("t");
    t.identity = chance(30);
    for (int i = 0, n = 1 + pick(4); i < n; ++i) t.columns.push_back(column(m));
    if (chance(30)) t.checks.push_back("n >= 0");
    if (chance(20)) t.comment = "table " + t.name;
    return t;
  }

  Model schema() {
    Model m;
    m.labels = {"sad", "ok", "happy"};
    for (int i = 0, n = 1 + pick(4); i < n; ++i) m.tables.push_back(table(m));
    for (int i = 0, n = pick(3); i < n; ++i) add_key(m);
    for (int i = 0, n = pick(3); i < n; ++i) add_index(m);
    for (int i = 0, n = pick(2); i < n; ++i) add_view(m);
    return m;
  }

  void add_key(Model& m) {
    Table& from = m.tables[pick(static_cast<int>(m.tables.size()))];
    const Table& to = m.tables[pick(static_cast<int>(m.tables.size()))];
    from.keys.push_back({fresh("ref"), to.name});
  }

  void add_index(Model& m) {
    Table& t = m.tables[pick(static_cast<int>(m.tables.size()))];
    Index i;
    i.name = fresh("ix");
    const Column& c = t.columns[pick(static_cast<int>(t.columns.size()))];
    switch (pick(4)) {
      case 0:
        i.def = "(" + c.name + ")";
        break;
      case 1:
        i.def = "(n, " + c.name + ")";
        i.unique = true;
        break;
      case 2:
        i.def = "(" + c.name + ") WHERE n > 0";
        break;
      default:
        i.def = "((n + 1))";
    }
    t.indexes.push_back(i);
  }

  void add_view(Model& m) {
    const Table& t = m.tables[pick(static_cast<int>(m.tables.size()))];
    View v;
    v.name = fresh("v");
    v.table = t.name;
    v.materialized = chance(25);
    v.columns.push_back("n");
    for (const auto& c : t.columns)
      if (chance(50)) v.columns.push_back(c.name);
    m.views.push_back(v);
  }

  // One random change, kept consistent (keys and views follow their tables).
  void change(Model& m) {
    Table& t = m.tables[pick(static_cast<int>(m.tables.size()))];
    Column& c = t.columns[pick(static_cast<int>(t.columns.size()))];
    switch (pick(14)) {
      case 0:
        t.columns.push_back(column(m));
        break;
      case 1:
        if (t.columns.size() > 1)
          t.columns.erase(t.columns.begin() + pick(static_cast<int>(t.columns.size())));
        break;
      case 2: {  // a type the rows can be cast to
        static const std::vector<std::pair<std::string, std::string>> casts = {
            {"integer", "bigint"},   {"bigint", "integer"},   {"smallint", "integer"},
            {"text", "varchar(50)"}, {"varchar(50)", "text"}, {"numeric(10,2)", "numeric(12,4)"},
            {"date", "timestamptz"}};
        for (const auto& [a, b] : casts)
          if (c.type == a) {
            c.type = b;
            if (!c.def.empty()) c.def = default_for(b, m);
            break;
          }
        break;
      }
      case 3:
        c.not_null = !c.not_null;
        if (c.not_null && c.def.empty()) c.def = default_for(c.type, m);
        break;
      case 4:
        c.def = c.def.empty() || chance(50) ? default_for(c.type, m) : "";
        if (c.def.empty()) c.not_null = false;
        break;
      case 5:
        add_index(m);
        break;
      case 6:
        if (!t.indexes.empty()) t.indexes.erase(t.indexes.begin());
        break;
      case 7:
        add_key(m);
        break;
      case 8:
        if (!t.keys.empty()) t.keys.erase(t.keys.begin());
        break;
      case 9:
        if (t.checks.empty())
          t.checks.push_back("n < 1000");
        else
          t.checks.clear();
        break;
      case 10:
        if (!m.views.empty() && chance(50))
          m.views.erase(m.views.begin());
        else
          add_view(m);
        break;
      case 11:  // an enum value added somewhere, or one taken away
        if (chance(70) || m.labels.size() < 3) {
          m.labels.insert(m.labels.begin() + pick(static_cast<int>(m.labels.size()) + 1),
                          fresh("l"));
        } else {
          m.labels.erase(m.labels.begin() + pick(static_cast<int>(m.labels.size())));
        }
        break;
      case 12:
        if (chance(50) || m.tables.size() < 2)
          m.tables.push_back(table(m));
        else
          m.tables.erase(m.tables.begin() + pick(static_cast<int>(m.tables.size())));
        break;
      default:
        t.identity = !t.identity;
        if (chance(50)) c.generated = !c.generated && c.type == "integer";
        t.comment = t.comment.empty() ? "changed " + t.name : "";
    }
  }

 private:
  std::mt19937 rng_;
  int names_ = 0;
};

bool has_label(const Model& m, const std::string& def) {
  for (const auto& l : m.labels)
    if (def == "'" + l + "'") return true;
  return false;
}

std::string render(const Model& m) {
  std::string sql = "CREATE TYPE mood AS ENUM (";
  for (size_t i = 0; i < m.labels.size(); ++i) sql += (i ? ", '" : "'") + m.labels[i] + "'";
  sql += ");\n";
  std::set<std::string> tables;
  for (const auto& t : m.tables) tables.insert(t.name);
  for (const auto& t : m.tables) {
    sql += "CREATE TABLE " + t.name + " (id integer" +
           (t.identity ? " GENERATED BY DEFAULT AS IDENTITY" : "") +
           " PRIMARY KEY, n integer NOT NULL DEFAULT 0";
    for (const auto& c : t.columns) {
      sql += ", " + c.name + " " +
             (c.generated ? "integer GENERATED ALWAYS AS (n * 2) STORED" : c.type);
      if (c.generated) continue;
      bool def = !c.def.empty() && (c.type != "mood" || has_label(m, c.def));
      if (def) sql += " DEFAULT " + c.def;
      if (c.not_null && def) sql += " NOT NULL";
    }
    for (const auto& [col, to] : t.keys)
      if (tables.count(to)) sql += ", " + col + " integer";
    for (const auto& k : t.checks) sql += ", CHECK (" + k + ")";
    sql += ");\n";
    for (const auto& i : t.indexes) {
      bool ok = i.def.find("((n") == 0;
      for (const auto& c : t.columns)
        if (i.def.find("(" + c.name + ")") != std::string::npos ||
            i.def.find(" " + c.name + ")") != std::string::npos)
          ok = true;
      if (ok)
        sql += std::string(i.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") + i.name + " ON " +
               t.name + " " + i.def + ";\n";
    }
    if (!t.comment.empty()) sql += "COMMENT ON TABLE " + t.name + " IS '" + t.comment + "';\n";
  }
  // Foreign keys once every table is there (cycles included).
  for (const auto& t : m.tables)
    for (const auto& [col, to] : t.keys)
      if (tables.count(to))
        sql += "ALTER TABLE " + t.name + " ADD FOREIGN KEY (" + col + ") REFERENCES " + to +
               " (id) ON DELETE CASCADE;\n";
  for (const auto& v : m.views) {
    const Table* t = nullptr;
    for (const auto& x : m.tables)
      if (x.name == v.table) t = &x;
    if (!t) continue;
    std::string cols;
    for (const auto& c : v.columns) {
      bool there = c == "n";
      for (const auto& x : t->columns) there = there || x.name == c;
      if (there) cols += (cols.empty() ? "" : ", ") + c;
    }
    sql += std::string(v.materialized ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ") + v.name +
           " AS SELECT " + cols + " FROM " + t->name + ";\n";
  }
  return sql;
}

class Schemas {
 public:
  Schemas() : test_(e2e::Kind::PostgreSQL, "") {
    db_ = Database::open(parse_url(test_.url(), "test"), ConnectOptions{});
    db_->execute("SET client_min_messages = warning");
  }
  // `sql` loaded into schema `name` (made anew), which is then the current one.
  PgSchema load(const std::string& name, const std::string& sql) {
    use(name, true);
    for (const auto& st : split_statements(sql, Dialect::PostgreSQL, "generated.sql"))
      db_->execute(st.sql);
    return read();
  }
  void use(const std::string& name, bool anew = false) {
    if (anew) {
      db_->execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
      db_->execute("CREATE SCHEMA " + name);
    }
    db_->execute("SET search_path = " + name);
  }
  PgSchema read() { return read_postgresql_schema(*db_, "mig_"); }
  void rollback() {
    try {
      db_->execute("ROLLBACK");
    } catch (const std::exception&) {
      // (no transaction was open)
    }
  }
  // Runs a change as its revision would: in one transaction, unless it cannot.
  void apply(const SchemaChange& c) {
    if (!c.outside_transaction) db_->execute("BEGIN");
    for (const auto& st : c.statements) db_->execute(st);
    if (!c.outside_transaction) db_->execute("COMMIT");
  }

 private:
  e2e::TestDatabase test_;
  std::unique_ptr<Database> db_;
};

std::string listing(const std::vector<std::string>& statements) {
  std::string out;
  for (const auto& s : statements) out += "  " + s + ";\n";
  return out;
}

TEST(PostgresqlDiffRandom, ThreeHundredGeneratedChangesRoundTrip) {
  Schemas db;
  unsigned first = 1, count = 300;
  if (const char* one = std::getenv("MIG_DIFF_SEED")) first = std::atoi(one), count = 1;
  int failures = 0, changed = 0, enum_values = 0;
  for (unsigned seed = first; seed < first + count && failures < 3; ++seed) {
    Generator g(seed);
    Model before = g.schema(), after = before;
    for (int i = 0, n = 1 + g.pick(3); i < n; ++i) g.change(after);
    std::string from_sql = render(before), to_sql = render(after);
    try {
      PgSchema to = db.load("s_to", to_sql);
      PgSchema from = db.load("s_from", from_sql);
      SchemaChange up = plan_postgresql_change(from, to), down = plan_postgresql_change(to, from);
      std::string trace = "seed " + std::to_string(seed) + "\nfrom:\n" + from_sql + "to:\n" +
                          to_sql + "up:\n" + listing(up.statements) + "down:\n" +
                          listing(down.statements);
      if (!up.empty()) ++changed;
      if (up.outside_transaction) ++enum_values;
      db.apply(up);
      std::string reached = postgresql_definitions_text(db.read());
      db.apply(down);
      std::string back = postgresql_definitions_text(db.read());
      if (reached != postgresql_definitions_text(to) || back != postgresql_definitions_text(from)) {
        ++failures;
        EXPECT_EQ(reached, postgresql_definitions_text(to)) << trace;
        EXPECT_EQ(back, postgresql_definitions_text(from)) << trace;
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << "seed " << seed << ": " << e.what() << "\nfrom:\n"
                    << from_sql << "to:\n"
                    << to_sql;
      ++failures;
      db.rollback();
    }
  }
  if (count > 1) {  // the generator does change schemas, in every way
    EXPECT_GT(changed, 250);
    EXPECT_GT(enum_values, 10);
  }
}

}  // namespace
}  // namespace mig
