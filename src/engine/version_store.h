#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "db/database.h"
#include "script/revision.h"

namespace mig {

// What commands read back of a <prefix>revisions row: which revision is
// applied, in which order, and the checksum it was applied with (the row
// holds more, for people and tools reading the table).
struct AppliedRevision {
  std::string id;
  std::string checksum;
  long long seq = 0;
};

// A row of the append-only <prefix>log.
struct LogEntry {
  long long id = 0;
  std::string at;
  std::string action;  // upgrade, downgrade, stamp, unstamp
  std::string revision;
  std::string outcome;  // ok, failed
  long long statement_no = 0;
  std::string error;
  double duration_ms = 0;
};

// A revision running outside a transaction (MySQL always; elsewhere with
// `-- mig:transaction off`): which statement it reached and how that went.
struct Progress {
  std::string revision;
  std::string direction;       // upgrade, downgrade
  long long statement_no = 0;  // the statement running or failed (1-based)
  long long statements = 0;    // how many the section has
  // ready: statements before statement_no took effect and it did not;
  // running: it was started and may or may not have taken effect;
  // failed: it failed (error says how).
  std::string state;
  std::string error;
  std::string done_checksum;  // of statements 1..statement_no-1 as they ran
  std::string updated_at;
};

// The bookkeeping tables inside the target database.
class VersionStore {
 public:
  VersionStore(Database& db, std::string prefix);

  bool exists();
  void ensure();

  // Empty if the tables do not exist yet (nothing is created by reading).
  std::vector<AppliedRevision> applied();
  // For each revision, its newest upgrade or downgrade log entry when that
  // one did not succeed (failed, or skipped by --schema-only). Worked out by
  // the database: the log only grows, and status must not read all of it.
  std::vector<LogEntry> unsettled_steps();

  // Each write runs at once, or is returned as SQL text (the *_sql forms)
  // for Database::commit_step to send together with the commit.
  void add(const Revision& rev, double duration_ms) { db_.execute(add_sql(rev, duration_ms)); }
  void remove(const std::string& id) { db_.execute(remove_sql(id)); }
  void log(const LogEntry& entry) { db_.execute(log_sql(entry)); }
  // `at` empty: now. Offline (a script), the order number is the
  // database's to work out when the script runs.
  std::string add_sql(const Revision& rev, double duration_ms, const std::string& at = {});
  std::string remove_sql(const std::string& id);
  std::string log_sql(const LogEntry& entry);
  void update_checksum(const std::string& id, const std::string& checksum);

  // Applied seed files: name → checksum.
  std::map<std::string, std::string> seeds();
  // Sent with the seed's own statements, in their transaction.
  std::string record_seed_sql(const std::string& name, const std::string& checksum);

  // The schema as mig last left it (for drift detection); empty if none.
  std::string snapshot();
  std::string snapshot_fingerprint();
  void save_snapshot(const std::string& text, const std::string& fingerprint);

  std::vector<Progress> progress();
  void start_progress(const Progress& p);
  void update_progress(const Progress& p) { db_.execute(update_progress_sql(p)); }
  std::string update_progress_sql(const Progress& p);
  void clear_progress(const std::string& revision) { db_.execute(clear_progress_sql(revision)); }
  std::string clear_progress_sql(const std::string& revision);

 private:
  std::string table(const std::string& name) const { return db_.qualified(prefix_ + name); }
  // Runs `read`, turning "permission denied" into a plain OperationError.
  template <typename Read>
  auto reading(const std::string& name, Read&& read) -> decltype(read());
  std::vector<AppliedRevision> read_applied();
  std::vector<LogEntry> read_unsettled_steps();
  std::vector<Progress> read_progress();
  std::map<std::string, std::string> read_seeds();
  std::string read_schema_column(const char* column);
  // Whether mig's table `name` (unprefixed) exists. The first call asks for
  // all of them at once (one query where status asked six); a table found is
  // remembered, one not found is asked for on its own, each time (ensure()
  // may have made it since).
  bool has(const char* name);

  Database& db_;
  std::string prefix_;
  std::set<std::string> present_;
  bool asked_ = false;
  long long next_seq_ = 0;  // 0: not read yet (the run's lock keeps it valid)
};

// Current UTC time as 2026-11-23T10:42:00.123Z.
std::string utc_now();

}  // namespace mig
