#include "script/parse_cache.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <map>
#include <thread>

#include "errors.h"
#include "script/script_directory.h"
#include "../test_support.h"

namespace mig {
namespace {

using testing::TempDir;

const char* kOne = "-- mig:revision aaaa\n-- mig:message one\n-- mig:upgrade\nSELECT 1;\n";
const char* kTwo =
    "-- mig:revision bbbb\n-- mig:parent aaaa\n-- mig:message two\n"
    "-- mig:upgrade\nSELECT 2;\n-- mig:downgrade\nSELECT 3;\n";

// Loads through a cache file in `dir`, with the cache's clock `ahead`
// seconds in the future (files written by the test are seconds old then).
std::vector<Revision> load(const TempDir& dir, int ahead = 10) {
  struct timespec now {};
  ::clock_gettime(CLOCK_REALTIME, &now);
  int64_t later = (static_cast<int64_t>(now.tv_sec) + ahead) * 1000000000 + now.tv_nsec;
  ParseCache cache(dir / "cache", Dialect::SQLite, later);
  return load_revisions(dir / "m", Dialect::SQLite, RevisionText::Summary, &cache);
}

TEST(ParseCache, SecondLoadComesFromTheCacheAndMatchesAFreshParse) {
  TempDir dir;
  dir.write("m/a.sql", kOne);
  dir.write("m/b.sql", kTwo);
  auto first = load(dir);
  ASSERT_TRUE(boost::filesystem::exists(dir / "cache"));
  ParseCache cache(dir / "cache", Dialect::SQLite);
  FileStamp stamp;
  ASSERT_TRUE(stamp_file(dir / "m/b.sql", stamp));
  Revision hit;
  ASSERT_TRUE(cache.find(dir / "m/b.sql", stamp, hit));
  EXPECT_EQ(hit.id, "bbbb");
  EXPECT_EQ(hit.path, dir / "m/b.sql");
  EXPECT_EQ(hit.parents, std::vector<std::string>{"aaaa"});
  EXPECT_EQ(hit.message, "two");
  EXPECT_EQ(hit.checksum, first[1].checksum);
  EXPECT_TRUE(hit.has_downgrade);
  EXPECT_TRUE(hit.sql_dropped);
  ASSERT_EQ(hit.upgrade.size(), 1u);
  EXPECT_EQ(hit.upgrade[0].line, 5);
  auto second = load(dir);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[1].path, dir / "m/b.sql");
  EXPECT_EQ(second[1].checksum, first[1].checksum);
}

TEST(ParseCache, ARewriteKeepsFoundEntriesAddsNewOnesAndDropsGoneFiles) {
  TempDir dir;
  dir.write("m/a.sql", kOne);
  dir.write("m/b.sql", kTwo);
  load(dir);
  FileStamp a, b, c;
  ASSERT_TRUE(stamp_file(dir / "m/a.sql", a));
  ASSERT_TRUE(stamp_file(dir / "m/b.sql", b));
  boost::filesystem::remove(dir / "m/a.sql");
  dir.write("m/c.sql", "-- mig:revision cccc\n-- mig:parent bbbb\n-- mig:upgrade\nSELECT 4;\n");
  ASSERT_TRUE(stamp_file(dir / "m/c.sql", c));
  EXPECT_EQ(load(dir).size(), 2u);
  ParseCache cache(dir / "cache", Dialect::SQLite);
  Revision hit;
  EXPECT_FALSE(cache.find(dir / "m/a.sql", a, hit));
  ASSERT_TRUE(cache.find(dir / "m/b.sql", b, hit));
  EXPECT_EQ(hit.id, "bbbb");
  ASSERT_TRUE(cache.find(dir / "m/c.sql", c, hit));
  EXPECT_EQ(hit.id, "cccc");
  EXPECT_EQ(hit.parents, std::vector<std::string>{"bbbb"});
}

TEST(ParseCache, AnEditedFileIsParsedAgainEvenWithTheSameSizeAndTime) {
  TempDir dir;
  dir.write("m/a.sql", kOne);
  auto first = load(dir);
  FileStamp before;
  ASSERT_TRUE(stamp_file(dir / "m/a.sql", before));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));  // past a clock tick
  std::string edited = kOne;
  edited.replace(edited.find("SELECT 1"), 8, "SELECT 7");  // same size
  dir.write("m/a.sql", edited);
  struct timespec times[2] = {{0, UTIME_OMIT},
                              {before.mtime_ns / 1000000000, before.mtime_ns % 1000000000}};
  ASSERT_EQ(::utimensat(AT_FDCWD, (dir / "m/a.sql").c_str(), times, 0), 0);  // old mtime back
  auto again = load(dir);
  EXPECT_NE(again[0].checksum, first[0].checksum);
  EXPECT_EQ(again[0].checksum, load_revisions(dir / "m", Dialect::SQLite)[0].checksum);
}

