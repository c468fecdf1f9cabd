#pragma once

#include <functional>
#include <string>
#include <vector>

#include "mig/results.h"

namespace mig {

// `history --format dot`: the revisions as a Graphviz graph, parent to
// child, dashed arrows for depends, current revisions filled blue, applied
// ones pale green, heads bold, data revisions as notes. `markers` gives the
// marks written after each label's message.
std::string history_dot(const std::vector<RevisionInfo>& revisions,
                        const std::function<std::string(const RevisionInfo&)>& markers);

}  // namespace mig
