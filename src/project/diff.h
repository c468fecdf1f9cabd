#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "db/database.h"
#include "graph/revision_graph.h"
#include "mig/errors.h"
#include "mig/project.h"

namespace mig {

// Project::set_interrupt's flag, looked at between statements.
struct Interrupt {
  const std::atomic<bool>* flag = nullptr;
  void check() const {
    if (flag && flag->load())
      throw InterruptedError(
          "interrupted: nothing is written; the scratch database is dropped (or emptied, when it "
          "is one of your own)");
  }
};

// Whether SQL would take a connection to another database (USE, CREATE /
// DROP / ALTER DATABASE; MySQL: SCHEMA too): what a scratch database never
// runs.
bool statement_leaves_database(const std::string& sql, Dialect dialect);

// The database a scratch connection is in (PostgreSQL, MySQL; empty on
// SQLite), and everything in it dropped: on a server, what the connected
// user owns in its schemas (PostgreSQL) or its tables, views, routines and
// events (MySQL), refused when the connection is no longer in `name`; on
// SQLite every table and view of the file.
std::string scratch_database_name(Database& db);
void empty_scratch_database(Database& db, const std::string& name);

// mig diff: the desired schema loaded into a scratch database and read,
// the database emptied and `graph` replayed there, the statements between
// the two planned both ways and proved on it, then `write` asked to save
// the revision (unless options.check or options.sql). Throws
// OperationError when the proof fails, naming what differs; nothing is
// written then.
DiffResult diff_to_schema(const Settings& settings, const RevisionGraph& graph,
                          const DiffOptions& options, const Interrupt& interrupt,
                          const std::function<std::string(const RevisionRequest&)>& write);

// mig baseline: a revision whose upgrade makes `live`'s schema and
// whose downgrade removes it, proven on a scratch database (on `dev_url`'s
// server for PostgreSQL and MySQL), saved by `write`.
std::string baseline_revision(const Settings& settings, Database& live, const std::string& message,
                              const std::string& dev_url, const Interrupt& interrupt,
                              const std::function<std::string(const RevisionRequest&)>& write);

}  // namespace mig
