#include "cli/context.h"

#include <chrono>
#include <cstdlib>
#include <future>
#include <thread>

#include "script/script_directory.h"

namespace mig {

void load_context(Context& ctx) {
  Verbosity v = ctx.global.quiet     ? Verbosity::Quiet
                : ctx.global.verbose ? Verbosity::Verbose
                                     : Verbosity::Normal;
  ctx.out = std::make_unique<Output>(v, ctx.global.json, ctx.redactor);
  Overrides o;
  o.config_path = ctx.global.config;
  o.config_given = ctx.global.config_given;
  o.url = ctx.global.url;
  o.url_given = ctx.global.url_given;
  o.env = ctx.global.env;
  // Every URL mig was given holds a secret, also one a higher-precedence
  // URL overrides: a message may still quote it.
  const char* given[] = {std::getenv("DATABASE_URL"), o.url.c_str()};
  for (const char* url : given) {
    if (!url || !*url) continue;
    try {
      ctx.redactor->add_url(parse_url(url, "URL"));
    } catch (const UsageError&) {
    }
  }
  ctx.settings = load_settings(o, [](const char* name) { return std::getenv(name); });
  ctx.redactor->add_url(ctx.settings.url);
  for (const auto& warning : ctx.settings.warnings) ctx.out->warn(warning);
  if (ctx.global.wait < 0) throw UsageError("--wait: SECONDS must not be negative");
  ctx.settings.wait_seconds = ctx.global.wait;
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

RevisionGraph load_graph(const Settings& settings, RevisionText text) {
  SqlDialect dialect = dialect_of(settings.url.backend);
  if (text == RevisionText::Full)
    return RevisionGraph(load_revisions(settings.migrations_dir, dialect, text));
  ParseCache cache(ParseCache::default_path(settings.migrations_dir, dialect), dialect);
  return RevisionGraph(load_revisions(settings.migrations_dir, dialect, text, &cache));
}

std::unique_ptr<Database> connect(const Settings& settings,
                                  const std::shared_ptr<const Redactor>& redactor, Output* out) {
  ConnectOptions options;
  options.lock_timeout = settings.lock_timeout;
  options.schema = settings.schema;
  options.lock_name = settings.table_prefix;
  options.redactor = redactor;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(settings.wait_seconds);
  bool told = false;
  for (;;) {
    try {
      return Database::open(settings.url, options);
    } catch (const ConnectError& e) {
      if (!e.waitable() || std::chrono::steady_clock::now() >= deadline) throw;
      if (out && !told)
        out->notice("waiting up to " + std::to_string(settings.wait_seconds) + " s for " +
                    settings.url.describe() + " to accept connections");
      told = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
}

DatabaseState map_state(std::vector<AppliedRevision> applied, const RevisionGraph& graph) {
  DatabaseState state;
  state.applied.assign(graph.size(), false);
  state.rows = std::move(applied);
  for (const auto& row : state.rows) {
    int i = graph.find(row.id);
    if (i < 0)
      state.unknown.push_back(row.id);
    else
      state.applied[i] = true;
  }
  return state;
}

DatabaseState read_state(VersionStore& store, const RevisionGraph& graph) {
  return map_state(store.applied(), graph);
}

namespace {

// What read_state_if_exists reads, before it is mapped onto a graph.
std::vector<AppliedRevision> read_applied_if_exists(const Settings& settings,
                                                    const std::shared_ptr<const Redactor>& redactor,
                                                    Output* out) {
  if (!Database::exists(settings.url)) return {};
  std::unique_ptr<Database> db;
  try {
    db = connect(settings, redactor);
  } catch (const OperationError& e) {
    if (!out) throw;
    out->warn(std::string(e.what()) + "; showing the revision files only");
    return {};
  }
  VersionStore store(*db, settings.table_prefix);
  return store.applied();
}

}  // namespace

DatabaseState read_state_if_exists(const Settings& settings,
                                   const std::shared_ptr<const Redactor>& redactor,
                                   const RevisionGraph& graph, Output* out) {
  return map_state(read_applied_if_exists(settings, redactor, out), graph);
}

GraphAndState load_graph_and_state(const Settings& settings,
                                   const std::shared_ptr<const Redactor>& redactor, Output* out) {
  auto applied = std::async(std::launch::async, [&settings, &redactor, out] {
    return read_applied_if_exists(settings, redactor, out);
  });
  RevisionGraph graph = load_graph(settings, RevisionText::Summary);
  DatabaseState state = map_state(applied.get(), graph);
  return {std::move(graph), std::move(state)};
}

}  // namespace mig
