// SQLite's entry in the dialect table (src/db/sqlite/dialect.cpp).
#include <gtest/gtest.h>

#include "db/database.h"
#include "db/dialect_traits.h"
#include "script/sql_splitter.h"

namespace mig {
namespace {

std::string refused(const std::string& sql) {
  return traits(Dialect::SQLite).outside_transaction_only(leading_tokens(sql, 8));
}

TEST(SqliteDialect, OnlyVacuumRefusesTheRunsTransaction) {
  EXPECT_EQ(refused("vacuum"), "VACUUM");
  EXPECT_EQ(refused("VACUUM INTO 'copy.db'"), "VACUUM");
  for (const char* fine : {"CREATE INDEX i ON t (x)", "CREATE DATABASE x", "REINDEX t", ""})
    EXPECT_EQ(refused(fine), "") << fine;
}

TEST(SqliteDialect, NoBackslashEscapesNoHashCommentsNoDollarQuotes) {
  auto st = split_statements("SELECT 'a\\'; SELECT $x$;", Dialect::SQLite, "lite.sql");
  ASSERT_EQ(st.size(), 2u);  // the backslash ends nothing
  EXPECT_EQ(st[0].sql, "SELECT 'a\\'");
  EXPECT_EQ(st[1].sql, "SELECT $x$");
}

TEST(SqliteDialect, BookkeepingHasNoSchemaAndNoSessionToReset) {
  const DialectTraits& t = traits(Dialect::SQLite);
  EXPECT_TRUE(t.transactional_ddl);
  EXPECT_FALSE(t.schemas);
  EXPECT_EQ(qualified_prefix(Dialect::SQLite, "ops", "mig_"), "mig_");  // database.schema ignored
  auto ddl = bookkeeping_ddl(Dialect::SQLite, "mig_", "ops");
  ASSERT_EQ(ddl.size(), 5u);
  EXPECT_EQ(ddl[0].rfind("CREATE TABLE IF NOT EXISTS mig_revisions (", 0), 0u) << ddl[0];
  EXPECT_NE(ddl[1].find("id INTEGER PRIMARY KEY AUTOINCREMENT"), std::string::npos) << ddl[1];
  EXPECT_EQ(session_reset_sql(Dialect::SQLite), "");
}

}  // namespace
}  // namespace mig
