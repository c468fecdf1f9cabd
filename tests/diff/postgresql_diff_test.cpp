// PostgreSQL's planner on schema values (src/diff/postgresql_diff.cpp); the
// same on a real server is in tests/project/postgresql_diff_test.cpp and
// tests/diff/diff_random_test.cpp.
#include "diff/postgresql_diff.h"

#include <gtest/gtest.h>

namespace mig {
namespace {

using V = std::vector<std::string>;

PgTable table(const std::string& name, const std::string& references = "") {
  PgTable t;
  t.name = name;
  t.columns.push_back({"id", "integer", "", "", "", "", true, 0, ""});
  if (!references.empty()) {
    t.columns.push_back({"ref", "integer", "", "", "", "", false, 0, ""});
    t.constraints.push_back({name + "_ref", "FOREIGN KEY (ref) REFERENCES " + references + "(id)",
                             "", 'f', references, false});
  }
  return t;
}

TEST(PostgresqlPlan, ACycleOfForeignKeysIsClosedAfterBothTables) {
  PgSchema to;
  to.tables = {table("a", "b"), table("b", "a")};
  SchemaChange c = plan_postgresql_change({}, to);
  ASSERT_EQ(c.statements.size(), 3u);
  EXPECT_EQ(c.statements[0].rfind("CREATE TABLE a (", 0), 0u) << c.statements[0];
  EXPECT_EQ(c.statements[0].find("REFERENCES"), std::string::npos);  // b is not there yet
  EXPECT_NE(c.statements[1].find("CONSTRAINT b_ref FOREIGN KEY (ref) REFERENCES a(id)"),
            std::string::npos);
  EXPECT_EQ(c.statements[2],
            "ALTER TABLE a ADD CONSTRAINT a_ref FOREIGN KEY (ref) REFERENCES b(id)");
  SchemaChange back = plan_postgresql_change(to, {});
  // Tables that go together go in one statement, their keys with them.
  EXPECT_EQ(back.statements, V{"DROP TABLE a, b"});
  EXPECT_EQ(back.destructive, (V{"table a is dropped", "table b is dropped"}));
}

TEST(PostgresqlPlan, EnumValuesInPlaceOutsideATransactionElseTheTypeIsMadeAgain) {
  PgSchema from, to;
  from.enums = {{"mood", "", {"'ok'"}}};
  to.enums = {{"mood", "", {"'sad'", "'ok'", "'happy'"}}};
  SchemaChange up = plan_postgresql_change(from, to);
  EXPECT_TRUE(up.outside_transaction);
  EXPECT_EQ(up.statements, (V{"ALTER TYPE mood ADD VALUE 'sad' BEFORE 'ok'",
                              "ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok'"}));
  SchemaChange down = plan_postgresql_change(to, from);
  EXPECT_FALSE(down.outside_transaction);
  EXPECT_EQ(down.statements, (V{"ALTER TYPE mood RENAME TO \"mig_old_mood\"",
                                "CREATE TYPE mood AS ENUM ('ok')", "DROP TYPE \"mig_old_mood\""}));
  EXPECT_EQ(down.destructive,
            (V{"enum mood loses the value 'sad'", "enum mood loses the value 'happy'"}));
}

TEST(PostgresqlPlan, WideningIsNotDestructiveNarrowingIs) {
  PgSchema from, to;
  from.tables = {table("t")};
  to = from;
  to.tables[0].columns[0].type = "bigint";
  EXPECT_TRUE(plan_postgresql_change(from, to).destructive.empty());
  EXPECT_EQ(plan_postgresql_change(to, from).destructive,
            V{"column t.id changes type from bigint to integer"});
}

TEST(PostgresqlPlan, TheSameSchemaNeedsNothing) {
  PgSchema s;
  s.tables = {table("a", "a")};
  s.views = {{"v", "SELECT id FROM a", "", "", false, {"a"}}};
  EXPECT_TRUE(plan_postgresql_change(s, s).empty());
  EXPECT_EQ(postgresql_definitions_text(s), postgresql_definitions_text(s));
}

}  // namespace
}  // namespace mig
