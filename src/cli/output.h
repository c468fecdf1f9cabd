#pragma once

#include <functional>
#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace mig {

class Redactor;

enum class Verbosity { Quiet, Normal, Verbose };

// Where every line the user sees goes. Progress honours -q/-v; data (the
// answer to current, history, …) is always printed; warnings go to stderr.
class Output {
 public:
  // Every line goes through `redactor` (filled in as URLs become known).
  Output(Verbosity verbosity, bool json, std::shared_ptr<const Redactor> redactor);
  ~Output();

  Verbosity verbosity() const { return verbosity_; }
  bool json() const { return json_; }

  void progress(const std::string& line);  // hidden by -q
  void detail(const std::string& line);    // shown only with -v
  void data(const std::string& line);      // always
  void warn(const std::string& line);      // stderr
  // About waiting (for a lock, a server): progress, but on stderr where
  // standard output carries the data a command was asked for.
  void notice(const std::string& line);
  void set_data_on_stdout(bool data) { data_on_stdout_ = data; }
  void error(const std::string& line);  // stderr, as "mig: LINE"

  // Every line goes to `sink` instead, masked and already chosen by the
  // verbosity (`err`: it would go to stderr): how --group prints each
  // target's lines, prefixed, from many threads.
  using Sink = std::function<void(bool err, const std::string& line)>;
  void set_sink(Sink sink) { sink_ = std::move(sink); }

 private:
  Verbosity verbosity_;
  bool json_;
  bool data_on_stdout_ = false;
  std::shared_ptr<const Redactor> redactor_;
  std::shared_ptr<spdlog::logger> out_;
  std::shared_ptr<spdlog::logger> err_;
  Sink sink_;
};

}  // namespace mig
