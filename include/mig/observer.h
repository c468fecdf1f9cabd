#pragma once

#include <string>

#include "mig/results.h"

namespace mig {

// What a host is told while an operation runs, on the thread that called
// it. Every method has an empty default: override what you show. mig itself
// writes nothing to standard output or a global logger.
class Observer {
 public:
  enum class Level { Detail, Info, Warning };

  virtual ~Observer() = default;

  // An upgrade or downgrade knows what it will do, before anything runs:
  // the revisions it starts from (`before`), ends at (`after`) and the
  // steps between (`steps`, empty when there is nothing to do).
  virtual void planned(const MigrateResult& plan) { (void)plan; }
  // A revision's upgrade or downgrade (or a seed file) starts and ends.
  virtual void step_started(const StepResult& step) { (void)step; }
  virtual void step_finished(const StepResult& step) { (void)step; }
  // A data revision left out by schema_only.
  virtual void step_skipped(const StepResult& step) { (void)step; }
  // Statement `number` (1-based) of the running step is about to run.
  virtual void statement(const StepResult& step, int number, const std::string& sql) {
    (void)step, (void)number, (void)sql;
  }
  // A `-- mig:batch` statement: after every batch, and once with `done`.
  virtual void batch_progress(const StepResult& step, int number, long long batches, long long rows,
                              double seconds, bool done) {
    (void)step, (void)number, (void)batches, (void)rows, (void)seconds, (void)done;
  }
  // verify: one revision went up, down and up again (or was skipped, or
  // failed).
  virtual void verified(const VerifiedRevision& revision) { (void)revision; }
  // mig waits: for another run's lock, or for the server to accept it.
  virtual void waiting(const std::string& what) { (void)what; }
  // The log: what mig would tell a person (passwords already masked).
  virtual void log(Level level, const std::string& text) { (void)level, (void)text; }
};

}  // namespace mig
