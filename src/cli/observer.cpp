#include "cli/observer.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "base/strings.h"
#include "cli/render.h"

namespace mig {

CliObserver::CliObserver(Output& out) : out_(out), tty_(isatty(STDOUT_FILENO)) {}

CliObserver::CliObserver(Output& out, bool tty) : out_(out), tty_(tty) {}

void CliObserver::step_finished(const StepResult& step) {
  if (step.action == "seed") {
    out_.progress("seed      " + step.revision + "  (" + step.message + ", " + format_ms(step.ms) +
                  ")");
    return;
  }
  out_.progress(std::string(step.action == "upgrade" ? "upgrade   " : "downgrade ") +
                step.revision + "  " + step.message + "  (" + format_ms(step.ms) + ")");
}

void CliObserver::step_skipped(const StepResult& step) {
  out_.progress("skip      " + step.revision + "  " + step.message + "  (data, --schema-only)");
}

void CliObserver::statement(const StepResult&, int number, const std::string& sql) {
  out_.detail("    [" + std::to_string(number) + "] " + sql);
}

// On a terminal one line is redrawn as batches go; elsewhere (CI logs) a
// single summary line is written when the statement is done.
void CliObserver::batch_progress(const StepResult&, int number, long long batches, long long rows,
                                 double seconds, bool done) {
  if (out_.verbosity() == Verbosity::Quiet || out_.json()) return;
  auto now = std::chrono::steady_clock::now();
  if (!done && (!tty_ || now - last_draw_ < std::chrono::milliseconds(100))) return;
  last_draw_ = now;
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.0f", seconds > 0 ? rows / seconds : 0.0);
  std::string text = "    [" + std::to_string(number) + "] batch " + std::to_string(batches) +
                     ": " + std::to_string(rows) + " rows so far, " + rate + " rows/s";
  if (done)
    text = "    [" + std::to_string(number) + "] " + std::to_string(rows) + " rows in " +
           std::to_string(batches) + " batches, " + rate + " rows/s";
  if (tty_)
    std::cout << "\r\033[K" << text << (done ? "\n" : "") << std::flush;
  else
    out_.progress(text);
}

void CliObserver::verified(const VerifiedRevision& v) { out_.data(verified_line(v)); }

void CliObserver::waiting(const std::string& what) { out_.notice(what); }

void CliObserver::log(Level level, const std::string& text) {
  switch (level) {
    case Level::Detail:
      out_.detail(text);
      break;
    case Level::Info:
      out_.progress(text);
      break;
    case Level::Warning:
      out_.warn(text);
      break;
  }
}

}  // namespace mig
