#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "../connection_support.h"
#include "mig/errors.h"

namespace mig {
namespace {

TEST(MysqlDatabase, TheRunLockIsANamedLockHeldByOneRun) {
  testing::Connected c(Dialect::MySQL);
  c.options.lock_name = "mig_";
  auto first = c.open(), second = c.open();
  first->acquire_lock({});
  EXPECT_THROW(second->acquire_lock({}), OperationError);
  first->release_lock();
  EXPECT_NO_THROW(second->acquire_lock({}));
  second->release_lock();
}

TEST(MysqlDatabase, DdlIsNotTransactional) {
  testing::Connected c(Dialect::MySQL);
  auto db = c.open();
  EXPECT_FALSE(db->transactional_ddl());
}

TEST(MysqlDatabase, DmlOnInnodbCommitsWithItsRecordAndOtherStatementsDoNot) {
  testing::Connected c(Dialect::MySQL);
  auto db = c.open();
  db->run("CREATE TABLE inno (x int) ENGINE=InnoDB");
  db->run("CREATE TABLE isam (x int) ENGINE=MyISAM");
  EXPECT_TRUE(db->atomic("INSERT INTO inno VALUES (1)"));
  EXPECT_TRUE(db->atomic("UPDATE inno SET x = 2"));
  EXPECT_FALSE(db->atomic("INSERT INTO isam VALUES (1)"));
  EXPECT_FALSE(db->atomic("ALTER TABLE inno ADD y int"));
  db->run("START TRANSACTION");  // the revision's own transaction
  EXPECT_TRUE(db->work_in_transaction());
  EXPECT_FALSE(db->atomic("INSERT INTO inno VALUES (1)"));
  db->run("COMMIT");
  EXPECT_FALSE(db->work_in_transaction());
}

// The engine is looked up by exact name first (as written, then in lower
// case), and only then ignoring case: every spelling still finds its table.
TEST(MysqlDatabase, TheEngineIsFoundHoweverTheTableNameIsSpelled) {
  testing::Connected c(Dialect::MySQL);
  auto db = c.open();
  db->run("CREATE TABLE lower_inno (x int) ENGINE=InnoDB");
  db->run("CREATE TABLE `Mixed_Inno` (x int) ENGINE=InnoDB");
  db->run("CREATE TABLE `Mixed_Isam` (x int) ENGINE=MyISAM");
  EXPECT_TRUE(db->atomic("INSERT INTO lower_inno VALUES (1)"));
  EXPECT_TRUE(db->atomic("INSERT INTO LOWER_INNO VALUES (1)"));
  EXPECT_TRUE(db->atomic("INSERT INTO `Mixed_Inno` VALUES (1)"));
  EXPECT_TRUE(db->atomic("DELETE FROM Mixed_Inno"));
  EXPECT_FALSE(db->atomic("INSERT INTO `Mixed_Isam` VALUES (1)"));
  EXPECT_FALSE(db->atomic("UPDATE mixed_isam SET x = 1"));
  EXPECT_FALSE(db->atomic("INSERT INTO no_such_table VALUES (1)"));
}

// The server counts a DDL statement when it begins. One still running in
// another session (here an ALTER waiting for a table lock) could change the
// schema after the count is read, so there is no schema version until it
// ends; afterwards the count has moved. Other tests may run DDL on the same
// server at any moment, so a version is waited for rather than expected.
TEST(MysqlDatabase, ADdlStatementStillRunningElsewhereLeavesNoSchemaVersion) {
  testing::Connected c(Dialect::MySQL);
  auto db = c.open(), locker = c.open(), alterer = c.open();
  db->execute("CREATE TABLE locked (x int) ENGINE=InnoDB");
  auto version_soon = [&] {
    for (int i = 0; i < 200; ++i) {
      std::string v = db->schema_version();
      if (!v.empty()) return v;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return std::string();
  };
  std::string before = version_soon();
  ASSERT_FALSE(before.empty()) << "the test user may see every session";
  locker->execute("LOCK TABLES locked READ");
  std::thread alter([&] { alterer->execute("ALTER TABLE locked ADD COLUMN y int"); });
  bool waiting = false;
  for (int i = 0; i < 200 && !waiting; ++i) {
    waiting = testing::scalar(*db,
                              "SELECT COUNT(*) FROM information_schema.processlist WHERE info = "
                              "'ALTER TABLE locked ADD COLUMN y int'") == "1";
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(waiting);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(db->schema_version(), "");
  EXPECT_FALSE(db->schema_version_matches(before));
  locker->execute("UNLOCK TABLES");
  alter.join();
  std::string after = version_soon();
  EXPECT_FALSE(after.empty());
  EXPECT_NE(after.substr(0, after.find(';')), before.substr(0, before.find(';')));
}

TEST(MysqlDatabase, AnAtomicStatementRollsBackWithItsUnitOfWork) {
  testing::Connected c(Dialect::MySQL);
  auto db = c.open();
  db->run("CREATE TABLE inno (x int) ENGINE=InnoDB");
  db->begin_work();
  db->run("INSERT INTO inno VALUES (1)");
  EXPECT_TRUE(db->rollback_work());
  EXPECT_EQ(c.test().query("SELECT count(*) FROM inno"), (std::vector<std::string>{"0"}));
  db->begin_work();
  db->run("INSERT INTO inno VALUES (1)");
  db->commit_work();
  EXPECT_EQ(c.test().query("SELECT count(*) FROM inno"), (std::vector<std::string>{"1"}));
}

TEST(MysqlDatabase, BackslashesAreEscapedInLiterals) {
  testing::Connected c(Dialect::MySQL);
  auto db = c.open();
  std::string q = db->quote("a\\b'c");
  EXPECT_EQ(testing::scalar(*db, "SELECT " + q), "a\\b'c");
}

}  // namespace
}  // namespace mig
