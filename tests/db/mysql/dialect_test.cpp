// MySQL and MariaDB's entry in the dialect table (src/db/mysql/dialect.cpp).
#include <gtest/gtest.h>

#include "db/database.h"
#include "db/dialect_traits.h"
#include "script/sql_splitter.h"

namespace mig {
namespace {

TEST(MysqlDialect, DdlCommitsAtOnceSoNothingIsRefusedATransaction) {
  const DialectTraits& t = traits(Dialect::MySQL);
  EXPECT_FALSE(t.transactional_ddl);
  for (const char* sql : {"CREATE INDEX i ON t (x)", "CREATE DATABASE x", "VACUUM"})
    EXPECT_EQ(t.outside_transaction_only(leading_tokens(sql, 8)), "") << sql;
}

TEST(MysqlDialect, HashCommentsBackslashEscapesAndExecutableComments) {
  auto st = split_statements(
      "# a comment; not a statement\nSELECT 'it\\'s; one';\n/*!40101 SET NAMES utf8mb4 */;\n",
      Dialect::MySQL, "my.sql");
  ASSERT_EQ(st.size(), 2u);
  EXPECT_EQ(st[0].sql, "SELECT 'it\\'s; one'");
  EXPECT_EQ(st[1].sql, "/*!40101 SET NAMES utf8mb4 */");  // SQL to the server, not a comment
}

TEST(MysqlDialect, BookkeepingIsInnoDbAndScriptsNeedDelimiters) {
  const DialectTraits& t = traits(Dialect::MySQL);
  auto ddl = bookkeeping_ddl(Dialect::MySQL, "mig_", "ops");
  ASSERT_EQ(ddl.size(), 5u);  // no schemas: database.schema is not used
  for (const auto& table : ddl)
    EXPECT_NE(table.find(" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"), std::string::npos) << table;
  EXPECT_NE(ddl[1].find("id BIGINT AUTO_INCREMENT PRIMARY KEY"), std::string::npos) << ddl[1];
  EXPECT_NE(ddl[4].find("snapshot MEDIUMTEXT"), std::string::npos) << ddl[4];
  EXPECT_EQ(session_reset_sql(Dialect::MySQL), "");  // each revision gets a fresh session
  EXPECT_STREQ(t.begin_transaction, "START TRANSACTION");
  EXPECT_TRUE(t.client_splits_on_semicolons);
  EXPECT_TRUE(t.literal_backslash);
}

}  // namespace
}  // namespace mig
