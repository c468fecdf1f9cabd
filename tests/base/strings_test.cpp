#include "base/strings.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace mig {
namespace {

TEST(Strings, JoinPutsTheSeparatorBetweenItemsOnly) {
  EXPECT_EQ(join({}, ", "), "");
  EXPECT_EQ(join({"a"}, ", "), "a");
  EXPECT_EQ(join({"a", "b", "c"}, ", "), "a, b, c");
}

TEST(Strings, ErrnoTextIsTheSystemsMessage) {
  EXPECT_EQ(errno_text(ENOENT), "No such file or directory");
  EXPECT_EQ(errno_text(EACCES), "Permission denied");
}

TEST(Strings, FormatMsKeepsOneDecimalBelowTenMilliseconds) {
  EXPECT_EQ(format_ms(0.44), "0.4 ms");
  EXPECT_EQ(format_ms(9.94), "9.9 ms");
  EXPECT_EQ(format_ms(12.4), "12 ms");
  EXPECT_EQ(format_ms(1500), "1500 ms");
}

}  // namespace
}  // namespace mig
