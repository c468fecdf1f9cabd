#include "script/checksum.h"

#include <gtest/gtest.h>

namespace mig {
namespace {

TEST(Checksum, Sha256KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

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
