#include "cli/migrate_options.h"

namespace mig {

UpgradeOptions upgrade_options(const MigrateOptions& opts) {
  UpgradeOptions o;
  o.target = opts.target;
  o.dry_run = opts.dry_run;
  o.resume = opts.resume;
  o.schema_only = opts.schema_only;
  o.max_batches = opts.max_batches;
  o.seed = opts.seed;
  o.force_seed = opts.force_seed;
  return o;
}

DowngradeOptions downgrade_options(const MigrateOptions& opts) {
  DowngradeOptions o;
  o.target = opts.target;
  o.dry_run = opts.dry_run;
  o.resume = opts.resume;
  o.max_batches = opts.max_batches;
  return o;
}

}  // namespace mig
