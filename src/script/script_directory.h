#pragma once

#include <string>
#include <vector>

#include "script/revision.h"
#include "script/sql_splitter.h"

namespace mig {

// Finds every *.sql file under `dir` (recursively, hidden entries skipped),
// sorted by path, and parses each. Throws UsageError if `dir` is missing and
// FileError for the first malformed file.
std::vector<Revision> load_revisions(const std::string& dir, SqlDialect dialect);

std::vector<std::string> find_sql_files(const std::string& dir);

std::string read_file(const std::string& path);

}  // namespace mig
