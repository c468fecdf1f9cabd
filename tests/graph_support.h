#pragma once

#include <string>
#include <vector>

#include "graph/revision_graph.h"

namespace mig::testing {

struct Spec {
  std::string id;
  std::vector<std::string> parents;
  std::vector<std::string> depends = {};
  bool reversible = true;
};

inline std::vector<Revision> revisions(const std::vector<Spec>& specs) {
  std::vector<Revision> out;
  for (const auto& s : specs) {
    Revision r;
    r.id = s.id;
    r.parents = s.parents;
    r.depends = s.depends;
    r.has_downgrade = s.reversible;
    r.path = s.id + ".sql";
    r.revision_line = 1;
    r.parent_line = 2;
    r.depends_line = 3;
    out.push_back(r);
  }
  return out;
}

inline RevisionGraph graph(const std::vector<Spec>& specs) {
  return RevisionGraph(revisions(specs));
}

inline std::vector<std::string> ids(const RevisionGraph& g, const std::vector<int>& revs) {
  std::vector<std::string> out;
  for (int r : revs) out.push_back(g.at(r).id);
  return out;
}

}  // namespace mig::testing
