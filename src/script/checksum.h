#pragma once

#include <string>
#include <vector>

#include "base/sha256.h"
#include "script/sql_splitter.h"

namespace mig {

// Checksum of a section: its statements' normalised text, so that comments
// and white space can change without counting as an edit.
std::string statements_checksum(const std::vector<Statement>& statements);

}  // namespace mig
