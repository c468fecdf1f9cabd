#include "check/lint.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "script/sql_splitter.h"

namespace mig {
namespace {

bool word_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}

// Upper-cased words of a normalised statement, skipping quoted text.
std::vector<std::string> words(const std::string& sql) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {
      size_t close = sql.find(c, i + 1);
      while (close != std::string::npos && close + 1 < sql.size() && sql[close + 1] == c)
        close = sql.find(c, close + 2);
      i = close == std::string::npos ? sql.size() : close + 1;
    } else if (c == '$' && (i == 0 || !word_char(sql[i - 1]))) {
      size_t end = sql.find('$', i + 1);
      std::string tag = end == std::string::npos ? "" : sql.substr(i, end - i + 1);
      size_t close = tag.empty() ? std::string::npos : sql.find(tag, end + 1);
      i = close == std::string::npos ? i + 1 : close + tag.size();
    } else if (word_char(c)) {
      size_t start = i;
      while (i < sql.size() && word_char(sql[i])) ++i;
      std::string w = sql.substr(start, i - start);
      for (char& ch : w) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      out.push_back(w);
    } else {
      ++i;
    }
  }
  return out;
}

bool has(const std::vector<std::string>& w, const char* word) {
  return std::find(w.begin(), w.end(), word) != w.end();
}

// The table a CREATE TABLE makes (`verb` CREATE) or a DROP TABLE drops,
// lower-cased without its quotes and schema; "" for any other statement.
std::string table_named(const Statement& st, const std::string& verb) {
  auto t = leading_tokens(st.sql, 12);
  size_t i = 0;
  if (t.empty() || t[i++] != verb) return "";
  if (i < t.size() && (t[i] == "TEMP" || t[i] == "TEMPORARY")) ++i;
  if (i >= t.size() || t[i++] != "TABLE") return "";
  if (i < t.size() && t[i] == "IF") i += verb == "CREATE" ? 3 : 2;  // IF [NOT] EXISTS
  if (i + 2 < t.size() && t[i + 1] == ".") i += 2;                  // schema.name
  if (i >= t.size()) return "";
  std::string name = t[i];
  if (name.size() > 1 && (name[0] == '"' || name[0] == '`' || name[0] == '['))
    name = name.substr(1, name.size() - 2);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

}  // namespace

std::string destructive_kind(const Statement& statement) {
  auto w = words(statement.normalized.empty() ? statement.sql : statement.normalized);
  if (w.empty()) return {};
  if (w[0] == "DROP" && w.size() > 1 && (w[1] == "TABLE" || w[1] == "SCHEMA" || w[1] == "DATABASE"))
    return "DROP " + w[1];
  if (w[0] == "TRUNCATE") return "TRUNCATE";
  if (w[0] == "DELETE" && !has(w, "WHERE")) return "DELETE without WHERE";
  if (w[0] == "UPDATE" && !has(w, "WHERE")) return "UPDATE without WHERE";
  if (w[0] == "ALTER" && w.size() > 1 && w[1] == "TABLE") {
    static const char* not_columns[] = {"CONSTRAINT", "INDEX",  "KEY",   "PRIMARY",   "FOREIGN",
                                        "DEFAULT",    "NOT",    "CHECK", "PARTITION", "IDENTITY",
                                        "EXPRESSION", "UNIQUE", "SYSTEM"};
    for (size_t i = 2; i + 1 < w.size(); ++i) {
      if (w[i] == "DROP") {
        if (w[i + 1] == "COLUMN") return "DROP COLUMN";
        bool other = std::any_of(std::begin(not_columns), std::end(not_columns),
                                 [&](const char* k) { return w[i + 1] == k; });
        if (!other && w[i - 1] != "SET" && w[i - 1] != "ALTER") return "DROP COLUMN";
      }
      // ALTER TABLE t ALTER [COLUMN] c [SET DATA] TYPE …; a column named
      // "type" comes straight after ALTER or COLUMN.
      if (w[i] == "TYPE" && w[i - 1] != "COLUMN" && w[i - 1] != "ALTER" &&
          std::find(w.begin() + 3, w.begin() + i, "ALTER") != w.begin() + i)
        return "ALTER ... TYPE";
      if (w[i] == "MODIFY" || (w[i] == "CHANGE" && i > 2)) return "ALTER ... " + w[i];
    }
  }
  return {};
}

std::vector<Finding> lint(const RevisionGraph& graph, const LintOptions& options) {
  std::vector<Finding> out;
  const auto& heads = graph.heads();
  if (static_cast<int>(heads.size()) > options.max_heads) {
    std::string list;
    for (int h : heads) list += (list.empty() ? "" : ", ") + graph.at(h).id;
    out.push_back({"heads", "", 0, "",
                   std::to_string(heads.size()) + " heads (" + list + "); at most " +
                       std::to_string(options.max_heads) +
                       " allowed (check.max_heads): merge them"});
  }
  for (int i : graph.order()) {
    const Revision& r = graph.at(i);
    if (r.kind == RevisionKind::Schema && !r.has_downgrade && !r.declared_irreversible)
      out.push_back({"downgrade", r.path, r.revision_line, r.id,
                     "schema revision " + r.id +
                         " has no -- mig:downgrade section; add one, or declare "
                         "-- mig:irreversible"});
    if (r.allow_destructive) continue;
    std::set<std::string> made;  // tables this upgrade creates: dropping them loses nothing
    for (const auto& st : r.upgrade) {
      if (std::string created = table_named(st, "CREATE"); !created.empty()) made.insert(created);
      std::string kind = destructive_kind(st);
      if (kind == "DROP TABLE" && made.count(table_named(st, "DROP"))) continue;
      if (!kind.empty())
        out.push_back({"destructive", r.path, st.line, r.id,
                       "destructive statement (" + kind +
                           ") in upgrade; if intended, mark the revision "
                           "-- mig:allow destructive"});
    }
  }
  return out;
}

}  // namespace mig
