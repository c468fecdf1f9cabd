// mig diff in-process (src/project/diff.cpp): the revisions replayed, the
// desired schema loaded, the revision written only once it is proven.
#include "project/diff.h"

#include <gtest/gtest.h>

#include <boost/filesystem.hpp>

#include "../test_support.h"
#include "diff/sqlite_diff.h"
#include "mig/project.h"
#include "script/sql_splitter.h"

namespace mig {
namespace {

std::string read(const std::string& path) { return testing::read_text(path); }

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

// Renamed, not dropped and made anew: the data stays.
// The renames said in the schema file itself, which can stay there: once
// applied, the markers name what the revisions no longer have.
TEST_F(Diff, RenamedFromMarkersInTheSchemaRenameOnce) {
  std::string marked =
      "CREATE TABLE members ( -- mig:renamed-from users\n"
      "  id INTEGER PRIMARY KEY,\n  full_name TEXT -- mig:renamed-from name\n);\n"
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES members (id) ON "
      "DELETE CASCADE);\n";
  DiffResult r = project().diff(to(marked));
  ASSERT_NE(r.path, "");
  EXPECT_TRUE(r.destructive.empty());
  EXPECT_EQ(r.upgrade.at(0), "ALTER TABLE \"users\" RENAME TO \"members\"");
  EXPECT_EQ(r.upgrade.at(1), "ALTER TABLE \"members\" RENAME COLUMN \"name\" TO \"full_name\"");
  Project p = project();
  ASSERT_EQ(p.upgrade(UpgradeOptions{"a001"}).steps.size(), 1u);
  auto db = Database::open(p.settings().url, ConnectOptions{});
  db->execute("INSERT INTO users VALUES (1, 'Ada')");
  ASSERT_EQ(p.upgrade().steps.size(), 1u);
  EXPECT_EQ(query_rows(*db, "SELECT full_name FROM members", ""),
            (std::vector<std::vector<std::string>>{{"Ada"}}));
  EXPECT_FALSE(project().diff(to(marked)).differs);
  // A marker that says nothing is named by its line.
  try {
    project().diff(to("CREATE TABLE users (\n  id INTEGER PRIMARY KEY, -- mig:renamed-from\n);"));
    FAIL() << "accepted";
  } catch (const FileError& e) {
    EXPECT_EQ(e.line(), 2);
  }
}

TEST_F(Diff, RenamesAreSaidAndKeepTheData) {
  std::string renamed =
      "CREATE TABLE members (id INTEGER PRIMARY KEY, full_name TEXT);\n"
      "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES members (id) ON "
      "DELETE CASCADE);\n";
  DiffResult guessed = project().diff(to(renamed, true));
  EXPECT_EQ(guessed.destructive, (std::vector<std::string>{"table users is dropped"}));

  DiffOptions o = to(renamed);
  o.renames = {"users=members", "members.name=full_name"};
  DiffResult r = project().diff(o);
  ASSERT_NE(r.path, "");
  EXPECT_TRUE(r.destructive.empty());
  ASSERT_GE(r.upgrade.size(), 2u);
  EXPECT_EQ(r.upgrade[0], "ALTER TABLE \"users\" RENAME TO \"members\"");
  EXPECT_EQ(r.upgrade[1], "ALTER TABLE \"members\" RENAME COLUMN \"name\" TO \"full_name\"");
  Project p = project();
  ASSERT_EQ(p.upgrade(UpgradeOptions{"a001"}).steps.size(), 1u);
  auto db = Database::open(p.settings().url, ConnectOptions{});
  db->execute("INSERT INTO users VALUES (1, 'Ada')");
  db->execute("INSERT INTO posts VALUES (10, 1)");
  ASSERT_EQ(p.upgrade().steps.size(), 1u);
  EXPECT_EQ(query_rows(*db, "SELECT full_name FROM members", ""),
            (std::vector<std::vector<std::string>>{{"Ada"}}));
  EXPECT_EQ(query_rows(*db, "SELECT count(*) FROM posts JOIN members ON members.id = user_id", ""),
            (std::vector<std::vector<std::string>>{{"1"}}));
  ASSERT_EQ(p.downgrade(DowngradeOptions{"a001"}).steps.size(), 1u);
  EXPECT_EQ(query_rows(*db, "SELECT name FROM users", ""),
            (std::vector<std::vector<std::string>>{{"Ada"}}));

  DiffOptions bad = to(renamed);
  for (const char* spec : {"nobody=x", "users.nothing=x", "users", "users.name=posts.name"}) {
    bad.renames = {spec};
    EXPECT_THROW(project().diff(bad), OptionError) << spec;
  }
}

// Two schemas compared without the revisions: files, or live databases,
// which are only read.
TEST_F(Diff, FromOneSchemaToAnotherOnlyPrintsTheStatements) {
  dir.write("old.sql", users);
  {
    auto live = Database::open(parse_url("sqlite:" + dir / "staging.db", "test"), ConnectOptions{});
    live->execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT)");
  }
  DiffOptions o;
  o.from = dir / "old.sql";
  o.to = "sqlite:" + dir / "staging.db";
  o.sql = true;
  DiffResult r = project().diff(o);
  EXPECT_TRUE(r.differs);
  EXPECT_EQ(r.upgrade, (std::vector<std::string>{"ALTER TABLE \"users\" ADD COLUMN email TEXT"}));
  EXPECT_EQ(r.path, "");
  EXPECT_EQ(files_in(dir / "migrations"), 1u);
  o.from = o.to;
  EXPECT_FALSE(project().diff(o).differs);
  o.sql = false;  // comparing two schemas writes no revision
  EXPECT_THROW(project().diff(o), OptionError);
  o.sql = true;
  o.from = "sqlite:" + dir / "missing.db";
  EXPECT_THROW(project().diff(o), OptionError);
  EXPECT_FALSE(boost::filesystem::exists(dir / "missing.db"));  // not created by looking
}

TEST_F(Diff, BadRequestsAreRefusedAndWriteNothing) {
  try {
    project().diff(to(users + "CREATE TABLE broken (;\n"));
    ADD_FAILURE() << "a broken schema was loaded";
  } catch (const OperationError& e) {
    EXPECT_NE(std::string(e.what()).find("schema.sql:2: the schema does not load"),
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
  Settings my = project().settings();
  my.url = parse_url("mysql://app@db/shop", "test");
  EXPECT_THROW(Project(my).diff(to(users)), OperationError);  // no server for its scratch database
  DiffOptions dev = to(users);
  dev.dev_url = "postgresql://app@db/dev";
  EXPECT_THROW(project().diff(dev), OptionError);  // SQLite's scratch databases are files
  EXPECT_EQ(files_in(dir / "migrations"), 1u);
}

}  // namespace
}  // namespace mig

namespace mig {
namespace {

// A schema the size of a small application, made natively: twenty tables
// with foreign keys, indexes, CHECK constraints, views and triggers.
std::string application_schema() {
  std::string sql =
      "CREATE TABLE account (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, "
      "created TEXT DEFAULT CURRENT_TIMESTAMP);\n";
  for (int i = 1; i < 20; ++i) {
    std::string t = "t" + std::to_string(i),
                parent = i == 1 ? "account" : "t" + std::to_string(i - 1);
    sql += "CREATE TABLE " + t +
           " (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES " + parent +
           " (id) ON DELETE CASCADE, amount NUMERIC CHECK (amount >= 0), note TEXT COLLATE "
           "NOCASE);\n";
    sql += "CREATE INDEX " + t + "_parent ON " + t + " (parent_id);\n";
    if (i % 5 == 0)
      sql += "CREATE VIEW " + t + "_big AS SELECT id, amount FROM " + t + " WHERE amount > 100;\n";
    if (i % 4 == 0)
      sql += "CREATE TRIGGER " + t + "_touch AFTER UPDATE ON " + t +
             " BEGIN UPDATE account SET created = created WHERE id = 1; END;\n";
  }
  return sql;
}

class Baseline : public ::testing::Test {
 protected:
  void SetUp() override {
    Project::init(dir.path());
    auto db = Database::open(parse_url("sqlite:" + dir / "var/mig.db", "test"), ConnectOptions{});
    for (const auto& st : split_statements(application_schema(), Dialect::SQLite, "app.sql"))
      db->execute(st.sql);
    db->execute("INSERT INTO account (email) VALUES ('a@example.com')");
  }
  testing::TempDir dir;
};

TEST_F(Baseline, AdoptsADatabaseAndGivesANewOneTheSameSchema) {
  BaselineResult r = Project::open(dir.path()).baseline("initial");
  ASSERT_NE(r.path, "");
  EXPECT_GE(r.statements, 40u);
  Project adopted = Project::open(dir.path());
  StatusResult status = adopted.status();
  EXPECT_EQ(status.current, std::vector<std::string>{r.revision});
  EXPECT_TRUE(status.up_to_date());
  EXPECT_TRUE(adopted.check(true).ok());
  // Nothing ran on the live database: its row is still there.
  auto live = Database::open(parse_url("sqlite:" + dir / "var/mig.db", "test"), ConnectOptions{});
  EXPECT_EQ(query_rows(*live, "SELECT count(*) FROM account", ""),
            (std::vector<std::vector<std::string>>{{"1"}}));

  // A new database gets the full schema from it, the same as the live one's.
  Settings fresh = adopted.settings();
  fresh.url = parse_url("sqlite:" + dir / "fresh.db", "test");
  Project other(fresh);
  ASSERT_EQ(other.upgrade().steps.size(), 1u);
  EXPECT_EQ(other.schema().text, adopted.schema().text);
  auto made = Database::open(fresh.url, ConnectOptions{});
  EXPECT_EQ(read_sqlite_schema(*made, "mig_").tables.size(), 20u);
  EXPECT_TRUE(other.verify().ok());
}

TEST_F(Baseline, IsOnlyForAProjectAndADatabaseWithoutHistory) {
  Project p = Project::open(dir.path());
  p.baseline("initial");
  EXPECT_THROW(Project::open(dir.path()).baseline("again"), UsageError);  // revisions exist
  testing::TempDir empty;
  Project::init(empty.path());
  EXPECT_THROW(Project::open(empty.path()).baseline("none"), OperationError);  // no database
  Settings pg = p.settings();
  pg.url = parse_url("postgresql://app@db/shop", "test");
  EXPECT_THROW(Project(pg).baseline("x"), UsageError);  // not yet
}

}  // namespace
}  // namespace mig
