#pragma once

namespace mig {

// Parses argv, runs the chosen command, returns its exit code: errors are
// printed here (passwords masked) and mapped to 2 (usage) or 1 (operation).
int run_cli(int argc, char** argv);

}  // namespace mig
