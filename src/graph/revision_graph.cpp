#include "graph/revision_graph.h"

#include <algorithm>

#include "errors.h"

namespace mig {

RevisionGraph::RevisionGraph(std::vector<Revision> revisions) : revisions_(std::move(revisions)) {
  index_.reserve(revisions_.size());
  for (int i = 0; i < static_cast<int>(revisions_.size()); ++i) {
    const Revision& r = revisions_[i];
    auto [it, inserted] = index_.emplace(r.id, i);
    if (!inserted)
      throw FileError(
          r.path, r.revision_line,
          "duplicate revision id " + r.id + " (also in " + revisions_[it->second].path + ")");
    sorted_ids_.emplace_back(r.id, i);
  }
  std::sort(sorted_ids_.begin(), sorted_ids_.end());
  for (int i = 0; i < static_cast<int>(revisions_.size()); ++i) {
    const Revision& r = revisions_[i];
    if (r.branch.empty()) continue;
    auto [it, inserted] = branches_.emplace(r.branch, i);
    if (!inserted)
      throw FileError(r.path, r.revision_line,
                      "branch label '" + r.branch + "' is also on " + revisions_[it->second].id +
                          " (" + revisions_[it->second].path + ")");
  }
  link();
  sort_topologically();
}

void RevisionGraph::give_text(int index, Revision full) {
  Revision& r = revisions_[index];
  if (!r.sql_dropped) return;
  if (full.id != r.id || full.parents != r.parents || full.depends != r.depends ||
      full.checksum != r.checksum || full.kind != r.kind || full.transactional != r.transactional ||
      full.has_downgrade != r.has_downgrade || full.upgrade.size() != r.upgrade.size() ||
      full.downgrade.size() != r.downgrade.size())
    throw OperationError(r.path + " changed while mig was reading it; nothing was run, run again");
  r = std::move(full);
}

void RevisionGraph::link() {
  size_t n = revisions_.size();
  parents_.assign(n, {});
  children_.assign(n, {});
  requires_.assign(n, {});
  required_by_.assign(n, {});
  for (int i = 0; i < static_cast<int>(n); ++i) {
    const Revision& r = revisions_[i];
    for (const auto& p : r.parents) {
      int j = find(p);
      if (j < 0) throw FileError(r.path, r.parent_line, "unknown parent revision " + p);
      parents_[i].push_back(j);
      children_[j].push_back(i);
      requires_[i].push_back(j);
      required_by_[j].push_back(i);
    }
    for (const auto& d : r.depends) {
      int j = find(d);
      if (j < 0) throw FileError(r.path, r.depends_line, "unknown revision " + d + " in depends");
      requires_[i].push_back(j);
      required_by_[j].push_back(i);
    }
  }
  for (const auto& [id, i] : sorted_ids_) {
    if (children_[i].empty()) heads_.push_back(i);
    if (parents_[i].empty()) bases_.push_back(i);
  }
}

void RevisionGraph::sort_topologically() {
  size_t n = revisions_.size();
  std::vector<char> state(n, 0);  // 0 unseen, 1 on the stack, 2 done
  std::vector<std::pair<int, size_t>> stack;
  auto visit = [&](int root) {
    if (state[root]) return;
    state[root] = 1;
    stack.emplace_back(root, 0);
    while (!stack.empty()) {
      int node = stack.back().first;
      size_t k = stack.back().second;
      if (k < requires_[node].size()) {
        ++stack.back().second;
        int next = requires_[node][k];
        if (state[next] == 0) {
          state[next] = 1;
          stack.emplace_back(next, 0);
        } else if (state[next] == 1) {
          std::string files;
          auto from = std::find_if(stack.begin(), stack.end(),
                                   [&](const auto& e) { return e.first == next; });
          for (auto it = from; it != stack.end(); ++it)
            files += (files.empty() ? "" : ", ") + revisions_[it->first].id + " (" +
                     revisions_[it->first].path + ")";
          throw OperationError("revision cycle: " + files);
        }
      } else {
        state[node] = 2;
        order_.push_back(node);
        stack.pop_back();
      }
    }
  };
  for (int h : heads_) visit(h);
  for (const auto& entry : sorted_ids_) visit(entry.second);
}

int RevisionGraph::find(const std::string& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? -1 : it->second;
}

int RevisionGraph::resolve_id(const std::string& prefix) const {
  if (prefix.empty()) throw UsageError("an empty revision id names no revision");
  int exact = find(prefix);
  if (exact >= 0) return exact;
  auto it = std::lower_bound(sorted_ids_.begin(), sorted_ids_.end(), std::make_pair(prefix, -1));
  std::vector<std::string> matches;
  int found = -1;
  for (; it != sorted_ids_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    matches.push_back(it->first);
    found = it->second;
  }
  if (matches.empty()) throw UsageError("no revision matches '" + prefix + "'");
  if (matches.size() > 1) {
    std::string list;
    for (size_t i = 0; i < matches.size() && i < 10; ++i) list += " " + matches[i];
    if (matches.size() > 10) list += " ...";
    throw UsageError("revision prefix '" + prefix + "' is ambiguous; it matches:" + list);
  }
  return found;
}

namespace {
std::vector<bool> closure(const std::vector<std::vector<int>>& edges, const std::vector<int>& from,
                          bool include_self);
}  // namespace

int RevisionGraph::branch_base(const std::string& name) const {
  auto it = branches_.find(name);
  if (it == branches_.end()) {
    std::string known;
    for (const auto& [label, i] : branches_) known += (known.empty() ? "" : ", ") + label;
    throw UsageError("no branch labelled '" + name + "'" +
                     (known.empty() ? std::string(" (there are no branch labels)")
                                    : " (labels: " + known + ")"));
  }
  return it->second;
}

std::vector<bool> RevisionGraph::branch_members(const std::string& name) const {
  return closure(children_, {branch_base(name)}, true);
}

namespace {

std::vector<bool> closure(const std::vector<std::vector<int>>& edges, const std::vector<int>& from,
                          bool include_self) {
  std::vector<bool> seen(edges.size(), false);
  std::vector<int> todo;
  for (int f : from)
    for (int next : edges[f])
      if (!seen[next]) seen[next] = true, todo.push_back(next);
  while (!todo.empty()) {
    int node = todo.back();
    todo.pop_back();
    for (int next : edges[node])
      if (!seen[next]) seen[next] = true, todo.push_back(next);
  }
  if (include_self)
    for (int f : from) seen[f] = true;
  return seen;
}

}  // namespace

std::vector<bool> RevisionGraph::ancestors(const std::vector<int>& from, bool include_self) const {
  return closure(requires_, from, include_self);
}

std::vector<bool> RevisionGraph::descendants(const std::vector<int>& from,
                                             bool include_self) const {
  return closure(required_by_, from, include_self);
}

}  // namespace mig
