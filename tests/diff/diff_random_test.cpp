// Generated schemas on the real PostgreSQL and MariaDB servers: a seeded
// random schema, a few random changes to it, both loaded natively (each in a
// schema, or a database, of its own), the statements planned both ways,
// applied, and the result compared with what was loaded. The seed of a failing case is
// printed; MIG_DIFF_SEED=N runs that one case alone.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <random>
#include <set>

#include "../e2e/database_support.h"
#include "config/url.h"
#include "diff/mysql_diff.h"
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

// The generator's types as each database writes them.
std::string type_in(Dialect d, const std::string& type, const Model& m) {
  if (d == Dialect::PostgreSQL) return type;
  static const std::map<std::string, std::string> mysql = {{"integer", "int"},
                                                           {"boolean", "tinyint(1)"},
                                                           {"numeric(10,2)", "decimal(10,2)"},
                                                           {"numeric(12,4)", "decimal(12,4)"},
                                                           {"timestamptz", "datetime"},
                                                           {"jsonb", "json"},
                                                           {"uuid", "char(36)"}};
  if (type == "mood") {
    std::string out = "enum(";
    for (size_t i = 0; i < m.labels.size(); ++i) out += (i ? ",'" : "'") + m.labels[i] + "'";
    return out + ")";
  }
  auto it = mysql.find(type);
  return it == mysql.end() ? type : it->second;
}

std::string default_in(Dialect d, const std::string& def) {
  if (d == Dialect::MySQL && def == "CURRENT_DATE") return "'2020-01-01'";
  return def;
}

// What MySQL cannot index without a prefix length.
bool indexable(Dialect d, const Table& t, const std::string& def) {
  if (d == Dialect::PostgreSQL) return true;
  if (def.find("((n") == 0) return false;
  for (const auto& c : t.columns)
    if (def.find(c.name + ")") != std::string::npos && (c.type == "text" || c.type == "jsonb"))
      return false;
  return true;
}

