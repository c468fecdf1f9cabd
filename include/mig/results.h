#pragma once

#include <string>
#include <vector>

namespace mig {

// One revision as the operations describe it.
struct RevisionInfo {
  std::string id;
  std::vector<std::string> parents;
  std::vector<std::string> depends;
  std::string message;
  std::string kind;  // schema, data
  std::string path;
  std::string created;
  std::string branch;  // `-- mig:branch NAME`, or empty
  bool head = false;
  bool current = false;
  bool applied = false;
  bool merge = false;        // two or more parents
  bool branchpoint = false;  // two or more children
};

// One revision's upgrade or downgrade, as it ran (or would run).
struct StepResult {
  std::string revision;
  std::string message;
  std::string path;
  std::string action;  // upgrade, downgrade
  double ms = 0;
  bool skipped = false;  // a data revision under schema_only
};

// One seed file, as it ran (or would run).
struct SeedResult {
  std::string name;
  std::string state;  // new, changed, applied, other environment
  bool ran = false;   // (dry run: would run)
  double ms = 0;
  std::vector<std::string> environments;  // `-- mig:env`: the only ones it runs in
};

struct SeedRunResult {
  std::vector<SeedResult> seeds;
  int ran = 0;
  int unchanged = 0;
  bool dry_run = false;
};

// What upgrade and downgrade did (or, dry_run, would do).
struct MigrateResult {
  std::string action;  // upgrade, downgrade
  bool dry_run = false;
  bool no_revisions = false;  // a project without revision files: nothing to do
  std::vector<StepResult> steps;
  std::vector<std::string> before;  // current revisions before (empty: base)
  std::vector<std::string> after;   // and after
  double ms = 0;
  bool seeded = false;  // seeds ran too (UpgradeOptions::seed)
  SeedRunResult seeds;
};

struct CurrentResult {
  std::vector<RevisionInfo> current;  // empty: base
  std::vector<std::string> unknown;   // applied, but no file defines them
};

// Revisions from the heads down to base (the order `history` prints).
struct HistoryResult {
  std::vector<RevisionInfo> revisions;
};

struct StatementInfo {
  int line = 0;
  std::string sql;
};

struct RevisionDetail {
  RevisionInfo info;
  std::string checksum;
  std::string transaction;  // on, off, or which section runs outside one
  bool transactional = true;
  bool has_downgrade = false;
  std::vector<StatementInfo> upgrade;
  std::vector<StatementInfo> downgrade;
};

struct EditedRevision {
  std::string id;
  std::string path;
  std::string recorded_checksum;
  std::string file_checksum;
};

struct FailedStep {
  std::string revision;
  std::string action;
  std::string at;
  long long statement = 0;
  std::string error;
};

struct HalfApplied {
  std::string revision;
  std::string direction;
  std::string state;  // ready, running, failed
  long long statement = 0;
  long long statements = 0;
  std::string error;
  std::string description;  // one line for people
  std::string sql;          // the statement it stopped at, when the file has it
};

struct PendingRevision {
  std::string id;
  std::string message;
  std::string kind;
  bool skipped = false;  // a data revision skipped by --schema-only
};

struct SeedStatus {
  std::string name;
  std::string state;  // new, changed, applied, other environment
};

struct StatusResult {
  std::string database;  // the URL, password masked
  bool exists = true;    // false: the SQLite file is not there yet
  std::string environment;
  std::vector<std::string> current;
  std::vector<std::string> heads;
  std::vector<PendingRevision> pending;
  std::vector<EditedRevision> edited;
  std::vector<std::string> missing;  // applied, but no file defines them
  std::vector<FailedStep> failed;
  std::vector<HalfApplied> half_applied;
  std::vector<SeedStatus> seeds;
  std::string drift;  // a diff of the schema changed outside mig, or empty
  // Nothing pending, half applied, edited, missing or drifted.
  bool up_to_date() const {
    return pending.empty() && half_applied.empty() && edited.empty() && missing.empty() &&
           drift.empty();
  }
};

struct StampResult {
  struct Change {
    std::string revision;
    std::string message;
    bool applied = false;  // recorded as applied (else as not applied)
  };
  std::vector<Change> changes;  // in graph order
  std::vector<std::string> after;
};

// One rule of `check` (README lists them all; mig::check_rules() in
// project.h gives this list).
struct CheckRule {
  std::string code;             // stable: MG104, DS102, DB103, …
  std::string group;            // revisions, destructive, data-dependent, backward-incompatible,
                                // locking, design, database
  std::string name;             // the older name: parse, graph, heads, downgrade, destructive, …
  std::string summary;          // what it means, one line
  std::string hint;             // how to fix it or exempt the statement
  std::string level = "error";  // without [check.rules]: "error" or "warning"
};

// One problem `check` found.
struct Finding {
  std::string rule;  // the older name: parse, graph, heads, downgrade, destructive, edited,
                     // missing, drift, database, nolint
  std::string path;  // file, when there is one
  int line = 0;
  std::string revision;
  std::string message;
  std::string code;                // the rule's stable code (CheckRule)
  std::string severity = "error";  // error or warning ([check.rules] in mig.toml)
  std::string hint;                // how to fix it or exempt it
  // (check with a database) the rows there make this change fail: an error
  // at any level but "off"
  bool confirmed = false;
};

struct CheckResult {
  std::vector<Finding> findings;  // the rules turned off are left out
  size_t revisions = 0;
  size_t selected = 0;  // revisions the per-revision rules ran on (CheckOptions)
  bool database_checked = false;
  size_t errors() const {
    size_t n = 0;
    for (const auto& f : findings) n += f.severity == "error";
    return n;
  }
  bool ok() const { return errors() == 0; }  // warnings do not fail a check
};

// One object of a live schema in mig's normalised form.
struct SchemaObjectInfo {
  std::string kind;  // table, view, trigger
  std::string name;
  std::vector<std::string> details;
};

struct DiffResult {
  bool differs = false;                         // the revisions do not reach the desired schema
  std::vector<std::string> upgrade, downgrade;  // the statements between them
  // It runs outside a transaction: a SQLite table is rebuilt (`rebuilds`)
  // or a PostgreSQL enum gains a value.
  bool outside_transaction = false;
  bool rebuilds = false;
  // Changes that lose data (dropped tables and columns, changed types):
  // the revision is written without `-- mig:allow destructive`, so
  // `mig check` fails until someone has reviewed it.
  std::vector<std::string> destructive;
  // What the schemas hold that mig diff cannot express ("domain price"),
  // left out of the comparison; only with DiffOptions::incomplete.
  std::vector<std::string> unsupported;
  std::string path;  // the revision written; empty with check or no difference
};

struct BaselineResult {
  std::string path;       // the revision written
  std::string revision;   // its id, stamped as applied on the database
  size_t statements = 0;  // in its upgrade
};

struct SchemaResult {
  std::vector<SchemaObjectInfo> objects;
  std::string text;  // the same, as `mig schema` prints it
};

struct VerifiedRevision {
  std::string revision;
  std::string message;
  std::string path;
  std::string kind;
  std::string outcome;  // ok, skipped (irreversible), failed
  std::string problem;  // failed: what did not hold
  std::string diff;     // failed: expected against found
};

struct VerifyResult {
  std::string database;  // the scratch database, described
  std::vector<VerifiedRevision> revisions;
  int verified = 0;
  int skipped = 0;
  int failed = 0;
  double ms = 0;
  bool ok() const { return failed == 0; }
};

// What `Project::init` found and made, in the order it went.
struct InitEntry {
  std::string path;
  std::string kind;      // directory, config (mig.toml), template
  bool created = false;  // false: it was there already and is kept as it was
};

struct InitResult {
  std::vector<InitEntry> entries;
};

struct RehashResult {
  std::string revision;
  std::string path;
  bool changed = false;  // false: the file was unchanged
  std::string old_checksum;
  std::string new_checksum;
};

struct ResolveResult {
  std::string revision;
  bool applied = false;  // how it is recorded now
};

}  // namespace mig
