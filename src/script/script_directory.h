#pragma once

#include <string>
#include <vector>

#include "script/parse_cache.h"
#include "script/revision.h"
#include "script/sql_splitter.h"

namespace mig {

// What of a revision's SQL to keep after parsing. Every file is parsed and
// checked in full either way; Summary drops the statements' text, which
// commands that only read the graph (status, current, history) never show:
// at 100,000 revisions that text was most of the memory they used.
enum class RevisionText { Full, Summary };

// Finds every *.sql file under `dir` (recursively, hidden entries skipped),
// sorted by path, and parses each. Throws UsageError if `dir` is missing and
// FileError for the first malformed file.
// `cache` (Summary only) supplies unchanged files and learns the others.
std::vector<Revision> load_revisions(const std::string& dir, Dialect dialect,
                                     RevisionText text = RevisionText::Full,
                                     ParseCache* cache = nullptr);

std::vector<std::string> find_sql_files(const std::string& dir);

// Reads and parses one revision file, SQL included.
Revision load_revision(const std::string& path, Dialect dialect);

std::string read_file(const std::string& path);

}  // namespace mig
