#pragma once

#include <memory>

#include "db/database.h"

namespace mig {

std::unique_ptr<Database> open_postgresql(const DatabaseUrl& url, const ConnectOptions& options);

// The libpq connection string for a URL (exposed for tests).
std::string postgresql_conninfo(const DatabaseUrl& url);

}  // namespace mig
