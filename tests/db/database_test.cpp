// What every connection shares (src/db/database.cpp): opening by dialect,
// masking, connection-string quoting, lock texts, rows as text and the
// bookkeeping tables' names.
#include "db/database.h"

#include <gtest/gtest.h>

#include "../test_support.h"
#include "config/url.h"
#include "secrets.h"

namespace mig {
namespace {

TEST(Database, ConnectionStringsQuoteEveryValueAndAddATimeout) {
  EXPECT_EQ(quote_conn_value("it's a \\ path"), "'it\\'s a \\\\ path'");
  DatabaseUrl url = parse_url("postgresql://h/app?connect_timeout=3&sslmode=verify-full", "t");
  EXPECT_EQ(connection_string({{"host", "h"}, {"user", ""}, {"password", "p w"}}, url),
            "host='h' password='p w' connect_timeout='3' sslmode='verify-full'");
  EXPECT_EQ(connection_string({{"dbname", "x"}}, parse_url("postgresql:///x", "t")),
            "dbname='x' connect_timeout='10'");  // empty values left out, a timeout added
}

TEST(Database, LockTextsNameTheDatabaseButNoPassword) {
  DatabaseUrl url = parse_url("postgresql://app:s3cret@db/shop", "t");
  std::string notice = lock_wait_notice(30, url);
  EXPECT_NE(notice.find("waiting up to 30 s"), std::string::npos) << notice;
  EXPECT_NE(notice.find("db"), std::string::npos) << notice;
  EXPECT_EQ(notice.find("s3cret"), std::string::npos) << notice;
  std::string timeout = lock_timeout_error(30, url).what();
  EXPECT_NE(timeout.find("database.lock_timeout"), std::string::npos) << timeout;
  EXPECT_EQ(timeout.find("s3cret"), std::string::npos) << timeout;
}

TEST(Database, OpensSqliteInProcessAndSaysWhetherTheFileIsThere) {
  testing::TempDir dir;
  DatabaseUrl url = parse_url("sqlite:" + dir / "a.db", "t");
  EXPECT_FALSE(Database::exists(url));
  EXPECT_TRUE(Database::exists(parse_url("sqlite::memory:", "t")));
  EXPECT_TRUE(Database::exists(parse_url("postgresql://h/app", "t")));  // only a server can say
  auto db = Database::open(url, ConnectOptions{});
  EXPECT_TRUE(Database::exists(url));
  db->execute("CREATE TABLE t (s TEXT, i INTEGER, r REAL)");
  db->execute("INSERT INTO t VALUES ('x', 7, 1.5), (NULL, NULL, NULL)");
  EXPECT_EQ(query_rows(*db, "SELECT s, i, r FROM t ORDER BY i IS NULL", "NULL"),
            (std::vector<std::vector<std::string>>{{"x", "7", "1.5"}, {"NULL", "NULL", "NULL"}}));
}

TEST(Database, MasksWithTheRedactorItIsGivenOrItsOwnUrlsPassword) {
  auto shared = std::make_shared<Redactor>();
  shared->add_secret("hunter2");
  ConnectOptions options;
  options.redactor = shared;
  auto db = Database::open(parse_url("sqlite::memory:", "t"), options);
  EXPECT_EQ(db->redact("password hunter2"), "password ***");
  auto own = Database::open(parse_url("sqlite::memory:", "t"), ConnectOptions{});
  EXPECT_EQ(own->redact("password hunter2"), "password hunter2");  // not a secret of its own
}

TEST(Database, BookkeepingNamesQuoteTheSchema) {
  EXPECT_EQ(qualified_prefix(Dialect::PostgreSQL, "o\"ps", "mig_"), "\"o\"\"ps\".mig_");
  EXPECT_EQ(qualified_prefix(Dialect::PostgreSQL, "", "mig_"), "mig_");
  EXPECT_EQ(qualified_prefix(Dialect::MySQL, "ops", "mig_"), "mig_");
  for (Dialect d : {Dialect::SQLite, Dialect::PostgreSQL, Dialect::MySQL}) {
    auto ddl = bookkeeping_ddl(d, "x_", "");
    ASSERT_EQ(ddl.size(), 5u) << to_string(d);
    const char* tables[] = {"x_revisions", "x_log", "x_seeds", "x_progress", "x_schema"};
    for (size_t i = 0; i < 5; ++i)
      EXPECT_EQ(ddl[i].rfind(std::string("CREATE TABLE IF NOT EXISTS ") + tables[i] + " (", 0), 0u)
          << ddl[i];
  }
}

}  // namespace
}  // namespace mig
