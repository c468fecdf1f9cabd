// End-to-end: two developers' branches, merge revisions, depends and branch
// labels, checked in the database's tables and bookkeeping rows.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "backend_fixture.h"

namespace mig::e2e {
namespace {

using V = std::vector<std::string>;
using Team = Backends;

// base ← alice, base ← bob (two heads).
void two_branches(Project& p) {
  p.revision("root", "", "CREATE TABLE account (id INTEGER PRIMARY KEY);", "DROP TABLE account;");
  p.revision("alic", "root", "CREATE TABLE email (id INTEGER);", "DROP TABLE email;");
  p.revision("bobb", "root", "CREATE TABLE phone (id INTEGER);", "DROP TABLE phone;");
}

TEST_P(Team, BranchesApplyInEitherOrderThenMerge) {
  two_branches(p);
  Result head = mig({"upgrade", "head"});
  EXPECT_EQ(head.code, 2);
  EXPECT_NE(head.err.find("several heads (alic, bobb)"), std::string::npos) << head.err;

  // Bob's branch first, then Alice's.
  ASSERT_EQ(mig({"upgrade", "bobb"}).code, 0);
  EXPECT_EQ(applied(), (V{"root", "bobb"}));
  EXPECT_FALSE(db.has_table("email"));
  ASSERT_EQ(mig({"upgrade", "alic"}).code, 0);
  EXPECT_EQ(applied(), (V{"root", "bobb", "alic"}));
  EXPECT_EQ(mig({"current"}).out, "alic (head)  revision alic\nbobb (head)  revision bobb\n");

  // Merge: a new revision with both parents; applying it only records it.
  Result merge = mig({"merge", "-m", "join alice and bob"});
  ASSERT_EQ(merge.code, 0) << merge.err;
  auto heads = nlohmann::json::parse(mig({"--json", "heads"}).out)["heads"];
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0]["parents"], nlohmann::json({"alic", "bobb"}));
  std::string merge_id = heads[0]["id"];
  std::vector<std::string> before = db.tables();
  ASSERT_EQ(mig({"upgrade", "head"}).code, 0);
  EXPECT_EQ(applied(), (V{"root", "bobb", "alic", merge_id}));
  EXPECT_EQ(db.query("SELECT parents FROM mig_revisions WHERE revision = '" + merge_id + "'"),
            V{"alic bobb"});
  EXPECT_EQ(db.tables(), before);
  EXPECT_EQ(mig({"current"}).out.find(merge_id), 0u);

  // Downgrading one branch takes the merge and that branch only.
  ASSERT_EQ(mig({"downgrade", "root"}).code, 0);
  EXPECT_EQ(applied(), V{"root"});
  ASSERT_EQ(mig({"upgrade", "heads"}).code, 0);
  ASSERT_EQ(mig({"downgrade", "alic-1"}).code, 0);  // Alice's branch only
  EXPECT_EQ(applied(), (V{"root", "bobb"}));
  EXPECT_TRUE(db.has_table("phone"));
  EXPECT_FALSE(db.has_table("email"));
}

TEST_P(Team, DefaultOrderIsDeterministicAndDocumented) {
  two_branches(p);
  ASSERT_EQ(mig({"upgrade", "heads"}).code, 0);
  // Heads in id order; each branch finished before the next.
  EXPECT_EQ(applied(), (V{"root", "alic", "bobb"}));
  EXPECT_EQ(log(), (V{"upgrade|root|ok", "upgrade|alic|ok", "upgrade|bobb|ok"}));
}