std::string render(const Model& m, Dialect d) {
  bool pg = d == Dialect::PostgreSQL;
  std::string sql;
  if (pg) {
    sql = "CREATE TYPE mood AS ENUM (";
    for (size_t i = 0; i < m.labels.size(); ++i) sql += (i ? ", '" : "'") + m.labels[i] + "'";
    sql += ");\n";
  }
  std::set<std::string> tables;
  for (const auto& t : m.tables) tables.insert(t.name);
  for (const auto& t : m.tables) {
    sql += "CREATE TABLE " + t.name + " (id " + (pg ? "integer" : "int") +
           (t.identity ? (pg ? " GENERATED BY DEFAULT AS IDENTITY" : " AUTO_INCREMENT") : "") +
           " PRIMARY KEY, n integer NOT NULL DEFAULT 0";
    for (const auto& c : t.columns) {
      sql += ", " + c.name + " " +
             (c.generated ? "integer GENERATED ALWAYS AS (n * 2) STORED" : type_in(d, c.type, m));
      if (c.generated) continue;
      bool def = !c.def.empty() && (c.type != "mood" || has_label(m, c.def));
      if (def) sql += " DEFAULT " + default_in(d, c.def);
      if (c.not_null && def) sql += " NOT NULL";
    }
    for (const auto& [col, to] : t.keys)
      if (tables.count(to)) sql += ", " + col + " integer";
    for (const auto& k : t.checks) sql += ", CHECK (" + k + ")";
    sql += ")";
    if (!pg && !t.comment.empty()) sql += " COMMENT '" + t.comment + "'";
    sql += ";\n";
    for (const auto& i : t.indexes) {
      bool ok = i.def.find("((n") == 0;
      for (const auto& c : t.columns)
        if (i.def.find("(" + c.name + ")") != std::string::npos ||
            i.def.find(" " + c.name + ")") != std::string::npos)
          ok = true;
      if (!ok || !indexable(d, t, i.def)) continue;
      std::string def = pg ? i.def : i.def.substr(0, i.def.find(" WHERE"));
      sql += std::string(i.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") + i.name + " ON " +
             t.name + " " + def + ";\n";
    }
    if (pg && !t.comment.empty())
      sql += "COMMENT ON TABLE " + t.name + " IS '" + t.comment + "';\n";
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
    sql += std::string(v.materialized && pg ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ") +
           v.name + " AS SELECT " + cols + " FROM " + t->name + ";\n";
  }
  return sql;
}

// Two places in one test database where schemas are loaded: PostgreSQL
// schemas, or MySQL databases named after the test's.
class Schemas {
 public:
  explicit Schemas(Dialect d) : d_(d), test_(d, "") {
    db_ = Database::open(parse_url(test_.url(), "test"), ConnectOptions{});
    if (d_ == Dialect::PostgreSQL) db_->execute("SET client_min_messages = warning");
  }
  ~Schemas() {
    if (d_ == Dialect::MySQL)
      for (const auto& name : made_) db_->execute("DROP DATABASE IF EXISTS " + name);
  }
  // `sql` loaded into place `name` (made anew), which is then the current one.
  void load(const std::string& name, const std::string& sql) {
    use(name, true);
    for (const auto& st : split_statements(sql, d_, "generated.sql")) db_->execute(st.sql);
  }
  void use(const std::string& place, bool anew = false) {
    std::string name = d_ == Dialect::MySQL ? test_.name() + "_" + place : place;
    if (d_ == Dialect::PostgreSQL) {
      if (anew) db_->execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
      if (anew) db_->execute("CREATE SCHEMA " + name);
      db_->execute("SET search_path = " + name);
    } else {
      if (anew) db_->execute("DROP DATABASE IF EXISTS " + name);
      if (anew) db_->execute("CREATE DATABASE " + name);
      made_.insert(name);
      db_->execute("USE " + name);
    }
  }
  Database& db() { return *db_; }
  void rollback() {
    try {
      db_->execute("ROLLBACK");
    } catch (const std::exception&) {
      // (no transaction was open)
    }
  }
  // Runs a change as its revision would: in one transaction, unless it
  // cannot (or, on MySQL, where DDL commits on its own).
  void apply(const SchemaChange& c) {
    bool transaction = d_ == Dialect::PostgreSQL && !c.outside_transaction;
    if (transaction) db_->execute("BEGIN");
    for (const auto& st : c.statements) db_->execute(st);
    if (transaction) db_->execute("COMMIT");
  }

 private:
  Dialect d_;
  e2e::TestDatabase test_;
  std::unique_ptr<Database> db_;
  std::set<std::string> made_;
};

std::string listing(const std::vector<std::string>& statements) {
  std::string out;
  for (const auto& s : statements) out += "  " + s + ";\n";
  return out;
}

struct Postgresql {
  static constexpr Dialect dialect = Dialect::PostgreSQL;
  static PgSchema read(Database& db) { return read_postgresql_schema(db, "mig_"); }
  static std::string text(const PgSchema& s) { return postgresql_definitions_text(s); }
  static SchemaChange plan(const PgSchema& a, const PgSchema& b) {
    return plan_postgresql_change(a, b);
  }
};

struct Mysql {
  static constexpr Dialect dialect = Dialect::MySQL;
  static MySchema read(Database& db) { return read_mysql_schema(db, "mig_"); }
  static std::string text(const MySchema& s) { return mysql_definitions_text(s); }
  static SchemaChange plan(const MySchema& a, const MySchema& b) { return plan_mysql_change(a, b); }
};

// `count` generated cases from `first` (MIG_DIFF_SEED=N: that one alone).
// Returns how many changed something.
template <typename Side>
int round_trips(unsigned first, unsigned count) {
  Schemas db(Side::dialect);
  if (const char* one = std::getenv("MIG_DIFF_SEED")) first = std::atoi(one), count = 1;
  int failures = 0, changed = 0;
  for (unsigned seed = first; seed < first + count && failures < 3; ++seed) {
    Generator g(seed);
    Model before = g.schema(), after = before;
    for (int i = 0, n = 1 + g.pick(3); i < n; ++i) g.change(after);
    std::string from_sql = render(before, Side::dialect), to_sql = render(after, Side::dialect);
    try {
      db.load("s_to", to_sql);
      auto to = Side::read(db.db());
      db.load("s_from", from_sql);
      auto from = Side::read(db.db());
      // As mig diff does: the way back planned from where the way there left.
      SchemaChange up = Side::plan(from, to);
      std::string trace = "seed " + std::to_string(seed) + "\nfrom:\n" + from_sql + "to:\n" +
                          to_sql + "up:\n" + listing(up.statements);
      if (!up.empty()) ++changed;
      db.apply(up);
      auto there = Side::read(db.db());
      std::string reached = Side::text(there);
      SchemaChange down = Side::plan(there, from);
      trace += "down:\n" + listing(down.statements);
      db.apply(down);
      std::string back = Side::text(Side::read(db.db()));
      if (reached != Side::text(to) || back != Side::text(from)) {
        ++failures;
        EXPECT_EQ(reached, Side::text(to)) << trace;
        EXPECT_EQ(back, Side::text(from)) << trace;
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << "seed " << seed << ": " << e.what() << "\nfrom:\n"
                    << from_sql << "to:\n"
                    << to_sql;
      ++failures;
      db.rollback();
    }
  }
  return changed;
}

TEST(DiffRandom, ThreeHundredGeneratedPostgresqlChangesRoundTrip) {
  int changed = round_trips<Postgresql>(1, 300);
  if (!std::getenv("MIG_DIFF_SEED")) {
    EXPECT_GT(changed, 250);  // the generator does change them
  }
}

TEST(DiffRandom, ThreeHundredGeneratedMysqlChangesRoundTrip) {
  int changed = round_trips<Mysql>(1, 300);
  if (!std::getenv("MIG_DIFF_SEED")) {
    EXPECT_GT(changed, 250);
  }
}

}  // namespace
}  // namespace mig
