#include "db/schema.h"

#include <gtest/gtest.h>

#include "db/schema_builder.h"

namespace mig {
namespace {

TEST(SchemaDiff, ShowsAddedAndRemovedLinesUnderTheirObject) {
  std::string before = "table a\n  column id int\n  index a_x (x)\ntable b\n  column id int\n";
  std::string after = "table a\n  column id int\ntable b\n  column id int\n  column y text\n";
  EXPECT_EQ(diff_schemas(before, after),
            "  table a\n-   index a_x (x)\n  table b\n+   column y text\n");
  EXPECT_EQ(diff_schemas(before, before), "");
  EXPECT_EQ(diff_schemas("", "table c\n  column id int\n"), "+ table c\n+   column id int\n");
}

TEST(SchemaDiff, TextIsSortedByKindAndName) {
  Schema s;
  s.objects = {{"table", "a", {"column id int"}}, {"view", "v", {"select 1"}}};
  EXPECT_EQ(s.text(), "table a\n  column id int\nview v\n  select 1\n");
}

TEST(SchemaBuilder, ObjectsByKindThenNameColumnsInOrderTheRestSorted) {
  SchemaBuilder b("mig_");
  b.add("view", "a_view", "select 1");
  b.add("table", "zeta", "column b int", true);
  b.add("table", "zeta", "index z_b (b)");
  b.add("table", "zeta", "column a int", true);
  b.add("table", "zeta", "foreign key (b) references alpha (id)");
  b.add("trigger", "t", "on zeta: AFTER INSERT");
  b.add("table", "alpha", "column id int", true);
  EXPECT_EQ(b.build().text(),
            "table alpha\n  column id int\n"
            "table zeta\n  column b int\n  column a int\n"
            "  foreign key (b) references alpha (id)\n  index z_b (b)\n"
            "view a_view\n  select 1\n"
            "trigger t\n  on zeta: AFTER INSERT\n");
  EXPECT_TRUE(b.ours("mig_version"));
  EXPECT_FALSE(b.ours("migration"));
}

TEST(SchemaBuilder, ColumnLinesInNormalForm) {
  EXPECT_EQ(column_line("id", "INTEGER", true, ""), "column id integer not null");
  EXPECT_EQ(column_line("n", "NUMERIC( 10,\n 2 )", false, "  0 "),
            "column n numeric( 10, 2 ) default 0");
  EXPECT_EQ(squash("  a \t b\n\n c  "), "a b c");
  EXPECT_EQ(lower("VarChar"), "varchar");
}

TEST(Schema, EqualSchemasHaveEqualText) {
  Schema a, b;
  a.objects = {{"table", "t", {"column x int"}}};
  b.objects = {{"table", "t", {"column x int"}}};
  EXPECT_TRUE(a == b);
  b.objects[0].lines.push_back("index i (x)");
  EXPECT_TRUE(a != b);
}

}  // namespace
}  // namespace mig
