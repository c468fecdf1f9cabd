#include "engine/seeder.h"

#include <gtest/gtest.h>

#include "db/run.h"
#include "engine_support.h"
#include "mig/errors.h"
#include "script/seed_file.h"

namespace mig {
namespace {

SeedFile seed(const std::string& text) {
  return parse_seed(text, "users.sql", "seed/users.sql", Dialect::SQLite);
}

TEST(SeedState, NewChangedAppliedAndOtherEnvironment) {
  SeedFile s = seed("-- mig:env dev\nINSERT INTO t VALUES (1);");
  EXPECT_EQ(seed_state(s, {}, "dev"), SeedState::New);
  EXPECT_EQ(seed_state(s, {{"users.sql", s.checksum}}, "dev"), SeedState::Applied);
  EXPECT_EQ(seed_state(s, {{"users.sql", "older"}}, "dev"), SeedState::Changed);
  EXPECT_EQ(seed_state(s, {}, "prod"), SeedState::OtherEnvironment);
  EXPECT_STREQ(to_string(SeedState::OtherEnvironment), "other environment");
}

class RunSeed : public ::testing::Test {
 protected:
  void SetUp() override { f.db->execute("CREATE TABLE t (x INTEGER PRIMARY KEY)"); }
  testing::SqliteFile f;
};

TEST_F(RunSeed, RunsAndRecordsItsChecksumTogether) {
  SeedFile s = seed("INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (2);");
  mig::Run run(*f.db, {});
  run_seed(*f.db, *f.store, s);
  run.finish();
  EXPECT_EQ(f.count("SELECT count(*) FROM t"), 2);
  EXPECT_EQ(f.store->seeds().at("users.sql"), s.checksum);
}

TEST_F(RunSeed, AFailureTakesBackTheWholeSeedAndNamesTheStatement) {
  SeedFile s = seed("INSERT INTO t VALUES (1);\nINSERT INTO t VALUES (1);");
  mig::Run run(*f.db, {});
  try {
    run_seed(*f.db, *f.store, s);
    FAIL() << "the seed ran";
  } catch (const StepError& e) {
    EXPECT_EQ(e.details().action, "seed");
    EXPECT_EQ(e.details().statement, 2);
    EXPECT_EQ(e.details().line, 2);
    EXPECT_NE(e.details().error.find("UNIQUE"), std::string::npos) << e.details().error;
  }
  run.finish();
  EXPECT_EQ(f.count("SELECT count(*) FROM t"), 0);
  EXPECT_TRUE(f.store->seeds().empty());
}

}  // namespace
}  // namespace mig
