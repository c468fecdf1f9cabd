// The rename statements every database's mig diff shares (src/diff/schema_change.cpp).
#include "diff/schema_change.h"

#include <gtest/gtest.h>

#include "mig/errors.h"

namespace mig {
namespace {

std::string brackets(const std::string& name) { return "[" + name + "]"; }

std::pair<std::string, std::string> rename(const std::string& spec) {
  return rename_statements(
      spec, brackets, [](const std::string& t) { return t == "users"; },
      [](const std::string&, const std::string& c) { return c == "name"; });
}

TEST(RenameStatements, TablesAndColumnsBothWays) {
  EXPECT_EQ(rename("users=members"),
            std::make_pair(std::string("ALTER TABLE [users] RENAME TO [members]"),
                           std::string("ALTER TABLE [members] RENAME TO [users]")));
  auto column = std::make_pair(std::string("ALTER TABLE [users] RENAME COLUMN [name] TO [full]"),
                               std::string("ALTER TABLE [users] RENAME COLUMN [full] TO [name]"));
  EXPECT_EQ(rename("users.name=full"), column);
  EXPECT_EQ(rename("users.name=users.full"), column);
}

TEST(RenameStatements, WhatCannotBeRenamedIsNamed) {
  auto refusal = [](const std::string& spec) {
    try {
      rename(spec);
    } catch (const OptionError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(refusal("users").find("is neither OLD=NEW"), std::string::npos);
  EXPECT_NE(refusal("=x").find("is neither OLD=NEW"), std::string::npos);
  EXPECT_NE(refusal("people=x").find("names a table the revisions do not make: people"),
            std::string::npos);
  EXPECT_NE(refusal("users.email=x").find("names a column users does not have"), std::string::npos);
  EXPECT_NE(refusal("users.name=posts.x").find("moves a column to another table"),
            std::string::npos);
  EXPECT_NE(refusal("people=x").find("`renames`: 'people=x'"), std::string::npos);
}

}  // namespace
}  // namespace mig
