#pragma once

#include <string>
#include <vector>

#include "graph/revision_graph.h"
#include "mig/results.h"

namespace mig {

// One problem `mig check` reports: Finding, in mig/results.h.

struct LintOptions {
  int max_heads = 1;
  // The revisions the per-revision rules run on (by graph index); empty:
  // every one.
  std::vector<bool> selected{};
};

// What makes a statement destructive ("DROP TABLE", "DELETE without WHERE",
// …), or empty. Reads the statement's words outside quotes and comments.
std::string destructive_kind(const Statement& statement);

// The static checks: head count, a downgrade for every schema revision (or
// `-- mig:irreversible`), no destructive upgrade statement without
// `-- mig:allow destructive`.
std::vector<Finding> lint(const RevisionGraph& graph, const LintOptions& options);

}  // namespace mig
