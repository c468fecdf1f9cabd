#include "engine/migrator.h"

#include <gtest/gtest.h>

#include "db/run.h"
#include "engine_support.h"
#include "mig/errors.h"

namespace mig {
namespace {

using testing::revision;

class MigratorTest : public ::testing::Test {
 protected:
  void run(const RevisionGraph& g, const Plan& plan) {
    Migrator m(*f.db, *f.store, g, reporter);
    m.max_batches(max_batches);
    if (!resume_id.empty()) m.resume(resume_id, resume_at);
    mig::Run lock(*f.db, {});
    m.run(plan, &lock);
    lock.finish();
  }
  StepError failure(const RevisionGraph& g, const Plan& plan) {
    try {
      run(g, plan);
    } catch (const StepError& e) {
      return e;
    }
    ADD_FAILURE() << "the plan ran";
    return StepError("", {});
  }
  testing::SqliteFile f;
  testing::Quiet reporter;
  long long max_batches = 100000;
  std::string resume_id;
  long long resume_at = 0;
};

TEST_F(MigratorTest, RunsAPlanAndRecordsEachRevision) {
  RevisionGraph g({revision("a001", "", "CREATE TABLE t (x INTEGER);", "DROP TABLE t;"),
                   revision("b002", "a001", "INSERT INTO t VALUES (1);", "DELETE FROM t;")});
  run(g, plan_upgrade(g, AppliedSet(2, false), "head"));
  EXPECT_EQ(f.applied_ids(), (std::vector<std::string>{"a001", "b002"}));
  EXPECT_EQ(f.count("SELECT count(*) FROM t"), 1);
  EXPECT_EQ(f.count("SELECT count(*) FROM mig_log WHERE outcome = 'ok'"), 2);
  run(g, plan_downgrade(g, AppliedSet{true, true}, "base"));
  EXPECT_TRUE(f.applied_ids().empty());
  EXPECT_EQ(f.count("SELECT count(*) FROM sqlite_master WHERE name = 't'"), 0);
}

TEST_F(MigratorTest, AFailureInATransactionTakesBackThatRevisionOnly) {
  RevisionGraph g(
      {revision("a001", "", "CREATE TABLE t (x INTEGER);"),
       revision("b002", "a001", "CREATE TABLE u (y INTEGER);\nINSERT INTO missing VALUES (1);")});
  StepError e = failure(g, plan_upgrade(g, AppliedSet(2, false), "head"));
  EXPECT_EQ(e.details().revision, "b002");
  EXPECT_EQ(e.details().statement, 2);
  EXPECT_EQ(e.details().line, 7);
  EXPECT_FALSE(e.half_applied());
  EXPECT_NE(e.details().error.find("missing"), std::string::npos) << e.details().error;
  EXPECT_NE(e.details().account.find("the 1 earlier revision(s) of this run stay applied"),
            std::string::npos)
      << e.details().account;
  EXPECT_EQ(f.applied_ids(), (std::vector<std::string>{"a001"}));
  EXPECT_EQ(f.count("SELECT count(*) FROM sqlite_master WHERE name = 'u'"), 0);
  EXPECT_EQ(f.count("SELECT count(*) FROM mig_log WHERE outcome = 'failed' AND revision = 'b002'"),
            1);
}

TEST_F(MigratorTest, OutsideATransactionAFailureIsRecordedAndResumedWhereItStopped) {
  std::string header = "-- mig:transaction off\n";
  RevisionGraph bad({revision(
      "a001", "", "CREATE TABLE t (x INTEGER);\nINSERT INTO nope VALUES (1);\nCREATE TABLE u (y);",
      "", header)});
  StepError e = failure(bad, plan_upgrade(bad, AppliedSet(1, false), "head"));
  EXPECT_TRUE(e.half_applied());
  EXPECT_EQ(e.details().resume_at, 2);
  auto progress = f.store->progress();
  ASSERT_EQ(progress.size(), 1u);
  EXPECT_EQ(progress[0].state, "failed");
  EXPECT_EQ(progress[0].statement_no, 2);
  EXPECT_EQ(f.count("SELECT count(*) FROM sqlite_master WHERE name = 't'"), 1);  // it stays

  RevisionGraph fixed({revision(
      "a001", "", "CREATE TABLE t (x INTEGER);\nINSERT INTO t VALUES (1);\nCREATE TABLE u (y);", "",
      header)});
  resume_id = "a001";
  resume_at = 2;
  run(fixed, plan_upgrade(fixed, AppliedSet(1, false), "head"));
  EXPECT_EQ(f.applied_ids(), (std::vector<std::string>{"a001"}));
  EXPECT_TRUE(f.store->progress().empty());
  EXPECT_EQ(f.count("SELECT count(*) FROM t"), 1);  // statement 1 did not run again
}

TEST_F(MigratorTest, ABatchRepeatsUntilItChangesNoRowsAndStopsAtTheLimit) {
  auto g = [](const std::string& batch) {
    return RevisionGraph(
        {revision("a001", "",
                  "CREATE TABLE t (x INTEGER);\n"
                  "INSERT INTO t VALUES (1), (2), (3), (4), (5);"),
         revision("b002", "a001", "-- mig:batch\n" + batch, "", "-- mig:kind data\n")});
  };
  std::string batch = "DELETE FROM t WHERE rowid IN (SELECT rowid FROM t LIMIT 2);";
  max_batches = 2;
  RevisionGraph graph = g(batch);
  StepError e = failure(graph, plan_upgrade(graph, AppliedSet(2, false), "head"));
  EXPECT_TRUE(e.half_applied());
  EXPECT_TRUE(e.details().batches_done);
  EXPECT_EQ(f.count("SELECT count(*) FROM t"), 1);  // the two batches committed stay

  max_batches = 100000;
  resume_id = "b002";  // as `upgrade --resume` does
  resume_at = 1;
  graph = g(batch);
  run(graph, plan_upgrade(graph, AppliedSet{true, false}, "head"));
  EXPECT_EQ(f.count("SELECT count(*) FROM t"), 0);
  EXPECT_EQ(f.applied_ids(), (std::vector<std::string>{"a001", "b002"}));
}

TEST_F(MigratorTest, StampRecordsWithoutRunning) {
  RevisionGraph g({revision("a001", "", "CREATE TABLE t (x INTEGER);")});
  Migrator m(*f.db, *f.store, g, reporter);
  mig::Run lock(*f.db, {});
  m.stamp(AppliedSet{false}, AppliedSet{true});
  lock.finish();
  EXPECT_EQ(f.applied_ids(), (std::vector<std::string>{"a001"}));
  EXPECT_EQ(f.count("SELECT count(*) FROM sqlite_master WHERE name = 't'"), 0);
}

}  // namespace
}  // namespace mig
