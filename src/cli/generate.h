#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <string>

namespace mig {

// Man pages and shell completions, written from the same CLI11 command
// table as `mig --help`, so that neither can describe a command or an option
// the binary does not have. Commands in the empty group (the hidden helpers
// the completions call) are left out of both.

// mig(1) and mig-COMMAND(1) for each visible command, by file name
// ("mig.1", "mig-upgrade.1"). `version` is what the pages' footers name,
// `date` (YYYY-MM-DD, or empty) the date they carry.
std::map<std::string, std::string> man_pages(const CLI::App& app, const std::string& version,
                                             const std::string& date);

// The completion script for "bash", "zsh" or "fish". Revision ids and branch
// labels come from `mig __complete targets`, run in the directory the user
// completes in (with the --config the command line gives).
std::string completion_script(const CLI::App& app, const std::string& shell);

}  // namespace mig
