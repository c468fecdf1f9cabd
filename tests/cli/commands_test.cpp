// The commands in-process (src/cli/commands.cpp): each checks its options,
// makes one call to the project and renders the result; the exit code
// comes from the result.
#include "cli/commands.h"

#include <gtest/gtest.h>

#include "../test_support.h"

namespace mig {
namespace {

class Commands : public ::testing::Test {
 protected:
  void SetUp() override {
    dir.write("migrations/a001.sql",
              "-- mig:revision a001\n-- mig:message one\n-- mig:upgrade\nCREATE TABLE one (v "
              "INTEGER);\n-- mig:downgrade\nDROP TABLE one;\n");
    dir.write("migrations/a002.sql",
              "-- mig:revision a002\n-- mig:parent a001\n-- mig:message two\n-- mig:upgrade\n"
              "CREATE TABLE two (v INTEGER);\n-- mig:downgrade\nDROP TABLE two;\n");
    dir.write("mig.toml", "[paths]\nmigrations = \"" + dir / "migrations" + "\"\n");
  }
  // A context as run_cli makes it, with --json or not.
  std::unique_ptr<Context> context(bool json = false) {
    auto ctx = std::make_unique<Context>();
    ctx->global.config = dir / "mig.toml";
    ctx->global.url = "sqlite:" + dir / "app.db";
    ctx->global.url_given = true;
    ctx->global.json = json;
    ctx->global.quiet = false;
    load_context(*ctx);
    return ctx;
  }
  // What `command` printed on standard output, and its exit code.
  template <typename F>
  std::pair<int, std::string> run(F command, bool json = false) {
    auto ctx = context(json);
    ::testing::internal::CaptureStdout();
    int code = -1;
    try {
      code = command(*ctx);
    } catch (...) {
      ::testing::internal::GetCapturedStdout();
      throw;
    }
    return {code, ::testing::internal::GetCapturedStdout()};
  }
  MigrateOptions to(const std::string& target) {
    MigrateOptions o;
    o.target = target;
    return o;
  }
  testing::TempDir dir;
};

TEST_F(Commands, StatusExitCodeFollowsTheResult) {
  auto [pending, text] = run([](Context& c) { return cmd_status(c, true); });
  EXPECT_EQ(pending, 1);
  EXPECT_NE(text.find("pending:  2 revision(s)"), std::string::npos) << text;
  EXPECT_EQ(run([](Context& c) { return cmd_status(c, false); }).first, 0);
  auto [up, said] = run([&](Context& c) { return cmd_upgrade(c, to("head")); });
  EXPECT_EQ(up, 0);
  EXPECT_NE(said.find("upgraded 2 revision(s)"), std::string::npos) << said;
  EXPECT_EQ(run([](Context& c) { return cmd_status(c, true); }).first, 0);
  auto [code, json] = run([](Context& c) { return cmd_current(c); }, true);
  EXPECT_EQ(code, 0);
  EXPECT_NE(json.find("\"a002\""), std::string::npos) << json;
}

TEST_F(Commands, OptionsThatDoNotGoTogetherAreRefusedBeforeAnythingRuns) {
  MigrateOptions sql_dry = to("head");
  sql_dry.sql = sql_dry.dry_run = true;
  MigrateOptions sql_seed = to("head");
  sql_seed.sql = sql_seed.seed = true;
  MigrateOptions forced = to("head");
  forced.sql = forced.force_seed = true;
  for (const auto& o : {sql_dry, sql_seed, forced})
    EXPECT_THROW(run([&](Context& c) { return cmd_upgrade(c, o); }), UsageError);
  EXPECT_THROW(run([&](Context& c) { return cmd_upgrade(c, to("head")); }, true), UsageError);
  EXPECT_THROW(run([](Context& c) { return cmd_history(c, "", "table"); }), UsageError);
  EXPECT_THROW(run([](Context& c) { return cmd_history(c, "", "dot"); }, true), UsageError);
  EXPECT_FALSE(boost::filesystem::exists(dir / "app.db"));  // nothing was opened
}

TEST_F(Commands, TheScriptOfARangeNeedsNoDatabase) {
  MigrateOptions o = to("base:head");
  o.sql = true;
  auto [code, script] = run([&](Context& c) { return cmd_upgrade(c, o); });
  EXPECT_EQ(code, 0);
  EXPECT_NE(script.find("CREATE TABLE one (v INTEGER);"), std::string::npos) << script;
  EXPECT_NE(script.find("CREATE TABLE two (v INTEGER);"), std::string::npos) << script;
  EXPECT_FALSE(boost::filesystem::exists(dir / "app.db"));
}

}  // namespace
}  // namespace mig
