// End-to-end: data revisions, --schema-only, batched backfills and seeds, on
// every backend.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "backend_fixture.h"

namespace mig::e2e {
namespace {

using V = std::vector<std::string>;
using DataAndSeeds = Backends;

// An account table filled with `rows` rows whose email_lower is NULL.
std::string fill_accounts(Kind kind, int rows) {
  std::string n = std::to_string(rows);
  std::string email =
      kind == Kind::MySQL ? "CONCAT('User', i, '@Example.org')" : "'User' || i || '@Example.org'";
  std::string setup =
      kind == Kind::MySQL ? "SET SESSION max_recursive_iterations = 1000000;\n" : "";
  return setup +
         "CREATE TABLE account (id INTEGER PRIMARY KEY, email VARCHAR(100), "
         "email_lower VARCHAR(100));\n"
         "INSERT INTO account (id, email) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
         "SELECT i + 1 FROM n WHERE i < " +
         n + ") SELECT i, " + email + " FROM n;";
}

// One batch of the backfill: 1,000 rows that still need it.
std::string backfill(Kind kind) {
  if (kind == Kind::MySQL)
    return "UPDATE account SET email_lower = lower(email) WHERE email_lower IS NULL LIMIT 1000;";
  return "UPDATE account SET email_lower = lower(email) WHERE id IN "
         "(SELECT id FROM account WHERE email_lower IS NULL LIMIT 1000);";
}

TEST_P(DataAndSeeds, SchemaOnlySkipsDataRevisionsUntilAPlainUpgrade) {
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  p.revision("a002", "a001", "INSERT INTO t VALUES (1);", "DELETE FROM t;", "-- mig:kind data\n");
  p.revision("a003", "a002", "CREATE TABLE u (v INTEGER);", "DROP TABLE u;");
  Result r = mig({"upgrade", "--schema-only"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("skip      a002"), std::string::npos) << r.out;
  EXPECT_EQ(applied(), (V{"a001", "a003"}));
  EXPECT_EQ(db.query("SELECT count(*) FROM t"), V{"0"});
  EXPECT_EQ(db.query("SELECT outcome, error FROM mig_log WHERE revision = 'a002'"),
            V{"skipped|--schema-only"});
  Result status = mig({"status"});
  EXPECT_NE(status.out.find("a002  revision a002  (data, skipped by --schema-only)"),
            std::string::npos)
      << status.out;
  EXPECT_NE(mig({"history"}).out.find("a001 -> a002 (data)"), std::string::npos);

  Result later = mig({"upgrade"});
  ASSERT_EQ(later.code, 0) << later.err;
  EXPECT_NE(later.out.find("upgrade   a002"), std::string::npos) << later.out;
  EXPECT_EQ(applied(), (V{"a001", "a003", "a002"}));
  EXPECT_EQ(db.query("SELECT v FROM t"), V{"1"});
  EXPECT_EQ(mig({"status"}).out.find("skipped"), std::string::npos);
}

TEST_P(DataAndSeeds, BatchedBackfillRunsUntilNoRowsChange) {
  int rows = GetParam() == Kind::MySQL ? 20000 : 100000;
  p.revision("a001", "", fill_accounts(GetParam(), rows), "DROP TABLE account;");
  p.revision("a002", "a001", "-- mig:batch\n" + backfill(GetParam()),
             "UPDATE account SET email_lower = NULL;", "-- mig:kind data\n");
  Result r = mig({"upgrade"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::string batches = std::to_string(rows / 1000 + 1);
  EXPECT_NE(r.out.find("[1] " + std::to_string(rows) + " rows in " + batches + " batches"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(" rows/s"), std::string::npos);
  EXPECT_EQ(db.query("SELECT count(*) FROM account WHERE email_lower = lower(email)"),
            V{std::to_string(rows)});
  EXPECT_EQ(applied(), (V{"a001", "a002"}));
  EXPECT_EQ(db.query("SELECT count(*) FROM mig_progress"), V{"0"});
  ASSERT_EQ(mig({"downgrade", "-1"}).code, 0);
  EXPECT_EQ(db.query("SELECT count(*) FROM account WHERE email_lower IS NULL"),
            V{std::to_string(rows)});
}

TEST_P(DataAndSeeds, BatchThatNeverFinishesHitsMaxBatches) {
  p.revision("a001", "", "CREATE TABLE t (v INTEGER);\nINSERT INTO t VALUES (1);", "DROP TABLE t;");
  p.revision("a002", "a001", "-- mig:batch\nUPDATE t SET v = v + 1;", "SELECT 1;",
             "-- mig:kind data\n");
  Result r = mig({"upgrade", "--max-batches", "5"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("still changing rows after 5 batches"), std::string::npos) << r.err;
  EXPECT_EQ(applied(), V{"a001"});
  EXPECT_EQ(db.query("SELECT v FROM t"), V{"6"});  // five committed batches
  // The committed batches are said and recorded, not called "nothing applied".
  EXPECT_EQ(r.err.find("nothing of it was applied"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("statement 1 had committed 5 batch(es) changing 5 row(s)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--max-batches"), std::string::npos) << r.err;
  EXPECT_EQ(db.query("SELECT statement_no, state FROM mig_progress"), V{"1|failed"});
  auto logged = db.query("SELECT error FROM mig_log WHERE outcome = 'failed'");
  ASSERT_EQ(logged.size(), 1u);
  EXPECT_NE(logged[0].find("committed 5 batch(es)"), std::string::npos) << logged[0];
  Result status = mig({"status"});
  EXPECT_NE(status.out.find("half applied"), std::string::npos) << status.out;
  // Fix the statement and resume.
  p.revision("a002", "a001", "-- mig:batch\nUPDATE t SET v = v + 1 WHERE v < 10;", "SELECT 1;",
             "-- mig:kind data\n");
  Result resumed = mig({"upgrade", "--resume"});
  ASSERT_EQ(resumed.code, 0) << resumed.err;
  EXPECT_EQ(db.query("SELECT v FROM t"), V{"10"});
  EXPECT_EQ(applied(), (V{"a001", "a002"}));
  EXPECT_EQ(mig({"upgrade", "--max-batches", "0"}).code, 2);
}

// A killed backfill resumes by itself on the next upgrade, saying so first,
// the same way on every backend: batches commit one by one everywhere
// (SQLite leaves the run's transaction for them and keeps its lock file).
using Interrupted = Backends;

TEST_P(Interrupted, BackfillResumesOnTheNextUpgrade) {
  p.revision("a001", "", fill_accounts(GetParam(), 100000), "DROP TABLE account;");
  ASSERT_EQ(mig({"upgrade"}).code, 0);
  p.revision("a002", "a001",
             "-- mig:batch\n" + backfill(GetParam()) +
                 (GetParam() == Kind::PostgreSQL ? "\nSELECT pg_sleep(0.01);" : ""),
             "UPDATE account SET email_lower = NULL;", "-- mig:kind data\n");
  int pid = p.spawn({"upgrade"}, {{"DATABASE_URL", db.url()}});
  // Kill it once some batches have committed.
  for (int i = 0; i < 400; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (db.query("SELECT count(*) FROM account WHERE email_lower IS NOT NULL") != V{"0"}) break;
  }
  kill(pid, SIGKILL);
  wait_exit(pid);
  EXPECT_EQ(applied(), V{"a001"}) << "never recorded before its last batch";
  EXPECT_NE(db.query("SELECT count(*) FROM account WHERE email_lower IS NOT NULL"), V{"0"})
      << "committed batches stay";
  EXPECT_EQ(db.query("SELECT revision, statement_no, state FROM mig_progress"),
            V{"a002|1|running"});
  Result next = mig({"upgrade"});
  ASSERT_EQ(next.code, 0) << next.err;
  EXPECT_NE(next.out.find("resuming interrupted batched a002 at statement 1"), std::string::npos)
      << next.out;
  EXPECT_EQ(db.query("SELECT count(*) FROM account WHERE email_lower IS NULL"), V{"0"});
  EXPECT_EQ(applied(), (V{"a001", "a002"}));
}

void seed_schema(Project& p) {
  p.revision("a001", "", "CREATE TABLE kv (k INTEGER PRIMARY KEY, v VARCHAR(20));",
             "DROP TABLE kv;");
  p.revision("a002", "a001", "CREATE TABLE more (k INTEGER);", "DROP TABLE more;");
}

TEST_P(DataAndSeeds, SeedsRunInNameOrderAndOnlyWhenChanged) {
  seed_schema(p);
  p.write("seed/20_second.sql", "UPDATE kv SET v = 'second' WHERE k = 1;");
  p.write("seed/10_first.sql", "DELETE FROM kv WHERE k = 1;\nINSERT INTO kv VALUES (1, 'first');");
  Result up = mig({"upgrade", "--seed"});
  ASSERT_EQ(up.code, 0) << up.err;
  EXPECT_LT(up.out.find("seed      10_first.sql"), up.out.find("seed      20_second.sql"))
      << up.out;
  EXPECT_EQ(db.query("SELECT v FROM kv"), V{"second"});  // 10 ran before 20
  EXPECT_EQ(db.query("SELECT name, length(checksum) FROM mig_seeds ORDER BY name"),
            (V{"10_first.sql|64", "20_second.sql|64"}));

  Result again = mig({"seed"});
  ASSERT_EQ(again.code, 0);
  EXPECT_NE(again.out.find("seeded 0 file(s); 2 unchanged"), std::string::npos) << again.out;

  p.write("seed/10_first.sql", "DELETE FROM kv WHERE k = 1;\nINSERT INTO kv VALUES (1, 'edited');");
  p.write("seed/30_third.sql", "INSERT INTO more VALUES (3);");
  Result status = mig({"status"});
  EXPECT_NE(status.out.find("10_first.sql  changed since applied"), std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("20_second.sql  applied"), std::string::npos);
  EXPECT_NE(status.out.find("30_third.sql  new"), std::string::npos);
  Result changed = mig({"seed"});
  EXPECT_NE(changed.out.find("seeded 2 file(s); 1 unchanged"), std::string::npos) << changed.out;
  EXPECT_EQ(db.query("SELECT v FROM kv"), V{"edited"});
  Result forced = mig({"seed", "--force"});
  EXPECT_NE(forced.out.find("seeded 3 file(s)"), std::string::npos);
  EXPECT_EQ(db.query("SELECT v FROM kv"), V{"second"});
  EXPECT_EQ(db.query("SELECT count(*) FROM mig_log WHERE action = 'seed' AND outcome = 'ok'"),
            V{"7"});
}

TEST_P(DataAndSeeds, SeedEnvironmentsRequiresAndFailures) {
  seed_schema(p);
  p.write("mig.toml", "[environments.dev]\n[environments.prod]\n");
  p.write("seed/10_dev.sql", "-- mig:env dev,test\nINSERT INTO kv VALUES (10, 'dev');");
  p.write("seed/20_needs_a002.sql", "-- mig:requires a002\nINSERT INTO more VALUES (20);");
  ASSERT_EQ(mig({"upgrade", "a001"}).code, 0);

  Result refused = mig({"--env", "dev", "seed"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("seed 20_needs_a002.sql requires revision a002"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("no seed was run"), std::string::npos);
  EXPECT_EQ(db.query("SELECT count(*) FROM mig_seeds"), V{"0"});

  ASSERT_EQ(mig({"upgrade"}).code, 0);
  Result prod = mig({"--env", "prod", "seed"});
  ASSERT_EQ(prod.code, 0) << prod.err;
  EXPECT_EQ(db.query("SELECT k FROM more ORDER BY k"), V{"20"});
  EXPECT_EQ(db.query("SELECT count(*) FROM kv"), V{"0"});  // 10_dev is not for prod
  ASSERT_EQ(mig({"--env", "dev", "seed"}).code, 0);
  EXPECT_EQ(db.query("SELECT v FROM kv"), V{"dev"});
  EXPECT_NE(mig({"--env", "prod", "status"}).out.find("10_dev.sql  other environment"),
            std::string::npos);

  p.write("seed/30_broken.sql", "INSERT INTO more VALUES (30);\nINSERT INTO nowhere VALUES (1);");
  Result broken = mig({"seed"});
  EXPECT_EQ(broken.code, 1);
  EXPECT_NE(broken.err.find("seed 30_broken.sql failed at statement 2 of 2 (seed/30_broken.sql:2)"),
            std::string::npos)
      << broken.err;
  EXPECT_EQ(db.query("SELECT count(*) FROM more WHERE k = 30"), V{"0"});  // rolled back
  EXPECT_EQ(db.query("SELECT outcome, statement_no FROM mig_log WHERE revision = "
                     "'30_broken.sql'"),
            V{"failed|2"});
}

INSTANTIATE_TEST_SUITE_P(All, DataAndSeeds, ::testing::ValuesIn(all_backends()), backend_name);
INSTANTIATE_TEST_SUITE_P(All, Interrupted, ::testing::ValuesIn(all_backends()), backend_name);

TEST(SeedFiles, RevisionSeedWritesFromTheTemplateAndBadSeedsTouchNothing) {
  Project p;
  Result r = p.mig({"revision", "demo users", "--seed"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("created seed/"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("_demo_users.sql"), std::string::npos) << r.out;
  EXPECT_EQ(p.mig({"revision", "x", "--seed", "--kind", "data"}).code, 2);

  p.revision("a001", "", "CREATE TABLE t (v INTEGER);", "DROP TABLE t;");
  p.write("seed/bad.sql", "-- mig:colour blue\nSELECT 1;");
  Result bad = p.mig({"upgrade", "--seed"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.err.find("seed/bad.sql:1: unknown directive"), std::string::npos) << bad.err;
  EXPECT_EQ(tables(p.db()), V{});
}

}  // namespace
}  // namespace mig::e2e
