#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "mig/project.h"
#include "mig/settings.h"
#include "mig/url.h"

namespace mig {

// One database of a group: a shard, a tenant, a replica.
struct GroupTarget {
  std::string name;    // as given, or made from the URL: the file's stem, the database's name
  DatabaseUrl url;     // (password kept for connecting; use describe())
  std::string schema;  // PostgreSQL: the tenant's schema (search_path and mig's tables)
  // "SQLite file 'data/shard_1.db'", "schema 'acme' of database 'app' on …".
  std::string describe() const;
};

// The targets of settings.groups[group] in the order they are given: the
// `targets` list (a SQLite URL with * ? or [ ] is a glob of files, sorted),
// then `file`, then the rows of `query`, then `schemas` and `schemas_query`.
// `patterns` (globs over the names, such as "shard_1*"), when not empty,
// keep only the targets one of them matches. Throws UsageError for an
// unknown group, a malformed entry (with file and line), a name given twice
// or a pattern that matches nothing; OperationError when the file cannot be
// read or the query fails.
// `env` expands ${VAR} in the lines of `file` (default: no environment).
std::vector<GroupTarget> group_targets(const Settings& settings, const std::string& group,
                                       const std::vector<std::string>& patterns = {},
                                       const EnvLookup& env = {});

// The project's settings pointed at one target: its URL, and for a schema
// target the schema for mig's tables and the connection's search_path.
Settings target_settings(const Settings& settings, const GroupTarget& target);

// What happened on one target.
struct TargetResult {
  GroupTarget target;
  // ok; failed; stopped (a failure elsewhere or an interrupt ended it after
  // a revision); not started (the run stopped before its turn).
  std::string outcome = "not started";
  std::vector<std::string> before, after;  // current revisions (empty: base)
  bool state_known = false;                // false: before and after were never read
  int steps = 0;                           // revisions (or seeds) applied
  double ms = 0;
  std::string error;             // failed, stopped: what the operation threw (passwords masked)
  std::exception_ptr exception;  // the same, to rethrow
  bool ok() const { return outcome == "ok"; }
};

// Told about a group run as it goes. Called from the worker threads, one
// target per thread at a time: an implementation must be thread-safe.
class GroupObserver {
 public:
  virtual ~GroupObserver() = default;
  // The observer for this target's project (may be null: none).
  virtual Observer* target_observer(const GroupTarget& target) {
    (void)target;
    return nullptr;
  }
  virtual void target_started(const GroupTarget& target) { (void)target; }
  virtual void target_finished(const TargetResult& result) { (void)result; }
};

struct GroupOptions {
  int jobs = 0;               // targets at once; 0: default_jobs()
  bool stop_on_error = true;  // false: --on-error continue
  // Set (by a signal handler, say) to stop as a failure would: no target
  // starts, running ones stop after the revision they are applying.
  const std::atomic<bool>* interrupt = nullptr;
};

// Two on this kind of machine: the cores, at most four.
int default_jobs();

// The work done on one target: called with the target's project (settings
// from target_settings, observer from the GroupObserver) and the result to
// fill in (before, after, steps; outcome and time are set by run_group).
// A throw is the target's failure. Set state_known with before/after.
using TargetWork = std::function<void(Project& project, TargetResult& result)>;

// Runs `work` on every target, `options.jobs` at a time, each on its own
// thread with its own project, connection and lock. With stop_on_error, the
// first failure starts no more targets and stops running ones after their
// current revision. Results come back in the order of `targets`.
std::vector<TargetResult> run_group(const Settings& settings,
                                    const std::vector<GroupTarget>& targets,
                                    const GroupOptions& options, const TargetWork& work,
                                    GroupObserver* observer = nullptr);

}  // namespace mig
