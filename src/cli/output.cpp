#include "cli/output.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "secrets.h"

namespace mig {

Output::Output(Verbosity verbosity, bool json, std::shared_ptr<const Redactor> redactor)
    : verbosity_(verbosity), json_(json), redactor_(std::move(redactor)) {
  out_ = std::make_shared<spdlog::logger>("mig", std::make_shared<spdlog::sinks::stdout_sink_st>());
  err_ = std::make_shared<spdlog::logger>("mig-warn",
                                          std::make_shared<spdlog::sinks::stderr_sink_st>());
  out_->set_pattern("%v");
  err_->set_pattern("warning: %v");
  out_->set_level(verbosity == Verbosity::Quiet     ? spdlog::level::warn
                  : verbosity == Verbosity::Verbose ? spdlog::level::debug
                                                    : spdlog::level::info);
  out_->flush_on(spdlog::level::trace);
  err_->flush_on(spdlog::level::trace);
}

Output::~Output() = default;

void Output::progress(const std::string& line) {
  if (sink_) {
    if (!json_ && verbosity_ != Verbosity::Quiet) sink_(false, redactor_->apply(line));
    return;
  }
  if (!json_) out_->info(redactor_->apply(line));
}

void Output::detail(const std::string& line) {
  if (sink_) {
    if (!json_ && verbosity_ == Verbosity::Verbose) sink_(false, redactor_->apply(line));
    return;
  }
  if (!json_) out_->debug(redactor_->apply(line));
}

void Output::data(const std::string& line) {
  if (sink_) {  // (a target's lines are for people: JSON is the summary's)
    if (!json_) sink_(false, redactor_->apply(line));
    return;
  }
  std::cout << redactor_->apply(line) << '\n' << std::flush;
}

void Output::notice(const std::string& line) {
  if (!json_ && !data_on_stdout_) return progress(line);
  if (verbosity_ == Verbosity::Quiet) return;
  if (sink_) return sink_(true, redactor_->apply(line));
  std::cerr << redactor_->apply(line) << '\n' << std::flush;
}

void Output::warn(const std::string& line) {
  if (sink_) return sink_(true, "warning: " + redactor_->apply(line));
  err_->warn(redactor_->apply(line));
}

void Output::error(const std::string& line) {
  if (sink_) return sink_(true, redactor_->apply(line));
  std::cerr << "mig: " << redactor_->apply(line) << '\n' << std::flush;
}

}  // namespace mig
