#include "script/checksum.h"

#include <gtest/gtest.h>

namespace mig {
namespace {

TEST(Checksum, StatementBoundariesMatter) {
  std::vector<Statement> one = {{"SELECT 1; SELECT 2", "SELECT 1; SELECT 2", 1}};
  std::vector<Statement> two = {{"SELECT 1", "SELECT 1", 1}, {"SELECT 2", "SELECT 2", 1}};
  EXPECT_NE(statements_checksum(one), statements_checksum(two));
  EXPECT_NE(statements_checksum(two), statements_checksum({{"SELECT 1", "SELECT 1", 1}}));
  std::vector<Statement> moved = {{"SELECT 1", "SELECT 1", 7}, {"SELECT 2", "SELECT 2", 9}};
  EXPECT_EQ(statements_checksum(two), statements_checksum(moved));
}

}  // namespace
}  // namespace mig
