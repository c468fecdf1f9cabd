// The library in-process (no binary spawned): a Project on each backend,
// from a directory, from settings built in code, and from revisions held in
// memory; results, observer events and typed errors.
#include "mig/project.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "../e2e/database_support.h"
#include "../test_support.h"
#include "script/parse_cache.h"

namespace mig {
namespace {

using e2e::Kind;
using e2e::TestDatabase;
using V = std::vector<std::string>;

std::string revision(const std::string& id, const std::string& parent, const std::string& up,
                     const std::string& down, const std::string& header = "") {
  return "-- mig:revision " + id + "\n" + (parent.empty() ? "" : "-- mig:parent " + parent + "\n") +
         "-- mig:message " + id + " message\n" + header + "-- mig:upgrade\n" + up +
         "\n-- mig:downgrade\n" + down + "\n";
}

std::vector<EmbeddedRevision> chain() {
  return {{"embedded/a001.sql",
           revision("a001", "", "CREATE TABLE one (v INTEGER);", "DROP TABLE one;")},
          {"embedded/a002.sql",
           revision("a002", "a001", "CREATE TABLE two (v INTEGER);\nINSERT INTO two VALUES (2);",
                    "DROP TABLE two;")}};
}

Settings settings_for(const TestDatabase& db) {
  Settings s;
  s.url = parse_url(db.url(), "test");
  return s;
}

// Records what the project says while it works.
struct Recorder : Observer {
  V events;
  void step_started(const StepResult& s) override { events.push_back("start " + s.revision); }
  void step_finished(const StepResult& s) override {
    events.push_back(s.action + " " + s.revision);
  }
  void statement(const StepResult&, int number, const std::string&) override {
    events.push_back("statement " + std::to_string(number));
  }
  void log(Level, const std::string& text) override { events.push_back("log " + text); }
};

class Library : public ::testing::TestWithParam<Kind> {
 protected:
  testing::TempDir dir;
  TestDatabase db{GetParam(), dir / "app.db"};
};

TEST_P(Library, EmbeddedRevisionsUpgradeReportAndDowngrade) {
  Project project(settings_for(db), chain());
  Recorder recorder;
  project.set_observer(&recorder);
  StatusResult before = project.status();
  EXPECT_EQ(before.pending.size(), 2u);
  EXPECT_FALSE(before.up_to_date());
  EXPECT_EQ(project.pending().size(), 2u);

  MigrateResult up = project.upgrade();
  ASSERT_EQ(up.steps.size(), 2u);
  EXPECT_EQ(up.steps[0].revision, "a001");
  EXPECT_EQ(up.steps[1].path, "embedded/a002.sql");
  EXPECT_EQ(up.before, V{});
  EXPECT_EQ(up.after, V{"a002"});
  EXPECT_EQ(db.query("SELECT v FROM two"), V{"2"});
  EXPECT_NE(std::find(recorder.events.begin(), recorder.events.end(), "upgrade a002"),
            recorder.events.end());
  EXPECT_NE(std::find(recorder.events.begin(), recorder.events.end(), "start a001"),
            recorder.events.end());

  StatusResult after = project.status();
  EXPECT_TRUE(after.up_to_date());
  EXPECT_EQ(after.current, V{"a002"});
  CurrentResult current = project.current();
  ASSERT_EQ(current.current.size(), 1u);
  EXPECT_TRUE(current.current[0].head);
  EXPECT_EQ(project.history().revisions.size(), 2u);

  DowngradeOptions down;
  down.target = "base";
  MigrateResult undone = project.downgrade(down);
  EXPECT_EQ(undone.steps.size(), 2u);
  EXPECT_EQ(undone.after, V{});
  EXPECT_FALSE(db.has_table("two"));
}

TEST_P(Library, FailuresAreTypedAndCarryTheirData) {
  auto revisions = chain();
  revisions.push_back(
      {"embedded/a003.sql",
       revision("a003", "a002", "CREATE TABLE three (v INTEGER);\nINSERT INTO nowhere VALUES (1);",
                "DROP TABLE three;", "-- mig:transaction off\n")});
  Project project(settings_for(db), revisions);
  try {
    project.upgrade();
    FAIL() << "the upgrade did not fail";
  } catch (const StepError& e) {
    const auto& d = e.details();
    EXPECT_EQ(d.revision, "a003");
    EXPECT_EQ(d.action, "upgrade");
    EXPECT_EQ(d.statement, 2);
    EXPECT_EQ(d.statements, 2);
    EXPECT_EQ(d.sql, "INSERT INTO nowhere VALUES (1)");
    EXPECT_FALSE(d.error.empty());
    EXPECT_TRUE(e.half_applied());
    EXPECT_EQ(d.resume_at, 2);
    EXPECT_EQ(d.earlier, "\n  the 2 earlier revision(s) of this run stay");
    // The library's own words, not the CLI's commands.
    EXPECT_EQ(std::string(e.what()).find("`mig"), std::string::npos) << e.what();
  }
  try {
    project.upgrade();
    FAIL() << "ran past a half-applied revision";
  } catch (const HalfAppliedError& e) {
    EXPECT_EQ(e.revision(), "a003");
    EXPECT_EQ(e.reason(), HalfAppliedError::Reason::NotResumed);
  }
  StatusResult status = project.status();
  ASSERT_EQ(status.half_applied.size(), 1u);
  EXPECT_EQ(status.half_applied[0].state, "failed");
  ResolveResult resolved = project.resolve("a003", false);
  EXPECT_FALSE(resolved.applied);
  EXPECT_TRUE(project.status().half_applied.empty());
  EXPECT_THROW(project.upgrade(UpgradeOptions{"nosuch"}), UsageError);
  UpgradeOptions forced;
  forced.force_seed = true;  // without seed
  EXPECT_THROW(project.upgrade(forced), OptionError);
}

TEST_P(Library, DryRunChangesNothingAndCheckAndSchemaReport) {
  Project project(settings_for(db), chain());
  UpgradeOptions o;
  o.dry_run = true;
  MigrateResult plan = project.upgrade(o);
  EXPECT_TRUE(plan.dry_run);
  EXPECT_EQ(plan.steps.size(), 2u);
  EXPECT_FALSE(db.has_table("one"));
  project.upgrade();
  SchemaResult schema = project.schema();
  ASSERT_EQ(schema.objects.size(), 2u);
  EXPECT_EQ(schema.objects[0].name, "one");
  CheckResult check = project.check(true);
  EXPECT_TRUE(check.database_checked);
  EXPECT_EQ(check.revisions, 2u);
  StampResult stamp = project.stamp("a001");
  ASSERT_EQ(stamp.changes.size(), 1u);
  EXPECT_EQ(stamp.changes[0].revision, "a002");
  EXPECT_FALSE(stamp.changes[0].applied);
}

// The interrupt flag is looked at before each revision: set while the first
// one runs, the upgrade stops after it, which stays applied; the plan was
// told before anything ran.
TEST_P(Library, InterruptStopsAnUpgradeBeforeItsNextRevision) {
  struct Stopper : Observer {
    std::atomic<bool> flag{false};
    MigrateResult plan;
    void planned(const MigrateResult& p) override { plan = p; }
    void step_finished(const StepResult&) override { flag = true; }
  } stopper;
  Project project(settings_for(db), chain());
  project.set_observer(&stopper);
  project.set_interrupt(&stopper.flag);
  try {
    project.upgrade();
    ADD_FAILURE() << "the upgrade went on";
  } catch (const InterruptedError& e) {
    EXPECT_NE(std::string(e.what()).find("1 of 2"), std::string::npos) << e.what();
  }
  EXPECT_EQ(stopper.plan.before, V{});
  EXPECT_EQ(stopper.plan.after, V{"a002"});
  EXPECT_EQ(stopper.plan.steps.size(), 2u);
  EXPECT_EQ(db.query("SELECT revision FROM mig_revisions"), V{"a001"});
  EXPECT_TRUE(db.has_table("one"));
  EXPECT_FALSE(db.has_table("two"));
  project.set_interrupt(nullptr);
  EXPECT_EQ(project.upgrade().steps.size(), 1u);  // the rest, once
}

INSTANTIATE_TEST_SUITE_P(All, Library,
                         ::testing::Values(Kind::SQLite, Kind::PostgreSQL, Kind::MySQL),
                         [](const auto& info) { return std::string(e2e::kind_name(info.param)); });

// A project opened from a directory reads its mig.toml, relative to it, and
// no environment unless asked: DATABASE_URL in the host's environment is
// not the library's business.
TEST(LibraryDirectory, OpensAProjectDirectoryAndReadsNoEnvironment) {
  testing::TempDir dir;
  dir.write("mig.toml", "[database]\nurl = \"sqlite:data/app.db\"\n");
  dir.write("migrations/a001.sql",
            revision("a001", "", "CREATE TABLE one (v INTEGER);", "DROP TABLE one;"));
  ::setenv("DATABASE_URL", "sqlite::memory:", 1);
  Project project = Project::open(dir.path());
  ::unsetenv("DATABASE_URL");
  EXPECT_EQ(project.settings().url.path, dir / "data/app.db");
  EXPECT_EQ(project.upgrade().steps.size(), 1u);
  EXPECT_TRUE(boost::filesystem::exists(dir / "data/app.db"));
  // With a lookup, ${VAR} and DATABASE_URL are the host's to give.
  Project other = Project::open(dir.path(), [&](const char* name) -> const char* {
    return std::string(name) == "DATABASE_URL" ? "sqlite::memory:" : nullptr;
  });
  EXPECT_TRUE(other.settings().url.is_memory());
  // Without mig.toml the defaults are taken from the directory too.
  testing::TempDir bare;
  bare.write("migrations/a001.sql", revision("a001", "", "SELECT 1;", "SELECT 1;"));
  Project defaults = Project::open(bare.path());
  EXPECT_EQ(defaults.settings().url.path, bare / "var/mig.db");
  EXPECT_EQ(defaults.settings().migrations_dir, bare / "migrations");
}

// verify replays the revisions on a scratch SQLite file in
// Settings::temp_dir (the library reads no TMPDIR) and removes it after.
TEST(LibraryVerify, TheScratchFileIsInTheTempDirOfTheSettingsAndGoesAfter) {
  testing::TempDir dir;
  Settings s;
  s.url = parse_url("sqlite:" + dir / "app.db", "test");
  s.temp_dir = dir / "scratch";
  auto mine = chain();
  mine.push_back(
      {"embedded/a003.sql", revision("a003", "a002", "CREATE TABLE s3cretpw (v INTEGER);",
                                     "SELECT 1;")});  // leaves its table behind
  Project project(s, mine);
  project.mask(parse_url("postgresql://app:s3cretpw@db/shop", "test"));
  struct Watcher : Observer {
    std::string scratch;
    V seen;  // revision: a mig-verify-* directory was there while it ran
    void verified(const VerifiedRevision& r) override {
      size_t there = 0;
      for (boost::filesystem::directory_iterator it(scratch), end; it != end; ++it)
        there += it->path().filename().string().rfind("mig-verify-", 0) == 0;
      seen.push_back(r.revision + " " + r.outcome + " " + std::to_string(there));
    }
  } watcher;
  watcher.scratch = s.temp_dir;
  project.set_observer(&watcher);
  VerifyResult result = project.verify();
  EXPECT_EQ(watcher.seen, (V{"a001 ok 1", "a002 ok 1", "a003 failed 1"}));
  ASSERT_EQ(result.revisions.size(), 3u);
  EXPECT_EQ(result.revisions[2].outcome, "failed");
  EXPECT_NE(result.revisions[2].problem.find("downgrade"), std::string::npos)
      << result.revisions[2].problem;
  EXPECT_NE(result.database.find(s.temp_dir), std::string::npos) << result.database;
  // What it found names the table left behind, masked like everything else.
  EXPECT_NE(result.revisions[2].diff.find("***"), std::string::npos) << result.revisions[2].diff;
  EXPECT_EQ(result.revisions[2].diff.find("s3cretpw"), std::string::npos);
  EXPECT_TRUE(boost::filesystem::is_empty(s.temp_dir));     // the scratch file went
  EXPECT_FALSE(boost::filesystem::exists(dir / "app.db"));  // and the project's is untouched
}

// One project per thread: several at once over the same files and parse
// cache, each on its own database, each sees exactly its own work.
TEST(LibraryThreads, ProjectsOnThreadsShareFilesAndCacheButNothingElse) {
  testing::TempDir dir;
  for (int i = 1; i <= 20; ++i) {
    char id[8];
    std::snprintf(id, sizeof id, "a%03d", i);
    char parent[8];
    std::snprintf(parent, sizeof parent, "a%03d", i - 1);
    std::string table = "t" + std::to_string(i);
    dir.write(std::string("migrations/") + id + ".sql",
              revision(id, i == 1 ? "" : parent, "CREATE TABLE " + table + " (v INTEGER);",
                       "DROP TABLE " + table + ";"));
  }
  // The cache keeps only files older than two seconds (see parse_cache.cpp).
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  const int threads = 4;
  std::vector<std::string> errors(threads);
  std::vector<size_t> pending(threads), applied(threads);
  std::vector<std::string> current(threads);
  std::vector<std::thread> running;
  for (int t = 0; t < threads; ++t)
    running.emplace_back([&, t] {
      try {
        Settings s;
        s.base_dir = dir.path();
        s.migrations_dir = dir / "migrations";
        s.cache_dir = dir / "cache";
        s.url = parse_url("sqlite:" + dir / ("shard" + std::to_string(t) + ".db"), "test");
        Project project(s);
        pending[t] = project.status().pending.size();
        applied[t] = project.upgrade().steps.size();
        StatusResult after = project.status();
        current[t] = after.current.empty() ? "" : after.current[0];
        if (!after.up_to_date()) errors[t] = "not up to date after upgrade";
      } catch (const std::exception& e) {
        errors[t] = e.what();
      }
    });
  for (auto& th : running) th.join();
  for (int t = 0; t < threads; ++t) {
    EXPECT_EQ(errors[t], "") << "thread " << t;
    EXPECT_EQ(pending[t], 20u) << "thread " << t;
    EXPECT_EQ(applied[t], 20u) << "thread " << t;
    EXPECT_EQ(current[t], "a020") << "thread " << t;
  }
  // All four saved the cache at once: one complete file, no temporaries.
  ASSERT_TRUE(boost::filesystem::exists(dir / "cache"));
  V names;
  for (boost::filesystem::recursive_directory_iterator it(dir / "cache"), end; it != end; ++it)
    if (boost::filesystem::is_regular_file(*it)) names.push_back(it->path().filename().string());
  ASSERT_EQ(names.size(), 1u) << names.size();
  EXPECT_EQ(names[0].find(".tmp."), std::string::npos) << names[0];
  // And it is whole: it has every file's summary.
  ParseCache cache(ParseCache::file_for(dir / "cache", dir / "migrations", Dialect::SQLite),
                   Dialect::SQLite);
  for (int i = 1; i <= 20; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "migrations/a%03d.sql", i);
    FileStamp stamp;
    ASSERT_TRUE(stamp_file(dir / name, stamp));
    Revision summary;
    EXPECT_TRUE(cache.find(dir / name, stamp, summary)) << name;
  }
}

}  // namespace
}  // namespace mig
