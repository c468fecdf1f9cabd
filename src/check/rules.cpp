#include "check/rules.h"

#include <algorithm>

namespace mig {

const std::vector<CheckRule>& check_rules() {
  // code, group, the old rule name, a one-line explanation, the fix or the exemption.
  static const std::vector<CheckRule> rules = {
      {"MG101", "revisions", "parse", "a revision file does not parse",
       "fix the file at the line named; mig runs no file it cannot read"},
      {"MG102", "revisions", "graph",
       "the revision graph is broken: a duplicate id, an unknown parent or a cycle",
       "give each revision its own id and name parents that exist"},
      {"MG103", "revisions", "heads", "more heads than check.max_heads allows",
       "join them with mig merge, or raise [check] max_heads"},
      {"MG104", "revisions", "downgrade", "a schema revision has no downgrade section",
       "add -- mig:downgrade, or declare -- mig:irreversible"},
      {"MG105", "revisions", "nolint", "-- mig:nolint names no rule mig has",
       "name a code from mig check's list (README, mig check)"},
      {"DS101", "destructive", "destructive", "a schema or database is dropped",
       "if intended: -- mig:nolint DS101 before the statement, or -- mig:allow destructive"},
      {"DS102", "destructive", "destructive",
       "a table is dropped that this revision did not create",
       "if intended: -- mig:nolint DS102 before the statement, or -- mig:allow destructive"},
      {"DS103", "destructive", "destructive", "a column is dropped",
       "if intended: -- mig:nolint DS103 before the statement, or -- mig:allow destructive"},
      {"DS104", "destructive", "destructive",
       "every row of a table is deleted (TRUNCATE, DELETE without WHERE)",
       "add a WHERE, or if intended: -- mig:nolint DS104 before the statement"},
      {"DS105", "destructive", "destructive",
       "every row of a table is rewritten (UPDATE without WHERE)",
       "add a WHERE, or if intended: -- mig:nolint DS105 before the statement"},
      {"DS106", "destructive", "destructive",
       "a column's type is changed (ALTER ... TYPE, MODIFY, CHANGE), which may narrow it",
       "add a new column and copy, or if intended: -- mig:nolint DS106 before the statement"},
      {"DB101", "database", "edited", "an applied revision's file changed since it was applied",
       "undo the edit and write a new revision, or accept it with mig rehash"},
      {"DB102", "database", "missing", "an applied revision has no file",
       "restore the file, or mig stamp the database to a revision that has one"},
      {"DB103", "database", "drift", "the schema changed outside mig since its last run",
       "write a revision that makes the change, or undo it in the database"},
      {"DB104", "database", "database", "the database could not be checked",
       "see the message: the URL, the server or the user's rights"},
  };
  return rules;
}

const CheckRule* find_check_rule(const std::string& code) {
  for (const auto& r : check_rules())
    if (r.code == code) return &r;
  return nullptr;
}

bool is_check_group(const std::string& name) {
  const auto& rules = check_rules();
  return std::any_of(rules.begin(), rules.end(),
                     [&](const CheckRule& r) { return r.group == name; });
}

bool is_check_level(const std::string& value) {
  return value == "error" || value == "warning" || value == "off";
}

Finding make_finding(const std::string& code, const std::string& path, int line,
                     const std::string& revision, const std::string& message) {
  const CheckRule* rule = find_check_rule(code);
  Finding f;
  f.rule = rule ? rule->name : code;
  f.code = code;
  f.path = path;
  f.line = line;
  f.revision = revision;
  f.message = message;
  f.hint = rule ? rule->hint : "";
  return f;
}

}  // namespace mig
