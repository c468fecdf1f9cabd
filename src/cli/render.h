#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "cli/output.h"
#include "mig/results.h"
#include "mig/settings.h"

namespace mig {

// Each result, as text and as JSON, from one place. The JSON is what
// `--json` has always printed; the text is what a person reads.

void render_current(Output& out, const Settings& settings, const CurrentResult& result);
void render_heads(Output& out, const std::vector<RevisionInfo>& heads);
// format: text, graph (lanes) or dot.
void render_history(Output& out, const HistoryResult& result, const std::string& format);
void render_show(Output& out, const RevisionDetail& detail);
void render_status(Output& out, const Settings& settings, const StatusResult& status);
// What `status --json` prints.
nlohmann::json status_json(const StatusResult& status);
// format: text (file:line: CODE message (hint)), json, github (workflow
// commands: annotations on the files) or sarif (SARIF 2.1.0).
void render_check(Output& out, const CheckResult& result, const std::string& format = "text");
// One finding as check's text prints it, and as its JSON.
std::string finding_text(const Finding& f);
nlohmann::json finding_json(const Finding& f);
void render_schema(Output& out, const SchemaResult& result);
void render_verify(Output& out, const VerifyResult& result);
void render_baseline(Output& out, const Settings& settings, const BaselineResult& result);
// `to`: the desired schema; `check`: nothing was to be written.
// `sql`: the statements alone, as a script.
void render_diff(Output& out, const std::string& to, bool check, bool sql,
                 const DiffResult& result);
// What upgrade and downgrade print once done (progress went by as it ran).
void render_migrate(Output& out, const Settings& settings, const MigrateResult& result);
void render_seeds(Output& out, const SeedRunResult& result);
void render_stamp(Output& out, const StampResult& result);

// One line of verify's report (written as each revision is done).
std::string verified_line(const VerifiedRevision& v);

}  // namespace mig