TEST(ParseCache, FilesChangedJustNowAreNotStored) {
  TempDir dir;
  dir.write("m/a.sql", kOne);
  load(dir, 0);  // the cache's clock is now: the file is too young to trust
  ParseCache cache(dir / "cache", Dialect::SQLite);
  FileStamp stamp;
  ASSERT_TRUE(stamp_file(dir / "m/a.sql", stamp));
  Revision hit;
  EXPECT_FALSE(cache.find(dir / "m/a.sql", stamp, hit));
}

TEST(ParseCache, OtherDialectOrDamagedFileIsAnEmptyCache) {
  TempDir dir;
  dir.write("m/a.sql", kOne);
  load(dir);
  FileStamp stamp;
  ASSERT_TRUE(stamp_file(dir / "m/a.sql", stamp));
  Revision hit;
  EXPECT_TRUE(ParseCache(dir / "cache", Dialect::SQLite).find(dir / "m/a.sql", stamp, hit));
  EXPECT_FALSE(ParseCache(dir / "cache", Dialect::PostgreSQL).find(dir / "m/a.sql", stamp, hit));
  std::string text = read_file(dir / "cache");
  dir.write("cache", text.substr(0, text.size() - 5));
  EXPECT_FALSE(ParseCache(dir / "cache", Dialect::SQLite).find(dir / "m/a.sql", stamp, hit));
}

TEST(ParseCache, MalformedFilesAreNeverCachedAndStillFail) {
  TempDir dir;
  dir.write("m/a.sql", kOne);
  dir.write("m/b.sql", "-- mig:revision bbbb\n-- mig:wat\n");
  EXPECT_THROW(load(dir), FileError);
  EXPECT_THROW(load(dir), FileError);
}

TEST(ParseCache, OffWhenAskedOrWithoutAHome) {
  TempDir dir;
  dir.write("m/a.sql", kOne);
  std::map<std::string, std::string> env = {{"MIG_CACHE", "off"}, {"HOME", "/home/u"}};
  auto lookup = [&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  EXPECT_EQ(ParseCache::user_cache_dir(lookup), "");
  env.erase("MIG_CACHE");
  EXPECT_EQ(ParseCache::user_cache_dir(lookup), "/home/u/.cache/mig");
  env["XDG_CACHE_HOME"] = dir / "xdg";
  std::string cache = ParseCache::user_cache_dir(lookup);
  EXPECT_EQ(cache, dir / "xdg/mig");
  env.clear();
  EXPECT_EQ(ParseCache::user_cache_dir(lookup), "");
  std::string path = ParseCache::file_for(cache, dir / "m", Dialect::SQLite);
  EXPECT_EQ(path.rfind(dir / "xdg/mig/", 0), 0u) << path;
  EXPECT_NE(path, ParseCache::file_for(cache, dir / "m", Dialect::MySQL));
  EXPECT_EQ(ParseCache::file_for("", dir / "m", Dialect::SQLite), "");
}

}  // namespace
}  // namespace mig
