#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/migrator.h"
#include "engine/version_store.h"
#include "graph/revision_graph.h"

namespace mig {

// One line for people about a half-applied revision: where it stopped and
// whether that statement took effect.
std::string describe_half_applied(const RevisionGraph& graph, const Progress& p);

// MySQL and revisions outside a transaction can stop half way. Until that
// is settled nothing else runs (HalfAppliedError); with `resume` (or for a
// backfill interrupted in a batched statement, which is written to be
// repeated) the migrator is told to continue it where it stopped, and `say`
// is told so first.
void check_half_applied(VersionStore& store, const RevisionGraph& graph, Direction direction,
                        bool resume, Migrator& migrator,
                        const std::function<void(const std::string&)>& say);
// The same for the progress rows `progress` (store.progress(), read once).
void check_half_applied(const std::vector<Progress>& progress, const RevisionGraph& graph,
                        Direction direction, bool resume, Migrator& migrator,
                        const std::function<void(const std::string&)>& say);

}  // namespace mig
