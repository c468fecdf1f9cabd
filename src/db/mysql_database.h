#pragma once

#include <memory>

#include "db/database.h"

namespace mig {

std::unique_ptr<Database> open_mysql(const DatabaseUrl& url, const ConnectOptions& options);

// The SOCI MySQL connection string for a URL (exposed for tests).
std::string mysql_connect_string(const DatabaseUrl& url);

}  // namespace mig
