#include "graph/targets.h"

#include <gtest/gtest.h>

#include "errors.h"
#include "../graph_support.h"

namespace mig {
namespace {

using testing::graph;
using V = std::vector<std::string>;

// base ← a1 ← a2 ← a3 ← a4
RevisionGraph chain() {
  return graph({{"a001", {}}, {"a002", {"a001"}}, {"a003", {"a002"}}, {"a004", {"a003"}}});
}

AppliedSet applied(const RevisionGraph& g, const V& list) {
  AppliedSet out(g.size(), false);
  for (const auto& id : list) out[g.find(id)] = true;
  return out;
}

V steps(const RevisionGraph& g, const Plan& p) {
  V out;
  for (const auto& s : p.steps) out.push_back(g.at(s.revision).id);
  return out;
}

V resolve(const RevisionGraph& g, const V& app, const std::string& t, Direction d = Direction::Up) {
  return testing::ids(g, resolve_target(g, applied(g, app), t, d));
}

TEST(Targets, NamedTargets) {
  auto g = chain();
  EXPECT_EQ(resolve(g, {}, "head"), V{"a004"});
  EXPECT_EQ(resolve(g, {}, "heads"), V{"a004"});
  EXPECT_EQ(resolve(g, {}, "base"), V{});
  EXPECT_EQ(resolve(g, {}, "a003"), V{"a003"});
}

TEST(Targets, AmbiguousPrefixListsMatches) {
  auto g = chain();
  try {
    resolve(g, {}, "a00");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("a001 a002 a003 a004"), std::string::npos);
  }
}

TEST(Targets, RelativeToCurrent) {
  auto g = chain();
  EXPECT_EQ(resolve(g, {"a001", "a002"}, "+1"), V{"a003"});
  EXPECT_EQ(resolve(g, {"a001", "a002"}, "+2"), V{"a004"});
  EXPECT_EQ(resolve(g, {}, "+1"), V{"a001"});
  EXPECT_EQ(resolve(g, {"a001", "a002"}, "-1", Direction::Down), V{"a001"});
  EXPECT_EQ(resolve(g, {"a001", "a002"}, "-2", Direction::Down), V{});
  EXPECT_THROW(resolve(g, {"a001", "a002"}, "-3", Direction::Down), UsageError);
  EXPECT_THROW(resolve(g, {"a001", "a002", "a003"}, "+2"), UsageError);
  EXPECT_THROW(resolve(g, {"a001"}, "-1", Direction::Up), WrongDirectionError);
  EXPECT_THROW(resolve(g, {"a001"}, "+1", Direction::Down), WrongDirectionError);
}

TEST(Targets, RelativeToARevision) {
  auto g = chain();
  EXPECT_EQ(resolve(g, {}, "a002+2"), V{"a004"});
  EXPECT_EQ(resolve(g, {}, "a003-2"), V{"a001"});
  EXPECT_EQ(resolve(g, {}, "head-1"), V{"a003"});
  EXPECT_EQ(resolve(g, {}, "base+1"), V{"a001"});
  EXPECT_THROW(resolve(g, {}, "a004+1"), UsageError);
  EXPECT_THROW(resolve(g, {}, "a001+0"), UsageError);
}

TEST(Targets, SeveralHeads) {
  auto g = graph({{"root", {}}, {"left", {"root"}}, {"rite", {"root"}}});
  try {
    resolve(g, {}, "head");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("left, rite"), std::string::npos) << e.what();
  }
  EXPECT_EQ(resolve(g, {}, "heads"), (V{"left", "rite"}));
  EXPECT_THROW(resolve(g, {"root"}, "+1"), UsageError);  // which branch?
  EXPECT_THROW(resolve(g, {"root", "left", "rite"}, "-1", Direction::Down), UsageError);
}

TEST(Targets, UpgradePlansMissingAncestorsInOrder) {
  auto g = chain();
  EXPECT_EQ(steps(g, plan_upgrade(g, applied(g, {}), "head")), (V{"a001", "a002", "a003", "a004"}));
  EXPECT_EQ(steps(g, plan_upgrade(g, applied(g, {"a001"}), "a003")), (V{"a002", "a003"}));
  EXPECT_EQ(steps(g, plan_upgrade(g, applied(g, {"a001", "a002"}), "a001")), V{});
  // A gap (e.g. after stamping) is filled.
  EXPECT_EQ(steps(g, plan_upgrade(g, applied(g, {"a001", "a003"}), "head")), (V{"a002", "a004"}));
}

TEST(Targets, DowngradePlansNewestFirst) {
  auto g = chain();
  auto all = applied(g, {"a001", "a002", "a003", "a004"});
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "-1")), V{"a004"});
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "a002")), (V{"a004", "a003"}));
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "base")), (V{"a004", "a003", "a002", "a001"}));
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "head")), V{});
}

