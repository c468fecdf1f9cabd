#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/output.h"
#include "config/settings.h"
#include "db/database.h"
#include "graph/revision_graph.h"
#include "graph/targets.h"
#include "engine/version_store.h"
#include "script/script_directory.h"

namespace mig {

struct GlobalOptions {
  std::string config = "mig.toml";
  bool config_given = false;
  std::string url;
  bool url_given = false;
  std::string env;
  bool verbose = false;
  bool quiet = false;
  bool json = false;
  int wait = 0;
};

// What every command starts from: the options, where output goes, and the
// merged settings.
struct Context {
  GlobalOptions global;
  Settings settings;
  // Knows every password mig was given; Output and connections share it.
  std::shared_ptr<Redactor> redactor = std::make_shared<Redactor>();
  std::unique_ptr<Output> out;
};

// Reads settings; call once before running a command.
void load_context(Context& ctx);

SqlDialect dialect_of(Backend backend);

// Parses every revision file and builds the graph (nothing touches the
// database before this has succeeded).
RevisionGraph load_graph(const Settings& settings, RevisionText text = RevisionText::Full);

// Connects, retrying for up to settings.wait_seconds (--wait) while the
// server is not accepting connections yet.
// `redactor` masks passwords in the connection's errors.
std::unique_ptr<Database> connect(const Settings& settings,
                                  const std::shared_ptr<const Redactor>& redactor,
                                  Output* out = nullptr);

// What the database says is applied, mapped onto the graph.
struct DatabaseState {
  AppliedSet applied;
  std::vector<AppliedRevision> rows;
  std::vector<std::string> unknown;  // applied, but no file defines them
};

DatabaseState read_state(VersionStore& store, const RevisionGraph& graph);
// The rows in `applied` mapped onto the graph.
DatabaseState map_state(std::vector<AppliedRevision> applied, const RevisionGraph& graph);

// For read-only commands: the state, or an empty one when the SQLite file
// does not exist yet (it is not created).
// `out` given: an unreachable server is a warning and an empty state
// (history and heads still show the files).
DatabaseState read_state_if_exists(const Settings& settings,
                                   const std::shared_ptr<const Redactor>& redactor,
                                   const RevisionGraph& graph, Output* out = nullptr);

// For commands that only read: the graph (without SQL text) and the state
// as read_state_if_exists gives it. The database is read on a second thread
// while the files are parsed: neither needs the other until both are done,
// and each took about half of `mig current` at 1,000 revisions. A malformed
// file is still the error reported, whatever the database said.
struct GraphAndState {
  RevisionGraph graph;
  DatabaseState state;
};
GraphAndState load_graph_and_state(const Settings& settings,
                                   const std::shared_ptr<const Redactor>& redactor,
                                   Output* out = nullptr);

}  // namespace mig
