#include "db/script_connection.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace mig {
namespace {

TEST(ScriptConnection, StatementsAreWrittenNotRun) {
  ScriptConnection c(Dialect::PostgreSQL, "");
  EXPECT_TRUE(c.offline());
  c.begin_step();
  c.execute("CREATE TABLE t (x int)");
  c.commit_step("INSERT INTO mig_version VALUES ('a')");
  EXPECT_EQ(c.text(),
            "BEGIN;\nCREATE TABLE t (x int);\nINSERT INTO mig_version VALUES ('a');\nCOMMIT;\n");
}

TEST(ScriptConnection, MysqlStatementsHoldingSemicolonsGetADelimiter) {
  ScriptConnection c(Dialect::MySQL, "");
  c.execute("CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET @a = 1; END");
  EXPECT_EQ(c.text(),
            "DELIMITER $$\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET @a = 1; "
            "END$$\nDELIMITER ;\n");
  ScriptConnection d(Dialect::MySQL, "");
  d.execute("SELECT '$$'; SELECT 1");  // the delimiter cannot be one the statement holds
  EXPECT_EQ(d.text(), "DELIMITER //\nSELECT '$$'; SELECT 1//\nDELIMITER ;\n");
  ScriptConnection p(Dialect::PostgreSQL, "");
  p.execute("DO $$ BEGIN PERFORM 1; END $$");  // psql reads dollar quotes itself
  EXPECT_EQ(p.text(), "DO $$ BEGIN PERFORM 1; END $$;\n");
}

TEST(ScriptConnection, LiteralsAreQuotedAsTheDatabaseReadsThem) {
  EXPECT_EQ(sql_literal(Dialect::PostgreSQL, "it's C:\\x"), "'it''s C:\\x'");
  EXPECT_EQ(sql_literal(Dialect::SQLite, "it's C:\\x"), "'it''s C:\\x'");
  EXPECT_EQ(sql_literal(Dialect::MySQL, "it's C:\\x"), "'it''s C:\\\\x'");
  ScriptConnection c(Dialect::MySQL, "");
  EXPECT_EQ(c.quote("a\\b"), "'a\\\\b'");
}

TEST(ScriptConnection, TablesAreQualifiedWithTheSchema) {
  ScriptConnection c(Dialect::PostgreSQL, "ops");
  EXPECT_EQ(c.schema(), "ops");
  EXPECT_NE(c.qualified("mig_version").find("ops"), std::string::npos)
      << c.qualified("mig_version");
  ScriptConnection s(Dialect::SQLite, "");
  EXPECT_EQ(s.qualified("mig_version"), "mig_version");
}

TEST(ScriptConnection, WhatNeedsALiveDatabaseIsRefused) {
  ScriptConnection c(Dialect::SQLite, "");
  EXPECT_THROW(c.table_exists("t"), std::logic_error);
  EXPECT_THROW(c.acquire_lock({}), std::logic_error);
  EXPECT_THROW(c.rollback_step(), std::logic_error);
  EXPECT_THROW(c.suspend_transaction(), std::logic_error);
}

TEST(ScriptConnection, TransactionalDdlFollowsTheDialect) {
  EXPECT_TRUE(ScriptConnection(Dialect::PostgreSQL, "").transactional_ddl());
  EXPECT_TRUE(ScriptConnection(Dialect::SQLite, "").transactional_ddl());
  EXPECT_FALSE(ScriptConnection(Dialect::MySQL, "").transactional_ddl());
}

}  // namespace
}  // namespace mig
