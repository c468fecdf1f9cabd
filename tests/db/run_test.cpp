#include "db/run.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "../test_support.h"
#include "config/url.h"
#include "mig/errors.h"

namespace mig {
namespace {

// Run on a real SQLite file, watched through a second connection.
class RunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url = parse_url("sqlite://" + dir / "app.db", "test");
    options.lock_timeout = 0;
    db = Database::open(url, options);
    db->execute("CREATE TABLE t (x INTEGER)");
  }
  long long rows_seen_elsewhere() {
    auto other = Database::open(url, options);
    long long n = 0;
    other->session() << "SELECT count(*) FROM t", soci::into(n);
    return n;
  }
  void step(const std::string& sql) {
    db->begin_step();
    db->execute(sql);
    db->commit_step();
  }
  testing::TempDir dir;
  DatabaseUrl url;
  ConnectOptions options;
  std::unique_ptr<Database> db;
};

TEST_F(RunTest, FinishCommitsTheRunsSteps) {
  mig::Run run(*db, {});
  step("INSERT INTO t VALUES (1)");
  step("INSERT INTO t VALUES (2)");
  EXPECT_EQ(rows_seen_elsewhere(), 0);  // the run's transaction is still open
  run.finish();
  EXPECT_EQ(rows_seen_elsewhere(), 2);
}

TEST_F(RunTest, CommitMakesTheWorkDurableAndKeepsTheLock) {
  mig::Run run(*db, {});
  step("INSERT INTO t VALUES (1)");
  run.commit();
  EXPECT_EQ(rows_seen_elsewhere(), 1);
  auto other = Database::open(url, options);
  EXPECT_THROW(mig::Run(*other, {}), OperationError);  // the lock is still the first run's
  step("INSERT INTO t VALUES (2)");
  run.finish();
  EXPECT_EQ(rows_seen_elsewhere(), 2);
}

// A step that commits as it goes runs outside the run's transaction: what
// it does is seen at once, the lock stays, and the run goes on after it.
TEST_F(RunTest, AStepOutsideTheTransactionCommitsAsItGoesUnderTheLock) {
  mig::Run run(*db, {});
  step("INSERT INTO t VALUES (1)");
  run.leave_transaction();
  EXPECT_EQ(rows_seen_elsewhere(), 1);  // what the run did before it is committed
  step("INSERT INTO t VALUES (2)");     // its own transaction
  EXPECT_EQ(rows_seen_elsewhere(), 2);
  auto other = Database::open(url, options);
  EXPECT_THROW(mig::Run(*other, {}), OperationError);  // still locked
  run.return_to_transaction();
  step("INSERT INTO t VALUES (3)");
  EXPECT_EQ(rows_seen_elsewhere(), 2);  // back in the run's transaction
  run.finish();
  EXPECT_EQ(rows_seen_elsewhere(), 3);
}

TEST_F(RunTest, LeavingOnAnErrorUndoesTheOpenStepAndKeepsTheCompletedOnes) {
  try {
    mig::Run run(*db, {});
    step("INSERT INTO t VALUES (1)");
    db->begin_step();
    db->execute("INSERT INTO t VALUES (2)");
    throw std::runtime_error("the step failed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(rows_seen_elsewhere(), 1);
  auto other = Database::open(url, options);
  mig::Run again(*other, {});  // the lock went with the run
  again.finish();
}

}  // namespace
}  // namespace mig
