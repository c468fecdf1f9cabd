// mig diff in-process (src/project/diff.cpp): the revisions replayed, the
// desired schema loaded, the revision written only once it is proven.
#include "project/diff.h"

#include <gtest/gtest.h>

#include <boost/filesystem.hpp>
#include <fstream>
#include <sstream>

#include "../test_support.h"
#include "mig/project.h"

namespace mig {
namespace {

std::string read(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

size_t files_in(const std::string& dir) {
  return std::distance(boost::filesystem::directory_iterator(dir),
                       boost::filesystem::directory_iterator());
}

class Diff : public ::testing::Test {
 protected:
  void SetUp() override {
    Project::init(dir.path());
    dir.write("migrations/a001.sql",
              "-- mig:revision a001\n-- mig:message users\n-- mig:upgrade\n"
              "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
              "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) "
              "ON DELETE CASCADE);\n"
              "-- mig:downgrade\nDROP TABLE posts;\nDROP TABLE users;\n");
  }
  Project project() {
    Project p = Project::open(dir.path());
    return p;
  }
  DiffOptions to(const std::string& sql, bool check = false) {
    dir.write("schema.sql", sql);
    DiffOptions o;
    o.message = "next";
    o.to = dir / "schema.sql";
    o.check = check;
    return o;
  }
  testing::TempDir dir;
  std::string users = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n";
  std::string posts =
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id) ON "
      "DELETE CASCADE);\n";
};

TEST_F(Diff, NoDifferenceWritesNothing) {
  DiffResult r = project().diff(to(users + posts));
  EXPECT_FALSE(r.differs);
  EXPECT_EQ(r.path, "");
  EXPECT_EQ(files_in(dir / "migrations"), 1u);
}

TEST_F(Diff, TheWrittenRevisionUpgradesToTheDesiredSchemaAndPassesCheck) {
  std::string desired =
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '', email TEXT);\n" +
      posts + "CREATE INDEX posts_user ON posts (user_id);\n";
  DiffResult check = project().diff(to(desired, true));
  EXPECT_TRUE(check.differs);
  EXPECT_EQ(check.path, "");
  EXPECT_EQ(files_in(dir / "migrations"), 1u);

  DiffResult r = project().diff(to(desired));
  ASSERT_NE(r.path, "");
  EXPECT_TRUE(r.outside_transaction);  // users is rebuilt (name becomes NOT NULL)
  EXPECT_TRUE(r.destructive.empty());
  std::string text = read(r.path);
  EXPECT_NE(text.find("-- mig:parent a001\n"), std::string::npos) << text;
  EXPECT_NE(text.find("-- mig:transaction off\n"), std::string::npos) << text;
  EXPECT_NE(text.find("-- mig:allow destructive\n"), std::string::npos) << text;
  Project p = project();
  EXPECT_TRUE(p.check(false).ok());
  ASSERT_EQ(p.upgrade().steps.size(), 2u);
  EXPECT_FALSE(project().diff(to(desired, true)).differs);
  // (diff compares the files, not the database: the revision is there now)
  EXPECT_EQ(p.downgrade(DowngradeOptions{"a001"}).steps.size(), 1u);
}

TEST_F(Diff, ADestructiveRevisionIsLeftForCheckToStop) {
  DiffResult r = project().diff(to(users));  // posts goes
  ASSERT_NE(r.path, "");
  EXPECT_EQ(r.destructive, (std::vector<std::string>{"table posts is dropped"}));
  EXPECT_EQ(read(r.path).find("-- mig:allow destructive"), std::string::npos);
  CheckResult check = project().check(false);
  ASSERT_EQ(check.findings.size(), 1u);
  EXPECT_EQ(check.findings[0].rule, "destructive");
}

TEST_F(Diff, ADirectoryOfFilesRunsInNameOrder) {
  dir.write("schema/2_posts.sql", posts + "CREATE VIEW names AS SELECT name FROM users;\n");
  dir.write("schema/1_users.sql", users);
  dir.write("schema/notes.txt", "not SQL");
  DiffOptions o;
  o.message = "a view";
  o.to = dir / "schema";
  DiffResult r = project().diff(o);
  EXPECT_EQ(r.upgrade, (std::vector<std::string>{"CREATE VIEW names AS SELECT name FROM users"}));
  EXPECT_EQ(r.downgrade, (std::vector<std::string>{"DROP VIEW \"names\""}));
}

TEST_F(Diff, BadRequestsAreRefusedAndWriteNothing) {
  try {
    project().diff(to(users + "CREATE TABLE broken (;\n"));
    ADD_FAILURE() << "a broken schema was loaded";
  } catch (const OperationError& e) {
    EXPECT_NE(std::string(e.what()).find("schema.sql:2: the desired schema does not load"),
              std::string::npos)
        << e.what();
  }
  DiffOptions nothing;
  nothing.message = "x";
  nothing.to = dir / "nowhere";
  EXPECT_THROW(project().diff(nothing), OptionError);
  DiffOptions unnamed = to(users);
  unnamed.message = " ";
  EXPECT_THROW(project().diff(unnamed), UsageError);
  Settings pg = project().settings();
  pg.url = parse_url("postgresql://app@db/shop", "test");
  EXPECT_THROW(Project(pg).diff(to(users)), UsageError);  // not yet: refused before connecting
  EXPECT_EQ(files_in(dir / "migrations"), 1u);
}

}  // namespace
}  // namespace mig
