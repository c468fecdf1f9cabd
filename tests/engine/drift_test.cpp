#include "engine/drift.h"

#include <gtest/gtest.h>

#include "engine_support.h"

namespace mig {
namespace {

TEST(Drift, NoSnapshotYetIsNoDrift) {
  testing::SqliteFile f;
  f.db->execute("CREATE TABLE t (x INTEGER)");
  EXPECT_EQ(schema_drift(*f.db, *f.store, "mig_"), "");
}

TEST(Drift, AChangeMadeOutsideMigAfterTheSnapshotIsReportedAsADiff) {
  testing::SqliteFile f;
  f.db->execute("CREATE TABLE t (x INTEGER)");
  EXPECT_EQ(save_snapshot(*f.db, *f.store, "mig_"), "");
  EXPECT_EQ(schema_drift(*f.db, *f.store, "mig_"), "");
  f.db->execute("CREATE TABLE sneaky (y TEXT)");
  std::string diff = schema_drift(*f.db, *f.store, "mig_");
  EXPECT_NE(diff.find("+"), std::string::npos) << diff;
  EXPECT_NE(diff.find("sneaky"), std::string::npos) << diff;
  EXPECT_EQ(save_snapshot(*f.db, *f.store, "mig_"), "");  // accepted by the next run
  EXPECT_EQ(schema_drift(*f.db, *f.store, "mig_"), "");
}

TEST(Drift, MigsOwnTablesAreNotDrift) {
  testing::SqliteFile f;
  f.db->execute("CREATE TABLE t (x INTEGER)");
  EXPECT_EQ(save_snapshot(*f.db, *f.store, "mig_"), "");
  f.db->execute("CREATE TABLE mig_extra (y TEXT)");  // one of mig's, by its prefix
  f.db->execute("CREATE INDEX mig_extra_y ON mig_extra (y)");
  EXPECT_EQ(schema_drift(*f.db, *f.store, "mig_"), "");
  f.db->execute("CREATE TABLE other (y TEXT)");  // the same, outside the prefix
  EXPECT_NE(schema_drift(*f.db, *f.store, "mig_"), "");
}

}  // namespace
}  // namespace mig