TEST(Targets, DowngradeRefusesIrreversibleBeforeDoingAnything) {
  auto g = graph({{"a001", {}}, {"a002", {"a001"}, {}, false}, {"a003", {"a002"}}});
  auto all = applied(g, {"a001", "a002", "a003"});
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "-1")), V{"a003"});
  try {
    plan_downgrade(g, all, "base");
    FAIL();
  } catch (const OperationError& e) {
    EXPECT_NE(std::string(e.what()).find("a002"), std::string::npos);
  }
}

TEST(Targets, DowngradeOnBranchesTouchesOnlyTheTargetsDescendants) {
  auto g = graph({{"root", {}}, {"aaa1", {"root"}}, {"aaa2", {"aaa1"}}, {"bbb1", {"root"}}});
  auto all = applied(g, {"root", "aaa1", "aaa2", "bbb1"});
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "aaa1")), V{"aaa2"});
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "root")), (V{"bbb1", "aaa2", "aaa1"}));
  EXPECT_EQ(testing::ids(g, current_revisions(g, all)), (V{"aaa2", "bbb1"}));
}

TEST(Targets, DowngradeRemovesDependentsAcrossBranches) {
  auto g = graph({{"x001", {}}, {"x002", {"x001"}}, {"y001", {}, {"x002"}}});
  auto all = applied(g, {"x001", "x002", "y001"});
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "x001")), (V{"y001", "x002"}));
  EXPECT_EQ(steps(g, plan_upgrade(g, applied(g, {}), "y001")), (V{"x001", "x002", "y001"}));
}

TEST(Targets, RelativeDowngradeUndoesOnlyTheBranchItStartsOn) {
  auto g = graph({{"root", {}},
                  {"aaa1", {"root"}},
                  {"aaa2", {"aaa1"}},
                  {"bbb1", {"root"}},
                  {"merg", {"aaa2", "bbb1"}}});
  auto all = applied(g, {"root", "aaa1", "aaa2", "bbb1", "merg"});
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "bbb1-1")), (V{"merg", "bbb1"}));
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "aaa2-2")), (V{"merg", "aaa2", "aaa1"}));
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "-1")), V{"merg"});
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "bbb1")), V{"merg"});
}

TEST(Targets, BranchLabels) {
  auto revs = testing::revisions(
      {{"app1", {}}, {"app2", {"app1"}}, {"plg1", {}}, {"plg2", {"plg1"}}, {"plg3", {"plg2"}}});
  revs[2].branch = "plugin";
  RevisionGraph g(revs);
  EXPECT_EQ(resolve(g, {}, "plugin@head"), V{"plg3"});
  EXPECT_EQ(resolve(g, {}, "plugin@+1"), V{"plg1"});
  EXPECT_EQ(resolve(g, {"plg1", "app1"}, "plugin@+2"), V{"plg3"});
  EXPECT_EQ(resolve(g, {"plg1", "plg2", "app1"}, "plugin@-1", Direction::Down), V{"plg1"});
  EXPECT_EQ(resolve(g, {}, "plugin@plg2"), V{"plg2"});
  EXPECT_THROW(resolve(g, {}, "plugin@app1"), UsageError);
  EXPECT_THROW(resolve(g, {}, "other@head"), UsageError);
  auto all = applied(g, {"app1", "app2", "plg1", "plg2", "plg3"});
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "plugin@base")), (V{"plg3", "plg2", "plg1"}));
  EXPECT_EQ(steps(g, plan_upgrade(g, applied(g, {}), "plugin@head")), (V{"plg1", "plg2", "plg3"}));
  auto dup = revs;
  dup[0].branch = "plugin";
  EXPECT_THROW(RevisionGraph bad(dup), FileError);
}

TEST(Targets, EmptyIdsNameNothing) {
  auto g = chain();
  EXPECT_THROW(g.resolve_id(""), UsageError);
  EXPECT_THROW(resolve(g, {}, ""), UsageError);
}

// The graphs a differential test against Alembic disagreed on.
TEST(Targets, BranchRelativeDowngradeUndoesWhatIdMinusNUndoes) {
  // pl01 (branch plugin) <- pl02; ge01 (branch geo)
  auto revs = testing::revisions({{"pl01", {}}, {"pl02", {"pl01"}}, {"ge01", {}}});
  revs[0].branch = "plugin";
  revs[2].branch = "geo";
  RevisionGraph g(revs);
  auto all = applied(g, {"pl01", "pl02", "ge01"});
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "plugin@-2")), (V{"pl02", "pl01"}));
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "plugin@-2")),
            steps(g, plan_downgrade(g, all, "pl02-2")));
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "plugin@-1")), V{"pl02"});
  EXPECT_THROW(plan_downgrade(g, all, "plugin@-3"), UsageError);
}

