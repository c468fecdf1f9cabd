#include <gtest/gtest.h>

#include "../inspect_support.h"

namespace mig {
namespace {

TEST(InspectPostgresql, TablesConstraintsIndexesAndViewsWithoutMigsOwnTables) {
  testing::Connected c(Dialect::PostgreSQL);
  auto db = c.open();
  testing::create_shop(*db, Dialect::PostgreSQL);
  EXPECT_EQ(testing::schema_text(*db),
            "table account\n"
            "  column id integer not null\n"
            "  column email character varying(200) not null\n"
            "  column plan character varying(20) default 'free'::character varying\n"
            "  constraint account_email_key UNIQUE (email)\n"
            "  constraint account_pkey PRIMARY KEY (id)\n"
            "  index CREATE INDEX account_plan ON account USING btree (plan)\n"
            "table orders\n"
            "  column id integer not null\n"
            "  column account_id integer not null\n"
            "  constraint orders_account_id_fkey FOREIGN KEY (account_id) REFERENCES account(id)\n"
            "  constraint orders_pkey PRIMARY KEY (id)\n"
            "view free_accounts\n"
            "  SELECT account.id FROM account WHERE ((account.plan)::text = 'free'::text);\n");
}

TEST(InspectPostgresql, OnlyTheConnectionsSchemaIsRead) {
  testing::Connected c(Dialect::PostgreSQL);
  c.test().execute("CREATE SCHEMA other");
  c.test().execute("CREATE TABLE other.elsewhere (x int)");
  auto db = c.open();
  db->execute("CREATE TABLE here (x int)");
  EXPECT_EQ(testing::schema_text(*db), "table here\n  column x integer\n");
}

}  // namespace
}  // namespace mig
