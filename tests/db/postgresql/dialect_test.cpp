// PostgreSQL's entry in the dialect table (src/db/postgresql/dialect.cpp):
// what it refuses inside a transaction, how its SQL is lexed, its
// bookkeeping tables and how a revision's session is put back.
#include <gtest/gtest.h>

#include "db/database.h"
#include "db/dialect_traits.h"
#include "script/sql_splitter.h"

namespace mig {
namespace {

std::string refused(const std::string& sql) {
  return traits(Dialect::PostgreSQL).outside_transaction_only(leading_tokens(sql, 8));
}

TEST(PostgresqlDialect, StatementsThatRefuseATransactionAreNamed) {
  EXPECT_EQ(refused("create index concurrently i on t (x)"), "CREATE INDEX CONCURRENTLY");
  EXPECT_EQ(refused("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x)"),
            "CREATE INDEX CONCURRENTLY");
  EXPECT_EQ(refused("DROP INDEX CONCURRENTLY i"), "DROP INDEX CONCURRENTLY");
  EXPECT_EQ(refused("REINDEX TABLE CONCURRENTLY t"), "REINDEX CONCURRENTLY");
  EXPECT_EQ(refused("REINDEX SCHEMA public"), "REINDEX SCHEMA");
  EXPECT_EQ(refused("VACUUM (ANALYZE) t"), "VACUUM");
  EXPECT_EQ(refused("CREATE DATABASE shop"), "CREATE DATABASE");
  EXPECT_EQ(refused("DROP TABLESPACE fast"), "DROP TABLESPACE");
  EXPECT_EQ(refused("ALTER SYSTEM SET work_mem = '8MB'"), "ALTER SYSTEM");
  EXPECT_EQ(refused("ALTER DATABASE shop SET TABLESPACE fast"),
            "ALTER DATABASE ... SET TABLESPACE");
  EXPECT_EQ(refused("DISCARD ALL"), "DISCARD ALL");
  // Look-alikes run in the revision's transaction as usual.
  for (const char* fine :
       {"CREATE INDEX i ON t (x)", "REINDEX TABLE t", "ALTER DATABASE shop SET work_mem = '8MB'",
        "DISCARD TEMP", "CREATE TABLE concurrently (x int)", "SELECT 'VACUUM'", ""})
    EXPECT_EQ(refused(fine), "") << fine;
}

TEST(PostgresqlDialect, DollarQuotesNestedCommentsAndEStrings) {
  auto st = split_statements(
      "CREATE FUNCTION f() RETURNS int AS $b$ SELECT 1; $b$ LANGUAGE sql;\n"
      "/* outer /* inner; */ still a comment; */ SELECT E'it\\'s; here';\n",
      Dialect::PostgreSQL, "pg.sql");
  ASSERT_EQ(st.size(), 2u);
  EXPECT_NE(st[0].sql.find("$b$ SELECT 1; $b$"), std::string::npos) << st[0].sql;
  EXPECT_NE(st[1].sql.find("E'it\\'s; here'"), std::string::npos) << st[1].sql;
  // '#' is an operator here, not a comment.
  EXPECT_EQ(split_statements("SELECT 5 # 3; SELECT 2;", Dialect::PostgreSQL, "pg.sql").size(), 2u);
}

TEST(PostgresqlDialect, BookkeepingInItsOwnSchemaAndASessionPutBack) {
  const DialectTraits& t = traits(Dialect::PostgreSQL);
  EXPECT_TRUE(t.transactional_ddl);
  EXPECT_TRUE(t.schemas);
  auto ddl = bookkeeping_ddl(Dialect::PostgreSQL,
                             qualified_prefix(Dialect::PostgreSQL, "ops", "mig_"), "ops");
  ASSERT_EQ(ddl.size(), 6u);
  EXPECT_EQ(ddl[0], "CREATE SCHEMA IF NOT EXISTS \"ops\"");
  EXPECT_EQ(ddl[1].rfind("CREATE TABLE IF NOT EXISTS \"ops\".mig_revisions (", 0), 0u) << ddl[1];
  EXPECT_NE(ddl[2].find("id BIGSERIAL PRIMARY KEY"), std::string::npos) << ddl[2];
  EXPECT_NE(ddl[1].find("DOUBLE PRECISION"), std::string::npos) << ddl[1];
  // Without a schema the tables go where search_path says.
  EXPECT_EQ(bookkeeping_ddl(Dialect::PostgreSQL, "mig_", "").size(), 5u);
  std::string reset = session_reset_sql(Dialect::PostgreSQL);
  for (const char* part :
       {"RESET SESSION AUTHORIZATION", "RESET ROLE", "RESET ALL", "DISCARD TEMP"})
    EXPECT_NE(reset.find(part), std::string::npos) << part;
  EXPECT_EQ(reset.find("DISCARD ALL"), std::string::npos);  // it would drop the run's lock
  EXPECT_STREQ(t.begin_transaction, "BEGIN");
  EXPECT_FALSE(t.client_splits_on_semicolons);
}

}  // namespace
}  // namespace mig
