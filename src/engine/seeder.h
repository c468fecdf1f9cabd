#pragma once

#include <map>
#include <string>
#include <vector>

#include "db/database.h"
#include "engine/version_store.h"
#include "script/seed_file.h"

namespace mig {

enum class SeedState { New, Changed, Applied, OtherEnvironment };

const char* to_string(SeedState state);

// Where one seed file stands against what the database recorded.
SeedState seed_state(const SeedFile& seed, const std::map<std::string, std::string>& recorded,
                     const std::string& environment);

// Runs one seed file and records its checksum, all in one transaction. On
// failure the seed is rolled back, the failure logged, and StepError thrown
// naming the file, statement and error.
double run_seed(Database& db, VersionStore& store, const SeedFile& seed);

}  // namespace mig
