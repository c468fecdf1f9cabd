#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "script/sql_splitter.h"

namespace mig {

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// Checksum of a section: its statements' normalised text, so that comments
// and white space can change without counting as an edit.
std::string statements_checksum(const std::vector<Statement>& statements);

}  // namespace mig
