// How a URL becomes a SOCI MySQL connection string (src/db/mysql/connect_string.cpp).
#include <gtest/gtest.h>

#include "config/url.h"
#include "db/database.h"

namespace mig {
namespace {

TEST(MysqlConnectString, SocketOrHostAndOnlyKnownOptions) {
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
