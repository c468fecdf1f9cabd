#pragma once

#include <string>
#include <vector>

#include "graph/revision_graph.h"

namespace mig {

enum class Direction { Up, Down };

// "upgrade" or "downgrade", as logs and messages name them.
inline const char* action_name(Direction d) { return d == Direction::Up ? "upgrade" : "downgrade"; }

struct Step {
  int revision;  // index into the graph
  Direction direction;
};

// What a command will do, computed before anything runs, so it can be
// printed, tested and dry-run.
struct Plan {
  std::vector<Step> steps;
};

// Which revisions a database has applied, as a mask over graph indices.
using AppliedSet = std::vector<bool>;

// Applied revisions that no other applied revision requires: "current".
std::vector<int> current_revisions(const RevisionGraph& graph, const AppliedSet& applied);

// Resolves a target (head, heads, base, id or unique prefix, +N, -N, ID+N,
// ID-N) to the revisions it names; empty means base. `direction` only
// decides which relative moves are allowed. Throws UsageError.
std::vector<int> resolve_target(const RevisionGraph& graph, const AppliedSet& applied,
                                const std::string& target, Direction direction);

// Apply every missing requirement of the target, in graph order.
Plan plan_upgrade(const RevisionGraph& graph, const AppliedSet& applied, const std::string& target);

// Remove applied revisions that come after the target, newest first; for
// ID-N / -N, the N revisions walked over from ID and what depends on them.
// Refuses (OperationError) if any of them has no downgrade section.
Plan plan_downgrade(const RevisionGraph& graph, const AppliedSet& applied,
                    const std::string& target);

// The applied set after `stamp target`: the target and its ancestors
// applied, anything after the target removed.
AppliedSet stamp_state(const RevisionGraph& graph, const AppliedSet& applied,
                       const std::string& target);

}  // namespace mig
