// The snapshot a run takes on SQLite of only the objects whose catalog rows
// it changed must be the text a full inspection gives, change by change, on
// a real database file; the run's start is proved by the catalog's digest.
#include <gtest/gtest.h>

#include "../inspect_support.h"
#include "db/schema_builder.h"
#include "engine/drift.h"
#include "engine/version_store.h"

namespace mig {
namespace {

using V = std::vector<std::string>;

class RefreshSqlite : public ::testing::Test {
 protected:
  testing::Connected c{Dialect::SQLite};
  std::unique_ptr<Database> db = c.open();

  void SetUp() override {
    for (const char* sql :
         {"CREATE TABLE account (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL)",
          "CREATE TABLE orders (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL "
          "REFERENCES account (id))",
          "CREATE TABLE note (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT UNIQUE)",
          "CREATE INDEX note_body_len ON note (length(body))",
          "CREATE TRIGGER note_audit AFTER INSERT ON note BEGIN UPDATE note SET body = 'x' "
          "WHERE id = new.id; END",
          "CREATE VIEW emails AS SELECT email FROM account",
          "CREATE TABLE \"Odd name\" (\"a b\" INT)",
          "CREATE TABLE mig_revisions (revision VARCHAR(40))"})
      db->execute(sql);
  }

  // Runs `statements` and returns the refreshed text ("" when a full
  // inspection is to be taken), having checked it against one.
  std::string apply(const V& statements) {
    std::string before = inspect_schema(*db, "mig_").text();
    auto catalog = db->schema_catalog("mig_");
    for (const auto& sql : statements) EXPECT_NO_THROW(db->execute(sql)) << sql;
    std::string refreshed =
        refresh_sqlite(*db, "mig_", before, *catalog, *db->schema_catalog("mig_"));
    if (!refreshed.empty()) {
      EXPECT_EQ(refreshed, inspect_schema(*db, "mig_").text())
          << ::testing::PrintToString(statements);
    }
    return refreshed;
  }
};

TEST_F(RefreshSqlite, EachKindOfChangeGivesTheFullInspectionsText) {
  std::vector<V> cases = {
      {"CREATE TABLE extra (id INTEGER PRIMARY KEY, v VARCHAR(20) DEFAULT 'a')"},
      {"ALTER TABLE note ADD COLUMN at TEXT"},
      {"CREATE UNIQUE INDEX note_at ON note (at)"},
      {"DROP INDEX note_at"},
      // The view, the trigger and the foreign key of orders follow the new
      // names (SQLite rewrites their text).
      {"ALTER TABLE account RENAME COLUMN email TO mail"},
      {"ALTER TABLE account RENAME TO customer"},
      {"ALTER TABLE note RENAME TO memo"},
      {"ALTER TABLE memo DROP COLUMN at"},
      {"CREATE TRIGGER orders_check BEFORE UPDATE ON orders BEGIN SELECT 1; END"},
      {"DROP TRIGGER orders_check"},
      {"DROP VIEW emails", "CREATE VIEW emails AS SELECT mail, id FROM customer"},
      {"DROP VIEW emails"},
      {"ALTER TABLE \"Odd name\" ADD COLUMN \"c'd\" INT"},
      // The rebuild SQLite's own documentation gives for any other change.
      {"CREATE TABLE orders_new (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL "
       "REFERENCES customer (id) ON DELETE CASCADE, total NUMERIC DEFAULT 0)",
       "INSERT INTO orders_new (id, account_id) SELECT id, account_id FROM orders",
       "DROP TABLE orders", "ALTER TABLE orders_new RENAME TO orders",
       "CREATE INDEX orders_account ON orders (account_id)"},
      {"DROP TABLE memo"},
      {"CREATE TABLE a1 (id INT)", "CREATE TABLE a2 (id INT)", "DROP TABLE a1"},
      {"CREATE TEMP TABLE scratch (id INT)", "DROP TABLE scratch"},
      {"CREATE TABLE mig_other (id INT)", "DROP TABLE mig_revisions"},
  };
  for (const auto& statements : cases)
    EXPECT_NE(apply(statements), "") << ::testing::PrintToString(statements);
}

TEST_F(RefreshSqlite, RowsAloneChangeNothingAndManyObjectsAreReadInFull) {
  std::string before = inspect_schema(*db, "mig_").text();
  EXPECT_EQ(apply({"INSERT INTO account (email) VALUES ('a')", "UPDATE account SET email = 'b'"}),
            before);
  V many;
  for (int i = 0; i < 70; ++i) many.push_back("CREATE TABLE many" + std::to_string(i) + " (x INT)");
  EXPECT_EQ(apply(many), "");
}

// A run starts from the catalog only when its digest is the recorded
// fingerprint: a schema changed since the snapshot, or no snapshot, means
// the snapshot after the run is taken in full.
TEST_F(RefreshSqlite, TheRunStartsFromTheCatalogOnlyWhenTheSnapshotIsProvedTrue) {
  VersionStore store(*db, "mig_");
  store.ensure();
  EXPECT_FALSE(run_changes(*db, store, "mig_").known);  // no snapshot yet
  ASSERT_EQ(save_snapshot(*db, store, "mig_"), "");
  SchemaChanges changes = run_changes(*db, store, "mig_");
  ASSERT_TRUE(changes.known);
  ASSERT_TRUE(changes.catalog.has_value());
  // The run's statements are not needed: the catalogs tell what changed.
  changes.note(Dialect::SQLite, "ALTER TABLE note ADD COLUMN seen INT");
  db->execute("ALTER TABLE note ADD COLUMN seen INT");
  EXPECT_TRUE(changes.known);
  ASSERT_EQ(save_snapshot(*db, store, "mig_", &changes), "");
  EXPECT_EQ(store.snapshot(), inspect_schema(*db, "mig_").text());
  EXPECT_EQ(store.snapshot_fingerprint().substr(0, 64), db->schema_fingerprint("mig_"));
  // A change after the snapshot: the catalog no longer proves it.
  db->execute("CREATE TABLE later (x INT)");
  EXPECT_FALSE(run_changes(*db, store, "mig_").known);
}

// Only the objects whose rows changed are read again; the others are taken
// from the recorded text (shown with a line put into it on purpose, under
// the fingerprint it was recorded with).
TEST_F(RefreshSqlite, ObjectsTheRunDidNotTouchAreNotReadAgain) {
  VersionStore store(*db, "mig_");
  store.ensure();
  ASSERT_EQ(save_snapshot(*db, store, "mig_"), "");
  std::string text = store.snapshot();
  size_t at = text.find("table account\n");
  ASSERT_NE(at, std::string::npos);
  text.insert(at + 14, "  marked\n");
  store.save_snapshot(text, store.snapshot_fingerprint());
  SchemaChanges changes = run_changes(*db, store, "mig_");
  ASSERT_TRUE(changes.known);
  db->execute("ALTER TABLE note ADD COLUMN seen INT");
  ASSERT_EQ(save_snapshot(*db, store, "mig_", &changes), "");
  EXPECT_NE(store.snapshot().find("table account\n  marked\n"), std::string::npos);
  EXPECT_NE(store.snapshot().find("  column seen int\n"), std::string::npos) << store.snapshot();
  // Without the run's changes the snapshot is taken in full.
  ASSERT_EQ(save_snapshot(*db, store, "mig_"), "");
  EXPECT_EQ(store.snapshot(), inspect_schema(*db, "mig_").text());
}

}  // namespace
}  // namespace mig
