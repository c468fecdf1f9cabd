#include "engine/half_applied.h"

#include <gtest/gtest.h>

#include "../graph_support.h"
#include "../test_support.h"
#include "config/url.h"
#include "engine/migrator.h"
#include "mig/errors.h"

namespace mig {
namespace {

Statement st(int line, const std::string& sql, bool batch = false) {
  Statement s;
  s.line = line;
  s.sql = s.normalized = sql;
  s.batch = batch;
  return s;
}

RevisionGraph one_revision() {
  auto revs = testing::revisions({{"a1", {}}});
  revs[0].upgrade = {st(3, "CREATE TABLE t (x int)"), st(5, "UPDATE t SET x = 1", true),
                     st(8, "CREATE INDEX i ON t (x)")};
  revs[0].downgrade = {st(11, "DROP TABLE t")};
  return RevisionGraph(std::move(revs));
}

Progress progress(const std::string& state, long long at) {
  Progress p;
  p.revision = "a1";
  p.direction = "upgrade";
  p.statement_no = at;
  p.statements = 3;
  p.state = state;
  p.error = "syntax error";
  return p;
}

TEST(HalfApplied, DescribesWhereItStoppedAndWhetherThatTookEffect) {
  RevisionGraph g = one_revision();
  EXPECT_EQ(describe_half_applied(g, progress("failed", 3)),
            "a1 is half applied: its upgrade failed at statement 3 of 3 (a1.sql:8): syntax error");
  EXPECT_EQ(describe_half_applied(g, progress("ready", 2)),
            "a1 is half applied: its upgrade was interrupted before statement 2 of 3 (a1.sql:5) "
            "took effect (the statements before it did)");
  EXPECT_EQ(describe_half_applied(g, progress("ready", 4)),
            "a1 is half applied: its upgrade was interrupted after its last statement had taken "
            "effect, before it was recorded");
  EXPECT_NE(describe_half_applied(g, progress("running", 1)).find("may or may not have taken"),
            std::string::npos);
  Progress gone = progress("failed", 1);
  gone.revision = "zz9";  // no file: no place in it to name
  EXPECT_EQ(describe_half_applied(g, gone),
            "zz9 is half applied: its upgrade failed at statement 1 of 3: syntax error");
}

class NoReport : public Reporter {
  void statement(const Revision&, size_t, const Statement&) override {}
  void step_done(const Revision&, Direction, double) override {}
  void batch_progress(const Revision&, size_t, long long, long long, double, bool) override {}
  void skipped(const Revision&) override {}
};

// check_half_applied against a real SQLite file holding the progress row.
class CheckHalfApplied : public ::testing::Test {
 protected:
  void SetUp() override {
    db = Database::open(parse_url("sqlite://" + dir / "app.db", "test"), ConnectOptions{});
    store = std::make_unique<VersionStore>(*db, "mig_");
    store->ensure();
  }
  void record(Progress p) {
    p.done_checksum = done_checksum(g.at(0).upgrade, static_cast<size_t>(p.statement_no - 1));
    store->start_progress(p);
  }
  HalfAppliedError::Reason refused(Direction d, bool resume) {
    Migrator m(*db, *store, g, reporter);
    try {
      check_half_applied(*store, g, d, resume, m, [](const std::string&) {});
    } catch (const HalfAppliedError& e) {
      return e.reason();
    }
    ADD_FAILURE() << "not refused";
    return HalfAppliedError::Reason::FileGone;
  }
  testing::TempDir dir;
  RevisionGraph g = one_revision();
  std::unique_ptr<Database> db;
  std::unique_ptr<VersionStore> store;
  NoReport reporter;
};

TEST_F(CheckHalfApplied, NothingRecordedIsNothingToSay) {
  Migrator m(*db, *store, g, reporter);
  std::string said;
  check_half_applied(*store, g, Direction::Up, false, m, [&](const std::string& s) { said = s; });
  EXPECT_EQ(said, "");
}

TEST_F(CheckHalfApplied, RefusesUntilResumedInItsOwnDirection) {
  record(progress("failed", 3));
  EXPECT_EQ(refused(Direction::Up, false), HalfAppliedError::Reason::NotResumed);
  EXPECT_EQ(refused(Direction::Down, true), HalfAppliedError::Reason::OtherDirection);
  Migrator m(*db, *store, g, reporter);
  std::string said;
  check_half_applied(*store, g, Direction::Up, true, m, [&](const std::string& s) { said = s; });
  EXPECT_EQ(said, "resuming a1 at statement 3");
}

TEST_F(CheckHalfApplied, AnEditBeforeTheStoppingPointCannotBeResumed) {
  Progress p = progress("failed", 3);
  p.done_checksum = "not the statements that ran";
  store->start_progress(p);
  EXPECT_EQ(refused(Direction::Up, true), HalfAppliedError::Reason::FileChanged);
}

TEST_F(CheckHalfApplied, AnInterruptedBackfillGoesOnWithoutResume) {
  record(progress("running", 2));  // statement 2 is a -- mig:batch
  Migrator m(*db, *store, g, reporter);
  std::string said;
  check_half_applied(*store, g, Direction::Up, false, m, [&](const std::string& s) { said = s; });
  EXPECT_EQ(said.rfind("resuming interrupted batched a1 at statement 2", 0), 0u) << said;
}

}  // namespace
}  // namespace mig
