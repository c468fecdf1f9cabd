#pragma once

#include <string>

#include "cli/context.h"
#include "cli/migrate_options.h"

namespace mig {

// --group NAME: a command run on every target of [groups.NAME], -j at a
// time, each target's lines prefixed with its name, a summary at the end.
// Exit 0 when every target succeeded, 1 when any failed (or, status with
// `exit_code`, is not at head), 130 after Ctrl-C.

inline bool grouped(const Context& ctx) { return !ctx.global.group.empty(); }

// The commands --group takes; the others are refused with exit 2.
bool group_command(const std::string& name);

// upgrade, downgrade; `out_dir` for --sql: one script per target there.
int group_migrate(Context& ctx, const MigrateOptions& opts, const char* verb);
int group_stamp(Context& ctx, const std::string& target);
int group_seed(Context& ctx, bool force, bool dry_run);
int group_status(Context& ctx, bool exit_code);
int group_current(Context& ctx);
int group_check(Context& ctx, const std::string& format);
int group_schema(Context& ctx);

}  // namespace mig
