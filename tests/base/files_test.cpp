#include "base/files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace mig {
namespace {

TEST(Files, KindOfFileForMessages) {
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_STREQ(file_kind(st.st_mode), "a device");
  ASSERT_EQ(::stat("/", &st), 0);
  EXPECT_STREQ(file_kind(st.st_mode), "a directory");
  EXPECT_STREQ(file_kind(S_IFIFO), "a FIFO");
  EXPECT_STREQ(file_kind(S_IFSOCK), "a socket");
  EXPECT_STREQ(file_kind(S_IFREG), "a regular file");
}

}  // namespace
}  // namespace mig
