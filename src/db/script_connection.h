#pragma once

#include <string>

#include "db/database.h"

namespace mig {

// A connection that runs nothing: what mig would send is written into a
// script for the database's own client (`--sql`). It quotes and names
// tables as the database would, so mig's bookkeeping statements come from
// the same place for a live run and for a script (VersionStore); it cannot
// answer queries (offline()), so what needs one is written to be worked out
// by the database when the script runs.
class ScriptConnection : public Database {
 public:
  ScriptConnection(Dialect dialect, std::string schema);

  Dialect dialect() const override { return dialect_; }
  std::string schema() const override { return schema_; }
  bool transactional_ddl() const override;
  bool offline() const override { return true; }
  std::string qualified(const std::string& name) const override;
  std::string quote(const std::string& text) override;
  std::string end_of_revision_sql() const override;

  // Appended to the script (with what the client needs around it).
  long long execute(const std::string& sql) override;
  const std::string& text() const { return text_; }

  // A script has no tables to look at, no lock and no transactions of
  // mig's own: these throw std::logic_error.
  bool table_exists(const std::string& name) override;
  void acquire_lock(const WaitNotice& notice) override;
  void release_lock() override;
  void begin_step() override;
  bool rollback_step() override;
  void suspend_transaction() override;
  void resume_transaction() override;

 private:
  Dialect dialect_;
  std::string schema_;
  std::string text_;
};

// A string literal in the dialect ('' doubled; backslashes doubled where the
// dialect takes backslash escapes).
std::string sql_literal(Dialect dialect, const std::string& value);

}  // namespace mig
