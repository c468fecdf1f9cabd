// The snapshot a run takes of only the objects its statements named must be
// the text a full inspection gives, statement by statement, on a real
// MariaDB; what cannot be accounted for falls back to a full inspection.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "../inspect_support.h"
#include "engine/drift.h"
#include "engine/version_store.h"

namespace mig {
namespace {

using V = std::vector<std::string>;

class RefreshMysql : public ::testing::Test {
 protected:
  testing::Connected c{Dialect::MySQL};
  std::unique_ptr<Database> db = c.open();

  void SetUp() override {
    for (const char* sql :
         {"CREATE TABLE account (id INT PRIMARY KEY, email VARCHAR(200) NOT NULL)",
          "CREATE TABLE orders (id INT PRIMARY KEY, account_id INT NOT NULL, "
          "FOREIGN KEY (account_id) REFERENCES account (id))",
          "CREATE TABLE note (id INT PRIMARY KEY, body TEXT)",
          "CREATE TRIGGER note_audit BEFORE INSERT ON note FOR EACH ROW SET NEW.body = 'x'",
          "CREATE VIEW emails AS SELECT email FROM account", "CREATE TABLE `Mixed` (id INT)",
          "CREATE TABLE mig_revisions (revision VARCHAR(40))"})
      db->run(sql);
  }

