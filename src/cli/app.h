#pragma once

namespace mig {

// Parses argv, runs the chosen command, returns its exit code. Command
// errors are thrown to the caller (main maps them to exit codes).
int run_cli(int argc, char** argv);

}  // namespace mig
