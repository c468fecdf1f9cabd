#pragma once

#include <string>

#include "db/database.h"
#include "graph/revision_graph.h"
#include "graph/targets.h"
#include "runtime/version_store.h"

namespace mig {

// Told about progress as the migrator works; the CLI prints it.
class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void statement(const Revision& rev, size_t number, const Statement& st) = 0;
  virtual void step_done(const Revision& rev, Direction direction, double ms) = 0;
};

// A revision failed. The message says which file, statement and error, and
// what state the database was left in.
class StepFailure : public OperationError {
 public:
  using OperationError::OperationError;
};

// Carries out a plan against one database: each revision's statements and
// its bookkeeping as one unit of work. Does not resolve targets.
class Migrator {
 public:
  Migrator(Database& db, VersionStore& store, const RevisionGraph& graph, Reporter& reporter);

  // Runs every step in order. On the first failure the failing revision is
  // rolled back (or, where that is impossible, recorded as half applied), the
  // failure is logged, earlier steps are committed, and StepFailure is thrown.
  void run(const Plan& plan);

  // Before run(): continue a half-applied revision at this statement number.
  void resume(const std::string& revision, long long statement_no);

  // Records revisions as applied (or not) without running them.
  void stamp(const AppliedSet& from, const AppliedSet& to);

 private:
  void run_step(const Step& step, size_t done);
  void run_tracked(const Step& step, size_t done);
  [[noreturn]] void fail(const Step& step, size_t statement, const std::string& error,
                         const std::string& state, double ms);

  Database& db_;
  VersionStore& store_;
  const RevisionGraph& graph_;
  Reporter& reporter_;
  std::string resume_revision_;
  long long resume_statement_ = 0;
};

// Checksum of the first `count` statements: lets --resume prove that the
// statements which already ran are the ones still in the file.
std::string done_checksum(const std::vector<Statement>& statements, size_t count);

}  // namespace mig
