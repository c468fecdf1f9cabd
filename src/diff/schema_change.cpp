// What every database's mig diff shares.
#include "diff/schema_change.h"

#include "errors.h"

namespace mig {

std::pair<std::string, std::string> rename_statements(
    const std::string& spec, const std::function<std::string(const std::string&)>& quote,
    const std::function<bool(const std::string&)>& has_table,
    const std::function<bool(const std::string&, const std::string&)>& has_column) {
  auto refused = [&](const std::string& why) {
    return OptionError("{renames}: '" + OptionError::literal(spec) + "' " + why);
  };
  size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    throw refused("is neither OLD=NEW (a table) nor TABLE.OLD=NEW (a column)");
  std::string left = spec.substr(0, eq), right = spec.substr(eq + 1);
  size_t dot = left.find('.');
  std::string table = left.substr(0, dot);
  if (!has_table(table))
    throw refused("names a table the revisions do not make: " + OptionError::literal(table));
  if (dot == std::string::npos)
    return {"ALTER TABLE " + quote(table) + " RENAME TO " + quote(right),
            "ALTER TABLE " + quote(right) + " RENAME TO " + quote(table)};
  std::string column = left.substr(dot + 1);
  if (size_t rdot = right.find('.'); rdot != std::string::npos) {
    if (right.substr(0, rdot) != table) throw refused("moves a column to another table");
    right = right.substr(rdot + 1);
  }
  if (!has_column(table, column))
    throw refused("names a column " + OptionError::literal(table) + " does not have");
  std::string t = "ALTER TABLE " + quote(table) + " RENAME COLUMN ";
  return {t + quote(column) + " TO " + quote(right), t + quote(right) + " TO " + quote(column)};
}

}  // namespace mig
