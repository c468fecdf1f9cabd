// Crash consistency: `mig upgrade head` is killed with SIGKILL at random
// moments; afterwards the bookkeeping must match the schema exactly and the
// next run must complete.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <random>
#include <set>
#include <thread>

#include "database_support.h"
#include "harness.h"

namespace mig::e2e {
namespace {

using V = std::vector<std::string>;

constexpr int kRevisions = 200;
constexpr int kTrials = 20;

pid_t spawn_mig(const Project& p, const std::string& url, const std::vector<std::string>& args) {
  std::vector<std::string> full = {"-q"};
  full.insert(full.end(), args.begin(), args.end());
  return p.spawn(full, {{"DATABASE_URL", url}});
}

class Crash : public ::testing::TestWithParam<Kind> {};

TEST_P(Crash, KilledRunsLeaveBookkeepingMatchingTheSchema) {
  Project p;
  TestDatabase db(GetParam(), p / "var/mig.db");
  std::string parent;
  for (int i = 0; i < kRevisions; ++i) {
    std::string id = "c" + std::to_string(10000 + i);
    std::string table = "t" + std::to_string(10000 + i);
    p.revision(id, parent,
               "CREATE TABLE " + table + " (v INTEGER);\nINSERT INTO " + table + " VALUES (1);",
               "DROP TABLE " + table + ";");
    parent = id;
  }
  // How long a full run takes here, so kills land anywhere inside one.
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(wait_exit(spawn_mig(p, db.url(), {"upgrade", "head"})), 0);
  int full_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - start)
                                     .count());
  ASSERT_EQ(wait_exit(spawn_mig(p, db.url(), {"downgrade", "base"})), 0);

  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> delay(0, std::max(full_ms, 5));
  int partial = 0;
  for (int trial = 0; trial < kTrials; ++trial) {
    pid_t pid = spawn_mig(p, db.url(), {"upgrade", "head"});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay(rng)));
    kill(pid, SIGKILL);
    wait_exit(pid);

    std::set<std::string> recorded, tables;
    for (const auto& id : db.query("SELECT revision FROM mig_revisions"))
      recorded.insert("t" + id.substr(1));
    for (const auto& t : db.tables())
      if (t.rfind("mig_", 0) != 0) tables.insert(t);
    ASSERT_EQ(recorded, tables) << "trial " << trial;
    if (!recorded.empty() && recorded.size() < kRevisions) ++partial;

    ASSERT_EQ(wait_exit(spawn_mig(p, db.url(), {"upgrade", "head"})), 0) << "trial " << trial;
    ASSERT_EQ(db.query("SELECT count(*) FROM mig_revisions"),
              std::vector<std::string>{std::to_string(kRevisions)});
    ASSERT_EQ(wait_exit(spawn_mig(p, db.url(), {"downgrade", "base"})), 0);
  }
  // SQLite commits a run as a whole, so only PostgreSQL shows partial runs.
  if (GetParam() == Kind::PostgreSQL) {
    EXPECT_GT(partial, 0) << "no kill landed mid-run";
  }
}

// MariaDB commits DDL at once, so a revision there runs statement by
// statement and a kill can leave one in doubt. A single-row INSERT on an
// InnoDB table commits together with its progress record, so after any
// kill the record says exactly how many of them took effect, and --resume
// adds none twice.
TEST(CrashMysql, KilledDmlIsNeverLeftInDoubt) {
  constexpr int kRows = 300;
  Project p;
  TestDatabase db(Kind::MySQL, "");
  std::string up =
      "CREATE TABLE IF NOT EXISTS t (id INT AUTO_INCREMENT PRIMARY KEY, v INT) "
      "ENGINE=InnoDB;";
  for (int i = 0; i < kRows; ++i) up += "\nINSERT INTO t (v) VALUES (" + std::to_string(i) + ");";
  p.revision("a001", "", up, "DROP TABLE t;");
  auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(wait_exit(spawn_mig(p, db.url(), {"upgrade"})), 0);
  int full_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::steady_clock::now() - start)
                                     .count());
  ASSERT_EQ(wait_exit(spawn_mig(p, db.url(), {"downgrade", "base"})), 0);
  std::mt19937 rng(4242);
  std::uniform_int_distribution<int> delay(0, std::max(full_ms, 5));
  int mid_revision = 0;
  for (int trial = 0; trial < 10; ++trial) {
    pid_t pid = spawn_mig(p, db.url(), {"upgrade"});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay(rng)));
    kill(pid, SIGKILL);
    wait_exit(pid);
    // The server finishes what the killed connections sent before it
    // notices they are gone: the record and the rows are read once it has.
    for (int i = 0; i < 100; ++i) {
      auto others = db.query("SELECT count(*) FROM information_schema.processlist WHERE db = '" +
                             db.name() + "' AND id <> CONNECTION_ID()");
      if (others == V{"0"}) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    auto progress = db.query("SELECT statement_no, state FROM mig_progress");
    bool half = !progress.empty();
    if (half) {
      ++mid_revision;
      int k = std::stoi(progress[0].substr(0, progress[0].find('|')));
      std::string state = progress[0].substr(progress[0].find('|') + 1);
      if (k == 1) {
        EXPECT_EQ(state, "running") << "the CREATE TABLE is the one statement in doubt";
      } else {
        EXPECT_EQ(state, "ready") << "trial " << trial << ": statement " << k;
        EXPECT_EQ(db.query("SELECT count(*) FROM t"), V{std::to_string(k - 2)})
            << "trial " << trial << ": the record says " << k - 2 << " rows took effect";
      }
    }
    Result next =
        p.mig(half ? V{"upgrade", "--resume"} : V{"upgrade"}, {{"DATABASE_URL", db.url()}});
    ASSERT_EQ(next.code, 0) << "trial " << trial << ": " << next.err;
    ASSERT_EQ(db.query("SELECT count(*), count(DISTINCT v) FROM t"),
              V{std::to_string(kRows) + "|" + std::to_string(kRows)})
        << "trial " << trial;
    ASSERT_EQ(wait_exit(spawn_mig(p, db.url(), {"downgrade", "base"})), 0);
  }
  EXPECT_GT(mid_revision, 0) << "no kill landed inside the revision";
}

INSTANTIATE_TEST_SUITE_P(All, Crash, ::testing::Values(Kind::SQLite, Kind::PostgreSQL),
                         [](const auto& info) { return std::string(kind_name(info.param)); });

}  // namespace
}  // namespace mig::e2e
