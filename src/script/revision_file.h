#pragma once

#include <string>
#include <string_view>

#include "script/revision.h"
#include "script/sql_splitter.h"

namespace mig {

// True if `id` is 4–40 characters of [0-9a-z_].
bool is_valid_revision_id(std::string_view id);

// `text` without its UTF-8 byte-order mark. Throws FileError naming the line
// when it is not valid UTF-8 or holds a NUL byte (revision and seed files).
std::string_view checked_file_text(std::string_view text, const std::string& path);

// What makes the statement one that the database refuses to run inside a
// transaction ("CREATE INDEX CONCURRENTLY", "VACUUM", …), or empty.
std::string outside_transaction_only(const Statement& statement, Dialect dialect);

// Parses one revision file's text. `path` is only used in error messages and
// stored in the result. Throws FileError (file:line) for any malformed input.
Revision parse_revision(std::string_view text, const std::string& path, Dialect dialect);

}  // namespace mig
