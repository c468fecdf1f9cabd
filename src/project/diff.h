#pragma once

#include <functional>
#include <string>

#include "db/database.h"
#include "graph/revision_graph.h"
#include "mig/project.h"

namespace mig {

// Throws UsageError unless the project is on SQLite or PostgreSQL (what
// diff and baseline support so far).
void require_diffable(const Settings& settings, const char* command);

// mig diff: `graph` replayed on one scratch database, the desired schema
// loaded into another, the statements between them planned both ways and
// proved on the scratch databases, then `write` asked to save the revision
// (unless options.check). Throws OperationError when the proof fails,
// naming what differs; nothing is written then.
DiffResult diff_to_schema(const Settings& settings, const RevisionGraph& graph,
                          const DiffOptions& options,
                          const std::function<std::string(const RevisionRequest&)>& write);

// mig baseline (after require_diffable): a revision whose upgrade makes `live`'s schema and
// whose downgrade removes it, proven on a scratch database (on `dev_url`'s
// server for PostgreSQL), saved by `write`.
std::string baseline_revision(const Settings& settings, Database& live, const std::string& message,
                              const std::string& dev_url,
                              const std::function<std::string(const RevisionRequest&)>& write);

}  // namespace mig
