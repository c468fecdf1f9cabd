#include <gtest/gtest.h>

#include "../inspect_support.h"

namespace mig {
namespace {

const char* shop =
    "table account\n"
    "  column id int(11) not null\n"
    "  column email varchar(200) not null\n"
    "  column plan varchar(20) default 'free'\n"
    "  index account_plan (plan)\n"
    "  primary key (id)\n"
    "  unique index email (email)\n"
    "table orders\n"
    "  column id int(11) not null\n"
    "  column account_id int(11) not null\n"
    "  foreign key orders_ibfk_1 (account_id) references account (id)\n"
    "  index account_id (account_id)\n"
    "  primary key (id)\n"
    "view free_accounts\n"
    "  select `account`.`id` AS `id` from `account` where `account`.`plan` = 'free'\n";

TEST(InspectMysql, TablesKeysIndexesAndViewsWithoutMigsOwnTables) {
  testing::Connected c(Dialect::MySQL);
  auto db = c.open();
  testing::create_shop(*db, Dialect::MySQL);
  EXPECT_EQ(testing::schema_text(*db), shop);
}

// The server writes the database's name into every view; the same schema
// in two databases (staging and production, a scratch database) must read
// the same.
TEST(InspectMysql, TheSameSchemaReadsTheSameInAnotherDatabase) {
  testing::Connected one(Dialect::MySQL), two(Dialect::MySQL);
  ASSERT_NE(one.test().name(), two.test().name());
  auto a = one.open(), b = two.open();
  testing::create_shop(*a, Dialect::MySQL);
  testing::create_shop(*b, Dialect::MySQL);
  EXPECT_EQ(testing::schema_text(*a), testing::schema_text(*b));
  EXPECT_EQ(testing::schema_text(*b).find(two.test().name()), std::string::npos);
}

}  // namespace
}  // namespace mig
