#pragma once

#include <string>
#include <string_view>

#include "script/revision.h"
#include "script/sql_splitter.h"

namespace mig {

// True if `id` is 4–40 characters of [0-9a-z_].
bool is_valid_revision_id(std::string_view id);

// Parses one revision file's text. `path` is only used in error messages and
// stored in the result. Throws FileError (file:line) for any malformed input.
Revision parse_revision(std::string_view text, const std::string& path, SqlDialect dialect);

}  // namespace mig
