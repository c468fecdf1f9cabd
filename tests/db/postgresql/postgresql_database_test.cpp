#include <gtest/gtest.h>

#include "../connection_support.h"
#include "mig/errors.h"

namespace mig {
namespace {

TEST(PostgresqlDatabase, TheRunLockIsAnAdvisoryLockPerSchemaAndPrefix) {
  testing::Connected c(Dialect::PostgreSQL);
  c.options.lock_name = "mig_";
  auto first = c.open(), second = c.open();
  first->acquire_lock({});
  EXPECT_THROW(second->acquire_lock({}), OperationError);
  first->release_lock();
  EXPECT_NO_THROW(second->acquire_lock({}));
  second->release_lock();
}

TEST(PostgresqlDatabase, DdlIsTransactional) {
  testing::Connected c(Dialect::PostgreSQL);
  auto db = c.open();
  EXPECT_TRUE(db->transactional_ddl());
  db->begin_step();
  db->execute("CREATE TABLE t (x int)");
  EXPECT_TRUE(db->rollback_step());
  EXPECT_FALSE(db->table_exists("t"));
}

TEST(PostgresqlDatabase, ARevisionsSessionSettingsAreResetAfterIt) {
  testing::Connected c(Dialect::PostgreSQL);
  auto db = c.open();
  std::string before = testing::scalar(*db, "SHOW search_path");
  db->execute("SET search_path = nowhere");
  db->execute(db->end_of_revision_sql());
  EXPECT_EQ(testing::scalar(*db, "SHOW search_path"), before);
}

TEST(PostgresqlDatabase, ARevisionsOwnBeginIsSeen) {
  testing::Connected c(Dialect::PostgreSQL);
  auto db = c.open();
  EXPECT_FALSE(db->work_in_transaction());
  db->execute("BEGIN");
  EXPECT_TRUE(db->work_in_transaction());
  db->execute("COMMIT");
  EXPECT_FALSE(db->work_in_transaction());
}

TEST(PostgresqlDatabase, BookkeepingLivesInTheConfiguredSchema) {
  testing::Connected c(Dialect::PostgreSQL);
  c.test().execute("CREATE SCHEMA ops");
  c.options.schema = "ops";
  auto db = c.open();
  EXPECT_EQ(db->qualified("mig_version"), "\"ops\".mig_version");
  c.test().execute("CREATE TABLE ops.mig_version (id text)");
  EXPECT_TRUE(db->table_exists("mig_version"));
}

TEST(PostgresqlDatabase, ANulByteIsRefusedNotCutShort) {
  testing::Connected c(Dialect::PostgreSQL);
  auto db = c.open();
  EXPECT_THROW(db->execute(std::string("SELECT 1\0; DROP TABLE x", 24)), std::exception);
}

}  // namespace
}  // namespace mig
