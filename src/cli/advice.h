#pragma once

#include <exception>
#include <string>

namespace mig {

// An error's message as the CLI prints it: the library's account with its
// advice worded in mig's own commands (`mig upgrade --resume`, `mig resolve
// REV --completed`, `mig rehash REV`).
std::string cli_message(const std::exception& error);

}  // namespace mig
