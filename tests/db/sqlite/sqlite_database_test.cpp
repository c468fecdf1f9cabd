#include <gtest/gtest.h>

#include "../connection_support.h"
#include "mig/errors.h"

namespace mig {
namespace {

TEST(SqliteDatabase, AMissingFileIsNotThereUntilOpened) {
  testing::TempDir dir;
  DatabaseUrl url = parse_url("sqlite://" + dir / "new.db", "test");
  EXPECT_FALSE(Database::exists(url));
  auto db = Database::open(url, ConnectOptions{});
  EXPECT_TRUE(Database::exists(url));
  EXPECT_EQ(db->dialect(), Dialect::SQLite);
  EXPECT_TRUE(db->transactional_ddl());
}

TEST(SqliteDatabase, TheRunLockIsALockFileOthersWaitFor) {
  testing::Connected c(Dialect::SQLite);
  auto first = c.open(), second = c.open();
  first->acquire_lock({});
  try {
    second->acquire_lock({});
    FAIL() << "two runs held the lock";
  } catch (const OperationError& e) {
    EXPECT_NE(std::string(e.what()).find("lock"), std::string::npos) << e.what();
  }
  first->release_lock();
  EXPECT_NO_THROW(second->acquire_lock({}));
  second->release_lock();
}

TEST(SqliteDatabase, ARunIsOneTransactionAndStepsAreSavepointsInIt) {
  testing::Connected c(Dialect::SQLite);
  auto db = c.open(), watcher = c.open();
  db->execute("CREATE TABLE t (x INTEGER)");
  db->acquire_lock({});
  db->begin_step();
  db->execute("INSERT INTO t VALUES (1)");
  db->commit_step();
  db->begin_step();
  db->execute("INSERT INTO t VALUES (2)");
  EXPECT_TRUE(db->rollback_step());                                     // the savepoint only
  EXPECT_EQ(testing::scalar(*watcher, "SELECT count(*) FROM t"), "0");  // not committed yet
  db->release_lock();
  EXPECT_EQ(testing::scalar(*watcher, "SELECT count(*) FROM t"), "1");
}

TEST(SqliteDatabase, ATransactionARevisionLeftOpenIsNotCommittedAtTheEnd) {
  testing::Connected c(Dialect::SQLite);
  auto db = c.open(), watcher = c.open();
  db->execute("CREATE TABLE t (x INTEGER)");
  db->acquire_lock({});
  db->suspend_transaction();  // as for a `transaction off` revision
  db->execute("BEGIN");       // its own, never committed
  db->execute("INSERT INTO t VALUES (1)");
  db->release_lock();
  EXPECT_EQ(testing::scalar(*watcher, "SELECT count(*) FROM t"), "0");
  EXPECT_NO_THROW(watcher->acquire_lock({}));  // and nothing is left locked
  watcher->release_lock();
}

TEST(SqliteDatabase, TheSchemaVersionAndFingerprintChangeWithTheSchemaOnly) {
  testing::Connected c(Dialect::SQLite);
  auto db = c.open();
  db->execute("CREATE TABLE t (x INTEGER)");
  std::string version = db->schema_version(), fingerprint = db->schema_fingerprint("mig_");
  db->execute("INSERT INTO t VALUES (1)");
  EXPECT_EQ(db->schema_version(), version);
  EXPECT_EQ(db->schema_fingerprint("mig_"), fingerprint);
  db->execute("CREATE TABLE mig_version (id TEXT)");  // mig's own: not the user's schema
  EXPECT_EQ(db->schema_fingerprint("mig_"), fingerprint);
  db->execute("CREATE INDEX i ON t (x)");
  EXPECT_NE(db->schema_version(), version);
  EXPECT_NE(db->schema_fingerprint("mig_"), fingerprint);
}

TEST(SqliteDatabase, QuotingAndTables) {
  testing::Connected c(Dialect::SQLite);
  auto db = c.open();
  EXPECT_EQ(db->quote("it's"), "'it''s'");
  EXPECT_FALSE(db->table_exists("t"));
  db->execute("CREATE TABLE t (x INTEGER)");
  EXPECT_TRUE(db->table_exists("t"));
  EXPECT_EQ(db->execute("INSERT INTO t VALUES (1), (2)"), 2);
}

}  // namespace
}  // namespace mig
