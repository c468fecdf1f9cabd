// What the CLI prints while an operation runs (src/cli/observer.cpp).
#include "cli/observer.h"

#include <gtest/gtest.h>

#include "secrets.h"

namespace mig {
namespace {

StepResult step(const std::string& action, const std::string& id, const std::string& message,
                double ms) {
  StepResult s;
  s.action = action;
  s.revision = id;
  s.message = message;
  s.ms = ms;
  return s;
}

// Standard output is a file here, so batch progress is not redrawn.
template <typename F>
std::pair<std::string, std::string> printed(Verbosity v, bool json, F run) {
  auto redactor = std::make_shared<Redactor>();
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  {
    Output out(v, json, redactor);
    CliObserver observer(out);
    run(observer);
  }
  std::string out = ::testing::internal::GetCapturedStdout();
  return {out, ::testing::internal::GetCapturedStderr()};
}

TEST(CliObserver, OneLinePerStepInTheCommandsWords) {
  auto [out, err] = printed(Verbosity::Normal, false, [](CliObserver& o) {
    o.step_started(step("upgrade", "a1", "create users", 0));  // nothing yet
    o.step_finished(step("upgrade", "a1", "create users", 12.4));
    o.step_finished(step("downgrade", "a1", "create users", 3));
    o.step_skipped(step("upgrade", "b2", "backfill", 0));
    o.step_finished(step("seed", "users.sql", "new", 1));
  });
  EXPECT_EQ(out,
            "upgrade   a1  create users  (12 ms)\n"
            "downgrade a1  create users  (3.0 ms)\n"
            "skip      b2  backfill  (data, --schema-only)\n"
            "seed      users.sql  (new, 1.0 ms)\n");
  EXPECT_EQ(err, "");
}

TEST(CliObserver, StatementsOnlyWithVerbose) {
  auto run = [](CliObserver& o) { o.statement(step("upgrade", "a1", "m", 0), 2, "SELECT 1"); };
  EXPECT_EQ(printed(Verbosity::Normal, false, run).first, "");
  EXPECT_EQ(printed(Verbosity::Verbose, false, run).first, "    [2] SELECT 1\n");
}

TEST(CliObserver, BatchesOffATerminalGiveOneSummaryLine) {
  auto run = [](CliObserver& o) {
    StepResult s = step("upgrade", "b2", "backfill", 0);
    o.batch_progress(s, 1, 1, 1000, 0.5, false);
    o.batch_progress(s, 1, 2, 2000, 1.0, false);
    o.batch_progress(s, 1, 3, 2500, 1.25, true);
  };
  EXPECT_EQ(printed(Verbosity::Normal, false, run).first,
            "    [1] 2500 rows in 3 batches, 2000 rows/s\n");
  EXPECT_EQ(printed(Verbosity::Quiet, false, run).first, "");
  EXPECT_EQ(printed(Verbosity::Normal, true, run).first, "");
}

TEST(CliObserver, LogLevelsAndWaiting) {
  auto [out, err] = printed(Verbosity::Normal, false, [](CliObserver& o) {
    o.log(Observer::Level::Info, "upgraded 1 revision(s)");
    o.log(Observer::Level::Detail, "connected");
    o.log(Observer::Level::Warning, "drift");
    o.waiting("waiting up to 5 s for the lock");
  });
  EXPECT_EQ(out, "upgraded 1 revision(s)\nwaiting up to 5 s for the lock\n");
  EXPECT_EQ(err, "warning: drift\n");
}

}  // namespace
}  // namespace mig
