// Google Benchmark micro-benchmarks: the statement splitter's throughput on
// a large SQL file, parsing revision files, and building/planning the graph.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "graph/revision_graph.h"
#include "graph/targets.h"
#include "script/revision_file.h"
#include "script/sql_splitter.h"

namespace {

// Strings, comments, dollar quotes and a trigger: what real files hold.
std::string large_sql(size_t target_bytes) {
  std::string chunk =
      "-- a comment line; with a semicolon\n"
      "CREATE TABLE account (id BIGINT PRIMARY KEY, name TEXT NOT NULL DEFAULT 'it''s');\n"
      "/* block comment ; */ INSERT INTO account VALUES (1, 'a;b'), (2, E'c\\'d');\n"
      "CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN RETURN NEW; END; $body$ LANGUAGE "
      "plpgsql;\n"
      "UPDATE account SET name = \"quoted\" WHERE id IN (SELECT id FROM account LIMIT 10);\n";
  std::string out;
  while (out.size() < target_bytes) out += chunk;
  return out;
}

void BM_SplitStatements(benchmark::State& state) {
  std::string sql = large_sql(4 << 20);
  for (auto _ : state)
    benchmark::DoNotOptimize(mig::split_statements(sql, mig::Dialect::PostgreSQL, "big.sql"));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * sql.size());
}
BENCHMARK(BM_SplitStatements)->Unit(benchmark::kMillisecond);

void BM_ParseRevisionFile(benchmark::State& state) {
  std::string text =
      "-- mig:revision r000123\n-- mig:parent r000122\n-- mig:message step 123\n"
      "-- mig:created 2026-11-24T00:00:00Z\n\n-- mig:upgrade\n"
      "CREATE TABLE t000123 (id INTEGER PRIMARY KEY, v VARCHAR(20));\n"
      "INSERT INTO t000123 (id, v) VALUES (1, 'x');\n\n-- mig:downgrade\nDROP TABLE t000123;\n";
  for (auto _ : state)
    benchmark::DoNotOptimize(mig::parse_revision(text, "r.sql", mig::Dialect::SQLite));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseRevisionFile);

void BM_GraphBuildAndPlan(benchmark::State& state) {
  std::vector<mig::Revision> revs(state.range(0));
  for (size_t i = 0; i < revs.size(); ++i) {
    revs[i].id = "r" + std::to_string(1000000 + i);
    if (i) revs[i].parents = {revs[i - 1].id};
    revs[i].path = revs[i].id + ".sql";
  }
  for (auto _ : state) {
    mig::RevisionGraph graph(revs);
    mig::AppliedSet none(graph.size(), false);
    benchmark::DoNotOptimize(mig::plan_upgrade(graph, none, "head"));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_GraphBuildAndPlan)->Arg(1000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
