#include "cli/lanes.h"

#include <gtest/gtest.h>

namespace mig {
namespace {

RevisionInfo rev(const std::string& id, std::vector<std::string> parents) {
  RevisionInfo r;
  r.id = id;
  r.parents = std::move(parents);
  return r;
}

std::vector<std::string> draw(const std::vector<RevisionInfo>& rows) {
  return draw_lanes(
      rows, [](const RevisionInfo&) { return std::string("o"); },
      [](const RevisionInfo& r) { return r.id; });
}

TEST(Lanes, AStraightLineIsOneLane) {
  EXPECT_EQ(draw({rev("c", {"b"}), rev("b", {"a"}), rev("a", {})}),
            (std::vector<std::string>{"o  c", "o  b", "o  a"}));
}

TEST(Lanes, AMergeSplitsIntoTwoLanesThatJoinAtTheirCommonParent) {
  // m merges x and y, both children of a.
  auto lines = draw({rev("m", {"x", "y"}), rev("y", {"a"}), rev("x", {"a"}), rev("a", {})});
  EXPECT_EQ(lines, (std::vector<std::string>{"o  m", "|\\", "| o  y", "o |  x", "|/", "o  a"}));
}

TEST(Lanes, TwoHeadsEachGetALane) {
  auto lines = draw({rev("h1", {"a"}), rev("h2", {"a"}), rev("a", {})});
  EXPECT_EQ(lines, (std::vector<std::string>{"o  h1", "| o  h2", "|/", "o  a"}));
}

TEST(Lanes, TheMarkAndTextComeFromTheCallers) {
  auto lines = draw_lanes(
      {rev("a", {})}, [](const RevisionInfo&) { return std::string("@"); },
      [](const RevisionInfo& r) { return r.id + " (current)"; });
  EXPECT_EQ(lines, (std::vector<std::string>{"@  a (current)"}));
}

}  // namespace
}  // namespace mig
