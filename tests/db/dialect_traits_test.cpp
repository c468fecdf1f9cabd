#include "db/dialect_traits.h"

#include <gtest/gtest.h>

namespace mig {
namespace {

// What each database is like, in one table per database; the facts of each
// are tested beside its folder (tests/db/*/dialect_test.cpp).
TEST(DialectTraits, OneDefinitionPerDatabase) {
  EXPECT_STREQ(traits(Dialect::SQLite).title, "SQLite");
  EXPECT_STREQ(traits(Dialect::PostgreSQL).title, "PostgreSQL");
  EXPECT_STREQ(traits(Dialect::MySQL).title, "MySQL/MariaDB");
  EXPECT_NE(&traits(Dialect::SQLite), &traits(Dialect::PostgreSQL));
  EXPECT_NE(&traits(Dialect::PostgreSQL), &traits(Dialect::MySQL));
  EXPECT_STREQ(to_string(Dialect::PostgreSQL), "postgresql");
  EXPECT_STREQ(to_string(Dialect::MySQL), "mysql");
  EXPECT_STREQ(to_string(Dialect::SQLite), "sqlite");
}

}  // namespace
}  // namespace mig
