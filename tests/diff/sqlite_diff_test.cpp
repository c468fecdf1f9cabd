// The statements between two SQLite schemas (src/diff/sqlite_diff.cpp), on
// real files: each plan is applied to the first schema and must give the
// second, and the way back must give the first.
#include "diff/sqlite_diff.h"

#include <gtest/gtest.h>

#include "../test_support.h"
#include "config/url.h"
#include "mig/errors.h"
#include "script/sql_splitter.h"

namespace mig {
namespace {

using V = std::vector<std::string>;

std::unique_ptr<Database> database(const testing::TempDir& dir, const std::string& name,
                                   const std::string& sql) {
  auto db = Database::open(parse_url("sqlite://" + dir / name, "test"), ConnectOptions{});
  for (const auto& st : split_statements(sql, Dialect::SQLite, name)) db->execute(st.sql);
  return db;
}

std::string definitions(Database& db) { return definitions_text(read_sqlite_schema(db, "mig_")); }

bool contains(const V& statements, const std::string& part) {
  return std::any_of(statements.begin(), statements.end(),
                     [&](const std::string& s) { return s.find(part) != std::string::npos; });
}

// Plans `before` → `after` and back, applies both to a database made from
// `before` (with `rows` inserted first) and checks where each ends.
struct RoundTrip {
  testing::TempDir dir;  // (outlives db)
  SchemaChange up, down;
  std::unique_ptr<Database> db;  // `before` with the upgrade applied
};
RoundTrip round_trip(const std::string& before, const std::string& after,
                     const std::string& rows = "") {
  RoundTrip r;
  const testing::TempDir& dir = r.dir;
  r.db = database(dir, "live.db", before + rows);
  auto want = database(dir, "want.db", after);
  SqliteSchema from = read_sqlite_schema(*r.db, "mig_"), to = read_sqlite_schema(*want, "mig_");
  r.up = plan_sqlite_change(from, to);
  r.down = plan_sqlite_change(to, from);
  for (const auto& st : r.up.statements) r.db->execute(st);
  EXPECT_EQ(definitions(*r.db), definitions(*want)) << "upgrade";
  auto back = database(dir, "back.db", before);
  auto copy = database(dir, "copy.db", before + rows);
  for (const auto& st : r.up.statements) copy->execute(st);
  for (const auto& st : r.down.statements) copy->execute(st);
  EXPECT_EQ(definitions(*copy), definitions(*back)) << "downgrade";
  return r;
}

TEST(SqliteDiff, TheSameSchemaNeedsNothing) {
  auto r = round_trip("CREATE TABLE t (a INTEGER, b TEXT);\nCREATE INDEX t_a ON t (a);",
                      "create table t (\n  a INTEGER,  -- the key\n  b TEXT\n);\n"
                      "CREATE INDEX t_a ON t (a);");
  EXPECT_TRUE(r.up.empty()) << r.up.statements[0];
  EXPECT_TRUE(r.down.empty());
}

TEST(SqliteDiff, ANullableColumnIsAddedInPlaceAndTheWayBackRebuilds) {
  auto r = round_trip("CREATE TABLE t (a INTEGER PRIMARY KEY);",
                      "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT DEFAULT 'x');",
                      "INSERT INTO t VALUES (1);");
  EXPECT_EQ(r.up.statements, (V{"ALTER TABLE \"t\" ADD COLUMN b TEXT DEFAULT 'x'"}));
  EXPECT_FALSE(r.up.outside_transaction);
  EXPECT_TRUE(r.up.destructive.empty());
  EXPECT_TRUE(r.down.outside_transaction);
  EXPECT_EQ(r.down.destructive, (V{"column t.b is dropped"}));
}

TEST(SqliteDiff, WhatAlterTableCannotDoRebuildsAndKeepsTheRows) {
  auto r = round_trip("CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT);",
                      "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT '' "
                      "CHECK (length(b) < 10), c INTEGER NOT NULL DEFAULT 0);",
                      "INSERT INTO t VALUES (1, 'one'), (2, 'two');");
  EXPECT_TRUE(r.up.outside_transaction);
  EXPECT_EQ(r.up.statements.front(), "PRAGMA foreign_keys = OFF");
  EXPECT_TRUE(
      contains(r.up.statements, "INSERT OR ABORT INTO \"_mig_new_t\" (\"a\", \"b\") SELECT"));
  EXPECT_TRUE(r.up.destructive.empty());
  EXPECT_EQ(query_rows(*r.db, "SELECT a, b, c FROM t ORDER BY a", ""),
            (std::vector<V>{{"1", "one", "0"}, {"2", "two", "0"}}));
}

TEST(SqliteDiff, DroppedTablesColumnsAndChangedTypesAreListedAsDestructive) {
  auto r = round_trip("CREATE TABLE gone (a INTEGER);\nCREATE TABLE t (a INTEGER, b TEXT, c TEXT);",
                      "CREATE TABLE t (a TEXT, b TEXT);");
  EXPECT_EQ(r.up.destructive, (V{"table gone is dropped", "column t.c is dropped",
                                 "column t.a changes type (INTEGER to TEXT)"}));
}

TEST(SqliteDiff, IndexesViewsAndTriggersFollowTheirTables) {
  auto r = round_trip(
      "CREATE TABLE t (a INTEGER, b TEXT);\nCREATE INDEX t_b ON t (b);\n"
      "CREATE VIEW v AS SELECT a FROM t;\n",
      "CREATE TABLE t (a INTEGER, b TEXT, c TEXT);\nCREATE INDEX t_b ON t (b) WHERE b IS NOT "
      "NULL;\n"
      "CREATE TABLE log (msg TEXT);\nCREATE VIEW v AS SELECT a, c FROM t;\n"
      "CREATE VIEW w AS SELECT * FROM v;\n"
      "CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.b); END;\n");
  EXPECT_TRUE(contains(r.up.statements, "DROP INDEX \"t_b\""));
  EXPECT_TRUE(contains(r.up.statements, "WHERE b IS NOT NULL"));
  EXPECT_FALSE(r.up.outside_transaction);  // the column is added in place
  r.db->execute("INSERT INTO t VALUES (1, 'x', 'y')");
  EXPECT_EQ(query_rows(*r.db, "SELECT msg FROM log", ""), (std::vector<V>{{"x"}}));
}

TEST(SqliteDiff, AnIndexAloneChangesWithoutTouchingItsTable) {
  auto r = round_trip("CREATE TABLE t (a INTEGER, b TEXT);\nCREATE INDEX i ON t (a);",
                      "CREATE TABLE t (a INTEGER, b TEXT);\nCREATE UNIQUE INDEX i ON t (a, b);");
  EXPECT_EQ(r.up.statements, (V{"DROP INDEX \"i\"", "CREATE UNIQUE INDEX i ON t (a, b)"}));
}

// The parent is rebuilt under its children: the old table is dropped with
// foreign keys off (no ON DELETE CASCADE fires) and never renamed (the
// children keep pointing at its name), so no child row is lost.
TEST(SqliteDiff, RebuildingAParentLosesNoChildRow) {
  std::string before =
      "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);\n"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL "
      "REFERENCES parent (id) ON DELETE CASCADE);\n";
  std::string after =
      "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '?');\n"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL "
      "REFERENCES parent (id) ON DELETE CASCADE);\n";
  std::string rows =
      "INSERT INTO parent VALUES (1, 'a'), (2, 'b');\n"
      "INSERT INTO child VALUES (10, 1), (11, 1), (12, 2);\n";
  testing::TempDir dir;
  auto live = database(dir, "live.db", before + rows), want = database(dir, "want.db", after);
  live->execute("PRAGMA foreign_keys = ON");  // as an application may have it
  SchemaChange up =
      plan_sqlite_change(read_sqlite_schema(*live, "mig_"), read_sqlite_schema(*want, "mig_"));
  ASSERT_TRUE(up.outside_transaction);
  for (const auto& st : up.statements) live->execute(st);
  EXPECT_EQ(query_rows(*live, "SELECT count(*) FROM child", ""), (std::vector<V>{{"3"}}));
  EXPECT_EQ(query_rows(*live,
                       "SELECT count(*) FROM pragma_foreign_key_list('child') "
                       "WHERE \"table\" = 'parent'",
                       ""),
            (std::vector<V>{{"1"}}));
  EXPECT_EQ(definitions(*live), definitions(*want));
}

// A row left without its parent fails the rebuild at the foreign key check.
TEST(SqliteDiff, ARowWithoutItsParentFailsTheRebuild) {
  testing::TempDir dir;
  auto live = database(dir, "live.db",
                       "CREATE TABLE parent (id INTEGER PRIMARY KEY);\n"
                       "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id));\n"
                       "INSERT INTO child VALUES (7);\n");
  auto want = database(dir, "want.db",
                       "CREATE TABLE parent (id INTEGER PRIMARY KEY);\n"
                       "CREATE TABLE child (parent_id INTEGER NOT NULL REFERENCES parent (id));\n");
  SchemaChange up =
      plan_sqlite_change(read_sqlite_schema(*live, "mig_"), read_sqlite_schema(*want, "mig_"));
  bool failed = false;
  for (const auto& st : up.statements) {
    try {
      live->execute(st);
    } catch (const std::exception& e) {
      failed = true;
      EXPECT_NE(st.find("pragma_foreign_key_check"), std::string::npos) << st << ": " << e.what();
      break;
    }
  }
  EXPECT_TRUE(failed);
  // The rebuild ran in its own transaction: undone, nothing of it stays.
  live->execute("ROLLBACK");
  EXPECT_EQ(query_rows(*live, "SELECT sql FROM sqlite_master WHERE name = 'child'", ""),
            (std::vector<V>{{"CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))"}}));
  EXPECT_EQ(query_rows(*live, "SELECT count(*) FROM child", ""), (std::vector<V>{{"1"}}));
}

// What a rebuild must keep besides the columns: rowids no column holds,
// the AUTOINCREMENT counter, rows the new table's ON CONFLICT would drop,
// and columns whose names merely look like keywords.
TEST(SqliteDiff, ARebuildKeepsRowidsCountersAndEveryRow) {
  testing::TempDir dir;
  auto live = database(dir, "live.db",
                       "CREATE TABLE plain (generated_at TEXT, v TEXT);\n"
                       "CREATE TABLE counted (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);\n"
                       "INSERT INTO plain (rowid, generated_at, v) VALUES (7, 'then', 'a'), "
                       "(9, 'now', 'a');\n"
                       "INSERT INTO counted (v) VALUES ('1'), ('2'), ('3');\n"
                       "DELETE FROM counted WHERE id > 1;\n");
  auto want =
      database(dir, "want.db",
               "CREATE TABLE plain (generated_at TEXT, v TEXT UNIQUE ON CONFLICT REPLACE, "
               "w INTEGER NOT NULL DEFAULT 0);\n"
               "CREATE TABLE counted (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT NOT NULL "
               "DEFAULT '');\n");
  SchemaChange up =
      plan_sqlite_change(read_sqlite_schema(*live, "mig_"), read_sqlite_schema(*want, "mig_"));
  std::string error;
  for (const auto& st : up.statements) try {
      live->execute(st);
    } catch (const std::exception& e) {
      error = e.what();
      break;
    }
  // Two rows with one v: the UNIQUE refuses the copy instead of dropping one.
  EXPECT_NE(error.find("UNIQUE"), std::string::npos) << error;
  live->execute("ROLLBACK");
  live->execute("UPDATE plain SET v = 'b' WHERE rowid = 9");
  for (const auto& st : up.statements) live->execute(st);
  EXPECT_EQ(query_rows(*live, "SELECT rowid, generated_at, v FROM plain ORDER BY rowid", ""),
            (std::vector<V>{{"7", "then", "a"}, {"9", "now", "b"}}));
  live->execute("INSERT INTO counted (v) VALUES ('4')");
  EXPECT_EQ(query_rows(*live, "SELECT max(id) FROM counted", ""), (std::vector<V>{{"4"}}));
}

TEST(SqliteDiff, VirtualTablesAreComparedButNotChanged) {
  testing::TempDir dir;
  auto a = database(dir, "a.db", "CREATE VIRTUAL TABLE docs USING fts5(title, body);\n");
  auto b = database(dir, "b.db",
                    "CREATE VIRTUAL TABLE docs USING fts5(title, body);\nCREATE TABLE t (x);\n");
  auto c = database(dir, "c.db", "CREATE VIRTUAL TABLE docs USING fts5(title);\n");
  SqliteSchema sa = read_sqlite_schema(*a, "mig_");
  EXPECT_TRUE(sa.tables.empty());  // the shadow tables are the virtual table's own
  EXPECT_EQ(sa.virtual_tables.size(), 1u);
  EXPECT_EQ(plan_sqlite_change(sa, read_sqlite_schema(*b, "mig_")).statements,
            (V{"CREATE TABLE \"t\" (x)"}));
  EXPECT_THROW(plan_sqlite_change(sa, read_sqlite_schema(*c, "mig_")), OperationError);
  // Made from nothing (a baseline) and removed again, as written.
  SchemaChange make = plan_sqlite_change({}, sa), remove = plan_sqlite_change(sa, {});
  EXPECT_EQ(make.statements, (V{"CREATE VIRTUAL TABLE docs USING fts5(title, body)"}));
  EXPECT_EQ(remove.statements, (V{"DROP TABLE \"docs\""}));
  EXPECT_EQ(remove.destructive, (V{"virtual table docs is dropped"}));
}

// Rowids are kept when the alias goes; names that change case are the same
// column; DESC keys are no alias; words in defaults are not keywords.
TEST(SqliteDiff, RowidsAndNamesSurviveTheDefinitionsQuirks) {
  testing::TempDir dir;
  auto live = database(dir, "live.db",
                       "CREATE TABLE a (id INTEGER PRIMARY KEY, email TEXT);\n"
                       "CREATE TABLE d (id INTEGER PRIMARY KEY DESC, note TEXT DEFAULT "
                       "'AUTOINCREMENT');\n"
                       "INSERT INTO a VALUES (5, 'x'), (9, 'y');\n"
                       "INSERT INTO d (rowid, id, note) VALUES (3, 30, 'n');\n");
  auto want = database(dir, "want.db",
                       "CREATE TABLE a (id TEXT PRIMARY KEY, Email TEXT CHECK (Email <> ''));\n"
                       "CREATE TABLE d (id INTEGER PRIMARY KEY DESC, note TEXT NOT NULL DEFAULT "
                       "'AUTOINCREMENT');\n");
  SchemaChange up =
      plan_sqlite_change(read_sqlite_schema(*live, "mig_"), read_sqlite_schema(*want, "mig_"));
  EXPECT_EQ(up.destructive, (V{"column a.id changes type (INTEGER to TEXT)"}));
  for (const auto& st : up.statements) live->execute(st);
  EXPECT_EQ(query_rows(*live, "SELECT rowid, id, Email FROM a ORDER BY rowid", ""),
            (std::vector<V>{{"5", "5", "x"}, {"9", "9", "y"}}));
  EXPECT_EQ(query_rows(*live, "SELECT rowid, id FROM d", ""), (std::vector<V>{{"3", "30"}}));
  // NOT NULL DEFAULT NULL, and REFERENCES with a default: not for ADD COLUMN.
  auto e = database(dir, "e.db", "CREATE TABLE e (x INTEGER);\n");
  for (const char* column :
       {"y INTEGER NOT NULL DEFAULT NULL", "y INTEGER DEFAULT 1 REFERENCES e"}) {
    auto f = database(dir, std::string("f") + column[14] + ".db",
                      std::string("CREATE TABLE e (x INTEGER, ") + column + ");\n");
    SchemaChange add =
        plan_sqlite_change(read_sqlite_schema(*e, "mig_"), read_sqlite_schema(*f, "mig_"));
    EXPECT_TRUE(add.rebuilds) << column;
  }
}

// Only SQLite's own tables are left out, not a user's named like them.
TEST(SqliteDiff, ATableNamedLikeSqlitesOwnIsTheUsers) {
  auto r = round_trip("CREATE TABLE t (a INTEGER);",
                      "CREATE TABLE t (a INTEGER);\n"
                      "CREATE TABLE SQLiteCache (k TEXT);\n");
  EXPECT_EQ(r.up.statements, (V{"CREATE TABLE \"SQLiteCache\" (k TEXT)"}));
}

TEST(SqliteDiff, AnInsteadOfTriggerFollowsItsView) {
  auto r = round_trip(
      "CREATE TABLE t (a INTEGER);\nCREATE VIEW v AS SELECT a FROM t;\n"
      "CREATE TRIGGER v_in INSTEAD OF INSERT ON v BEGIN INSERT INTO t VALUES (new.a); END;\n",
      "CREATE TABLE t (a INTEGER);\nCREATE VIEW v AS SELECT a, a + 1 AS b FROM t;\n"
      "CREATE TRIGGER v_in INSTEAD OF INSERT ON v BEGIN INSERT INTO t VALUES (new.a); END;\n");
  EXPECT_TRUE(contains(r.up.statements, "CREATE TRIGGER v_in"));
}

}  // namespace
}  // namespace mig
