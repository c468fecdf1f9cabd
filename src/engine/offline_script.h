#pragma once

#include <string>

#include "config/url.h"
#include "graph/revision_graph.h"
#include "graph/targets.h"

namespace mig {

struct ScriptOptions {
  Dialect dialect = Dialect::SQLite;
  std::string prefix = "mig_";  // bookkeeping table prefix
  std::string schema;           // PostgreSQL bookkeeping schema
  std::string generated_at;     // written into the bookkeeping rows
  std::string description;      // e.g. "upgrade base:head"
};

// The SQL a DBA can run by hand with the database's own client to do what
// `mig` would do for this plan: each revision's statements plus its
// bookkeeping rows, in a transaction where the dialect has transactional DDL.
std::string render_script(const RevisionGraph& graph, const Plan& plan, const ScriptOptions& o);

// (String literals: sql_literal, in db/script_connection.h.)

}  // namespace mig
