#include "check/lint.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "check/rules.h"
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

// A table a CREATE TABLE makes, or a DROP TABLE drops: "temp.NAME" or
// "main.NAME" (lower case, no quotes; a drop without a schema gives
// "?.NAME"); "" for any other statement, and for CREATE TABLE IF NOT
// EXISTS, which may make nothing.
std::string table_named(const Statement& st, const std::string& verb) {
  auto t = leading_tokens(st.sql, 16);
  size_t i = 0;
  if (t.empty() || t[i++] != verb) return "";
  std::string schema = verb == "DROP" ? "?" : "main";
  if (i < t.size() && (t[i] == "TEMP" || t[i] == "TEMPORARY")) schema = "temp", ++i;
  if (i >= t.size() || t[i++] != "TABLE") return "";
  if (i < t.size() && t[i] == "IF") {
    if (verb == "CREATE") return "";
    i += 2;  // IF EXISTS
  }
  // A name: a word, "quoted", `quoted`, or [bracketed] (three tokens).
  auto name_at = [&](size_t& k) -> std::string {
    if (k >= t.size()) return "";
    std::string n = t[k++];
    if (n == "[") {
      n = k < t.size() ? t[k++] : "";
      if (k >= t.size() || t[k] != "]") return "";  // [two words]: not a name this can follow
      ++k;
      return n;
    }
    if (n.size() > 1 && (n[0] == '"' || n[0] == '`')) n = n.substr(1, n.size() - 2);
    return n;
  };
  std::string name = name_at(i);
  if (i < t.size() && t[i] == ".") {
    ++i;
    schema = name;
    name = name_at(i);
  }
  std::string key = schema + "." + name;
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name.empty() ? "" : key;
}

// The code of a kind destructive_kind gives.
std::string destructive_code(const std::string& kind) {
  if (kind == "DROP SCHEMA" || kind == "DROP DATABASE") return "DS101";
  if (kind == "DROP TABLE") return "DS102";
  if (kind == "DROP COLUMN") return "DS103";
  if (kind == "TRUNCATE" || kind == "DELETE without WHERE") return "DS104";
  if (kind == "UPDATE without WHERE") return "DS105";
  return "DS106";  // ALTER ... TYPE, MODIFY, CHANGE
}

// Whether a `-- mig:nolint` list names the rule or its group.
bool names(const std::vector<std::string>& nolint, const CheckRule& rule) {
  return std::find(nolint.begin(), nolint.end(), rule.code) != nolint.end() ||
         std::find(nolint.begin(), nolint.end(), rule.group) != nolint.end();
}

void unknown_nolint(const Revision& r, const std::vector<std::string>& nolint, int line,
                    std::vector<Finding>& out) {
  for (const auto& c : nolint)
    if (!find_check_rule(c) && !is_check_group(c))
      out.push_back(make_finding("MG105", r.path, line, r.id,
                                 "-- mig:nolint names '" + c + "', which is no rule or group"));
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
    out.push_back(make_finding("MG103", "", 0, "",
                               std::to_string(heads.size()) + " heads (" + list + "); at most " +
                                   std::to_string(options.max_heads) +
                                   " allowed (check.max_heads)"));
  }
  for (int i : graph.order()) {
    if (!options.selected.empty() && !options.selected[i]) continue;
    const Revision& r = graph.at(i);
    unknown_nolint(r, r.nolint, r.revision_line, out);
    for (const auto* section : {&r.upgrade, &r.downgrade})
      for (const auto& st : *section) unknown_nolint(r, st.nolint, st.line, out);
    if (r.kind == RevisionKind::Schema && !r.has_downgrade && !r.declared_irreversible &&
        !names(r.nolint, *find_check_rule("MG104")))
      out.push_back(make_finding("MG104", r.path, r.revision_line, r.id,
                                 "schema revision " + r.id + " has no -- mig:downgrade section"));
    if (r.allow_destructive) continue;
    std::set<std::string> made;  // tables this upgrade creates: dropping them loses nothing
    for (const auto& st : r.upgrade) {
      if (std::string created = table_named(st, "CREATE"); !created.empty()) made.insert(created);
      // ALTER TABLE x RENAME TO y: what was made is no longer called x, and
      // y holds whatever x held.
      auto t = leading_tokens(st.sql, 12);
      auto rename = std::find(t.begin(), t.end(), "RENAME");
      if (t.size() > 2 && t[0] == "ALTER" && t[1] == "TABLE" && rename != t.end() &&
          rename + 1 != t.end() && rename[1] == "TO") {
        Statement as_drop = st;
        as_drop.sql = "DROP TABLE " + st.sql.substr(st.sql.find_first_of(" \t\n", 6));
        std::string renamed = table_named(as_drop, "DROP");
        if (renamed.rfind("?.", 0) == 0) {
          made.erase("temp." + renamed.substr(2));
          made.erase("main." + renamed.substr(2));
        }
        made.erase(renamed);
      }
      std::string kind = destructive_kind(st);
      if (kind == "DROP TABLE") {
        std::string dropped = table_named(st, "DROP");
        if (dropped.rfind("?.", 0) == 0) {  // no schema: a temp table of that name goes first
          std::string name = dropped.substr(2);
          dropped = made.count("temp." + name) ? "temp." + name : "main." + name;
        }
        if (made.erase(dropped)) continue;  // once: a second drop is of another table
      }
      if (kind.empty()) continue;
      const CheckRule& rule = *find_check_rule(destructive_code(kind));
      if (names(r.nolint, rule) || names(st.nolint, rule)) continue;
      out.push_back(make_finding(rule.code, r.path, st.line, r.id,
                                 "destructive statement (" + kind + ") in upgrade"));
    }
  }
  return out;
}

}  // namespace mig
