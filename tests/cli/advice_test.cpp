#include "cli/advice.h"

#include <gtest/gtest.h>

#include "mig/errors.h"

namespace mig {
namespace {

StepError::Details half_applied(bool batches) {
  StepError::Details d;
  d.revision = "a1";
  d.action = "upgrade";
  d.half_applied = true;
  d.resume_at = 3;
  d.batches_done = batches;
  d.summary = "upgrade of a1 failed at statement 3";
  d.account = "statements 1-2 of a1 took effect and stay";
  return d;
}

TEST(Advice, AHalfAppliedStepNamesTheResumeAndResolveCommands) {
  std::string m = cli_message(StepError("library text", half_applied(false)));
  EXPECT_NE(m.find("upgrade of a1 failed at statement 3\n  statements 1-2"), std::string::npos);
  EXPECT_NE(m.find("then run `mig upgrade --resume` to re-run statement 3"), std::string::npos)
      << m;
  EXPECT_NE(m.find("`mig resolve a1 --completed` (or --reverted)"), std::string::npos) << m;
  EXPECT_EQ(m.find("library text"), std::string::npos);
}

TEST(Advice, BatchesDoneSuggestMaxBatchesAndGoingOn) {
  std::string m = cli_message(StepError("x", half_applied(true)));
  EXPECT_NE(m.find("fix the file (or raise --max-batches)"), std::string::npos) << m;
  EXPECT_NE(m.find("to go on with statement 3"), std::string::npos) << m;
}

TEST(Advice, AStepRolledBackIsTheLibrarysOwnText) {
  StepError::Details d;
  d.revision = "a1";
  EXPECT_EQ(cli_message(StepError("upgrade of a1 failed; nothing applied", d)),
            "upgrade of a1 failed; nothing applied");
}

TEST(Advice, HalfAppliedInTheWay) {
  using R = HalfAppliedError::Reason;
  EXPECT_EQ(
      cli_message(HalfAppliedError("m", "a1 is half applied", "a1", "downgrade", R::NotResumed)),
      "a1 is half applied\n  fix the file and run `mig downgrade --resume`, or settle it by "
      "hand and run `mig resolve a1 --completed` (or --reverted)");
  EXPECT_EQ(cli_message(HalfAppliedError("m", "d", "a1", "upgrade", R::OtherDirection)),
            "d\n  --resume continues it with `mig upgrade --resume`, not with downgrade");
  EXPECT_EQ(cli_message(HalfAppliedError("m", "d", "a1", "upgrade", R::Stamping)),
            "d\n  settle it with `mig resolve` before stamping");
  EXPECT_EQ(cli_message(HalfAppliedError("file gone", "d", "a1", "upgrade", R::FileGone)),
            "file gone");
}

TEST(Advice, EditedRevisionsPointAtRehash) {
  std::string m = cli_message(EditedRevisionError({"b2", "c3"}, "\n  b2  b2.sql  recorded ..."));
  EXPECT_NE(m.find("\n  b2  b2.sql"), std::string::npos);
  EXPECT_NE(m.find("accept the change with `mig rehash b2`"), std::string::npos) << m;
}

TEST(Advice, SeedRequirementsPointAtUpgradeOnlyForAKnownRevision) {
  std::string m = cli_message(SeedRequirementError("lib", "users.sql", "a1", "a1 (create users)"));
  EXPECT_EQ(m,
            "seed users.sql requires revision a1 (create users), which is not applied yet; run "
            "`mig upgrade` first; no seed was run");
  EXPECT_EQ(cli_message(SeedRequirementError("users.sql:2: unknown", "users.sql", "zz", "")),
            "users.sql:2: unknown");
}

TEST(Advice, OptionErrorsSayTheFlags) {
  OptionError both("{seed} cannot be combined with {kind} or {parents}");
  EXPECT_STREQ(both.what(), "`seed` cannot be combined with `kind` or `parents`");
  EXPECT_EQ(cli_message(both), "--seed cannot be combined with --kind or --parent");
  EXPECT_EQ(cli_message(OptionError("{max_batches} must be at least 1")),
            "--max-batches must be at least 1");
  EXPECT_EQ(cli_message(OptionError("{template_name}: no template 'x'")),
            "--template: no template 'x'");
  EXPECT_EQ(cli_message(OptionError("{scratch_url}: not empty; {script} only")),
            "--url: not empty; --sql only");
  // Braces in a value the caller gave are left as they are.
  OptionError value("{range} expects A:B, not '" + OptionError::literal("{A}:{}:{x y}") + "'");
  EXPECT_STREQ(value.what(), "`range` expects A:B, not '{A}:{}:{x y}'");
  EXPECT_EQ(cli_message(value), "--range expects A:B, not '{A}:{}:{x y}'");
}

TEST(Advice, AWrongDirectionNamesTheOtherCommand) {
  WrongDirectionError down("upgrade target '-1' goes down", "downgrade");
  EXPECT_STREQ(down.what(), "upgrade target '-1' goes down; that is a downgrade");
  EXPECT_EQ(cli_message(down), "upgrade target '-1' goes down; use mig downgrade");
  EXPECT_STREQ(WrongDirectionError("downgrade target '+1' goes up", "upgrade").what(),
               "downgrade target '+1' goes up; that is an upgrade");
  WrongDirectionError up("downgrade target 'b2': not applied", "upgrade", "b2");
  EXPECT_STREQ(up.what(), "downgrade target 'b2': not applied (applying it is an upgrade to b2)");
  EXPECT_EQ(cli_message(up),
            "downgrade target 'b2': not applied (to apply it, use mig upgrade b2)");
}

TEST(Advice, OtherErrorsAreUnchanged) {
  EXPECT_EQ(cli_message(UsageError("bad option")), "bad option");
  EXPECT_EQ(cli_message(std::runtime_error("boom")), "boom");
}

}  // namespace
}  // namespace mig
