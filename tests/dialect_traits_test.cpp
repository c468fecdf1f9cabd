#include "db/dialect_traits.h"

#include <gtest/gtest.h>

#include "db/database.h"

namespace mig {
namespace {

TEST(DialectTraits, OneDefinitionPerDatabase) {
  EXPECT_STREQ(traits(Dialect::SQLite).title, "SQLite");
  EXPECT_STREQ(traits(Dialect::PostgreSQL).title, "PostgreSQL");
  EXPECT_STREQ(traits(Dialect::MySQL).title, "MySQL/MariaDB");
  EXPECT_FALSE(traits(Dialect::MySQL).transactional_ddl);
  EXPECT_TRUE(traits(Dialect::PostgreSQL).transactional_ddl);
  EXPECT_TRUE(traits(Dialect::MySQL).hash_comments);
  EXPECT_TRUE(traits(Dialect::PostgreSQL).dollar_quotes);
  EXPECT_TRUE(traits(Dialect::PostgreSQL).schemas);
  EXPECT_FALSE(traits(Dialect::SQLite).schemas);
  EXPECT_STREQ(to_string(Dialect::PostgreSQL), "postgresql");
}

TEST(DialectTraits, BookkeepingTablesInEachDialect) {
  auto pg = bookkeeping_ddl(Dialect::PostgreSQL, "\"ops\".mig_", "ops");
  ASSERT_EQ(pg.size(), 6u);
  EXPECT_EQ(pg[0], "CREATE SCHEMA IF NOT EXISTS \"ops\"");
  EXPECT_NE(pg[2].find("id BIGSERIAL PRIMARY KEY"), std::string::npos) << pg[2];
  auto my = bookkeeping_ddl(Dialect::MySQL, "mig_", "");
  ASSERT_EQ(my.size(), 5u);
  EXPECT_NE(my[4].find("snapshot MEDIUMTEXT"), std::string::npos) << my[4];
  EXPECT_NE(my[0].find("ENGINE=InnoDB"), std::string::npos) << my[0];
  EXPECT_EQ(bookkeeping_ddl(Dialect::SQLite, "mig_", "ops").size(), 5u);  // no schemas there
  EXPECT_EQ(qualified_prefix(Dialect::PostgreSQL, "o\"ps", "mig_"), "\"o\"\"ps\".mig_");
  EXPECT_EQ(qualified_prefix(Dialect::SQLite, "ops", "mig_"), "mig_");
  EXPECT_EQ(session_reset_sql(Dialect::MySQL), "");
  EXPECT_NE(session_reset_sql(Dialect::PostgreSQL).find("RESET ALL"), std::string::npos);
}

}  // namespace
}  // namespace mig
