#include "graph/targets.h"

#include <algorithm>

#include "errors.h"

namespace mig {
namespace {

constexpr int kBase = -1;

std::string id_list(const RevisionGraph& graph, const std::vector<int>& revs) {
  std::string out;
  for (int r : revs) out += (out.empty() ? "" : ", ") + graph.at(r).id;
  return out;
}

// Splits "ab12+2" into anchor "ab12" and offset +2; "+2" has an empty anchor.
bool split_relative(const std::string& target, std::string& anchor, long& offset) {
  size_t sign = target.find_last_of("+-");
  if (sign == std::string::npos || sign + 1 >= target.size()) return false;
  std::string digits = target.substr(sign + 1);
  if (!std::all_of(digits.begin(), digits.end(), ::isdigit) || digits.size() > 9) return false;
  anchor = target.substr(0, sign);
  offset = std::stol(digits);
  if (target[sign] == '-') offset = -offset;
  if (offset == 0) throw UsageError("target '" + target + "': a relative step must not be 0");
  return true;
}

int single_head(const RevisionGraph& graph) {
  const auto& heads = graph.heads();
  if (heads.empty()) throw UsageError("there are no revisions yet, so there is no head");
  if (heads.size() > 1)
    throw UsageError("there are several heads (" + id_list(graph, heads) +
                     "); name one, or use 'heads'");
  return heads.front();
}

int single_current(const RevisionGraph& graph, const AppliedSet& applied) {
  auto current = current_revisions(graph, applied);
  if (current.empty()) return kBase;
  if (current.size() > 1)
    throw UsageError("several revisions are current (" + id_list(graph, current) +
                     "); use ID+N or ID-N to say which branch");
  return current.front();
}

std::vector<int> walk(const RevisionGraph& graph, int start, long steps,
                      const std::string& target) {
  std::vector<int> at = {start};
  for (long i = 0; i < steps; ++i) {  // upwards: one child at a time
    const std::vector<int>& next = at.front() == kBase ? graph.bases() : graph.children(at.front());
    if (next.empty()) throw UsageError("target '" + target + "' goes past the head");
    if (next.size() > 1)
      throw UsageError("target '" + target + "' is ambiguous: the graph branches into " +
                       id_list(graph, next));
    at = {next.front()};
  }
  for (long i = 0; i > steps; --i) {  // downwards: all parents of the set
    if (at.empty()) throw UsageError("target '" + target + "' goes below base");
    std::vector<int> next;
    for (int r : at)
      for (int p : graph.parents(r))
        if (std::find(next.begin(), next.end(), p) == next.end()) next.push_back(p);
    at = next;
  }
  if (at.size() == 1 && at.front() == kBase) return {};
  return at;
}

// NAME@head, NAME@heads, NAME@+N, NAME@-N, NAME@ID: targets inside the line
// of revisions that starts at the base labelled NAME.
std::vector<int> resolve_in_branch(const RevisionGraph& graph, const AppliedSet& applied,
                                   const std::string& target, Direction direction) {
  size_t at = target.find('@');
  std::string name = target.substr(0, at), rest = target.substr(at + 1);
  auto members = graph.branch_members(name);
  auto in_branch = [&](const std::vector<int>& revs) {
    std::vector<int> out;
    for (int r : revs)
      if (members[r]) out.push_back(r);
    return out;
  };
  if (rest == "base") return {};
  if (rest == "head" || rest == "heads") {
    auto heads = in_branch(graph.heads());
    if (rest == "head" && heads.size() > 1)
      throw UsageError("branch " + name + " has several heads (" + id_list(graph, heads) +
                       "); name one, or use " + name + "@heads");
    return heads;
  }
  std::string anchor;
  long offset = 0;
  if (split_relative(rest, anchor, offset) && anchor.empty()) {
    if (direction == Direction::Up && offset < 0)
      throw UsageError("upgrade target '" + target + "' goes down; use mig downgrade");
    if (direction == Direction::Down && offset > 0)
      throw UsageError("downgrade target '" + target + "' goes up; use mig upgrade");
    auto current = in_branch(current_revisions(graph, applied));
    if (current.size() > 1)
      throw UsageError("several revisions of branch " + name + " are current (" +
                       id_list(graph, current) + ")");
    if (current.empty()) {
      if (offset < 0) throw UsageError("nothing of branch " + name + " is applied");
      return walk(graph, graph.branch_base(name), offset - 1, target);
    }
    auto dest = walk(graph, current.front(), offset, target);
    return dest.empty() ? std::vector<int>{} : dest;
  }
  int r = graph.resolve_id(rest);
  if (!members[r]) throw UsageError("revision " + graph.at(r).id + " is not on branch " + name);
  return {r};
}

void check_reversible(const RevisionGraph& graph, const Plan& plan, const std::string& target) {
  for (const auto& step : plan.steps) {
    const Revision& r = graph.at(step.revision);
    if (!r.has_downgrade)
      throw OperationError("cannot downgrade to '" + target + "': revision " + r.id + " (" +
                           r.path + ") has no -- mig:downgrade section; nothing was changed");
  }
}

}  // namespace

std::vector<int> current_revisions(const RevisionGraph& graph, const AppliedSet& applied) {
  std::vector<int> out;
  for (int i = 0; i < static_cast<int>(graph.size()); ++i) {
    if (!applied[i]) continue;
    const auto& deps = graph.dependents(i);
    if (std::none_of(deps.begin(), deps.end(), [&](int d) { return applied[d]; })) out.push_back(i);
  }
  std::sort(out.begin(), out.end(), [&](int a, int b) { return graph.at(a).id < graph.at(b).id; });
  return out;
}

std::vector<int> resolve_target(const RevisionGraph& graph, const AppliedSet& applied,
                                const std::string& target, Direction direction) {
  if (target.empty()) throw UsageError("empty target");
  if (target == "base") return {};
  if (target == "heads") return graph.heads();
  if (target == "head") return {single_head(graph)};
  if (target.find('@') != std::string::npos)
    return resolve_in_branch(graph, applied, target, direction);

  std::string anchor;
  long offset = 0;
  if (!split_relative(target, anchor, offset)) return {graph.resolve_id(target)};

  int start;
  if (anchor.empty()) {
    if (direction == Direction::Up && offset < 0)
      throw UsageError("upgrade target '" + target + "' goes down; use mig downgrade");
    if (direction == Direction::Down && offset > 0)
      throw UsageError("downgrade target '" + target + "' goes up; use mig upgrade");
    start = single_current(graph, applied);
  } else if (anchor == "base") {
    start = kBase;
  } else if (anchor == "head") {
    start = single_head(graph);
  } else {
    start = graph.resolve_id(anchor);
  }
  return walk(graph, start, offset, target);
}

Plan plan_upgrade(const RevisionGraph& graph, const AppliedSet& applied,
                  const std::string& target) {
  auto dest = resolve_target(graph, applied, target, Direction::Up);
  auto wanted = graph.ancestors(dest, true);
  Plan plan;
  for (int r : graph.order())
    if (wanted[r] && !applied[r]) plan.steps.push_back({r, Direction::Up});
  return plan;
}

// ID-N / -N on a downgrade undoes the N revisions walked over from ID (or
// the single current revision) and whatever depends on them, so on a graph
// with branches it touches only the branch it starts on.
bool relative_removal(const RevisionGraph& graph, const AppliedSet& applied,
                      const std::string& target, std::vector<bool>& remove) {
  std::string anchor;
  long offset = 0;
  if (target.find('@') != std::string::npos || !split_relative(target, anchor, offset) ||
      offset > 0 || anchor == "base")
    return false;
  resolve_target(graph, applied, target, Direction::Down);  // validates the walk
  int start = anchor.empty()     ? single_current(graph, applied)
              : anchor == "head" ? single_head(graph)
                                 : graph.resolve_id(anchor);
  if (start == kBase) throw UsageError("nothing is applied, so there is nothing to undo");
  std::vector<int> walked = {start}, at = {start};
  for (long i = 1; i < -offset; ++i) {
    std::vector<int> next;
    for (int r : at)
      for (int p : graph.parents(r))
        if (std::find(walked.begin(), walked.end(), p) == walked.end())
          next.push_back(p), walked.push_back(p);
    at = next;
  }
  remove = graph.descendants(walked, true);
  return true;
}

Plan plan_downgrade(const RevisionGraph& graph, const AppliedSet& applied,
                    const std::string& target) {
  std::vector<bool> walked;
  if (relative_removal(graph, applied, target, walked)) {
    Plan plan;
    const auto& order = graph.order();
    for (auto it = order.rbegin(); it != order.rend(); ++it)
      if (applied[*it] && walked[*it]) plan.steps.push_back({*it, Direction::Down});
    check_reversible(graph, plan, target);
    return plan;
  }
  auto dest = resolve_target(graph, applied, target, Direction::Down);
  auto keep = graph.ancestors(dest, true);
  std::vector<bool> after(graph.size(), true);
  if (!dest.empty()) after = graph.descendants(dest, false);
  size_t at = target.find('@');
  if (at != std::string::npos && target.substr(at + 1) == "base") {
    // NAME@base: the whole branch goes, and whatever depends on it; other
    // lines of revisions stay.
    after = graph.descendants({graph.branch_base(target.substr(0, at))}, true);
    keep.assign(graph.size(), false);
  }
  Plan plan;
  const auto& order = graph.order();
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    if (applied[*it] && after[*it] && !keep[*it]) plan.steps.push_back({*it, Direction::Down});
  check_reversible(graph, plan, target);
  return plan;
}

AppliedSet stamp_state(const RevisionGraph& graph, const AppliedSet& applied,
                       const std::string& target) {
  Direction relative = !target.empty() && target[0] == '-' ? Direction::Down : Direction::Up;
  auto dest = resolve_target(graph, applied, target, relative);
  if (dest.empty()) return AppliedSet(graph.size(), false);
  auto keep = graph.ancestors(dest, true);
  auto after = graph.descendants(dest, false);
  AppliedSet out(graph.size(), false);
  for (size_t i = 0; i < graph.size(); ++i) out[i] = keep[i] || (applied[i] && !after[i]);
  return out;
}

}  // namespace mig
