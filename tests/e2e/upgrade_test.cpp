// End-to-end on SQLite only: what the other backends cannot share (VACUUM,
// trigger syntax, URL forms, output levels). Shared scenarios: backends_test.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <cstdio>

#include "harness.h"

namespace mig::e2e {
namespace {

using V = std::vector<std::string>;

// Three revisions: a001 ← a002 ← a003.
void chain(const Project& p) {
  p.revision("a001", "", "CREATE TABLE one (id INTEGER PRIMARY KEY);", "DROP TABLE one;");
  p.revision("a002", "a001", "CREATE TABLE two (id INTEGER);\nINSERT INTO two VALUES (2);",
             "DROP TABLE two;");
  p.revision("a003", "a002", "CREATE TABLE three (id INTEGER);", "DROP TABLE three;");
}

V applied(const Project& p) {
  return query(p.db(), "SELECT revision FROM mig_revisions ORDER BY seq");
}

TEST(Upgrade, RelativeAndPrefixTargets) {
  Project p;
  chain(p);
  ASSERT_EQ(p.mig({"upgrade", "+1"}).code, 0);
  EXPECT_EQ(applied(p), V{"a001"});
  ASSERT_EQ(p.mig({"upgrade", "a002"}).code, 0);
  EXPECT_EQ(applied(p), (V{"a001", "a002"}));
  ASSERT_EQ(p.mig({"upgrade", "heads"}).code, 0);
  EXPECT_TRUE(has_table(p.db(), "three"));
}

TEST(Downgrade, TargetIsRequired) {
  Project p;
  chain(p);
  EXPECT_EQ(p.mig({"downgrade"}).code, 2);
}

TEST(Failure, DowngradeFailureRollsBackThatRevision) {
  Project p;
  p.revision("a001", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
  p.revision("a002", "a001", "CREATE TABLE two (id INTEGER);",
             "DROP TABLE two;\nDROP TABLE not_there;");
  ASSERT_EQ(p.mig({"upgrade"}).code, 0);
  Result r = p.mig({"downgrade", "base"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("downgrade a002 failed at statement 2 of 2"), std::string::npos) << r.err;
  EXPECT_TRUE(has_table(p.db(), "two"));
  EXPECT_EQ(applied(p), (V{"a001", "a002"}));
}

TEST(Transactions, TransactionOffRunsOutsideATransaction) {
  Project p;
  p.revision("a001", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
  // VACUUM cannot run inside a transaction: it only works with transaction off.
  p.revision("a002", "a001", "VACUUM;", "VACUUM;", "-- mig:transaction off\n");
  p.revision("a003", "a002", "CREATE TABLE three (id INTEGER);", "DROP TABLE three;");
  Result r = p.mig({"upgrade"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(applied(p), (V{"a001", "a002", "a003"}));
  ASSERT_EQ(p.mig({"downgrade", "base"}).code, 0);

  // Alone in its section, VACUUM runs outside a transaction by itself.
  Project q;
  q.revision("a001", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
  q.revision("a002", "a001", "VACUUM;", "VACUUM;");
  Result alone = q.mig({"upgrade"});
  ASSERT_EQ(alone.code, 0) << alone.err;
  EXPECT_EQ(applied(q), (V{"a001", "a002"}));
  ASSERT_EQ(q.mig({"downgrade", "base"}).code, 0);
  // Among other statements it is refused when the file is read, before
  // anything runs, naming the line and the fix.
  q.revision("a002", "a001", "CREATE TABLE two (id INTEGER);\nVACUUM;", "DROP TABLE two;");
  Result mixed = q.mig({"upgrade"});
  EXPECT_EQ(mixed.code, 1);
  EXPECT_NE(mixed.err.find("a002.sql:7: VACUUM cannot run inside a transaction"), std::string::npos)
      << mixed.err;
  EXPECT_NE(mixed.err.find("-- mig:transaction off"), std::string::npos) << mixed.err;
  EXPECT_EQ(applied(q), V{});
  EXPECT_FALSE(has_table(q.db(), "one"));
  Result check = q.mig({"check"});
  EXPECT_EQ(check.code, 1);
  EXPECT_NE(check.out.find("VACUUM cannot run inside a transaction"), std::string::npos)
      << check.out;
}

TEST(Transactions, TransactionOffFailureSaysHowFarItGot) {
  Project p;
  p.revision("a001", "", "CREATE TABLE one (id INTEGER);\nINSERT INTO nope VALUES (1);",
             "DROP TABLE one;", "-- mig:transaction off\n");
  Result r = p.mig({"upgrade"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("statements 1-1 of a001 took effect"), std::string::npos) << r.err;
  EXPECT_TRUE(has_table(p.db(), "one"));
  EXPECT_EQ(applied(p), V{});
  EXPECT_EQ(query(p.db(), "SELECT outcome, statement_no FROM mig_log"), V{"failed|2"});
}

// As on the servers: a `transaction off` revision that leaves its own
// transaction open is stopped there, that transaction rolled back, and it
// can be fixed and resumed.
TEST(Transactions, ARevisionsOwnTransactionLeftOpenIsRefusedAndCanBeResumed) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);\nBEGIN;\nINSERT INTO t VALUES (1);",
             "DROP TABLE t;", "-- mig:transaction off\n");
  Result open = p.mig({"upgrade"});
  EXPECT_EQ(open.code, 1);
  EXPECT_NE(open.err.find("ends inside a transaction it opened itself"), std::string::npos)
      << open.err;
  EXPECT_EQ(query(p.db(), "SELECT count(*) FROM t"), V{"0"});
  EXPECT_EQ(applied(p), V{});
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);\nBEGIN;\nINSERT INTO t VALUES (1);\nCOMMIT;",
             "DROP TABLE t;", "-- mig:transaction off\n");
  Result resumed = p.mig({"upgrade", "--resume"});
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("resuming a001 at statement 2"), std::string::npos) << resumed.out;
  EXPECT_EQ(query(p.db(), "SELECT v FROM t"), V{"1"});
  EXPECT_EQ(applied(p), V{"a001"});
}

TEST(Upgrade, NewProjectHasNothingToDoAndTouchesNothing) {
  Project p;
  ASSERT_EQ(p.mig({"init"}).code, 0);
  Result r = p.mig({"upgrade"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("nothing to upgrade"), std::string::npos) << r.out;
  EXPECT_FALSE(boost::filesystem::exists(p.db()));
  EXPECT_EQ(p.mig({"upgrade", "heads", "--dry-run"}).code, 0);
  EXPECT_FALSE(boost::filesystem::exists(p.db()));
}

// The run lock of SQLite includes a lock file, which keeps other runs out
// while a revision that commits as it goes has left the run's transaction.
TEST(Locking, SqliteRunsWaitForTheLockFile) {
  Project p;
  p.write("short.toml", "[database]\nlock_timeout = 1\n");
  chain(p);
  ASSERT_EQ(p.mig({"upgrade", "a001"}).code, 0);
  int fd = ::open((p.db() + "-mig-lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  Result r = p.mig({"--config", "short.toml", "upgrade"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("waiting up to 1 s"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("gave up after 1 s"), std::string::npos) << r.err;
  EXPECT_EQ(applied(p), V{"a001"});
  ::close(fd);
  EXPECT_EQ(p.mig({"--config", "short.toml", "upgrade"}).code, 0);
  EXPECT_EQ(applied(p), (V{"a001", "a002", "a003"}));
}

// A NUL cut the statement short in the driver: `DELETE FROM t\0 WHERE ...`
// deleted every row. Now the file is refused and nothing runs.
TEST(Files, NulByteInARevisionOrSeedIsRefusedBeforeAnythingRuns) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (x INTEGER);\nINSERT INTO t VALUES (1), (2);",
             "DROP TABLE t;");
  ASSERT_EQ(p.mig({"upgrade"}).code, 0);
  p.revision("a002", "a001", std::string("DELETE FROM t\0 WHERE x = 2;", 28), "SELECT 1;");
  Result r = p.mig({"upgrade"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("a002.sql:6: file holds a NUL byte"), std::string::npos) << r.err;
  EXPECT_EQ(query(p.db(), "SELECT count(*) FROM t"), V{"2"});
  std::remove((p / "migrations/a002.sql").c_str());
  p.write("seed/1.sql", std::string("DELETE FROM t\0 WHERE x = 2;", 28));
  Result seed = p.mig({"seed"});
  EXPECT_EQ(seed.code, 1);
  EXPECT_NE(seed.err.find("seed/1.sql:1: file holds a NUL byte"), std::string::npos) << seed.err;
  EXPECT_EQ(query(p.db(), "SELECT count(*) FROM t"), V{"2"});
}

// A seed that makes SQLite roll back its whole transaction (INSERT OR
// ROLLBACK) once took the upgrade it followed with it, after "upgraded 1
// revision(s)" was printed. The revisions are committed before seeds run.
TEST(Seeds, FailingSeedAfterAnUpgradeKeepsTheUpgrade) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER PRIMARY KEY);", "DROP TABLE t;");
  p.write("seed/010.sql",
          "INSERT OR ROLLBACK INTO t VALUES (1);\nINSERT OR ROLLBACK INTO t VALUES (1);");
  Result r = p.mig({"upgrade", "--seed"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("upgraded 1 revision(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("seed 010.sql failed at statement 2 of 2"), std::string::npos) << r.err;
  EXPECT_EQ(applied(p), V{"a001"});
  EXPECT_EQ(query(p.db(), "SELECT count(*) FROM t"), V{"0"});
  EXPECT_EQ(query(p.db(), "SELECT action, outcome FROM mig_log ORDER BY id"),
            (V{"upgrade|ok", "seed|failed"}));
}

// --force-seed runs every seed file after the upgrade, changed or not (the
// option existed inside mig, but nothing could set it).
TEST(Seeds, ForceSeedRunsUnchangedSeedsAfterAnUpgrade) {
  Project p;
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  p.write("seed/010.sql", "INSERT INTO t VALUES (1);");
  ASSERT_EQ(p.mig({"upgrade", "--seed"}).code, 0);
  p.revision("a002", "a001", "CREATE TABLE u (v INTEGER);", "DROP TABLE u;");
  Result plain = p.mig({"upgrade", "--seed"});
  EXPECT_NE(plain.out.find("seeded 0 file(s); 1 unchanged"), std::string::npos) << plain.out;
  EXPECT_EQ(query(p.db(), "SELECT count(*) FROM t"), V{"1"});
  ASSERT_EQ(p.mig({"downgrade", "-1"}).code, 0);
  Result forced = p.mig({"upgrade", "--seed", "--force-seed"});
  EXPECT_NE(forced.out.find("seeded 1 file(s)"), std::string::npos) << forced.out;
  EXPECT_EQ(query(p.db(), "SELECT count(*) FROM t"), V{"2"});
  EXPECT_EQ(p.mig({"upgrade", "--force-seed"}).code, 2);
  Result script = p.mig({"upgrade", "--sql", "--force-seed"});
  EXPECT_EQ(script.code, 2);
  EXPECT_NE(script.err.find("--force-seed goes with --seed"), std::string::npos) << script.err;
}

TEST(Triggers, TriggerBodiesAreSentWhole) {
  Project p;
  p.revision("a001", "",
             "CREATE TABLE t (v INTEGER);\nCREATE TABLE audit (v INTEGER);\n"
             "CREATE TRIGGER t_audit AFTER INSERT ON t\nBEGIN\n"
             "  INSERT INTO audit VALUES (NEW.v);\n  INSERT INTO audit VALUES (NEW.v * 10);\nEND;\n"
             "INSERT INTO t VALUES (4);",
             "DROP TRIGGER t_audit;\nDROP TABLE audit;\nDROP TABLE t;");
  ASSERT_EQ(p.mig({"upgrade"}).code, 0);
  EXPECT_EQ(query(p.db(), "SELECT v FROM audit ORDER BY v"), (V{"4", "40"}));
}

TEST(Verbosity, VerboseShowsStatementsQuietShowsNothing) {
  Project p;
  chain(p);
  Result v = p.mig({"-v", "upgrade", "+1"});
  EXPECT_NE(v.out.find("[1] CREATE TABLE one (id INTEGER PRIMARY KEY)"), std::string::npos)
      << v.out;
  Result q = p.mig({"upgrade", "-q"});
  EXPECT_EQ(q.code, 0);
  EXPECT_EQ(q.out, "");
  EXPECT_EQ(applied(p), (V{"a001", "a002", "a003"}));
}

TEST(Urls, UrlFlagAndDatabaseUrlAndMemory) {
  Project p;
  chain(p);
  ASSERT_EQ(p.mig({"--url", "sqlite:other.db", "upgrade"}).code, 0);
  EXPECT_TRUE(has_table(p / "other.db", "three"));
  ASSERT_EQ(p.mig({"upgrade"}, {{"DATABASE_URL", "sqlite:///" + (p / "abs.db")}}).code, 0);
  EXPECT_TRUE(has_table(p / "abs.db", "three"));
  Result mem = p.mig({"--url", "sqlite::memory:", "upgrade"});
  EXPECT_EQ(mem.code, 0) << mem.err;
  EXPECT_NE(mem.out.find("upgraded 3 revision(s)"), std::string::npos);
  EXPECT_FALSE(boost::filesystem::exists(p.db()));
}

}  // namespace
}  // namespace mig::e2e
