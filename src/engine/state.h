#pragma once

#include <string>
#include <utility>
#include <vector>

#include "engine/version_store.h"
#include "graph/revision_graph.h"
#include "graph/targets.h"

namespace mig {

// What the database says is applied, mapped onto the graph.
struct DatabaseState {
  AppliedSet applied;
  std::vector<AppliedRevision> rows;
  std::vector<std::string> unknown;  // applied, but no file defines them
};

DatabaseState map_state(std::vector<AppliedRevision> applied, const RevisionGraph& graph);

// Applied revisions whose file changed since: (graph index, recorded checksum).
std::vector<std::pair<int, std::string>> edited_revisions(const RevisionGraph& graph,
                                                          const DatabaseState& state);

// Running on top of an applied revision whose SQL changed would leave the
// database out of step with the files: EditedRevisionError unless none.
void refuse_edited(const RevisionGraph& graph, const DatabaseState& state);

// The ids of `revisions`, and the current revisions in words ("base" or
// "a001, b002").
std::vector<std::string> ids(const RevisionGraph& graph, const std::vector<int>& revisions);
std::vector<std::string> current_ids(const RevisionGraph& graph, const AppliedSet& applied);
std::string describe_current(const RevisionGraph& graph, const AppliedSet& applied);

}  // namespace mig
