#include "db/script_connection.h"

#include <stdexcept>

#include "db/dialect_traits.h"

namespace mig {
namespace {

[[noreturn]] void not_in_a_script(const char* what) {
  throw std::logic_error(std::string(what) + " has no meaning in a script");
}

}  // namespace

std::string sql_literal(Dialect dialect, const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out += '\'';
    if (c == '\\' && traits(dialect).literal_backslash) out += '\\';
    out += c;
  }
  return out + "'";
}

ScriptConnection::ScriptConnection(Dialect dialect, std::string schema)
    : dialect_(dialect), schema_(std::move(schema)) {}

bool ScriptConnection::transactional_ddl() const { return traits(dialect_).transactional_ddl; }

std::string ScriptConnection::qualified(const std::string& name) const {
  return qualified_prefix(dialect_, schema_, name);
}

std::string ScriptConnection::quote(const std::string& text) { return sql_literal(dialect_, text); }

std::string ScriptConnection::end_of_revision_sql() const { return session_reset_sql(dialect_); }

long long ScriptConnection::execute(const std::string& sql) {
  // The mysql client splits on ';' itself, so a statement holding one (a
  // procedure or trigger body) needs a DELIMITER around it.
  if (!traits(dialect_).client_splits_on_semicolons || sql.find(';') == std::string::npos) {
    text_ += sql + ";\n";
    return 0;
  }
  std::string delimiter = "$$";
  for (const char* d : {"$$", "//", ";;", "$mig$"}) {
    if (sql.find(d) == std::string::npos) {
      delimiter = d;
      break;
    }
  }
  text_ += "DELIMITER " + delimiter + "\n" + sql + delimiter + "\nDELIMITER ;\n";
  return 0;
}

bool ScriptConnection::table_exists(const std::string&) { not_in_a_script("table_exists"); }
void ScriptConnection::acquire_lock(const WaitNotice&) { not_in_a_script("the run lock"); }
void ScriptConnection::release_lock() { not_in_a_script("the run lock"); }
void ScriptConnection::begin_step() {
  text_ += std::string(traits(dialect_).begin_transaction) + ";\n";
}
bool ScriptConnection::rollback_step() { not_in_a_script("rollback"); }
void ScriptConnection::suspend_transaction() { not_in_a_script("suspend_transaction"); }
void ScriptConnection::resume_transaction() { not_in_a_script("resume_transaction"); }

}  // namespace mig
