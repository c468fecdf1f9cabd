#include "cli/lanes.h"

#include <algorithm>

namespace mig {
namespace {

std::string bars(size_t from, size_t to) {
  std::string s;
  for (size_t i = from; i < to; ++i) s += "| ";
  return s;
}

}  // namespace

std::vector<std::string> draw_lanes(const std::vector<RevisionInfo>& rows,
                                    const std::function<std::string(const RevisionInfo&)>& mark,
                                    const std::function<std::string(const RevisionInfo&)>& text) {
  std::vector<std::string> out;
  std::vector<std::string> lanes;  // the revision each lane waits for
  for (const auto& rev : rows) {
    auto it = std::find(lanes.begin(), lanes.end(), rev.id);
    size_t col = it - lanes.begin();
    if (it == lanes.end()) lanes.push_back(rev.id);
    // Other lanes waiting for this revision join it first.
    for (size_t j = lanes.size(); j-- > col + 1;) {
      if (lanes[j] != rev.id) continue;
      out.push_back(bars(0, j - 1) + "|/" + std::string(j + 1 < lanes.size() ? " " : "") +
                    bars(j + 1, lanes.size()));
      lanes.erase(lanes.begin() + j);
    }
    std::string line = bars(0, col) + mark(rev) + " " + bars(col + 1, lanes.size());
    out.push_back(line + " " + text(rev));
    const auto& parents = rev.parents;
    if (parents.empty()) {
      lanes.erase(lanes.begin() + col);
      continue;
    }
    lanes[col] = parents[0];
    for (size_t k = 1; k < parents.size(); ++k) {
      if (std::find(lanes.begin(), lanes.end(), parents[k]) != lanes.end()) continue;
      lanes.insert(lanes.begin() + col + k, parents[k]);
      out.push_back(bars(0, col) + "|\\" + std::string(col + k + 1 < lanes.size() ? " " : "") +
                    bars(col + k + 1, lanes.size()));
    }
  }
  return out;
}

}  // namespace mig
