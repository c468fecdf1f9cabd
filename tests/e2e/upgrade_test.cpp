// End-to-end: upgrade, downgrade, stamp and failures, checked in the SQLite
// file the real binary leaves behind.
#include <gtest/gtest.h>

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

TEST(Upgrade, HeadAppliesEverythingAndRecordsIt) {
  Project p;
  chain(p);
  Result r = p.mig({"upgrade", "head"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(tables(p.db()), (V{"mig_log", "mig_revisions", "mig_seeds", "one", "three", "two"}));
  EXPECT_EQ(applied(p), (V{"a001", "a002", "a003"}));
  EXPECT_EQ(query(p.db(),
                  "SELECT parents, message, kind, length(checksum) FROM mig_revisions "
                  "WHERE revision = 'a002'"),
            V{"a001|revision a002|schema|64"});
  EXPECT_EQ(query(p.db(),
                  "SELECT count(*) FROM mig_revisions WHERE duration_ms >= 0 AND "
                  "applied_at LIKE '20__-__-__T__:__:__%Z'"),
            V{"3"});
  EXPECT_EQ(query(p.db(), "SELECT action, revision, outcome FROM mig_log ORDER BY id"),
            (V{"upgrade|a001|ok", "upgrade|a002|ok", "upgrade|a003|ok"}));
  EXPECT_NE(r.out.find("upgrade   a002  revision a002  ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" ms)"), std::string::npos);

  Result again = p.mig({"upgrade"});
  EXPECT_EQ(again.code, 0);
  EXPECT_NE(again.out.find("nothing to upgrade"), std::string::npos) << again.out;
  EXPECT_EQ(query(p.db(), "SELECT count(*) FROM mig_log"), V{"3"});
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

TEST(Downgrade, MinusOneExactlyAsTyped) {
  Project p;
  chain(p);
  ASSERT_EQ(p.mig({"upgrade", "head"}).code, 0);
  Result r = p.mig({"downgrade", "-1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(has_table(p.db(), "three"));
  EXPECT_TRUE(has_table(p.db(), "two"));
  EXPECT_EQ(applied(p), (V{"a001", "a002"}));
  EXPECT_EQ(query(p.db(), "SELECT action, revision, outcome FROM mig_log ORDER BY id DESC LIMIT 1"),
            V{"downgrade|a003|ok"});
}

TEST(Downgrade, ToRevisionAndToBase) {
  Project p;
  chain(p);
  ASSERT_EQ(p.mig({"upgrade", "head"}).code, 0);
  ASSERT_EQ(p.mig({"downgrade", "a001"}).code, 0);
  EXPECT_EQ(applied(p), V{"a001"});
  ASSERT_EQ(p.mig({"downgrade", "base"}).code, 0);
  EXPECT_EQ(applied(p), V{});
  EXPECT_EQ(tables(p.db()), (V{"mig_log", "mig_revisions", "mig_seeds"}));
  // The log keeps every step.
  EXPECT_EQ(query(p.db(), "SELECT count(*) FROM mig_log"), V{"6"});
}

TEST(Downgrade, TargetIsRequired) {
  Project p;
  chain(p);
  EXPECT_EQ(p.mig({"downgrade"}).code, 2);
}

TEST(Downgrade, IrreversibleRevisionRefusesBeforeChangingAnything) {
  Project p;
  p.revision("a001", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
  p.revision("a002", "a001", "CREATE TABLE two (id INTEGER);", "<none>");
  p.revision("a003", "a002", "CREATE TABLE three (id INTEGER);", "DROP TABLE three;");
  ASSERT_EQ(p.mig({"upgrade", "head"}).code, 0);
  Result r = p.mig({"downgrade", "base"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("a002"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("a002.sql"), std::string::npos) << r.err;
  EXPECT_TRUE(has_table(p.db(), "three"));  // a003 was not undone first
  EXPECT_EQ(applied(p), (V{"a001", "a002", "a003"}));
  EXPECT_EQ(p.mig({"downgrade", "-1"}).code, 0);  // down to a002 is fine
}

TEST(Failure, RollsBackTheRevisionKeepsEarlierOnesAndReportsEverything) {
  Project p;
  p.revision("a001", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
  p.revision("a002", "a001",
             "CREATE TABLE two (id INTEGER);\nINSERT INTO nowhere VALUES (1);\n"
             "CREATE TABLE never (id INTEGER);",
             "DROP TABLE two;");
  p.revision("a003", "a002", "CREATE TABLE three (id INTEGER);", "DROP TABLE three;");
  Result r = p.mig({"upgrade", "head"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("a002"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("statement 2 of 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("migrations/a002.sql:7"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("INSERT INTO nowhere VALUES (1)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no such table: nowhere"), std::string::npos) << r.err;
  EXPECT_TRUE(has_table(p.db(), "one"));
  EXPECT_FALSE(has_table(p.db(), "two"));  // statement 1 of a002 rolled back
  EXPECT_FALSE(has_table(p.db(), "three"));
  EXPECT_EQ(applied(p), V{"a001"});
  EXPECT_EQ(query(p.db(),
                  "SELECT action, revision, outcome, statement_no, error FROM mig_log "
                  "ORDER BY id"),
            (V{"upgrade|a001|ok|NULL|NULL", "upgrade|a002|failed|2|no such table: nowhere"}));

  Result status = p.mig({"status"});
  EXPECT_NE(status.out.find("failed:"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("a002  upgrade failed"), std::string::npos) << status.out;

  // Fix the file and carry on.
  p.revision("a002", "a001", "CREATE TABLE two (id INTEGER);", "DROP TABLE two;");
  ASSERT_EQ(p.mig({"upgrade"}).code, 0);
  EXPECT_EQ(applied(p), (V{"a001", "a002", "a003"}));
  EXPECT_EQ(p.mig({"status"}).out.find("failed:"), std::string::npos);
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

  Project q;
  q.revision("a001", "", "CREATE TABLE one (id INTEGER);", "DROP TABLE one;");
  q.revision("a002", "a001", "VACUUM;", "VACUUM;");  // transactional: VACUUM fails
  Result fail = q.mig({"upgrade"});
  EXPECT_EQ(fail.code, 1);
  EXPECT_NE(fail.err.find("VACUUM"), std::string::npos) << fail.err;
  EXPECT_EQ(applied(q), V{"a001"});
}

TEST(Transactions, TransactionOffFailureSaysHowFarItGot) {
  Project p;
  p.revision("a001", "", "CREATE TABLE one (id INTEGER);\nINSERT INTO nope VALUES (1);",
             "DROP TABLE one;", "-- mig:transaction off\n");
  Result r = p.mig({"upgrade"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("statements 1-1 took effect"), std::string::npos) << r.err;
  EXPECT_TRUE(has_table(p.db(), "one"));
  EXPECT_EQ(applied(p), V{});
  EXPECT_EQ(query(p.db(), "SELECT outcome, statement_no FROM mig_log"), V{"failed|2"});
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

TEST(Stamp, RecordsWithoutRunningAndLogs) {
  Project p;
  chain(p);
  Result r = p.mig({"stamp", "a002"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(applied(p), (V{"a001", "a002"}));
  EXPECT_FALSE(has_table(p.db(), "one"));
  EXPECT_EQ(query(p.db(), "SELECT action, revision FROM mig_log ORDER BY id"),
            (V{"stamp|a001", "stamp|a002"}));
  ASSERT_EQ(p.mig({"upgrade"}).code, 0);
  EXPECT_TRUE(has_table(p.db(), "three"));
  EXPECT_FALSE(has_table(p.db(), "two"));
  ASSERT_EQ(p.mig({"stamp", "base"}).code, 0);
  EXPECT_EQ(applied(p), V{});
  EXPECT_TRUE(has_table(p.db(), "three"));
}

TEST(DryRun, ListsAndChangesNothing) {
  Project p;
  chain(p);
  Result r = p.mig({"upgrade", "head", "--dry-run"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("would upgrade a001"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("would upgrade a003"), std::string::npos) << r.out;
  EXPECT_EQ(tables(p.db()), V{});
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

TEST(Lock, WaitsForTheWriteLockThenGivesUp) {
  Project p;
  chain(p);
  p.write("mig.toml", "[database]\nlock_timeout = 1\n");
  ASSERT_EQ(p.mig({"upgrade", "+1"}).code, 0);
  {
    WriteLock held(p.db());
    Result r = p.mig({"upgrade"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.out.find("waiting up to 1 s"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("gave up after 1 s waiting for the write lock"), std::string::npos)
        << r.err;
  }
  EXPECT_EQ(applied(p), V{"a001"});
  ASSERT_EQ(p.mig({"upgrade"}).code, 0);
  EXPECT_EQ(applied(p), (V{"a001", "a002", "a003"}));
}

TEST(Lock, ConcurrentRunnersApplyEachRevisionOnce) {
  Project p;
  std::string parent;
  for (int i = 10; i < 50; ++i) {
    std::string id = "r0" + std::to_string(i);
    // CREATE TABLE fails if a revision ever runs twice.
    p.revision(id, parent, "CREATE TABLE t" + std::to_string(i) + " (v INTEGER);",
               "DROP TABLE t" + std::to_string(i) + ";");
    parent = id;
  }
  auto results = p.mig_parallel(8, {"upgrade", "head"});
  for (const auto& r : results) EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(query(p.db(), "SELECT count(*), count(DISTINCT revision) FROM mig_revisions"),
            V{"40|40"});
  EXPECT_EQ(query(p.db(), "SELECT count(*) FROM mig_log WHERE outcome = 'ok'"), V{"40"});
  EXPECT_EQ(query(p.db(), "SELECT count(*) FROM sqlite_master WHERE name LIKE 't%'"), V{"40"});
}

}  // namespace
}  // namespace mig::e2e
