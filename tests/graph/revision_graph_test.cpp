#include "graph/revision_graph.h"

#include <gtest/gtest.h>

#include "../graph_support.h"
#include "errors.h"
#include "script/revision_file.h"

namespace mig {
namespace {

using testing::graph;
using testing::ids;
using V = std::vector<std::string>;

TEST(RevisionGraph, LinearChain) {
  auto g = graph({{"c000", {"b000"}}, {"a000", {}}, {"b000", {"a000"}}});
  EXPECT_EQ(ids(g, g.heads()), V{"c000"});
  EXPECT_EQ(ids(g, g.bases()), V{"a000"});
  EXPECT_EQ(ids(g, g.order()), (V{"a000", "b000", "c000"}));
}

TEST(RevisionGraph, BranchesAndMerge) {
  auto g = graph({{"base", {}},
                  {"a111", {"base"}},
                  {"b222", {"base"}},
                  {"a112", {"a111"}},
                  {"merg", {"a112", "b222"}}});
  EXPECT_EQ(ids(g, g.heads()), V{"merg"});
  EXPECT_EQ(ids(g, g.children(g.find("base"))), (V{"a111", "b222"}));
  // First parent's branch is finished before the second's begins.
  EXPECT_EQ(ids(g, g.order()), (V{"base", "a111", "a112", "b222", "merg"}));
}

TEST(RevisionGraph, SeveralHeadsAndBasesSortedById) {
  auto g = graph({{"zz01", {}}, {"aa01", {}}, {"aa02", {"aa01"}}});
  EXPECT_EQ(ids(g, g.heads()), (V{"aa02", "zz01"}));
  EXPECT_EQ(ids(g, g.bases()), (V{"aa01", "zz01"}));
}

TEST(RevisionGraph, DependsOrdersAcrossBranchesWithoutBeingAParent) {
  auto g = graph({{"x001", {}}, {"y001", {}, {"x002"}}, {"x002", {"x001"}}});
  EXPECT_EQ(ids(g, g.heads()), (V{"x002", "y001"}));  // depends does not hide a head
  auto order = ids(g, g.order());
  auto pos = [&](const std::string& id) { return std::find(order.begin(), order.end(), id); };
  EXPECT_LT(pos("x002"), pos("y001"));
}

TEST(RevisionGraph, AncestorsAndDescendants) {
  auto g = graph({{"a000", {}}, {"b000", {"a000"}}, {"c000", {"b000"}}, {"d000", {"a000"}}});
  auto anc = g.ancestors({g.find("c000")}, false);
  EXPECT_TRUE(anc[g.find("a000")] && anc[g.find("b000")]);
  EXPECT_FALSE(anc[g.find("c000")] || anc[g.find("d000")]);
  auto desc = g.descendants({g.find("a000")}, true);
  EXPECT_EQ(std::count(desc.begin(), desc.end(), true), 4);
}

TEST(RevisionGraph, ResolvesUniquePrefixes) {
  auto g = graph({{"abc123", {}}, {"abd456", {"abc123"}}});
  EXPECT_EQ(g.at(g.resolve_id("abc")).id, "abc123");
  EXPECT_EQ(g.at(g.resolve_id("abd456")).id, "abd456");
  try {
    g.resolve_id("ab");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("abc123 abd456"), std::string::npos) << e.what();
  }
  EXPECT_THROW(g.resolve_id("zz"), UsageError);
}

TEST(RevisionGraph, DuplicateIdNamesBothFiles) {
  auto revs = testing::revisions({{"a000", {}}, {"a000", {}}});
  revs[1].path = "other.sql";
  try {
    RevisionGraph g(revs);
    FAIL();
  } catch (const FileError& e) {
    EXPECT_EQ(e.path(), "other.sql");
    EXPECT_NE(std::string(e.what()).find("a000.sql"), std::string::npos);
  }
}

TEST(RevisionGraph, UnknownParentAndDependsNameTheFileAndLine) {
  try {
    graph({{"a000", {}}, {"b000", {"nope"}}});
    FAIL();
  } catch (const FileError& e) {
    EXPECT_EQ(e.path(), "b000.sql");
    EXPECT_EQ(e.line(), 2);
  }
  try {
    graph({{"a000", {}, {"gone"}}});
    FAIL();
  } catch (const FileError& e) {
    EXPECT_EQ(e.line(), 3);
  }
}

TEST(RevisionGraph, CyclesAreErrorsNamingTheFiles) {
  try {
    graph({{"a000", {"c000"}}, {"b000", {"a000"}}, {"c000", {"b000"}}, {"d000", {}}});
    FAIL();
  } catch (const OperationError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("cycle"), std::string::npos);
    for (auto f : {"a000.sql", "b000.sql", "c000.sql"})
      EXPECT_NE(m.find(f), std::string::npos) << m;
    EXPECT_EQ(m.find("d000.sql"), std::string::npos) << m;
  }
  EXPECT_THROW(graph({{"a000", {}}, {"b000", {"a000"}, {"c000"}}, {"c000", {"b000"}}}),
               OperationError);
}

TEST(RevisionGraph, LongChainDoesNotOverflowTheStack) {
  std::vector<testing::Spec> specs;
  for (int i = 0; i < 200000; ++i) {
    std::string id = "r" + std::to_string(i + 1000000);
    specs.push_back({id, i ? std::vector<std::string>{"r" + std::to_string(i - 1 + 1000000)}
                           : std::vector<std::string>{}});
  }
  auto g = graph(specs);
  EXPECT_EQ(g.order().size(), 200000u);
  EXPECT_EQ(g.at(g.order().back()).id, "r1199999");
}

// A graph read without SQL gets the text of a revision that is to run from
// the file read again, unless the file changed meanwhile.
TEST(RevisionGraph, TextIsGivenBackOnlyFromTheSameRevision) {
  auto rev = [](const std::string& up) {
    return parse_revision(
        "-- mig:revision a000\n-- mig:upgrade\n" + up + ";\n-- mig:downgrade\nDROP TABLE t;\n",
        "a000.sql", Dialect::SQLite);
  };
  Revision summary = rev("CREATE TABLE t (x INT)");
  for (auto& st : summary.upgrade) st.sql.clear();
  summary.sql_dropped = true;
  RevisionGraph g({summary});
  EXPECT_THROW(g.give_text(0, rev("CREATE TABLE t (y INT)")), OperationError);
  EXPECT_TRUE(g.at(0).sql_dropped);
  g.give_text(0, rev("CREATE TABLE t (x INT)"));
  EXPECT_FALSE(g.at(0).sql_dropped);
  EXPECT_EQ(g.at(0).upgrade.at(0).sql, "CREATE TABLE t (x INT)");
}

}  // namespace
}  // namespace mig
