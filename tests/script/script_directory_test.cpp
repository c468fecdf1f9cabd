#include "script/script_directory.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "errors.h"
#include "../test_support.h"

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
  auto revs = load_revisions(dir / "m", Dialect::SQLite);
  ASSERT_EQ(revs.size(), 2u);
  EXPECT_EQ(revs[0].id, "bbbb");
  EXPECT_EQ(revs[0].path, dir / "m/b.sql");
  EXPECT_EQ(revs[1].id, "aaaa");
}

TEST(ScriptDirectory, MissingDirectoryIsAUsageError) {
  TempDir dir;
  EXPECT_THROW(load_revisions(dir / "nope", Dialect::SQLite), UsageError);
}

TEST(ScriptDirectory, MalformedFileNamesItself) {
  TempDir dir;
  dir.write("m/ok.sql", "-- mig:revision aaaa\n-- mig:upgrade\n");
  dir.write("m/zz.sql", "-- mig:revision bbbb\n-- mig:parent aaaa\n-- mig:wat\n");
  try {
    load_revisions(dir / "m", Dialect::SQLite);
    FAIL();
  } catch (const FileError& e) {
    EXPECT_EQ(e.path(), dir / "m/zz.sql");
    EXPECT_EQ(e.line(), 3);
  }
}

void expect_refused(const TempDir& dir, const std::string& words) {
  try {
    find_sql_files(dir / "m");
    FAIL() << "accepted: " << words;
  } catch (const OperationError& e) {
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST(ScriptDirectory, OddEntriesNamedSqlAreErrorsNotSkipped) {
  namespace fs = boost::filesystem;
  {
    TempDir dir;
    dir.write("m/a.sql", "x");
    ASSERT_EQ(mkfifo((dir / "m/fifo.sql").c_str(), 0600), 0);
    expect_refused(dir, "m/fifo.sql is a FIFO");
  }
  {
    TempDir dir;
    dir.write("m/a.sql", "x");
    fs::create_symlink(dir / "m/gone.sql", dir / "m/dangling.sql");
    expect_refused(dir, "m/dangling.sql is a symbolic link to nothing");
  }
  {
    TempDir dir;
    dir.write("m/a.sql", "x");
    fs::create_symlink("/dev/null", dir / "m/null.sql");
    expect_refused(dir, "m/null.sql is a device");
  }
  {
    TempDir dir;  // a link back up would be read for ever
    dir.write("m/a.sql", "x");
    fs::create_directory_symlink(dir / "m", dir / "m/loop");
    expect_refused(dir, "link back to a directory");
  }
  // Links to files and to directories are followed; a directory named
  // *.sql is a directory; other names are not revisions at all.
  TempDir dir;
  dir.write("m/a.sql", "x");
  dir.write("shared/b.sql", "x");
  dir.write("m/v2.sql/c.sql", "x");
  dir.write("elsewhere/d.sql", "x");
  fs::create_directory_symlink(dir / "shared", dir / "m/shared");
  fs::create_symlink(dir / "elsewhere/d.sql", dir / "m/d.sql");
  fs::create_symlink(dir / "nothing", dir / "m/notes.txt");
  EXPECT_EQ(find_sql_files(dir / "m"),
            (std::vector<std::string>{dir / "m/a.sql", dir / "m/d.sql", dir / "m/shared/b.sql",
                                      dir / "m/v2.sql/c.sql"}));
}

}  // namespace
}  // namespace mig
