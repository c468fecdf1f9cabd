#include "script/script_directory.h"

#include <gtest/gtest.h>

#include "errors.h"
#include "test_support.h"

namespace mig {
namespace {

using testing::TempDir;

TEST(ScriptDirectory, FindsSqlFilesRecursivelyInPathOrder) {
  TempDir dir;
  dir.write("m/b.sql", "-- mig:revision bbbb\n-- mig:parent aaaa\n-- mig:upgrade\n");
  dir.write("m/sub/a.sql", "-- mig:revision aaaa\n-- mig:upgrade\n");
  dir.write("m/notes.txt", "not sql");
  dir.write("m/.hidden/x.sql", "garbage");
  dir.write("m/.y.sql", "garbage");
  auto revs = load_revisions(dir / "m", SqlDialect::SQLite);
  ASSERT_EQ(revs.size(), 2u);
  EXPECT_EQ(revs[0].id, "bbbb");
  EXPECT_EQ(revs[0].path, dir / "m/b.sql");
  EXPECT_EQ(revs[1].id, "aaaa");
}

TEST(ScriptDirectory, MissingDirectoryIsAUsageError) {
  TempDir dir;
  EXPECT_THROW(load_revisions(dir / "nope", SqlDialect::SQLite), UsageError);
}

TEST(ScriptDirectory, MalformedFileNamesItself) {
  TempDir dir;
  dir.write("m/ok.sql", "-- mig:revision aaaa\n-- mig:upgrade\n");
  dir.write("m/zz.sql", "-- mig:revision bbbb\n-- mig:parent aaaa\n-- mig:wat\n");
  try {
    load_revisions(dir / "m", SqlDialect::SQLite);
    FAIL();
  } catch (const FileError& e) {
    EXPECT_EQ(e.path(), dir / "m/zz.sql");
    EXPECT_EQ(e.line(), 3);
  }
}

}  // namespace
}  // namespace mig
