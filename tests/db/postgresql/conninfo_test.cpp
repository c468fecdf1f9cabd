// How a URL becomes a libpq connection string (src/db/postgresql/conninfo.cpp).
#include <gtest/gtest.h>

#include "config/url.h"
#include "db/database.h"

namespace mig {
namespace {

TEST(PostgresqlConninfo, KeywordsQuotedWithDefaults) {
  auto url = parse_url("postgresql://app:p%20w'x%5Cy@db.local:6432/shop?sslmode=require", "t");
  EXPECT_EQ(postgresql_conninfo(url),
            "host='db.local' port='6432' dbname='shop' user='app' password='p w\\'x\\\\y' "
            "sslmode='require' connect_timeout='10'");
  auto socket = parse_url("postgres://me@%2Fvar%2Frun%2Fpostgresql/app?connect_timeout=3", "t");
  EXPECT_EQ(postgresql_conninfo(socket),
            "host='/var/run/postgresql' dbname='app' user='me' connect_timeout='3'");
}

TEST(PostgresqlConninfo, WhatTheUrlLeavesOutIsLeftToLibpq) {
  // No user, host or password: libpq fills them in (PG* variables, .pgpass).
  EXPECT_EQ(postgresql_conninfo(parse_url("postgresql:///app", "t")),
            "dbname='app' connect_timeout='10'");
  EXPECT_EQ(postgresql_conninfo(parse_url("postgresql://h/app?application_name=deploy", "t")),
            "host='h' dbname='app' application_name='deploy' connect_timeout='10'");
}

}  // namespace
}  // namespace mig