TEST(Targets, BranchRelativeDowngradeLeavesWhatItDoesNotWalkOver) {
  // mn01 <- mn02 <- sd04; ge01 (branch geo); merge mg03 <- mn02, ge01
  auto revs = testing::revisions({{"mn01", {}},
                                  {"mn02", {"mn01"}},
                                  {"sd04", {"mn02"}},
                                  {"ge01", {}},
                                  {"mg03", {"mn02", "ge01"}}});
  revs[3].branch = "geo";
  RevisionGraph g(revs);
  auto all = applied(g, {"mn01", "mn02", "sd04", "ge01", "mg03"});
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "geo@-1")), V{"mg03"});
}

TEST(Targets, BranchCurrentCountsRevisionsOthersDependOn) {
  // bi01 (branch billing) <- bi02; ge01 (branch geo) <- ge02 depends bi02
  auto revs = testing::revisions(
      {{"bi01", {}}, {"bi02", {"bi01"}}, {"ge01", {}}, {"ge02", {"ge01"}, {"bi02"}}});
  revs[0].branch = "billing";
  revs[2].branch = "geo";
  RevisionGraph g(revs);
  auto all = applied(g, {"bi01", "bi02", "ge01", "ge02"});
  // billing stands at bi02: undoing it takes ge02, which depends on it.
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "billing@-1")), (V{"ge02", "bi02"}));
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "billing@-1")),
            steps(g, plan_downgrade(g, all, "bi02-1")));
  // and there is nothing above it to upgrade to.
  EXPECT_THROW(resolve(g, {"bi01", "bi02", "ge01", "ge02"}, "billing@+1"), UsageError);
  EXPECT_EQ(resolve(g, {"bi01", "ge01"}, "billing@+1"), V{"bi02"});
}

TEST(Targets, WalksThroughAMergeAreRefusedAsAmbiguous) {
  // base0 <- left, rght <- mrg1
  auto g =
      graph({{"base0", {}}, {"left", {"base0"}}, {"rght", {"base0"}}, {"mrg1", {"left", "rght"}}});
  auto all = applied(g, {"base0", "left", "rght", "mrg1"});
  for (const char* t : {"mrg1-1", "mrg1-2"}) {
    try {
      plan_upgrade(g, applied(g, {}), t);
      FAIL() << t;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("mrg1 is a merge of left, rght"), std::string::npos)
          << e.what();
    }
  }
  EXPECT_THROW(plan_downgrade(g, all, "mrg1-2"), UsageError);
  EXPECT_THROW(stamp_state(g, all, "mrg1-1"), UsageError);
  // Undoing the merge revision alone walks through nothing.
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "mrg1-1")), V{"mrg1"});
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "-1")), V{"mrg1"});
  EXPECT_EQ(steps(g, plan_downgrade(g, all, "left-1")), (V{"mrg1", "left"}));
}

TEST(Targets, DowngradeTargetMustBeAtOrBelowWhatIsApplied) {
  auto g = chain();
  auto two = applied(g, {"a001", "a002"});
  EXPECT_EQ(steps(g, plan_downgrade(g, two, "a002")), V{});  // at it: nothing to do
  EXPECT_EQ(steps(g, plan_downgrade(g, two, "a001")), V{"a002"});
  try {
    plan_downgrade(g, two, "a004");  // above: a mistyped id, or meant for upgrade
    FAIL();
  } catch (const WrongDirectionError& e) {
    EXPECT_NE(std::string(e.what()).find("a004 is not applied"), std::string::npos) << e.what();
    EXPECT_EQ(e.other(), "upgrade");
    EXPECT_EQ(e.revision(), "a004");
  }
  EXPECT_THROW(plan_downgrade(g, two, "head"), UsageError);
  EXPECT_THROW(plan_downgrade(g, two, "head-1"), UsageError);  // walks over a004 only
  EXPECT_THROW(plan_downgrade(g, two, "a003-1"), UsageError);
  EXPECT_EQ(steps(g, plan_downgrade(g, two, "a003-2")), V{"a002"});
  // Below an applied revision is fine even where a stamp left a gap.
  EXPECT_EQ(steps(g, plan_downgrade(g, applied(g, {"a001", "a003"}), "a002")), V{"a003"});
  EXPECT_EQ(steps(g, plan_downgrade(g, applied(g, {}), "base")), V{});
  // On another branch, an unapplied head is refused too.
  auto b = graph({{"root", {}}, {"aaa1", {"root"}}, {"bbb1", {"root"}}});
  EXPECT_THROW(plan_downgrade(b, applied(b, {"root", "aaa1"}), "bbb1"), UsageError);
}

TEST(Targets, StampState) {
  auto g = chain();
  auto to = stamp_state(g, applied(g, {}), "a002");
  EXPECT_EQ(to, applied(g, {"a001", "a002"}));
  EXPECT_EQ(stamp_state(g, applied(g, {"a001", "a002", "a003"}), "a001"), applied(g, {"a001"}));
  EXPECT_EQ(stamp_state(g, applied(g, {"a001", "a002"}), "base"), applied(g, {}));
  EXPECT_EQ(stamp_state(g, applied(g, {"a001", "a002"}), "-1"), applied(g, {"a001"}));
}

}  // namespace
}  // namespace mig
