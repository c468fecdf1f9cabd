#pragma once

#include <string>

#include "mig/project.h"

namespace mig {

// What upgrade and downgrade were told on the command line.
struct MigrateOptions {
  std::string target;
  bool dry_run = false;
  bool resume = false;             // continue a half-applied revision
  bool sql = false;                // print the script instead of running it
  bool schema_only = false;        // upgrade: skip data revisions
  long long max_batches = 100000;  // limit for each `-- mig:batch` statement
  bool seed = false;               // upgrade: run the seed files afterwards
  bool force_seed = false;         // … every one of them (--force-seed)
  std::string out_dir = {};        // --group with --sql: DIR/NAME.sql per target
};

// The library's options for what the command line said.
UpgradeOptions upgrade_options(const MigrateOptions& opts);
DowngradeOptions downgrade_options(const MigrateOptions& opts);

}  // namespace mig
