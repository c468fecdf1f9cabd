#pragma once

#include <memory>

#include "db/database.h"

namespace mig {

std::unique_ptr<Database> open_sqlite(const DatabaseUrl& url, const ConnectOptions& options);

}  // namespace mig
