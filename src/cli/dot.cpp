#include "cli/dot.h"

#include <set>

namespace mig {
namespace {

std::string dot_quote(const std::string& s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    // Keep the "\n" line breaks we put in labels; escape everything else.
    bool line_break = s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 'n';
    if (s[i] == '"' || (s[i] == '\\' && !line_break)) out += '\\';
    out += s[i];
  }
  return out + "\"";
}

}  // namespace

std::string history_dot(const std::vector<RevisionInfo>& revisions,
                        const std::function<std::string(const RevisionInfo&)>& markers) {
  std::set<std::string> shown;
  for (const auto& r : revisions) shown.insert(r.id);
  std::string dot = "digraph mig {\n  rankdir=BT;\n  node [shape=box, fontname=\"monospace\"];\n";
  for (const auto& r : revisions) {
    std::string attrs = "label=" + dot_quote(r.id + "\\n" + r.message + markers(r));
    if (r.current)
      attrs += ", style=filled, fillcolor=\"lightblue\"";
    else if (r.applied)
      attrs += ", style=filled, fillcolor=\"#e8f0e8\"";
    if (r.head) attrs += ", penwidth=2";
    if (r.kind == "data") attrs += ", shape=note";
    dot += "  " + dot_quote(r.id) + " [" + attrs + "];\n";
  }
  for (const auto& r : revisions) {
    for (const auto& p : r.parents)
      if (shown.count(p)) dot += "  " + dot_quote(p) + " -> " + dot_quote(r.id) + ";\n";
    for (const auto& d : r.depends)
      if (shown.count(d))
        dot += "  " + dot_quote(d) + " -> " + dot_quote(r.id) +
               " [style=dashed, label=\"depends\"];\n";
  }
  return dot + "}";
}

}  // namespace mig
