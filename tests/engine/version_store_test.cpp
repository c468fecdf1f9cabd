#include "engine/version_store.h"

#include <gtest/gtest.h>

#include "engine_support.h"

namespace mig {
namespace {

using testing::revision;

TEST(VersionStore, EnsureCreatesTheTablesOnceUnderThePrefix) {
  testing::SqliteFile f;  // ensure() ran
  EXPECT_TRUE(f.store->exists());
  EXPECT_NO_THROW(f.store->ensure());
  EXPECT_EQ(f.count("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE "
                    "'mig\\_%' ESCAPE '\\'"),
            f.count("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                    "'sqlite\\_%' ESCAPE '\\'"));
  VersionStore other(*f.db, "ops_");
  EXPECT_FALSE(other.exists());
  EXPECT_TRUE(other.applied().empty());  // no tables: nothing applied
}

TEST(VersionStore, AppliedRevisionsInTheOrderTheyWereAdded) {
  testing::SqliteFile f;
  Revision b = revision("b002", "", "SELECT 1;"), a = revision("a001", "", "SELECT 2;");
  f.store->add(b, 1.5);
  f.store->add(a, 2);
  auto applied = f.store->applied();
  ASSERT_EQ(applied.size(), 2u);
  EXPECT_EQ(applied[0].id, "b002");
  EXPECT_EQ(applied[0].checksum, b.checksum);
  EXPECT_LT(applied[0].seq, applied[1].seq);
  f.store->update_checksum("b002", "new");
  EXPECT_EQ(f.store->applied()[0].checksum, "new");
  f.store->remove("b002");
  EXPECT_EQ(f.applied_ids(), (std::vector<std::string>{"a001"}));
}

TEST(VersionStore, TheLogIsAppendOnlyAndUnsettledStepsAreTheLastFailures) {
  testing::SqliteFile f;
  f.store->log({0, "", "upgrade", "a001", "failed", 2, "boom", 1});
  f.store->log({0, "", "upgrade", "b002", "failed", 1, "bang", 1});
  f.store->log({0, "", "upgrade", "b002", "ok", 0, "", 1});
  auto unsettled = f.store->unsettled_steps();
  ASSERT_EQ(unsettled.size(), 1u);
  EXPECT_EQ(unsettled[0].revision, "a001");
  EXPECT_EQ(unsettled[0].statement_no, 2);
  EXPECT_EQ(unsettled[0].error, "boom");
  EXPECT_EQ(f.count("SELECT count(*) FROM mig_log"), 3);
}

TEST(VersionStore, ProgressRowsRoundTrip) {
  testing::SqliteFile f;
  Progress p{"a001", "upgrade", 2, 5, "running", "", "sum", ""};
  f.store->start_progress(p);
  p.state = "failed";
  p.error = "it's broken";
  f.store->update_progress(p);
  auto rows = f.store->progress();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].statement_no, 2);
  EXPECT_EQ(rows[0].statements, 5);
  EXPECT_EQ(rows[0].state, "failed");
  EXPECT_EQ(rows[0].error, "it's broken");
  EXPECT_EQ(rows[0].done_checksum, "sum");
  EXPECT_FALSE(rows[0].updated_at.empty());
  f.store->clear_progress("a001");
  EXPECT_TRUE(f.store->progress().empty());
}

TEST(VersionStore, SeedsAndTheSnapshot) {
  testing::SqliteFile f;
  f.db->execute(f.store->record_seed_sql("users.sql", "c1"));
  f.db->execute(f.store->record_seed_sql("users.sql", "c2"));  // re-run: replaced
  EXPECT_EQ(f.store->seeds(), (std::map<std::string, std::string>{{"users.sql", "c2"}}));
  f.store->save_snapshot("table t", "fp");
  EXPECT_EQ(f.store->snapshot(), "table t");
  EXPECT_EQ(f.store->snapshot_fingerprint(), "fp");
}

}  // namespace
}  // namespace mig
