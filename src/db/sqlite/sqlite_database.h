#pragma once

#include <memory>

#include "db/database.h"

namespace mig {

std::unique_ptr<Database> open_sqlite(const DatabaseUrl& url, const ConnectOptions& options);

// For a process that is mig and nothing else (the executable), before its
// first connection: each connection is used by one thread at a time, so
// SQLite's per-call connection mutex and its global memory statistics (a
// mutex per malloc) only cost time (2% of a `mig status`). SQLite's
// configuration is the whole process's, so the library never does this.
void configure_sqlite_for_this_process();

}  // namespace mig
