#pragma once

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "script/revision.h"

namespace mig {

// The revision DAG: parents, depends, heads, bases and a fixed topological
// order. Pure: no files, no database. Revisions are addressed by index.
class RevisionGraph {
 public:
  // Validates the graph: duplicate ids, unknown parents or depends, cycles.
  // Throws FileError / OperationError naming the file(s) at fault.
  explicit RevisionGraph(std::vector<Revision> revisions);

  size_t size() const { return revisions_.size(); }
  const Revision& at(int index) const { return revisions_[index]; }
  // Puts the SQL text back into a revision read without it (full: the same
  // file read again). OperationError if the file no longer says what the
  // graph was built from (edited meanwhile).
  void give_text(int index, Revision full);

  // -1 if no revision has exactly this id.
  int find(const std::string& id) const;
  // Exact id or unique prefix; UsageError if none or several match.
  int resolve_id(const std::string& prefix) const;

  const std::vector<int>& parents(int i) const { return parents_[i]; }
  const std::vector<int>& children(int i) const { return children_[i]; }
  const std::vector<int>& dependents(int i) const { return required_by_[i]; }

  // Revisions nothing names as parent, ordered by id.
  const std::vector<int>& heads() const { return heads_; }
  // Revisions without parents, ordered by id.
  const std::vector<int>& bases() const { return bases_; }

  // The base revision labelled `-- mig:branch NAME`; UsageError if none.
  int branch_base(const std::string& name) const;
  // Revisions of a labelled branch: its base and its children's children
  // (parent links only).
  std::vector<bool> branch_members(const std::string& name) const;

  // Every revision after all of its requirements. Deterministic: heads are
  // visited in id order, each revision's parents in declared order, then its
  // depends, so one branch is finished before the next begins.
  const std::vector<int>& order() const { return order_; }

  // Closure over requirements / dependents of `from`, as a membership mask.
  std::vector<bool> ancestors(const std::vector<int>& from, bool include_self) const;
  std::vector<bool> descendants(const std::vector<int>& from, bool include_self) const;

 private:
  void link();
  void sort_topologically();

  std::vector<Revision> revisions_;
  std::unordered_map<std::string, int> index_;
  std::vector<std::pair<std::string, int>> sorted_ids_;
  std::vector<std::vector<int>> parents_, children_, requires_, required_by_;
  std::vector<int> heads_, bases_, order_;
  std::unordered_map<std::string, int> branches_;
};

}  // namespace mig
