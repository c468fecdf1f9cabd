#include <gtest/gtest.h>

#include "config/url.h"
#include "db/database.h"

namespace mig {
namespace {

TEST(ConnectionString, PostgresKeywordsQuotedWithDefaults) {
  auto url = parse_url("postgresql://app:p%20w'x%5Cy@db.local:6432/shop?sslmode=require", "t");
  EXPECT_EQ(postgresql_conninfo(url),
            "host='db.local' port='6432' dbname='shop' user='app' password='p w\\'x\\\\y' "
            "sslmode='require' connect_timeout='10'");
  auto socket = parse_url("postgres://me@%2Fvar%2Frun%2Fpostgresql/app?connect_timeout=3", "t");
  EXPECT_EQ(postgresql_conninfo(socket),
            "host='/var/run/postgresql' dbname='app' user='me' connect_timeout='3'");
}

TEST(ConnectionString, MysqlSocketOrHost) {
  auto tcp = parse_url("mysql://root:pw@127.0.0.1:3307/app", "t");
  EXPECT_EQ(mysql_connect_string(tcp),
            "host='127.0.0.1' port='3307' dbname='app' user='root' password='pw' "
            "connect_timeout='10'");
  auto sock = parse_url("mariadb://root@%2Ftmp%2Fmy.sock/app", "t");
  EXPECT_EQ(mysql_connect_string(sock),
            "unix_socket='/tmp/my.sock' dbname='app' user='root' connect_timeout='10'");
  EXPECT_EQ(mysql_connect_string(parse_url("mysql:///app", "t")),
            "host='localhost' dbname='app' connect_timeout='10'");
  EXPECT_EQ(mysql_connect_string(parse_url("mysql:///app?charset=utf8mb4", "t")),
            "host='localhost' dbname='app' charset='utf8mb4' connect_timeout='10'");
  // SOCI would only say "Malformed connection string."
  try {
    mysql_connect_string(parse_url("mysql:///app?sslmode=require", "t"));
    FAIL() << "accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("option 'sslmode'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace mig
