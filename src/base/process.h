#pragma once

#include <string>
#include <vector>

namespace mig {

struct ProcessResult {
  int status = -1;  // the exit status; -1 when it could not be started or was killed
  std::string out, err;
};

// Runs ARGV (argv[0] looked up on PATH, no shell) and collects what it
// writes to stdout and stderr. Its stdin is /dev/null.
ProcessResult run_process(const std::vector<std::string>& argv);

}  // namespace mig
