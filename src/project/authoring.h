#pragma once

#include <functional>
#include <string>
#include <vector>

#include "graph/revision_graph.h"
#include "mig/project.h"

namespace mig {

// The files a project is written in: `mig init`, new revisions and seeds
// from the templates, merge revisions.

// The mig.toml that init writes.
std::string default_config_text();

InitResult init_project(const std::string& dir);

// Writes the file asked for (a revision into the migrations directory, or a
// seed) and returns its path. `load_graph` reads the revisions as they are,
// for the parents and a fresh id (after the request is checked).
std::string write_revision(const Settings& settings,
                           const std::function<RevisionGraph()>& load_graph,
                           const RevisionRequest& request);

// The parents of a merge of `revisions` (default: every head).
std::vector<std::string> merge_parents(const RevisionGraph& graph,
                                       const std::vector<std::string>& revisions);

}  // namespace mig
