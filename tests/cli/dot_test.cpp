#include "cli/dot.h"

#include <gtest/gtest.h>

namespace mig {
namespace {

RevisionInfo rev(const std::string& id, std::vector<std::string> parents, std::string message) {
  RevisionInfo r;
  r.id = id;
  r.parents = std::move(parents);
  r.message = std::move(message);
  r.kind = "schema";
  return r;
}

std::string none(const RevisionInfo&) { return ""; }

TEST(Dot, NodesAndParentArrows) {
  auto a = rev("a", {}, "create users");
  auto b = rev("b", {"a"}, "add email");
  std::string dot = history_dot({b, a}, none);
  EXPECT_EQ(dot.rfind("digraph mig {\n", 0), 0u);
  EXPECT_NE(dot.find("\"a\" [label=\"a\\ncreate users\"];"), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"a\" -> \"b\";"), std::string::npos) << dot;
  EXPECT_EQ(dot.back(), '}');
}

TEST(Dot, StateAndKindChooseTheStyle) {
  auto a = rev("a", {}, "m");
  a.applied = true;
  auto b = rev("b", {"a"}, "m");
  b.current = true;
  b.head = true;
  auto c = rev("c", {"b"}, "backfill");
  c.kind = "data";
  std::string dot = history_dot({c, b, a}, none);
  EXPECT_NE(dot.find("\"a\" [label=\"a\\nm\", style=filled, fillcolor=\"#e8f0e8\"];"),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("\"b\" [label=\"b\\nm\", style=filled, fillcolor=\"lightblue\", penwidth=2];"),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("\"c\" [label=\"c\\nbackfill\", shape=note];"), std::string::npos) << dot;
}

TEST(Dot, DependsAreDashedAndArrowsToRevisionsNotShownAreLeftOut) {
  auto b = rev("b", {"a"}, "m");  // a is outside the range shown
  auto c = rev("c", {}, "m");
  c.depends = {"b"};
  std::string dot = history_dot({c, b}, none);
  EXPECT_EQ(dot.find("\"a\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("\"b\" -> \"c\" [style=dashed, label=\"depends\"];"), std::string::npos)
      << dot;
}

TEST(Dot, QuotesAndBackslashesInMessagesAreEscaped) {
  auto a = rev("a", {}, "say \"hi\" C:\\x");
  std::string dot = history_dot({a}, [](const RevisionInfo&) { return std::string(" [x]"); });
  EXPECT_NE(dot.find("label=\"a\\nsay \\\"hi\\\" C:\\\\x [x]\""), std::string::npos) << dot;
}

}  // namespace
}  // namespace mig
