#include "engine/state.h"

#include "base/strings.h"
#include "errors.h"

namespace mig {

DatabaseState map_state(std::vector<AppliedRevision> applied, const RevisionGraph& graph) {
  DatabaseState state;
  state.applied.assign(graph.size(), false);
  state.rows = std::move(applied);
  for (const auto& row : state.rows) {
    int i = graph.find(row.id);
    if (i < 0)
      state.unknown.push_back(row.id);
    else
      state.applied[i] = true;
  }
  return state;
}

std::vector<std::pair<int, std::string>> edited_revisions(const RevisionGraph& graph,
                                                          const DatabaseState& state) {
  std::vector<std::pair<int, std::string>> out;
  for (const auto& row : state.rows) {
    int i = graph.find(row.id);
    if (i >= 0 && row.checksum != graph.at(i).checksum) out.emplace_back(i, row.checksum);
  }
  return out;
}

void refuse_edited(const RevisionGraph& graph, const DatabaseState& state) {
  auto edited = edited_revisions(graph, state);
  if (edited.empty()) return;
  std::string list;
  std::vector<std::string> revisions;
  for (const auto& [i, sum] : edited) {
    list += "\n  " + graph.at(i).id + "  " + graph.at(i).path + "  recorded " + sum.substr(0, 12) +
            ", file now " + graph.at(i).checksum.substr(0, 12);
    revisions.push_back(graph.at(i).id);
  }
  throw EditedRevisionError(std::move(revisions), list);
}

std::vector<std::string> ids(const RevisionGraph& graph, const std::vector<int>& revisions) {
  std::vector<std::string> out;
  for (int r : revisions) out.push_back(graph.at(r).id);
  return out;
}

std::vector<std::string> current_ids(const RevisionGraph& graph, const AppliedSet& applied) {
  return ids(graph, current_revisions(graph, applied));
}

std::string describe_current(const RevisionGraph& graph, const AppliedSet& applied) {
  auto current = current_ids(graph, applied);
  return current.empty() ? "base" : join(current, ", ");
}

}  // namespace mig
