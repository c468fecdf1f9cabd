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

// The one parent of `rev`, for a walk down that must go on below it: a walk
// is refused where the way down splits (a merge revision), as Alembic does,
// rather than silently taking every parent.
int only_parent(const RevisionGraph& graph, int rev, const std::string& target) {
  const std::vector<int>& parents = graph.parents(rev);
  if (parents.empty()) throw UsageError("target '" + target + "' goes below base");
  if (parents.size() > 1)
    throw UsageError("target '" + target + "' is ambiguous: " + graph.at(rev).id +
                     " is a merge of " + id_list(graph, parents) +
                     ", so the way down splits there; name the revision instead");
  return parents.front();
}

std::vector<int> walk(const RevisionGraph& graph, int start, long steps,
                      const std::string& target) {
  int at = start;
  for (long i = 0; i < steps; ++i) {  // upwards: one child at a time
    const std::vector<int>& next = at == kBase ? graph.bases() : graph.children(at);
    if (next.empty()) throw UsageError("target '" + target + "' goes past the head");
    if (next.size() > 1)
      throw UsageError("target '" + target + "' is ambiguous: the graph branches into " +
                       id_list(graph, next));
    at = next.front();
  }
  for (long i = 0; i > steps; --i) {  // downwards: one parent at a time
    if (at == kBase) throw UsageError("target '" + target + "' goes below base");
    at = graph.parents(at).empty() ? kBase : only_parent(graph, at, target);
  }
  if (at == kBase) return {};
  return {at};
}

// The revision a labelled branch is at: its applied revision whose children
// on the branch are not applied. Unlike current_revisions(), a revision the
// other lines of the graph build on (through depends or a merge) still
// counts: it is where this branch stands. kBase when none is applied.
int branch_current(const RevisionGraph& graph, const AppliedSet& applied, const std::string& name) {
  auto members = graph.branch_members(name);
  std::vector<int> current;
  for (int r = 0; r < static_cast<int>(graph.size()); ++r) {
    if (!members[r] || !applied[r]) continue;
    const auto& children = graph.children(r);
    if (std::none_of(children.begin(), children.end(),
                     [&](int c) { return members[c] && applied[c]; }))
      current.push_back(r);
  }
  if (current.size() > 1)
    throw UsageError("several revisions of branch " + name + " are current (" +
                     id_list(graph, current) + ")");
  return current.empty() ? kBase : current.front();
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
      throw WrongDirectionError("upgrade target '" + target + "' goes down", "downgrade");
    if (direction == Direction::Down && offset > 0)
      throw WrongDirectionError("downgrade target '" + target + "' goes up", "upgrade");
    int current = branch_current(graph, applied, name);
    if (current == kBase) {
      if (offset < 0) throw UsageError("nothing of branch " + name + " is applied");
      return walk(graph, graph.branch_base(name), offset - 1, target);
    }
    return walk(graph, current, offset, target);
  }
  int r = graph.resolve_id(rest);
  if (!members[r]) throw UsageError("revision " + graph.at(r).id + " is not on branch " + name);
  return {r};
}

bool at_base_of_branch(const std::string& target) {
  size_t at = target.find('@');
  return at != std::string::npos && target.compare(at + 1, std::string::npos, "base") == 0;
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
      throw WrongDirectionError("upgrade target '" + target + "' goes down", "downgrade");
    if (direction == Direction::Down && offset > 0)
      throw WrongDirectionError("downgrade target '" + target + "' goes up", "upgrade");
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

namespace {

// ID-N / -N / NAME@-N on a downgrade undoes the N revisions walked over
// from ID (or the single current revision, or where branch NAME stands) and
// whatever depends on them, so on a graph with branches it touches only the
// branch it starts on. The walk covers N revisions, so it steps N-1 times:
// undoing a merge revision alone (-1) is no walk through it.
bool relative_removal(const RevisionGraph& graph, const AppliedSet& applied,
                      const std::string& target, std::vector<bool>& remove) {
  std::string anchor;
  long offset = 0;
  size_t at = target.find('@');
  std::string branch = at == std::string::npos ? "" : target.substr(0, at);
  if (!split_relative(at == std::string::npos ? target : target.substr(at + 1), anchor, offset) ||
      offset > 0 || anchor == "base" || (!branch.empty() && !anchor.empty()))
    return false;
  int start = !branch.empty()    ? branch_current(graph, applied, branch)
              : anchor.empty()   ? single_current(graph, applied)
              : anchor == "head" ? single_head(graph)
                                 : graph.resolve_id(anchor);
  if (start == kBase)
    throw UsageError(branch.empty() ? "nothing is applied, so there is nothing to undo"
                                    : "nothing of branch " + branch + " is applied");
  std::vector<int> walked = {start};
  for (long i = 1; i < -offset; ++i) walked.push_back(only_parent(graph, walked.back(), target));
  // Undoing revisions none of which is applied is a target that does not
  // say what was meant (`head-1` on a database behind head).
  if (std::none_of(walked.begin(), walked.end(), [&](int r) { return applied[r]; }))
    throw UsageError("downgrade target '" + target + "' walks over " + id_list(graph, walked) +
                     ", none of which is applied; nothing was changed");
  remove = graph.descendants(walked, true);
  return true;
}

// A downgrade goes to a revision at or below where the database is. One
// that is neither applied nor below an applied revision is most likely a
// mistyped id (or one meant for upgrade); Alembic refuses it too.
void check_downgrade_target(const RevisionGraph& graph, const AppliedSet& applied,
                            const std::vector<int>& dest, const std::string& target) {
  for (int r : dest) {
    auto above = graph.descendants({r}, true);
    bool reached = false;
    for (size_t i = 0; i < graph.size() && !reached; ++i) reached = above[i] && applied[i];
    if (!reached)
      throw WrongDirectionError("downgrade target '" + target + "': revision " + graph.at(r).id +
                                    " is not applied, nor below any applied revision, so there "
                                    "is nothing to downgrade to",
                                "upgrade", graph.at(r).id);
  }
}

}  // namespace

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
  check_downgrade_target(graph, applied, dest, target);
  auto keep = graph.ancestors(dest, true);
  std::vector<bool> after(graph.size(), true);
  if (!dest.empty()) after = graph.descendants(dest, false);
  if (at_base_of_branch(target)) {
    // NAME@base: the whole branch goes, and whatever depends on it; other
    // lines of revisions stay.
    after = graph.descendants({graph.branch_base(target.substr(0, target.find('@')))}, true);
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
