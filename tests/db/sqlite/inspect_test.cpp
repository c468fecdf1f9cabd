#include <gtest/gtest.h>

#include "../inspect_support.h"

namespace mig {
namespace {

TEST(InspectSqlite, TablesKeysIndexesAndViewsWithoutMigsOwnTables) {
  testing::Connected c(Dialect::SQLite);
  auto db = c.open();
  testing::create_shop(*db, Dialect::SQLite);
  EXPECT_EQ(testing::schema_text(*db),
            "table account\n"
            "  column id integer not null\n"
            "  column email varchar(200) not null\n"
            "  column plan varchar(20) default 'free'\n"
            "  index account_plan (plan)\n"
            "  primary key part 1: id\n"
            "  unique (email)\n"
            "table orders\n"
            "  column id integer\n"
            "  column account_id integer not null\n"
            "  foreign key (account_id) references account (id) on update no action on delete no "
            "action\n"
            "  primary key part 1: id\n"
            "view free_accounts\n"
            "  CREATE VIEW free_accounts AS SELECT id FROM account WHERE plan = 'free'\n");
}

TEST(InspectSqlite, TriggersAndTheOrderObjectsWereCreatedInDoNotMatter) {
  testing::Connected one(Dialect::SQLite), two(Dialect::SQLite);
  auto a = one.open(), b = two.open();
  a->execute("CREATE TABLE t (x int)");
  a->execute("CREATE TABLE u (y int)");
  a->execute("CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO u VALUES (1); END");
  b->execute("CREATE TABLE u (y int)");
  b->execute("CREATE TABLE t (x int)");
  b->execute("CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO u VALUES (1); END");
  EXPECT_EQ(testing::schema_text(*a), testing::schema_text(*b));
  EXPECT_NE(testing::schema_text(*a).find("trigger t_ins"), std::string::npos);
}

}  // namespace
}  // namespace mig
