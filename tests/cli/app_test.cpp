// The command line itself (src/cli/app.cpp), in-process: help, misspelt
// commands, and how errors become exit codes, masked.
#include "cli/app.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../test_support.h"

namespace mig {
namespace {

struct Ran {
  int code;
  std::string out, err;
};

Ran cli(std::vector<std::string> args) {
  args.insert(args.begin(), "mig");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int code = run_cli(static_cast<int>(args.size()), argv.data());
  std::string out = ::testing::internal::GetCapturedStdout();
  return {code, out, ::testing::internal::GetCapturedStderr()};
}

TEST(App, HelpListsTheCommandsInOrder) {
  Ran help = cli({"help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_EQ(cli({"--help"}).out, help.out);
  size_t last = 0;
  for (const char* command : {"init", "revision", "upgrade", "downgrade", "status", "history",
                              "check", "verify", "help"}) {
    size_t at = help.out.find("\n  " + std::string(command) + " ");
    ASSERT_NE(at, std::string::npos) << command << "\n" << help.out;
    EXPECT_GT(at, last) << command;
    last = at;
  }
  Ran one = cli({"help", "upgrade"});
  EXPECT_EQ(one.code, 0);
  EXPECT_NE(one.out.find("--resume"), std::string::npos) << one.out;
}

TEST(App, AMisspeltCommandGetsASuggestionAndExit2) {
  Ran r = cli({"--url", "sqlite::memory:", "upgarde", "head"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "mig: error: unknown command 'upgarde'; did you mean 'upgrade'? (mig help lists the "
            "commands)\n");
  Ran far = cli({"frobnicate"});
  EXPECT_EQ(far.code, 2);
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
  EXPECT_EQ(cli({"help", "stauts"}).code, 2);
  EXPECT_EQ(cli({"upgrade", "--no-such-flag"}).code, 2);
}

TEST(App, UsageErrorsExit2AndOperationErrors1WithPasswordsMasked) {
  testing::TempDir dir;
  dir.write("mig.toml", "");
  boost::filesystem::create_directories(dir / "migrations");
  Ran usage = cli(
      {"--config", dir / "mig.toml", "--url", "sqlite:" + dir / "a.db", "--wait", "-1", "current"});
  EXPECT_EQ(usage.code, 2);
  EXPECT_EQ(usage.err, "mig: error: --wait: SECONDS must not be negative\n");
  Ran failed = cli({"--config", dir / "mig.toml", "--url",
                    "postgresql://app:s3cret@%2Fnonexistent-mig-dir/shop", "current"});
  EXPECT_EQ(failed.code, 1) << failed.err;
  EXPECT_EQ(failed.err.rfind("mig: error: ", 0), 0u) << failed.err;
  EXPECT_EQ(failed.err.find("s3cret"), std::string::npos) << failed.err;
  Ran fine = cli({"--config", dir / "mig.toml", "--url", "sqlite:" + dir / "a.db", "current"});
  EXPECT_EQ(fine.code, 0) << fine.err;
}

}  // namespace
}  // namespace mig
