// MySQL's planner on schema values (src/diff/mysql_diff.cpp); the same on a
// real server is in tests/project/mysql_diff_test.cpp and
// tests/diff/diff_random_test.cpp.
#include "diff/mysql_diff.h"

#include <gtest/gtest.h>

namespace mig {
namespace {

using V = std::vector<std::string>;

MyTable table(const std::string& name, std::vector<std::string> columns) {
  MyTable t;
  t.name = "`" + name + "`";
  for (const auto& c : columns) {
    t.columns.push_back("`" + c + "`");
    t.column_defs.push_back("`" + c + "` int(11) DEFAULT NULL");
  }
  t.options = "ENGINE=InnoDB";
  return t;
}

TEST(MysqlPlan, ColumnsAreAddedAndMovedIntoPlaceInOneAlterTable) {
  MySchema from, to;
  from.tables = {table("t", {"a", "b", "c"})};
  to.tables = {table("t", {"c", "a", "n"})};
  SchemaChange up = plan_mysql_change(from, to);
  EXPECT_EQ(up.statements,
            V{"ALTER TABLE `t` DROP COLUMN `b`, MODIFY COLUMN `c` int(11) DEFAULT NULL FIRST, "
              "ADD COLUMN `n` int(11) DEFAULT NULL AFTER `a`"});
  EXPECT_EQ(up.destructive, V{"column `t`.`b` is dropped"});
}

TEST(MysqlPlan, ServerNamedForeignKeysAreAddedWithoutTheirNumber) {
  MySchema from, to;
  from.tables = {table("p", {"id"}), table("c", {"id", "p_id"})};
  to = from;
  to.tables[1].foreign = {
      {"`c_ibfk_1`", "CONSTRAINT `c_ibfk_1` FOREIGN KEY (`p_id`) REFERENCES `p` (`id`)"}};
  to.tables[1].references = {"`p`"};
  EXPECT_EQ(plan_mysql_change(from, to).statements,
            V{"ALTER TABLE `c` ADD FOREIGN KEY (`p_id`) REFERENCES `p` (`id`)"});
  // Numbered otherwise, it is the same key.
  MySchema renumbered = to;
  renumbered.tables[1].foreign[0] = {
      "`c_ibfk_2`", "CONSTRAINT `c_ibfk_2` FOREIGN KEY (`p_id`) REFERENCES `p` (`id`)"};
  EXPECT_TRUE(plan_mysql_change(to, renumbered).empty());
  EXPECT_EQ(mysql_definitions_text(to), mysql_definitions_text(renumbered));
}

TEST(MysqlPlan, WideningIsNotDestructiveNarrowingIs) {
  MySchema from, to;
  from.tables = {table("t", {"a"})};
  to = from;
  to.tables[0].column_defs[0] = "`a` bigint(20) DEFAULT NULL";
  EXPECT_TRUE(plan_mysql_change(from, to).destructive.empty());
  EXPECT_EQ(plan_mysql_change(to, from).destructive,
            V{"column `t`.`a` changes type from bigint(20) to int(11)"});
}

TEST(MysqlPlan, ANotNullColumnThatLosesItsDefaultIsDestructive) {
  MySchema from, to;
  from.tables = {table("t", {"a"})};
  from.tables[0].column_defs[0] = "`a` int(11) NOT NULL DEFAULT 0";
  to = from;
  to.tables[0].column_defs[0] = "`a` int(11) NOT NULL";
  EXPECT_EQ(plan_mysql_change(from, to).destructive, V{"column `t`.`a` loses its default"});
  EXPECT_TRUE(plan_mysql_change(to, from).destructive.empty());
}

}  // namespace
}  // namespace mig
