#pragma once

#include <atomic>
#include <string>

#include "db/database.h"
#include "db/schema.h"
#include "engine/version_store.h"
#include "graph/revision_graph.h"
#include "graph/targets.h"

namespace mig {

class Run;

// Told about progress as the migrator works; the CLI prints it.
class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void step_started(const Revision& rev, Direction direction) {
    (void)rev, (void)direction;
  }
  virtual void statement(const Revision& rev, size_t number, const Statement& st) = 0;
  virtual void step_done(const Revision& rev, Direction direction, double ms) = 0;
  // A `-- mig:batch` statement: called after every batch, and once with
  // `done` when it changed no more rows.
  virtual void batch_progress(const Revision& rev, size_t number, long long batches, long long rows,
                              double seconds, bool done) = 0;
  virtual void skipped(const Revision& rev) = 0;
};

// Tells nothing (scratch databases: verify, diff).
class SilentReporter : public Reporter {
 public:
  void statement(const Revision&, size_t, const Statement&) override {}
  void step_done(const Revision&, Direction, double) override {}
  void batch_progress(const Revision&, size_t, long long, long long, double, bool) override {}
  void skipped(const Revision&) override {}
};

// What to do about a half-applied revision, in the library's words (the CLI
// words it in its commands).
std::string half_applied_advice(const StepError::Details& details);

// Carries out a plan against one database: each revision's statements and
// its bookkeeping as one unit of work. Does not resolve targets.
class Migrator {
 public:
  Migrator(Database& db, VersionStore& store, const RevisionGraph& graph, Reporter& reporter);

  // Runs every step in order. On the first failure the failing revision is
  // rolled back (or, where that is impossible, recorded as half applied), the
  // failure is logged, earlier steps are committed, and StepError is thrown.
  // `run` is the run the steps belong to: a step that commits as it goes
  // leaves its transaction through it. Null: there is no run transaction
  // to leave (a scratch database, no lock).
  void run(const Plan& plan, Run* run);

  // Before run(): continue a half-applied revision at this statement number.
  void resume(const std::string& revision, long long statement_no);
  // Before run(): leave data revisions out (logged as skipped).
  void skip_data(bool skip) { skip_data_ = skip; }
  // Before run(): how many batches a `-- mig:batch` statement may take.
  void max_batches(long long n) { max_batches_ = n; }
  // Before run(): a flag looked at before each step; once it is set, run()
  // throws InterruptedError there, the steps before it staying applied.
  void stop_flag(const std::atomic<bool>* flag) { stop_ = flag; }
  // Before run(): every statement is noted in `changes` before it is sent.
  void note_changes(SchemaChanges* changes) { changes_ = changes; }

  // Records revisions as applied (or not) without running them.
  void stamp(const AppliedSet& from, const AppliedSet& to);

 private:
  std::string bookkeeping(const Step& step, const Revision& rev, double ms,
                          const std::string& first = {});
  void run_step(const Step& step, size_t done);
  void run_tracked(const Step& step, size_t done);
  struct Tracking;  // one tracked step under way
  void run_tracked_statement(Tracking& t);
  static std::string partial_work(const Tracking& t, size_t failed);
  [[noreturn]] void fail_tracked(Tracking& t, size_t done, const std::exception& e);
  [[noreturn]] void fail(const Step& step, size_t statement, const std::string& error,
                         StepError::Details details, double ms);

  Database& db_;
  Run* run_ = nullptr;
  VersionStore& store_;
  const RevisionGraph& graph_;
  Reporter& reporter_;
  struct BatchCount {
    long long batches = 0;  // committed
    long long rows = 0;     // changed by them
  };
  void run_batches(const Revision& rev, size_t number, const Statement& st, BatchCount& count);

  std::string resume_revision_;
  long long resume_statement_ = 0;
  bool skip_data_ = false;
  long long max_batches_ = 100000;
  const std::atomic<bool>* stop_ = nullptr;
  SchemaChanges* changes_ = nullptr;
  void note(const Statement& st);
};

// `sql` (mig's own statements) preceded by what puts the session back as
// the run found it (Database::end_of_revision_sql), so that what a revision
// or seed did to its session cannot stop mig's own writes.
std::string with_session_reset(Database& db, const std::string& sql);

// Checksum of the first `count` statements: lets --resume prove that the
// statements which already ran are the ones still in the file.
std::string done_checksum(const std::vector<Statement>& statements, size_t count);

}  // namespace mig
