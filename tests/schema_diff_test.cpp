#include <gtest/gtest.h>

#include "db/schema.h"

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

}  // namespace
}  // namespace mig
