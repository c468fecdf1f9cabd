#include "cli/render.h"

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "base/strings.h"
#include "cli/dot.h"
#include "cli/lanes.h"
#include "cli/version.h"
#include "mig/project.h"

using nlohmann::json;

namespace mig {
namespace {

json revision_json(const RevisionInfo& r) {
  return json{{"id", r.id},           {"parents", r.parents}, {"depends", r.depends},
              {"message", r.message}, {"kind", r.kind},       {"path", r.path},
              {"head", r.head},       {"current", r.current}, {"applied", r.applied}};
}

json revisions_json(const std::vector<RevisionInfo>& revisions) {
  json list = json::array();
  for (const auto& r : revisions) list.push_back(revision_json(r));
  return list;
}

// The marks `history` puts after an id.
std::string markers(const RevisionInfo& r) {
  std::string m;
  if (!r.branch.empty()) m += " (branch " + r.branch + ")";
  if (r.head) m += " (head)";
  if (r.current) m += " (current)";
  if (r.merge) m += " (merge)";
  if (r.branchpoint) m += " (branchpoint)";
  if (r.kind == "data") m += " (data)";
  if (!r.depends.empty()) m += " (depends " + join(r.depends, ", ") + ")";
  return m;
}

std::string current_text(const std::vector<std::string>& current) {
  return current.empty() ? "base" : join(current, ", ");
}

void status_lists(Output& o, const Settings& settings, const StatusResult& s) {
  if (!s.edited.empty()) {
    o.data("edited since applied:");
    for (const auto& x : s.edited)
      o.data("  " + x.id + "  " + x.path + "  recorded " + x.recorded_checksum.substr(0, 12) +
             ", file now " + x.file_checksum.substr(0, 12));
  }
  if (!s.missing.empty()) {
    o.data("applied but missing from " + settings.migrations_dir + ":");
    for (const auto& id : s.missing) o.data("  " + id);
  }
  if (!s.seeds.empty()) {
    o.data("seeds:");
    for (const auto& seed : s.seeds)
      o.data("  " + seed.name + "  " +
             (seed.state == "changed" ? std::string("changed since applied") : seed.state));
  }
  if (!s.drift.empty()) {
    o.data("drift: the schema changed outside mig since its last run (- recorded, + live):");
    o.data(s.drift.substr(0, s.drift.size() - 1));
  }
  if (!s.half_applied.empty()) {
    o.data("half applied (resolve before going on):");
    for (const auto& x : s.half_applied) {
      o.data("  " + x.description);
      if (!x.sql.empty()) o.data("    statement: " + x.sql);
    }
  }
  if (!s.failed.empty()) {
    o.data("failed:");
    for (const auto& x : s.failed)
      o.data("  " + x.revision + "  " + x.action + " failed at " + x.at +
             (x.statement ? ", statement " + std::to_string(x.statement) : "") + ": " + x.error);
  }
}

}  // namespace

json status_json(const StatusResult& s) {
  json j;
  j["database"] = s.database;
  j["current"] = s.current;
  j["heads"] = s.heads;
  json p = json::array();
  for (const auto& x : s.pending)
    p.push_back(json{{"id", x.id}, {"message", x.message}, {"kind", x.kind}});
  j["pending"] = p;
  json e = json::array();
  for (const auto& x : s.edited)
    e.push_back(json{{"id", x.id},
                     {"recorded_checksum", x.recorded_checksum},
                     {"file_checksum", x.file_checksum},
                     {"path", x.path}});
  j["edited"] = e;
  j["missing_files"] = s.missing;
  json f = json::array();
  for (const auto& x : s.failed)
    f.push_back(json{{"id", x.revision},
                     {"action", x.action},
                     {"at", x.at},
                     {"statement", x.statement},
                     {"error", x.error}});
  j["failed"] = f;
  json h = json::array();
  for (const auto& x : s.half_applied)
    h.push_back(json{{"id", x.revision},
                     {"direction", x.direction},
                     {"state", x.state},
                     {"statement", x.statement},
                     {"statements", x.statements},
                     {"error", x.error},
                     {"description", x.description}});
  j["half_applied"] = h;
  json sj = json::array();
  for (const auto& x : s.seeds) sj.push_back(json{{"name", x.name}, {"state", x.state}});
  j["seeds"] = sj;
  j["drift"] = json{{"detected", !s.drift.empty()}, {"diff", s.drift}};
  return j;
}

void render_current(Output& out, const Settings& settings, const CurrentResult& r) {
  if (out.json()) {
    out.data(json{{"database", settings.url.redacted()},
                  {"current", revisions_json(r.current)},
                  {"unknown", r.unknown}}
                 .dump(2));
    return;
  }
  for (const auto& id : r.unknown)
    out.warn("revision " + id + " is recorded as applied but no file in " +
             settings.migrations_dir + " defines it");
  if (r.current.empty()) out.data("base (no revision applied)");
  for (const auto& c : r.current) out.data(c.id + (c.head ? " (head)" : "") + "  " + c.message);
}

void render_heads(Output& out, const std::vector<RevisionInfo>& heads) {
  if (out.json()) {
    out.data(json{{"heads", revisions_json(heads)}}.dump(2));
    return;
  }
  for (const auto& h : heads)
    out.data(h.id + " (head)" + (h.current ? " (current)" : "") + "  " + h.message);
}

void render_history(Output& out, const HistoryResult& r, const std::string& format) {
  if (out.json()) {
    out.data(revisions_json(r.revisions).dump(2));
    return;
  }
  if (format == "dot") {
    out.data(history_dot(r.revisions, markers));
    return;
  }
  if (format == "graph") {
    auto mark = [](const RevisionInfo& i) {
      return std::string(i.current ? "@" : i.applied ? "*" : "o");
    };
    auto text = [](const RevisionInfo& i) { return i.id + markers(i) + ", " + i.message; };
    for (const auto& line : draw_lanes(r.revisions, mark, text)) out.data(line);
    return;
  }
  for (const auto& i : r.revisions) {
    out.data((i.parents.empty() ? "<base>" : join(i.parents, ", ")) + " -> " + i.id + markers(i) +
             ", " + i.message);
    out.detail("    " + i.path + (i.created.empty() ? "" : "  created " + i.created) +
               (i.applied ? "  applied" : "  pending"));
  }
}

void render_show(Output& out, const RevisionDetail& d) {
  const RevisionInfo& r = d.info;
  auto sql_list = [](const std::vector<StatementInfo>& sts) {
    json list = json::array();
    for (const auto& st : sts) list.push_back(json{{"line", st.line}, {"sql", st.sql}});
    return list;
  };
  if (out.json()) {
    out.data(json{{"id", r.id},
                  {"parents", r.parents},
                  {"depends", r.depends},
                  {"message", r.message},
                  {"created", r.created},
                  {"kind", r.kind},
                  {"transaction", d.transactional},
                  {"path", r.path},
                  {"checksum", d.checksum},
                  {"upgrade", sql_list(d.upgrade)},
                  {"downgrade", d.has_downgrade ? sql_list(d.downgrade) : json(nullptr)}}
                 .dump(2));
    return;
  }
  std::ostringstream o;
  o << "Revision:    " << r.id << "\n"
    << "Parents:     " << (r.parents.empty() ? "<base>" : join(r.parents, " ")) << "\n";
  if (!r.depends.empty()) o << "Depends:     " << join(r.depends, " ") << "\n";
  o << "Message:     " << r.message << "\n"
    << "Kind:        " << r.kind << "\n"
    << "Transaction: " << d.transaction << "\n";
  if (!r.created.empty()) o << "Created:     " << r.created << "\n";
  o << "Path:        " << r.path << "\n"
    << "Checksum:    " << d.checksum << "\n\n"
    << "Upgrade (" << d.upgrade.size() << " statements):\n";
  for (const auto& st : d.upgrade) o << "  " << st.sql << ";\n";
  if (d.has_downgrade) {
    o << "\nDowngrade (" << d.downgrade.size() << " statements):\n";
    for (const auto& st : d.downgrade) o << "  " << st.sql << ";\n";
  } else {
    o << "\nDowngrade: none (irreversible)\n";
  }
  std::string text = o.str();
  text.pop_back();
  out.data(text);
}

void render_status(Output& o, const Settings& settings, const StatusResult& s) {
  if (o.json()) {
    o.data(status_json(s).dump(2));
    return;
  }
  o.data("database: " + s.database + (s.exists ? "" : " (not created yet)"));
  if (!s.environment.empty()) o.data("environment: " + s.environment);
  o.data("current:  " + current_text(s.current));
  o.data("heads:    " + (s.heads.empty() ? std::string("(no revisions)") : join(s.heads, ", ")));
  if (s.pending.empty()) {
    o.data("pending:  none, up to date");
  } else {
    o.data("pending:  " + std::to_string(s.pending.size()) + " revision(s)");
    for (const auto& p : s.pending) {
      std::string mark = p.kind != "data" ? ""
                         : p.skipped      ? "  (data, skipped by --schema-only)"
                                          : "  (data)";
      o.data("  " + p.id + "  " + p.message + mark);
    }
  }
  status_lists(o, settings, s);
}

std::string finding_text(const Finding& f) {
  bool located = !f.path.empty();
  std::string text = (located ? f.path + ":" + std::to_string(f.line) + ": " : "") + f.code + " " +
                     (f.severity == "warning" ? "warning: " : "") + f.message;
  return f.hint.empty() ? text : text + " (" + f.hint + ")";
}

json finding_json(const Finding& f) {
  return json{{"code", f.code},       {"severity", f.severity}, {"rule", f.rule},
              {"path", f.path},       {"line", f.line},         {"revision", f.revision},
              {"message", f.message}, {"hint", f.hint},         {"confirmed", f.confirmed}};
}

namespace {

// GitHub's workflow commands: %, CR and LF escaped in the message, and also
// ':' and ',' in a property.
std::string github_escape(const std::string& s, bool property) {
  std::string out;
  for (char c : s) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else if (property && c == ':')
      out += "%3A";
    else if (property && c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

std::string github_line(const Finding& f) {
  std::string props;
  if (!f.path.empty()) {
    props = " file=" + github_escape(f.path, true);
    if (f.line > 0) props += ",line=" + std::to_string(f.line);
    props += ",";
  } else {
    props = " ";
  }
  props += "title=" + github_escape("mig " + f.code, true);
  std::string message = f.message + (f.hint.empty() ? "" : " (" + f.hint + ")");
  return "::" + f.severity + props + "::" + github_escape(message, false);
}

// SARIF 2.1.0: one run of the tool "mig", its rules, one result per finding.
json sarif(const CheckResult& r) {
  json rules = json::array();
  for (const auto& rule : check_rules())
    rules.push_back(json{{"id", rule.code},
                         {"name", rule.name},
                         {"shortDescription", {{"text", rule.summary}}},
                         {"help", {{"text", rule.hint}}},
                         {"defaultConfiguration", {{"level", rule.level}}},
                         {"properties", {{"group", rule.group}}}});
  json results = json::array();
  for (const auto& f : r.findings) {
    json result{{"ruleId", f.code},
                {"level", f.severity == "warning" ? "warning" : "error"},
                {"message", {{"text", f.message + (f.hint.empty() ? "" : " (" + f.hint + ")")}}}};
    if (!f.path.empty()) {
      json location{{"artifactLocation", {{"uri", f.path}}}};
      if (f.line > 0) location["region"] = {{"startLine", f.line}};
      result["locations"] = json::array({{{"physicalLocation", location}}});
    }
    results.push_back(result);
  }
  return json{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       json::array(
           {{{"tool",
              {{"driver", {{"name", "mig"}, {"version", version_number()}, {"rules", rules}}}}},
             {"results", results}}})}};
}

}  // namespace

void render_check(Output& out, const CheckResult& r, const std::string& format) {
  if (out.json() || format == "json") {
    json list = json::array();
    for (const auto& f : r.findings) list.push_back(finding_json(f));
    out.data(json{
        {"ok", r.ok()},
        {"revisions", r.revisions},
        {"database_checked", r.database_checked},
        {"errors", r.errors()},
        {"warnings", r.findings.size() - r.errors()},
        {"findings",
         list}}.dump(2));
    return;
  }
  if (format == "sarif") {
    out.data(sarif(r).dump(2));
    return;
  }
  for (const auto& f : r.findings) out.data(format == "github" ? github_line(f) : finding_text(f));
}

void render_schema(Output& out, const SchemaResult& r) {
  if (out.json()) {
    json list = json::array();
    for (const auto& o : r.objects)
      list.push_back(json{{"kind", o.kind}, {"name", o.name}, {"details", o.details}});
    out.data(json{{"objects", list}}.dump(2));
    return;
  }
  std::string text = r.text;
  if (!text.empty()) text.pop_back();
  out.data(text.empty() ? "(no tables, views or triggers)" : text);
}

std::string verified_line(const VerifiedRevision& v) {
  if (v.outcome == "failed")
    return "FAIL " + v.revision + "  " + v.message + "  (" + v.path + ")\n  " + v.problem +
           " (- expected, + found):\n" + v.diff;
  if (v.outcome == "skipped")
    return "skip " + v.revision + "  " + v.message + "  (irreversible: upgraded only)";
  return "ok   " + v.revision + "  " + v.message + (v.kind == "data" ? "  (data)" : "");
}

void render_baseline(Output& out, const Settings& settings, const BaselineResult& r) {
  out.data("created " + r.path);
  out.progress("baseline " + r.revision + " (" + std::to_string(r.statements) +
               " statement(s)) is stamped as applied on " + settings.url.describe() +
               "; nothing ran there");
}

void render_diff(Output& out, const std::string& to, bool check, bool sql, const DiffResult& r) {
  if (!r.differs) {
    out.notice("no difference: the schema of " + to + " is there already; nothing written");
    return;
  }
  if (sql) {
    for (const auto& st : r.upgrade) out.data(st + ";");
    for (const auto& d : r.destructive) out.warn("destructive: " + d);
    return;
  }
  if (check) {
    for (const auto& u : r.unsupported) out.warn("not compared: " + u);
    out.data("the schema of " + to + " is not there yet; the next revision would run:");
    for (const auto& st : r.upgrade) out.data("  " + st + ";");
    return;
  }
  out.data("created " + r.path);
  for (const auto& u : r.unsupported) out.warn("not written, write it by hand: " + u);
  if (r.outside_transaction)
    out.progress(
        r.rebuilds ? "it rebuilds a table, so it runs outside a transaction, with foreign keys off"
                   : "it adds an enum value, so it runs outside a transaction");
  for (const auto& d : r.destructive) out.warn("destructive: " + d);
  if (!r.destructive.empty())
    out.warn("review it: mig check fails on it until it carries -- mig:allow destructive");
}

void render_verify(Output& out, const VerifyResult& r) {
  std::string counts = "verify: " + std::to_string(r.verified) + " verified, " +
                       std::to_string(r.skipped) + " skipped, ";
  out.data(r.failed ? counts + "1 failed" : counts + "0 failed, in " + format_ms(r.ms));
}

void render_seeds(Output& out, const SeedRunResult& r) {
  if (!r.dry_run) {
    out.progress("seeded " + std::to_string(r.ran) + " file(s); " + std::to_string(r.unchanged) +
                 " unchanged");
    return;
  }
  for (const auto& seed : r.seeds) {
    if (seed.state == "other environment")
      out.detail("skip seed " + seed.name + " (only for " + join(seed.environments, ", ") + ")");
    else if (!seed.ran)
      out.detail("seed " + seed.name + " unchanged");
    else
      out.data("would seed " + seed.name + "  (" + seed.state + ")");
  }
}

void render_migrate(Output& out, const Settings& settings, const MigrateResult& r) {
  if (r.no_revisions) {
    out.progress("nothing to upgrade: there are no revision files in " + settings.migrations_dir +
                 " yet (mig revision MESSAGE writes one)");
    return;
  }
  if (r.dry_run)
    for (const auto& s : r.steps)
      out.data(std::string(s.skipped ? "would skip " : "would ") + r.action + " " + s.revision +
               "  " + s.message + "  (" + s.path + ")");
  if (r.seeded) render_seeds(out, r.seeds);
}

void render_stamp(Output& out, const StampResult& r) {
  for (const auto& c : r.changes)
    out.progress(std::string(c.applied ? "stamped   " : "unstamped ") + c.revision + "  " +
                 c.message);
  if (!r.changes.empty())
    out.progress("the database is at " + current_text(r.after) +
                 " (recorded only; no SQL was run)");
}

}  // namespace mig
