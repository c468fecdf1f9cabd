#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "script/sql_splitter.h"

namespace mig {

// One file of seed/: repeatable data, re-run whenever its content changes.
struct SeedFile {
  std::string name;  // path relative to the seed directory: identity and order
  std::string path;
  std::vector<std::string> environments;  // `-- mig:env dev,test`; empty: all
  std::string requires_revision;          // `-- mig:requires REV`, or empty
  int requires_line = 0;
  std::vector<Statement> statements;
  std::string checksum;

  bool runs_in(const std::string& environment) const;
};

// Parses a seed file. Directives may appear anywhere between statements.
// Throws FileError (file:line) for anything malformed.
SeedFile parse_seed(std::string_view text, const std::string& name, const std::string& path,
                    Dialect dialect);

// Every *.sql under `dir`, sorted by name; empty if `dir` does not exist.
std::vector<SeedFile> load_seeds(const std::string& dir, Dialect dialect);

}  // namespace mig
