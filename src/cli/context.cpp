#include "cli/context.h"

#include <cstdlib>

#include "script/script_directory.h"

namespace mig {

void load_context(Context& ctx) {
  Verbosity v = ctx.global.quiet     ? Verbosity::Quiet
                : ctx.global.verbose ? Verbosity::Verbose
                                     : Verbosity::Normal;
  ctx.out = std::make_unique<Output>(v, ctx.global.json);
  Overrides o;
  o.config_path = ctx.global.config;
  o.config_given = ctx.global.config_given;
  o.url = ctx.global.url;
  o.env = ctx.global.env;
  ctx.settings = load_settings(o, [](const char* name) { return std::getenv(name); });
}

SqlDialect dialect_of(Backend backend) {
  switch (backend) {
    case Backend::PostgreSQL:
      return SqlDialect::PostgreSQL;
    case Backend::MySQL:
      return SqlDialect::MySQL;
    case Backend::SQLite:
      break;
  }
  return SqlDialect::SQLite;
}

RevisionGraph load_graph(const Settings& settings) {
  return RevisionGraph(load_revisions(settings.migrations_dir, dialect_of(settings.url.backend)));
}

std::unique_ptr<Database> connect(const Settings& settings) {
  return Database::open(settings.url, settings.lock_timeout);
}

DatabaseState read_state(VersionStore& store, const RevisionGraph& graph) {
  DatabaseState state;
  state.applied.assign(graph.size(), false);
  state.rows = store.applied();
  for (const auto& row : state.rows) {
    int i = graph.find(row.id);
    if (i < 0)
      state.unknown.push_back(row.id);
    else
      state.applied[i] = true;
  }
  return state;
}

DatabaseState read_state_if_exists(const Settings& settings, const RevisionGraph& graph) {
  if (!Database::exists(settings.url)) {
    DatabaseState empty;
    empty.applied.assign(graph.size(), false);
    return empty;
  }
  auto db = connect(settings);
  VersionStore store(*db, settings.table_prefix);
  return read_state(store, graph);
}

}  // namespace mig
