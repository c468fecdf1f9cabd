#include "engine/state.h"

#include <gtest/gtest.h>

#include "../graph_support.h"
#include "mig/errors.h"

namespace mig {
namespace {

using testing::graph;

RevisionGraph checksummed() {
  auto revs = testing::revisions({{"a1", {}}, {"b2", {"a1"}}, {"c3", {"b2"}}});
  for (auto& r : revs) r.checksum = "sum-of-" + r.id + "-0123456789";
  return RevisionGraph(std::move(revs));
}

TEST(State, MapsAppliedRowsOntoTheGraphAndKeepsUnknownOnes) {
  RevisionGraph g = checksummed();
  DatabaseState s = map_state({{"a1", "x", 1}, {"zz9", "y", 2}}, g);
  EXPECT_EQ(s.applied, (AppliedSet{true, false, false}));
  EXPECT_EQ(s.unknown, (std::vector<std::string>{"zz9"}));
  EXPECT_EQ(s.rows.size(), 2u);
}

TEST(State, EditedRevisionsAreThoseWhoseChecksumChanged) {
  RevisionGraph g = checksummed();
  DatabaseState s = map_state({{"a1", g.at(0).checksum, 1}, {"b2", "old-checksum-of-b2", 2}}, g);
  auto edited = edited_revisions(g, s);
  ASSERT_EQ(edited.size(), 1u);
  EXPECT_EQ(g.at(edited[0].first).id, "b2");
  EXPECT_EQ(edited[0].second, "old-checksum-of-b2");
}

TEST(State, RefuseEditedThrowsWithTheRevisionsAndAListing) {
  RevisionGraph g = checksummed();
  EXPECT_NO_THROW(refuse_edited(g, map_state({{"a1", g.at(0).checksum, 1}}, g)));
  try {
    refuse_edited(g, map_state({{"b2", "old-checksum-of-b2", 1}}, g));
    FAIL() << "no error";
  } catch (const EditedRevisionError& e) {
    EXPECT_EQ(e.revisions(), (std::vector<std::string>{"b2"}));
    EXPECT_EQ(e.listing(), "\n  b2  b2.sql  recorded old-checksum, file now sum-of-b2-01");
  }
}

TEST(State, TheCurrentRevisionsInWords) {
  RevisionGraph g = graph({{"a1", {}}, {"b2", {"a1"}}, {"x9", {"a1"}}});
  EXPECT_EQ(describe_current(g, AppliedSet{false, false, false}), "base");
  EXPECT_EQ(describe_current(g, AppliedSet{true, false, false}), "a1");
  EXPECT_EQ(current_ids(g, AppliedSet{true, true, true}).size(), 2u);
  EXPECT_EQ(ids(g, {2, 0}), (std::vector<std::string>{"x9", "a1"}));
}

}  // namespace
}  // namespace mig