TEST_P(Team, DependsOrdersAcrossBranchesWithoutBeingAParent) {
  two_branches(p);
  // Bob's next revision needs Alice's table, but stays on Bob's branch.
  p.revision("bob2", "bobb", "CREATE TABLE phone_email (email_id INTEGER);",
             "DROP TABLE phone_email;", "-- mig:depends alic\n");
  ASSERT_EQ(mig({"upgrade", "bob2"}).code, 0);
  EXPECT_EQ(applied(), (V{"root", "alic", "bobb", "bob2"}));
  EXPECT_EQ(nlohmann::json::parse(mig({"--json", "heads"}).out)["heads"].size(), 2u);
  // Undoing Alice's revision takes what depends on it along.
  ASSERT_EQ(mig({"downgrade", "base"}).code, 0);
  ASSERT_EQ(mig({"upgrade", "bob2"}).code, 0);
  Result down = mig({"downgrade", "alic-1"});
  ASSERT_EQ(down.code, 0) << down.err;
  EXPECT_EQ(applied(), (V{"root", "bobb"}));
  EXPECT_FALSE(db.has_table("phone_email"));
  EXPECT_TRUE(db.has_table("phone"));

  p.revision("alic", "root", "CREATE TABLE email (id INTEGER);", "DROP TABLE email;",
             "-- mig:depends bob2\n");
  Result cycle = mig({"upgrade", "heads"});
  EXPECT_EQ(cycle.code, 1);
  EXPECT_NE(cycle.err.find("revision cycle"), std::string::npos) << cycle.err;
}

TEST_P(Team, TwoBasesWithBranchLabels) {
  p.revision("app1", "", "CREATE TABLE app (id INTEGER);", "DROP TABLE app;");
  p.revision("app2", "app1", "CREATE TABLE app_more (id INTEGER);", "DROP TABLE app_more;");
  p.revision("plg1", "", "CREATE TABLE plugin (id INTEGER);", "DROP TABLE plugin;",
             "-- mig:branch plugin\n");
  p.revision("plg2", "plg1", "CREATE TABLE plugin_more (id INTEGER);", "DROP TABLE plugin_more;");
  ASSERT_EQ(mig({"upgrade", "plugin@+1"}).code, 0);
  EXPECT_EQ(applied(), V{"plg1"});
  ASSERT_EQ(mig({"upgrade", "plugin@head"}).code, 0);
  EXPECT_EQ(applied(), (V{"plg1", "plg2"}));
  EXPECT_FALSE(db.has_table("app"));
  ASSERT_EQ(mig({"upgrade", "heads"}).code, 0);
  EXPECT_EQ(applied(), (V{"plg1", "plg2", "app1", "app2"}));
  ASSERT_EQ(mig({"downgrade", "plugin@-1"}).code, 0);
  EXPECT_EQ(applied(), (V{"plg1", "app1", "app2"}));
  ASSERT_EQ(mig({"downgrade", "plugin@base"}).code, 0);
  EXPECT_EQ(applied(), (V{"app1", "app2"}));
  EXPECT_TRUE(db.has_table("app_more"));
  EXPECT_FALSE(db.has_table("plugin"));
  EXPECT_EQ(mig({"upgrade", "nolabel@head"}).code, 2);
  EXPECT_EQ(mig({"upgrade", "plugin@app2"}).code, 2);  // not on that branch
}

INSTANTIATE_TEST_SUITE_P(All, Team, ::testing::Values(Kind::SQLite, Kind::PostgreSQL),
                         backend_name);

TEST(Graph, HistoryDrawsBranchesAndWritesDot) {
  Project p;
  two_branches(p);
  ASSERT_EQ(p.mig({"upgrade", "heads"}).code, 0);
  ASSERT_EQ(p.mig({"merge", "alic", "bobb", "-m", "join"}).code, 0);
  Result g = p.mig({"history", "--graph"});
  ASSERT_EQ(g.code, 0) << g.err;
  std::istringstream lines(g.out);
  std::vector<std::string> got;
  for (std::string l; std::getline(lines, l);) got.push_back(l.substr(0, l.find("  ")));
  EXPECT_EQ(got, (V{"o", "|\\", "| @", "@ |", "|/", "*"})) << g.out;
  EXPECT_NE(g.out.find("(merge), join"), std::string::npos);

  Result dot = p.mig({"history", "--format", "dot"});
  ASSERT_EQ(dot.code, 0);
  EXPECT_EQ(dot.out.rfind("digraph mig {", 0), 0u);
  EXPECT_NE(dot.out.find("\"alic\" -> "), std::string::npos) << dot.out;
  EXPECT_NE(dot.out.find("\"root\" -> \"bobb\";"), std::string::npos) << dot.out;
  EXPECT_EQ(p.mig({"history", "--format", "svg"}).code, 2);

  Result one = p.mig({"merge", "-m", "again"});
  EXPECT_EQ(one.code, 2);
  EXPECT_NE(one.err.find("only one head"), std::string::npos);
}

}  // namespace
}  // namespace mig::e2e
