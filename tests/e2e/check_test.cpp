// End-to-end: `mig check` for CI, files alone and with a database.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "backend_fixture.h"

namespace mig::e2e {
namespace {

using nlohmann::json;
using V = std::vector<std::string>;

TEST(Check, CleanProjectPassesAndEveryRuleFails) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  Result clean = p.mig({"check"});
  EXPECT_EQ(clean.code, 0) << clean.out << clean.err;
  EXPECT_NE(clean.out.find("check: 1 revision(s), 0 problem(s)"), std::string::npos);

  // A comment or string that mentions DROP TABLE is not destructive.
  p.revision("a002", "a001", "-- DROP TABLE t;\nINSERT INTO t VALUES (length('DROP TABLE t'));",
             "DELETE FROM t WHERE v = 12;");
  EXPECT_EQ(p.mig({"check"}).code, 0);

  p.revision("a003", "a002", "DROP TABLE t;", "CREATE TABLE t (v INTEGER);");
  p.revision("a004", "a003", "CREATE TABLE u (v INTEGER);", "<none>");
  p.revision("a005", "a002", "DELETE FROM t;", "SELECT 1;", "-- mig:kind data\n");
  Result bad = p.mig({"check"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.out.find("migrations/a003.sql:6: destructive statement (DROP TABLE)"),
            std::string::npos)
      << bad.out;
  EXPECT_NE(bad.out.find("migrations/a004.sql:1: schema revision a004 has no -- mig:downgrade"),
            std::string::npos)
      << bad.out;
  EXPECT_NE(bad.out.find("migrations/a005.sql:7: destructive statement (DELETE without WHERE)"),
            std::string::npos)
      << bad.out;
  EXPECT_NE(bad.out.find("2 heads (a004, a005)"), std::string::npos) << bad.out;

  // The allowances silence each rule.
  p.revision("a003", "a002", "DROP TABLE t;", "CREATE TABLE t (v INTEGER);",
             "-- mig:allow destructive\n");
  p.revision("a004", "a003", "CREATE TABLE u (v INTEGER);", "<none>", "-- mig:irreversible\n");
  p.revision("a005", "a002", "DELETE FROM t;", "SELECT 1;",
             "-- mig:kind data\n-- mig:allow destructive\n");
  p.write("mig.toml", "[check]\nmax_heads = 2\n");
  Result allowed = p.mig({"check", "--json"});
  EXPECT_EQ(allowed.code, 0) << allowed.out;
  json j = json::parse(allowed.out);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["revisions"], 5);
  EXPECT_EQ(j["database_checked"], false);
}

TEST(Check, ParseErrorsAreFindings) {
  Project p;
  p.revision("a001", "", "SELECT 'open;", "SELECT 1;");
  Result r = p.mig({"--json", "check"});
  EXPECT_EQ(r.code, 1);
  json j = json::parse(r.out);
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["rule"], "parse");
  EXPECT_EQ(j["findings"][0]["line"], 5);
}

using CheckDatabase = Backends;

TEST_P(CheckDatabase, EditedAndMissingAppliedFiles) {
  chain();
  ASSERT_EQ(mig({"upgrade"}).code, 0);
  EXPECT_EQ(mig({"check"}).code, 0);
  p.revision("a002", "a001", "CREATE TABLE two (id INTEGER, x INTEGER);", "DROP TABLE two;");
  boost::filesystem::remove(p / "migrations/a003.sql");
  Result r = mig({"check"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("applied revision a002 changed since"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("revision a003 is applied but no file defines it"), std::string::npos)
      << r.out;
  json j = json::parse(mig({"check", "--json"}).out);
  EXPECT_EQ(j["database_checked"], true);
  EXPECT_EQ(j["findings"].size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(All, CheckDatabase, ::testing::ValuesIn(all_backends()), backend_name);

}  // namespace
}  // namespace mig::e2e
