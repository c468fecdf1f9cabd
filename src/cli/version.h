#pragma once

#include <string>

namespace mig {

// What `mig --version` prints: "mig 0.1.0 (commit a1b2c3d4e5f6)", with
// "-dirty" after the commit when tracked files differed from it at build
// time, and "commit unknown" for sources that were not a git checkout.
std::string version_text();

// "0.1.0", and the date of the commit ("2026-12-02", or "" when unknown):
// what the man pages name.
std::string version_number();
std::string build_date();

// `mig --version --json`: the same fields, the backends this installation
// can open (SQLite, built in, and each module that loads from where mig looks
// for it; module_dir as $MIG_MODULE_DIR) and the SQLite library's version.
std::string version_json(const std::string& module_dir);

}  // namespace mig
