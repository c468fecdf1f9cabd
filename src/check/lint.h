#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/backend_module.h"
#include "db/schema.h"
#include "graph/revision_graph.h"
#include "mig/results.h"

namespace mig {

// One problem `mig check` reports: Finding, in mig/results.h.

struct LintOptions {
  int max_heads = 1;
  // The revisions the per-revision rules run on (by graph index); empty:
  // every one.
  std::vector<bool> selected{};
  // The project's database: PostgreSQL's statements are read by its own
  // parser (and the locking and design rules run on them); SQLite's and
  // MySQL's by their tokens.
  Dialect dialect = Dialect::SQLite;
  PostgresqlParser parser = nullptr;  // needed for PostgreSQL
  // With a database (PostgreSQL): runs a query there and gives its rows, or
  // nullopt when it cannot (a table that is not there yet). The
  // data-dependent findings of the revisions `pending` marks are checked
  // against the rows: kept and confirmed with the count of rows they fail
  // on, or dropped when there are none; dropped tables and columns say
  // what they hold.
  std::function<std::optional<std::vector<std::vector<std::string>>>(const std::string& sql)>
      query{};
  std::vector<bool> pending{};
  // With a MySQL database: its server's parser's verdict on SQL, prepared
  // and never run: true when it is a syntax error (DE110 asks it whether a
  // name is a reserved word). Unset: such names are not looked at.
  std::function<bool(const std::string& sql)> syntax_error{};
  // What replaying the revisions on a scratch database showed, by graph
  // index: the objects (tables, triggers) a selected revision changed, as
  // they were before it and as they are after it (an object only in one:
  // made or dropped). Its rules compare the two.
  struct Replayed {
    Schema before;
    Schema after;
  };
  std::map<int, Replayed> replayed{};
  // [check.rules]: no rows are counted for a rule that is off.
  std::map<std::string, std::string> levels{};
  // [check.naming]: object kind → the pattern new names must match in full.
  std::map<std::string, std::string> naming{};
};

// What makes a statement destructive ("DROP TABLE", "DELETE without WHERE",
// …), or empty. Reads the statement's words outside quotes and comments.
std::string destructive_kind(const Statement& statement);

// The static checks: head count, a downgrade for every schema revision (or
// `-- mig:irreversible`), no destructive upgrade statement without
// `-- mig:allow destructive`, and on PostgreSQL the syntax, data-dependent,
// backward-incompatible, locking and design rules (see check/rules.cpp).
std::vector<Finding> lint(const RevisionGraph& graph, const LintOptions& options);

}  // namespace mig
