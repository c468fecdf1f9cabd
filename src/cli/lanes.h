#pragma once

#include <functional>
#include <string>
#include <vector>

#include "mig/results.h"

namespace mig {

// Draws the graph like `git log --graph`: one lane per line of descent,
// `|\` where a merge revision's parents split off, `|/` where lanes join.
// `rows` go from the heads down; `mark` is the node's sign, `text` what
// follows it.
std::vector<std::string> draw_lanes(const std::vector<RevisionInfo>& rows,
                                    const std::function<std::string(const RevisionInfo&)>& mark,
                                    const std::function<std::string(const RevisionInfo&)>& text);

}  // namespace mig
