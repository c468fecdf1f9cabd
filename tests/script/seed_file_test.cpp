#include "script/seed_file.h"

#include <gtest/gtest.h>

#include "errors.h"
#include "../test_support.h"

namespace mig {
namespace {

SeedFile parse(const std::string& text) {
  return parse_seed(text, "s.sql", "seed/s.sql", Dialect::SQLite);
}

TEST(SeedFile, DirectivesAndStatements) {
  SeedFile s = parse("-- mig:env dev, test\n-- mig:requires ab12cd\nINSERT INTO t VALUES (1);\n");
  EXPECT_EQ(s.environments, (std::vector<std::string>{"dev", "test"}));
  EXPECT_EQ(s.requires_revision, "ab12cd");
  ASSERT_EQ(s.statements.size(), 1u);
  EXPECT_TRUE(s.runs_in("dev"));
  EXPECT_FALSE(s.runs_in("prod"));
  EXPECT_FALSE(s.runs_in(""));
  EXPECT_TRUE(parse("SELECT 1;").runs_in(""));
  EXPECT_EQ(parse("SELECT 1; -- note").checksum, parse("SELECT  1;").checksum);
  EXPECT_NE(parse("SELECT 1;").checksum, parse("SELECT 2;").checksum);
}

TEST(SeedFile, TextIsCheckedLikeARevisionFile) {
  std::string nul = "DELETE FROM t";
  nul += '\0';
  nul += " WHERE x = 1;";
  for (const std::string& bad : {nul, std::string("SELECT 1;\nSELECT '\xc3(';")}) {
    try {
      parse(bad);
      FAIL() << "accepted";
    } catch (const FileError& e) {
      EXPECT_EQ(e.path(), "seed/s.sql");
      EXPECT_GE(e.line(), 1);
    }
  }
}

TEST(SeedFile, Errors) {
  EXPECT_THROW(parse("-- mig:upgrade\nSELECT 1;"), FileError);
  EXPECT_THROW(parse("-- mig:env\n"), FileError);
  EXPECT_THROW(parse("-- mig:requires two ids\n"), FileError);
  EXPECT_THROW(parse("SELECT 'open"), FileError);
}

TEST(SeedFile, LoadsInNameOrderAndToleratesNoDirectory) {
  testing::TempDir dir;
  dir.write("seed/b/1.sql", "SELECT 1;");
  dir.write("seed/a.sql", "SELECT 2;");
  auto seeds = load_seeds(dir / "seed", Dialect::SQLite);
  ASSERT_EQ(seeds.size(), 2u);
  EXPECT_EQ(seeds[0].name, "a.sql");
  EXPECT_EQ(seeds[1].name, "b/1.sql");
  EXPECT_TRUE(load_seeds(dir / "none", Dialect::SQLite).empty());
}

}  // namespace
}  // namespace mig
