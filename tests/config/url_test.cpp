#include "config/url.h"

#include <gtest/gtest.h>

#include "errors.h"

namespace mig {
namespace {

TEST(Url, SqliteForms) {
  EXPECT_EQ(parse_url("sqlite:var/app.db", "x").path, "var/app.db");
  EXPECT_EQ(parse_url("sqlite:///abs/app.db", "x").path, "/abs/app.db");
  auto mem = parse_url("sqlite::memory:", "x");
  EXPECT_TRUE(mem.is_memory());
  EXPECT_EQ(mem.dialect, Dialect::SQLite);
  EXPECT_THROW(parse_url("sqlite:", "x"), UsageError);
  EXPECT_THROW(parse_url("sqlite://host/x.db", "x"), UsageError);
}

TEST(Url, PostgresWithEverything) {
  auto u = parse_url("postgresql://app:s%40cret@db.example.com:6543/shop?sslmode=require", "x");
  EXPECT_EQ(u.dialect, Dialect::PostgreSQL);
  EXPECT_EQ(u.user, "app");
  EXPECT_EQ(u.password, "s@cret");
  EXPECT_EQ(u.host, "db.example.com");
  EXPECT_EQ(u.port, 6543);
  EXPECT_EQ(u.database, "shop");
  ASSERT_EQ(u.params.size(), 1u);
  EXPECT_EQ(u.params[0].first, "sslmode");
  EXPECT_EQ(u.params[0].second, "require");
  EXPECT_EQ(parse_url("postgres://h/db", "x").dialect, Dialect::PostgreSQL);
}

TEST(Url, MysqlIpv6AndSocketHosts) {
  auto u = parse_url("mariadb://root@[::1]:3307/app", "x");
  EXPECT_EQ(u.dialect, Dialect::MySQL);
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 3307);
  EXPECT_EQ(parse_url("mysql://u@%2Ftmp%2Fmy.sock/app", "x").host, "/tmp/my.sock");
}

TEST(Url, RedactedNeverShowsThePassword) {
  auto u = parse_url("postgresql://app:hunter2@db:5432/shop?password=hunter3&sslmode=off", "x");
  std::string r = u.redacted();
  EXPECT_EQ(r.find("hunter"), std::string::npos) << r;
  EXPECT_EQ(r, "postgresql://app:***@db:5432/shop?password=***&sslmode=off");
  EXPECT_EQ(u.describe().find("hunter"), std::string::npos);
  EXPECT_EQ(parse_url("sqlite:///abs/x.db", "x").redacted(), "sqlite:///abs/x.db");
}

TEST(Url, ErrorsNameTheOriginAndNeverEchoTheUrl) {
  for (const char* bad : {"oracle://u:hunter2@h/db", "nonsense", "mysql://u:hunter2@h:99999/db",
                          "postgresql:u:hunter2@h/db", "mysql://u:hunter2@h/db?x"}) {
    try {
      parse_url(bad, "--url");
      FAIL() << bad;
    } catch (const UsageError& e) {
      std::string m = e.what();
      EXPECT_EQ(m.rfind("--url: ", 0), 0u) << m;
      EXPECT_EQ(m.find("hunter2"), std::string::npos) << m;
    }
  }
  // A password with an unencoded '/' or '?' is never shown in part, as a
  // port or a database name.
  for (const char* bad :
       {"postgresql://app:FragA7x/hunter2@db:5432/shop",
        "postgresql://app:Frag?E9y@hunter2@db/shop", "mysql://app:Frag/E9y@hunter2@db/shop",
        "mysql://app:a?b/c@hunter2:99/x"}) {
    try {
      parse_url(bad, "DATABASE_URL");
      FAIL() << bad;
    } catch (const UsageError& e) {
      std::string m = e.what();
      for (const char* part : {"Frag", "A7x", "E9y", "hunter2"})
        EXPECT_EQ(m.find(part), std::string::npos) << m;
      EXPECT_NE(m.find("%2F"), std::string::npos) << m;
    }
  }
  EXPECT_EQ(parse_url("postgresql://app:Frag%2FA7x%3F@db/shop", "x").password, "Frag/A7x?");
  // user:password with the @host forgotten: the "port" is the password.
  try {
    parse_url("postgresql://app:hunter2x/db", "x");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2x"), std::string::npos) << e.what();
  }
  EXPECT_EQ(parse_url("postgresql://app:p@ss@db/shop", "x").password, "p@ss");
  try {
    parse_url("oracle://h/db", "DATABASE_URL");
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown database URL scheme 'oracle'"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace mig