  // Runs `statements` and returns the refreshed text ("" when it fell
  // back), having checked it against a full inspection.
  std::string apply(const V& statements) {
    std::string before = inspect_schema(*db, "mig_").text();
    SchemaChanges changes;
    for (const auto& sql : statements) {
      changes.note(Dialect::MySQL, sql);
      EXPECT_NO_THROW(db->run(sql)) << sql;
    }
    std::string refreshed = refresh_schema(*db, "mig_", before, changes);
    if (!refreshed.empty()) {
      EXPECT_EQ(refreshed, inspect_schema(*db, "mig_").text())
          << ::testing::PrintToString(statements);
    }
    return refreshed;
  }
};

TEST_F(RefreshMysql, EachKindOfChangeGivesTheFullInspectionsText) {
  std::vector<V> cases = {
      {"CREATE TABLE extra (id INT PRIMARY KEY, v VARCHAR(20) DEFAULT 'a')"},
      {"ALTER TABLE note ADD COLUMN at DATETIME NULL"},
      {"ALTER TABLE IF EXISTS note ADD COLUMN seen INT", "ALTER TABLE IF EXISTS absent ADD x INT"},
      {"CREATE TABLE copy LIKE note", "CREATE TABLE picked AS SELECT id FROM note",
       "DROP TABLE copy, picked"},
      {"ALTER TABLE note MODIFY body VARCHAR(300) NOT NULL"},
      {"ALTER TABLE note ALTER COLUMN body SET DEFAULT 'b'"},
      {"CREATE UNIQUE INDEX note_body ON note (body)"},
      {"DROP INDEX note_body ON note"},
      // The trigger moves with its table; the foreign key of orders follows
      // account's new name and its column's.
      {"ALTER TABLE note RENAME TO memo"},
      {"RENAME TABLE account TO customer"},
      {"ALTER TABLE customer CHANGE COLUMN id customer_id INT NOT NULL"},
      {"CREATE TRIGGER orders_check BEFORE UPDATE ON orders FOR EACH ROW SET NEW.id = OLD.id"},
      {"DROP TRIGGER orders_check"},
      {"CREATE OR REPLACE VIEW emails AS SELECT email, customer_id FROM customer"},
      {"ALTER VIEW emails AS SELECT email FROM customer"},
      {"DROP VIEW emails"},
      {"ALTER TABLE `Mixed` ADD COLUMN w INT"},
      {"CREATE TABLE `Other` (id INT)", "INSERT INTO `Other` VALUES (1)", "DROP TABLE `Other`"},
      {"DROP TABLE memo"},
      {"CREATE TEMPORARY TABLE scratch (id INT)", "DROP TEMPORARY TABLE scratch"},
      {"UPDATE customer SET email = 'a'", "SET @x = 1", "TRUNCATE TABLE orders"},
      {"CREATE TABLE IF NOT EXISTS orders (id INT)", "DROP TABLE IF EXISTS nothing_here"},
      {"CREATE TABLE a1 (id INT)", "CREATE TABLE a2 (id INT)", "DROP TABLE a1, a2"},
      // Names written without quotes keep their case on the server.
      {"CREATE TABLE OrderItems (id INT PRIMARY KEY)"},
      {"ALTER TABLE OrderItems ADD COLUMN qty INT"},
      {"RENAME TABLE OrderItems TO LineItems"},
      {"DROP TABLE LineItems"},
      // A trigger replaced by name (MariaDB keeps it on its table).
      {"CREATE TRIGGER mover BEFORE INSERT ON orders FOR EACH ROW SET NEW.id = NEW.id"},
      {"CREATE OR REPLACE TRIGGER mover BEFORE INSERT ON orders FOR EACH ROW "
       "SET NEW.id = NEW.id + 0"},
      {"DROP TRIGGER mover"},
  };
  for (const auto& statements : cases)
    EXPECT_NE(apply(statements), "") << ::testing::PrintToString(statements);
}

// What mig cannot account for, or a name it cannot tell from another one
// spelled in another case, is inspected in full.
TEST_F(RefreshMysql, WhatCannotBeAccountedForFallsBackToAFullInspection) {
  std::vector<V> cases = {
      {"CREATE PROCEDURE p() BEGIN END", "CALL p()"},
      {"PREPARE s FROM 'CREATE TABLE hidden (id INT)'", "EXECUTE s"},
      {"/*!40000 ALTER TABLE note DISABLE KEYS */"},
      {"CREATE TABLE " + c.test().name() + ".qualified (id INT)"},
      {"CREATE TABLE mixed (id INT)"},  // `Mixed` is there too
      {"SET STATEMENT lock_wait_timeout = 5 FOR ALTER TABLE orders ADD COLUMN s INT"},
      {"BEGIN NOT ATOMIC ALTER TABLE orders ADD COLUMN t INT; END"},
      {"ALTER TABLE orders COMMENT 'it\\'s', ADD COLUMN u INT"},
      {"CREATE TABLE b1 (id INT)", "CREATE TABLE b2 (id INT)", "CREATE TABLE b3 (id INT)",
       "CREATE TABLE b4 (id INT)", "CREATE TABLE b5 (id INT)", "CREATE TABLE b6 (id INT)",
       "CREATE TABLE b7 (id INT)", "CREATE TABLE b8 (id INT)", "CREATE TABLE b9 (id INT)"},
  };
  for (const auto& statements : cases)
    EXPECT_EQ(apply(statements), "") << ::testing::PrintToString(statements);
}

// Statements sent as one with their own semicolons, and text the tokenizer
// cannot read safely, are not accounted for.
TEST(MysqlSchemaChanges, WhatTheTokensCannotTellIsUnknown) {
  for (const char* sql :
       {"UPDATE t SET x = 1; DROP TABLE y", "CREATE TABLE a (id INT); DROP TABLE b", "USE other",
        "CALL p()", "CREATE DATABASE d", "ALTER TABLE `a``b` ADD c INT"}) {
    SchemaChanges c;
    c.note(Dialect::MySQL, sql);
    EXPECT_FALSE(c.known) << sql;
  }
  SchemaChanges c;
  c.note(Dialect::MySQL, "CREATE TRIGGER t1 BEFORE INSERT ON a FOR EACH ROW BEGIN SET @x = 1; END");
  c.note(Dialect::MySQL, "INSERT INTO a VALUES (1)");
  EXPECT_TRUE(c.known);
  EXPECT_EQ(c.names, (V{"a"}));
  EXPECT_EQ(c.triggers, (V{"t1"}));
  EXPECT_EQ(c.ddl_statements, 1);
}

// DDL someone else runs during a run could change any object: the server
// then counts more DDL than the run noted, and the snapshot is taken in full.
TEST(MysqlSchemaChanges, DdlBySomeoneElseDuringARunMeansAFullInspection) {
  testing::Connected c{Dialect::MySQL};
  auto db = c.open(), other = c.open();
  VersionStore store(*db, "mig_");
  store.ensure();
  db->run("CREATE TABLE a (id INT)");
  // A snapshot proved true, once no other test runs DDL on the server.
  SchemaChanges changes;
  changes.known = false;
  for (int i = 0; i < 100 && !changes.known; ++i) {
    ASSERT_EQ(save_snapshot(*db, store, "mig_"), "");
    changes = run_changes(*db, store, "mig_");
    if (!changes.known) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(changes.known);
  changes.note(Dialect::MySQL, "ALTER TABLE a ADD COLUMN b INT");
  db->run("ALTER TABLE a ADD COLUMN b INT");
  other->execute("CREATE TABLE sneaked_in (id INT)");
  ASSERT_EQ(save_snapshot(*db, store, "mig_", &changes), "");
  EXPECT_NE(store.snapshot().find("table sneaked_in"), std::string::npos) << store.snapshot();
  EXPECT_EQ(store.snapshot(), inspect_schema(*db, "mig_").text());
}

// Only MySQL takes a snapshot of changed objects alone.
// PostgreSQL has no part snapshot (SQLite's is in tests/db/sqlite/refresh_test.cpp).
TEST(RefreshSchema, PostgresqlInspectsInFull) {
  SchemaChanges changes;
  changes.note(Dialect::PostgreSQL, "CREATE TABLE t (id INT)");
  EXPECT_FALSE(changes.known);
  EXPECT_TRUE(can_refresh_schema(Dialect::SQLite));
  EXPECT_FALSE(can_refresh_schema(Dialect::PostgreSQL));
  EXPECT_TRUE(can_refresh_schema(Dialect::MySQL));
}

}  // namespace
}  // namespace mig
