#pragma once

#include <string>
#include <vector>

#include "cli/context.h"

namespace mig {

// One function per command; each wires files → graph → plan → migrator and
// returns the exit code. Errors are thrown (UsageError, OperationError).

struct RevisionOptions {
  std::string message;
  std::string kind = "schema";
  std::string template_name;
  std::vector<std::string> parents;
};

struct MigrateOptions {
  std::string target;
  bool dry_run = false;
  bool resume = false;  // continue a half-applied revision
  bool sql = false;     // print the script instead of running it
};

int cmd_init(Context& ctx, const std::string& dir);
int cmd_revision(Context& ctx, const RevisionOptions& opts);
int cmd_upgrade(Context& ctx, const MigrateOptions& opts);
int cmd_downgrade(Context& ctx, const MigrateOptions& opts);
int cmd_current(Context& ctx);
int cmd_status(Context& ctx);
int cmd_history(Context& ctx, const std::string& range);
int cmd_heads(Context& ctx);
int cmd_show(Context& ctx, const std::string& target);
int cmd_stamp(Context& ctx, const std::string& target);
// Settles a half-applied revision by hand: `completed` records the step as
// done, otherwise as never run.
int cmd_resolve(Context& ctx, const std::string& revision, bool completed);

// The mig.toml that `mig init` writes.
std::string default_config_text();

}  // namespace mig
