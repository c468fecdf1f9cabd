#pragma once

#include <string>
#include <vector>

#include "cli/context.h"
#include "cli/migrate_options.h"

namespace mig {

// One function per command: check the options, make one call to the
// project, render its result; returns the exit code. Errors are thrown
// (UsageError, OperationError) and printed by run_cli.

struct RevisionOptions {
  bool seed = false;  // write a seed file instead of a revision
  std::string message;
  std::string kind = "schema";
  std::string template_name;
  std::vector<std::string> parents;
  std::string branch;  // start a new labelled base
};

int cmd_init(Context& ctx, const std::string& dir);
int cmd_revision(Context& ctx, const RevisionOptions& opts);
// A merge revision joining `revisions` (default: every head).
int cmd_merge(Context& ctx, const std::vector<std::string>& revisions, const std::string& message);
// The next revision written from a desired schema; with options.check,
// exit 1 when the revisions do not reach it.
int cmd_diff(Context& ctx, const DiffOptions& options);
// The first revision, taken from an existing database, and stamped there.
int cmd_baseline(Context& ctx, const std::string& message, const std::string& dev_url);
int cmd_upgrade(Context& ctx, const MigrateOptions& opts);
int cmd_downgrade(Context& ctx, const MigrateOptions& opts);
int cmd_current(Context& ctx);
// `exit_code`: return 1 while anything is pending, half applied, edited,
// applied without its file, or the schema drifted.
int cmd_status(Context& ctx, bool exit_code);
int cmd_history(Context& ctx, const std::string& range, const std::string& format);
int cmd_heads(Context& ctx);
int cmd_show(Context& ctx, const std::string& target);
int cmd_stamp(Context& ctx, const std::string& target);
// Static checks for CI (plus database checks when a database is given);
// exit 1 when anything is found.
// format: text, json, github or sarif; which: the selection flags (mig.toml's
// [check] since and git_base when not given).
// no_replay: --no-replay (over [check] replay).
int cmd_check(Context& ctx, const std::string& format, CheckOptions which, bool no_replay = false);
// Proves every revision round-trips (upgrade, downgrade, upgrade) on a
// scratch database: a temporary SQLite file, or --url if it is empty.
int cmd_verify(Context& ctx);
// Prints the live schema in mig's normalised form.
int cmd_schema(Context& ctx);
// Accepts the edited file of an applied revision: records its new checksum.
int cmd_rehash(Context& ctx, const std::string& revision);
// Runs new and changed seed files (all with `force`).
int cmd_seed(Context& ctx, bool force, bool dry_run);
// Settles a half-applied revision by hand: `completed` records the step as
// done, otherwise as never run.
int cmd_resolve(Context& ctx, const std::string& revision, bool completed);

}  // namespace mig
