// Writing a project in-process: init, new revisions and seeds from the
// templates, merges.
#include <gtest/gtest.h>

#include <boost/filesystem.hpp>

#include "../test_support.h"
#include "mig/project.h"

namespace mig {
namespace {

std::string read(const std::string& path) { return testing::read_text(path); }

RevisionRequest request(const std::string& message) {
  RevisionRequest r;
  r.message = message;
  return r;
}

// "-- mig:revision ID" of a file.
std::string id_of(const std::string& path) {
  std::string text = read(path);
  size_t at = text.find("-- mig:revision ");
  return text.substr(at + 16, text.find('\n', at) - at - 16);
}

TEST(Authoring, InitCreatesTheProjectAndKeepsWhatIsThere) {
  testing::TempDir dir;
  InitResult first = Project::init(dir / "app");
  ASSERT_GE(first.entries.size(), 5u);
  for (const auto& e : first.entries) EXPECT_TRUE(e.created) << e.path;
  EXPECT_TRUE(boost::filesystem::is_directory(dir / "app/migrations"));
  EXPECT_NE(read(dir / "app/mig.toml").find("[database]"), std::string::npos);

  dir.write("app/mig.toml", "# mine\n");
  InitResult again = Project::init(dir / "app");
  for (const auto& e : again.entries) EXPECT_FALSE(e.created) << e.path;
  EXPECT_EQ(read(dir / "app/mig.toml"), "# mine\n");
}

TEST(Authoring, ANewRevisionFollowsTheHeadAndAMergeJoinsHeads) {
  testing::TempDir dir;
  Project::init(dir.path());
  Project project = Project::open(dir.path());
  std::string first = project.new_revision(request("create users"));
  EXPECT_EQ(boost::filesystem::path(first).parent_path().string(), dir / "migrations");
  std::string a = id_of(first);
  std::string second = project.new_revision(request("add email"));
  EXPECT_NE(read(second).find("-- mig:parent " + a), std::string::npos) << read(second);

  RevisionRequest other = request("other line");
  other.parents = {a};
  std::string b = id_of(project.new_revision(other));
  try {
    project.new_revision(request("third"));
    FAIL() << "two heads, and no parent was chosen";
  } catch (const OptionError& e) {
    EXPECT_NE(std::string(e.what()).find("several heads"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("pass `parents` ID"), std::string::npos) << e.what();
  }
  std::string merge = read(project.merge({}, "join"));
  EXPECT_NE(merge.find(b), std::string::npos) << merge;
  EXPECT_NE(merge.find(id_of(second)), std::string::npos) << merge;
  EXPECT_EQ(project.heads().size(), 1u);
}

TEST(Authoring, BadRequestsAreRefusedAndWriteNothing) {
  testing::TempDir dir;
  Project::init(dir.path());
  Project project = Project::open(dir.path());
  EXPECT_THROW(project.new_revision(request("two\nlines")), UsageError);
  EXPECT_THROW(project.new_revision(request("  ")), UsageError);
  RevisionRequest seed = request("users");
  seed.seed = true;
  seed.kind = "data";
  try {
    project.new_revision(seed);
    ADD_FAILURE() << "a data seed was accepted";
  } catch (const OptionError& e) {  // in the library's words, not the CLI's
    EXPECT_STREQ(e.what(), "`seed` cannot be combined with `kind` or `parents`");
  }
  EXPECT_THROW(project.merge({}, "nothing to join"), UsageError);
  EXPECT_TRUE(boost::filesystem::is_empty(dir / "migrations"));
  EXPECT_TRUE(boost::filesystem::is_empty(dir / "seed"));
}

TEST(Authoring, ASeedFileFromTheSeedTemplate) {
  testing::TempDir dir;
  Project::init(dir.path());
  RevisionRequest seed = request("demo users");
  seed.seed = true;
  std::string path = Project::open(dir.path()).new_revision(seed);
  EXPECT_EQ(boost::filesystem::path(path).parent_path().string(), dir / "seed");
  EXPECT_NE(path.find("_demo_users.sql"), std::string::npos) << path;
}

TEST(Authoring, EmbeddedRevisionsHaveNoDirectoryToWriteTo) {
  Settings s;
  s.url = parse_url("sqlite::memory:", "test");
  Project project(s, {});
  EXPECT_THROW(project.new_revision(request("x")), UsageError);
}

}  // namespace
}  // namespace mig
