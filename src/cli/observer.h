#pragma once

#include <chrono>

#include "cli/output.h"
#include "mig/observer.h"

namespace mig {

// What the CLI prints while an operation runs.
class CliObserver : public Observer {
 public:
  // `tty`: a batch's progress is one line redrawn (else: the stdout's).
  explicit CliObserver(Output& out);
  CliObserver(Output& out, bool tty);

  void step_finished(const StepResult& step) override;
  void step_skipped(const StepResult& step) override;
  void statement(const StepResult& step, int number, const std::string& sql) override;
  void batch_progress(const StepResult& step, int number, long long batches, long long rows,
                      double seconds, bool done) override;
  void verified(const VerifiedRevision& revision) override;
  void waiting(const std::string& what) override;
  void log(Level level, const std::string& text) override;

 private:
  Output& out_;
  bool tty_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace mig
