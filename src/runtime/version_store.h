#pragma once

#include <string>
#include <vector>

#include "db/database.h"
#include "script/revision.h"

namespace mig {

// A row of <prefix>revisions: one applied revision.
struct AppliedRevision {
  std::string id;
  std::string parents;  // space separated
  std::string message;
  std::string kind;
  std::string checksum;
  std::string applied_at;
  double duration_ms = 0;
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

// The bookkeeping tables inside the target database.
class VersionStore {
 public:
  VersionStore(Database& db, std::string prefix);

  const std::string& prefix() const { return prefix_; }
  bool exists();
  void ensure();

  // Empty if the tables do not exist yet (nothing is created by reading).
  std::vector<AppliedRevision> applied();
  std::vector<LogEntry> log_entries();

  void add(const Revision& rev, double duration_ms);
  void remove(const std::string& id);
  void log(const LogEntry& entry);

 private:
  Database& db_;
  std::string prefix_;
};

// Current UTC time as 2026-11-23T10:42:00.123Z.
std::string utc_now();

}  // namespace mig
