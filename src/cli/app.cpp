#include "cli/app.h"

#include <soci/soci.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/filesystem.hpp>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <vector>

#include "cli/advice.h"
#include "cli/commands.h"
#include "cli/generate.h"
#include "cli/group_commands.h"
#include "cli/version.h"
#include "errors.h"

namespace mig {
namespace {

// Levenshtein distance, for "did you mean".
size_t distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string unknown_command(const CLI::App& app, const std::string& word) {
  std::string best;
  size_t best_distance = 3;  // suggest only what is close
  for (const CLI::App* sub : app.get_subcommands({})) {
    size_t d = distance(word, sub->get_name());
    if (sub->get_name().rfind(word, 0) == 0 && word.size() >= 2) d = 1;
    if (d < best_distance) best = sub->get_name(), best_distance = d;
  }
  return "unknown command '" + word + "'" +
         (best.empty() ? std::string() : "; did you mean '" + best + "'?") +
         " (mig help lists the commands)";
}

// The word in the command's place: the first argument that is neither an
// option nor the value of a global option that takes one.
std::string first_command_word(int argc, char** argv) {
  static const char* const with_value[] = {"--config", "--url", "--env",  "--wait",    "--group",
                                           "--target", "-j",    "--jobs", "--on-error"};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") return i + 1 < argc ? argv[i + 1] : "";
    if (!arg.empty() && arg[0] == '-') {
      for (const char* option : with_value)
        if (arg == option) ++i;  // its value follows
      continue;
    }
    return arg;
  }
  return {};
}

void report(Context& ctx, const std::string& line) {
  if (ctx.out)
    ctx.out->error(line);
  else
    std::cerr << "mig: " << ctx.redactor->apply(line) << "\n";
}

// What the command line fills in: CLI11 binds each option to one of these,
// and the chosen command's callback sets `action`.
struct CommandLine {
  CLI::App app{"mig: versioned database migrations from plain SQL revision files", "mig"};
  Context ctx;
  std::function<int()> action;
  CLI::Option* config = nullptr;
  CLI::Option* url = nullptr;
  CLI::Option* group = nullptr;
  std::vector<CLI::Option*> group_options;  // --target, -j, --on-error
  std::string init_dir = ".";
  RevisionOptions rev;
  DiffOptions diff;
  std::string baseline_message, baseline_dev_url;
  MigrateOptions up{"head", false};
  MigrateOptions down{"", false};
  bool status_exit_code = false;
  std::string range, format = "text", check_format = "text";
  CheckOptions check;  // --since, --git-base, --pending
  bool check_no_replay = false;
  std::vector<std::string> merge_revs;
  std::string merge_message, show_target, stamp_target, rehash_rev, resolve_rev;
  bool seed_force = false, seed_dry = false, completed = false, reverted = false;
  std::string help_topic, main_help;
  std::string shell, generated_dir, complete_what;
  bool version_json = false;  // --json is on the command line beside --version
  bool standalone = false;    // the command needs no mig.toml (completion, __man)
};

void add_global_options(CommandLine& cl) {
  CLI::App& app = cl.app;
  GlobalOptions& g = cl.ctx.global;
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", [&cl] {
    const char* dir = std::getenv("MIG_MODULE_DIR");
    return cl.version_json ? version_json(dir ? dir : "") : version_text();
  });
  app.footer(
      "Targets: head, heads, base, an id or unique prefix, +N, -N, ID+N, ID-N.\n"
      "Exit codes: 0 success, 1 the operation failed, 2 usage or configuration error;\n"
      "with --group, 1 when any target failed, 130 after Ctrl-C.\n"
      "Environment: DATABASE_URL, MIG_ENV; MIG_CACHE=off disables the parse cache of\n"
      "read-only commands; MIG_MODULE_DIR is where mig_postgresql.so and mig_mysql.so are.");
  cl.config = app.add_option("--config", g.config, "configuration file")->default_str("mig.toml");
  cl.url = app.add_option("--url", g.url, "database URL (overrides DATABASE_URL and mig.toml)");
  app.add_option("--env", g.env, "environment from [environments.NAME] (or MIG_ENV)");
  auto* verbose = app.add_flag("-v,--verbose", g.verbose, "show each statement");
  app.add_flag("-q,--quiet", g.quiet, "print only errors and requested data")->excludes(verbose);
  app.add_option("--wait", g.wait, "keep retrying the first connection for up to SECONDS");
  cl.group = app.add_option("--group", g.group,
                            "run the command on every database of [groups.NAME] in mig.toml "
                            "(upgrade, downgrade, stamp, status, current, check, seed, schema)");
  cl.group_options.push_back(
      app.add_option("--target", g.targets,
                     "with --group: only the targets whose name matches PATTERN (a glob; "
                     "repeat or separate with commas)"));
  cl.group_options.push_back(
      app.add_option("-j,--jobs", g.jobs,
                     "with --group: how many targets at once (default: the cores, at most 4)"));
  cl.group_options.push_back(
      app.add_option("--on-error", g.on_error,
                     "with --group: stop (default; no new target starts after a failure, running "
                     "ones stop after their current revision) or continue")
          ->check(CLI::IsMember({"stop", "continue"})));
  app.add_flag("--json", g.json,
               "machine-readable output (current, heads, history, "
               "status, show, check, schema; with --group every command)");
}

void add_authoring_commands(CommandLine& cl) {
  auto* init = cl.app.add_subcommand("init", "create mig.toml, migrations/, seed/, templates/");
  init->add_option("DIR", cl.init_dir, "project directory")->default_str(".");
  init->callback([&cl] { cl.action = [&cl] { return cmd_init(cl.ctx, cl.init_dir); }; });

  RevisionOptions& rev = cl.rev;
  auto* revision = cl.app.add_subcommand("revision", "write a new revision file from a template");
  auto* msg_pos = revision->add_option("MESSAGE", rev.message, "what the revision does");
  revision->add_option("-m,--message", rev.message, "same as MESSAGE")->excludes(msg_pos);
  revision->add_option("--kind", rev.kind, "schema (default) or data")
      ->check(CLI::IsMember({"schema", "data"}));
  revision->add_option("--template", rev.template_name,
                       "template NAME from templates/NAME.sql.mustache (default: the kind)");
  revision->add_option("--parent", rev.parents, "parent revision(s) instead of the current head");
  revision->add_flag("--seed", rev.seed, "write a new seed file in seed/ instead");
  revision->add_option("--branch", rev.branch,
                       "start a new base revision labelled NAME (targets NAME@head, NAME@+1)");
  revision->callback([&cl] {
    if (cl.rev.message.empty()) throw CLI::RequiredError("MESSAGE");
    cl.action = [&cl] { return cmd_revision(cl.ctx, cl.rev); };
  });

  DiffOptions& diff = cl.diff;
  auto* diff_cmd =
      cl.app.add_subcommand("diff", "write the next revision from a desired schema, proven first");
  diff_cmd->add_option("MESSAGE", diff.message, "what the revision does");
  diff_cmd
      ->add_option("--to", diff.to,
                   "the desired schema: a SQL file, a directory of them, or a database URL")
      ->required();
  diff_cmd->add_option("--rename", diff.renames,
                       "OLD=NEW (a table) or TABLE.OLD=NEW (a column) was renamed, not replaced");
  diff_cmd->add_option("--from", diff.from,
                       "start from this schema (file, directory or URL) instead of the revisions; "
                       "with --sql or --check");
  diff_cmd->add_flag("--sql", diff.sql, "print the statements; write nothing");
  diff_cmd->add_flag("--check", diff.check,
                     "write nothing; exit 1 when the revisions do not give that schema");
  diff_cmd->add_option(
      "--dev-url", diff.dev_url,
      "PostgreSQL, MySQL: the server for scratch databases (default: the project's), "
      "or an empty database of your own");
  diff_cmd->add_flag("--incomplete", diff.incomplete,
                     "write the revision although some objects cannot be expressed (named in "
                     "comments)");
  auto* baseline = cl.app.add_subcommand(
      "baseline", "adopt an existing database: its schema as the first revision, stamped");
  auto* base_msg = baseline->add_option("MESSAGE", cl.baseline_message, "what the revision is");
  baseline->add_option("-m,--message", cl.baseline_message, "same as MESSAGE")->excludes(base_msg);
  baseline->add_option(
      "--dev-url", cl.baseline_dev_url,
      "PostgreSQL, MySQL: the server for the scratch database (default: the project's)");
  baseline->callback([&cl] {
    if (cl.baseline_message.empty()) throw CLI::RequiredError("MESSAGE");
    cl.action = [&cl] { return cmd_baseline(cl.ctx, cl.baseline_message, cl.baseline_dev_url); };
  });
  diff_cmd->callback([&cl] {
    if (cl.diff.message.empty() && !cl.diff.check && !cl.diff.sql)
      throw CLI::RequiredError("MESSAGE");
    cl.action = [&cl] { return cmd_diff(cl.ctx, cl.diff); };
  });
}

void add_migrate_flags(CLI::App* cmd, MigrateOptions& opts) {
  cmd->add_flag("--dry-run", opts.dry_run, "list what would run; change nothing");
  cmd->add_flag("--sql", opts.sql,
                "print the SQL script instead of running it (TARGET may be FROM:TO)");
  cmd->add_flag("--resume", opts.resume,
                "continue a half-applied revision at its failed statement");
  cmd->add_option("--out-dir", opts.out_dir,
                  "with --group and --sql: write one script per target, DIR/TARGET.sql");
}

void add_migrate_commands(CommandLine& cl) {
  MigrateOptions& up = cl.up;
  auto* upgrade = cl.app.add_subcommand("upgrade", "apply revisions up to TARGET (default head)");
  upgrade->add_option("TARGET", up.target, "target revision")->default_str("head");
  add_migrate_flags(upgrade, up);
  upgrade->add_flag("--schema-only", up.schema_only,
                    "skip data revisions (for throw-away databases; see README)");
  upgrade->add_option("--max-batches", up.max_batches,
                      "most batches one -- mig:batch statement may take (default 100000)");
  upgrade->add_flag("--seed", up.seed, "run the seed files after the upgrade");
  upgrade->add_flag("--force-seed", up.force_seed,
                    "with --seed: run every seed file, changed or not");
  upgrade->callback([&cl] { cl.action = [&cl] { return cmd_upgrade(cl.ctx, cl.up); }; });

  MigrateOptions& down = cl.down;
  auto* downgrade = cl.app.add_subcommand("downgrade", "undo revisions down to TARGET");
  downgrade->add_option("TARGET", down.target, "e.g. -1, base, an id")->required();
  add_migrate_flags(downgrade, down);
  downgrade->add_option("--max-batches", down.max_batches,
                        "most batches one -- mig:batch statement may take (default 100000)");
  downgrade->callback([&cl] { cl.action = [&cl] { return cmd_downgrade(cl.ctx, cl.down); }; });
}

void add_inspection_commands(CommandLine& cl) {
  cl.app.add_subcommand("current", "show the revision(s) the database is at")->callback([&cl] {
    cl.action = [&cl] { return cmd_current(cl.ctx); };
  });

  auto* status =
      cl.app.add_subcommand("status", "current vs heads, pending, edited, missing and failed");
  status->add_flag("--exit-code", cl.status_exit_code,
                   "exit 1 unless up to date: nothing pending, half applied, edited, missing or "
                   "drifted");
  status->callback(
      [&cl] { cl.action = [&cl] { return cmd_status(cl.ctx, cl.status_exit_code); }; });

  auto* history = cl.app.add_subcommand("history", "list revisions from heads to base");
  history->add_option("--range", cl.range, "only revisions between A and B, as A:B");
  history->add_option("--format", cl.format,
                      "text (default), graph (branch and merge lines) or dot (Graphviz)");
  history->add_flag_callback(
      "--graph", [&cl] { cl.format = "graph"; }, "same as --format graph");
  history->callback(
      [&cl] { cl.action = [&cl] { return cmd_history(cl.ctx, cl.range, cl.format); }; });
}

// (Split so that `mig --help` lists the commands in their old order.)
void add_graph_commands(CommandLine& cl) {
  auto* merge = cl.app.add_subcommand("merge", "write a merge revision joining heads");
  merge->add_option("REVISION", cl.merge_revs, "revisions to join (default: every head)");
  merge->add_option("-m,--message", cl.merge_message, "what the merge is for")->required();
  merge->callback(
      [&cl] { cl.action = [&cl] { return cmd_merge(cl.ctx, cl.merge_revs, cl.merge_message); }; });

  cl.app.add_subcommand("heads", "list the heads of the revision graph")->callback([&cl] {
    cl.action = [&cl] { return cmd_heads(cl.ctx); };
  });

  auto* show = cl.app.add_subcommand("show", "show one revision in full");
  show->add_option("REVISION", cl.show_target, "id, prefix or target")->required();
  show->callback([&cl] { cl.action = [&cl] { return cmd_show(cl.ctx, cl.show_target); }; });

  auto* stamp = cl.app.add_subcommand("stamp", "record TARGET as applied without running SQL");
  stamp->add_option("TARGET", cl.stamp_target, "target revision")->required();
  stamp->callback([&cl] { cl.action = [&cl] { return cmd_stamp(cl.ctx, cl.stamp_target); }; });
}

void add_checking_commands(CommandLine& cl) {
  auto* check =
      cl.app.add_subcommand("check", "static checks for CI; with --url also the database");
  check
      ->add_option("--format", cl.check_format,
                   "text (default: file:line: CODE message (hint)), json, github (annotations) "
                   "or sarif")
      ->check(CLI::IsMember({"text", "json", "github", "sarif"}));
  check->add_option("--since", cl.check.since,
                    "lint only the revisions after REV (not REV nor its ancestors)");
  check->add_option("--git-base", cl.check.git_base,
                    "lint only the revision files added or changed since git's merge base with "
                    "BASE (uncommitted ones too)");
  check->add_flag("--pending", cl.check.pending_only,
                  "lint only the revisions the database (--url) has not applied");
  check->add_flag("--replay", cl.check.replay,
                  "also replay the revisions on a scratch database to see what each changes "
                  "(SQLite: a temporary file; others: --scratch)");
  check->add_option("--scratch", cl.check.scratch_url,
                    "the empty database to replay on (implies --replay)");
  check
      ->add_flag("--no-replay", cl.check_no_replay,
                 "do not replay, whatever [check] replay in mig.toml says")
      ->excludes("--replay")
      ->excludes("--scratch");
  check->callback([&cl] {
    cl.action = [&cl] { return cmd_check(cl.ctx, cl.check_format, cl.check, cl.check_no_replay); };
  });

  cl.app
      .add_subcommand("schema", "print the live schema in normalised form (mig's tables left out)")
      ->callback([&cl] { cl.action = [&cl] { return cmd_schema(cl.ctx); }; });

  cl.app
      .add_subcommand("verify",
                      "prove every revision round-trips on a scratch database (temporary SQLite "
                      "file, or an empty --url)")
      ->callback([&cl] { cl.action = [&cl] { return cmd_verify(cl.ctx); }; });
}

void add_repair_commands(CommandLine& cl) {
  auto* rehash =
      cl.app.add_subcommand("rehash", "accept the edited file of an applied revision (logged)");
  rehash->add_option("REVISION", cl.rehash_rev, "the applied revision whose file changed")
      ->required();
  rehash->callback([&cl] { cl.action = [&cl] { return cmd_rehash(cl.ctx, cl.rehash_rev); }; });

  auto* seed = cl.app.add_subcommand("seed", "run new and changed seed files from seed/");
  seed->add_flag("--force", cl.seed_force, "run every seed file, changed or not");
  seed->add_flag("--dry-run", cl.seed_dry, "list the seeds that would run");
  seed->callback(
      [&cl] { cl.action = [&cl] { return cmd_seed(cl.ctx, cl.seed_force, cl.seed_dry); }; });

  auto* resolve = cl.app.add_subcommand(
      "resolve", "settle a half-applied revision by hand (after a failure outside a transaction)");
  resolve->add_option("REVISION", cl.resolve_rev, "the half-applied revision")->required();
  auto* done = resolve->add_flag("--completed", cl.completed, "its step is finished: record it so");
  resolve->add_flag("--reverted", cl.reverted, "its effects are undone: record it as never run")
      ->excludes(done);
  resolve->callback([&cl] {
    if (!cl.completed && !cl.reverted) throw CLI::RequiredError("--completed or --reverted");
    cl.action = [&cl] { return cmd_resolve(cl.ctx, cl.resolve_rev, cl.completed); };
  });
}

int show_help(CommandLine& cl) {
  if (cl.help_topic.empty()) {
    std::cout << cl.main_help;
    return 0;
  }
  if (cl.help_topic != "help") {
    for (const CLI::App* sub : cl.app.get_subcommands({}))
      if (sub->get_name() == cl.help_topic) {
        std::cout << sub->help();
        return 0;
      }
  }
  throw UsageError(unknown_command(cl.app, cl.help_topic));
}

// The revision ids and branch labels of the project, for the completion
// scripts: read from the files alone (an in-memory database stands in for the
// project's, which is neither opened nor asked for a password).
int complete_targets(CommandLine& cl) {
  if (cl.complete_what != "targets") throw UsageError("__complete: the only word is 'targets'");
  Settings settings = cl.ctx.settings;
  settings.url = parse_url("sqlite::memory:", "URL");
  Project project(settings);
  std::vector<std::string> words = {"head", "heads", "base"};
  for (const RevisionInfo& r : project.history().revisions) {
    words.push_back(r.id);
    if (!r.branch.empty()) words.push_back(r.branch + "@head");
  }
  for (const auto& w : words) std::cout << w << "\n";
  return 0;
}

// Writes mig.1 and mig-COMMAND.1 into a directory (the build does, for
// `cmake --install` and the package).
int write_man_pages(CommandLine& cl) {
  boost::filesystem::create_directories(cl.generated_dir);
  for (const auto& [name, text] : man_pages(cl.app, version_number(), build_date())) {
    std::ofstream out(cl.generated_dir + "/" + name, std::ios::binary);
    out << text;
    if (!out) throw OperationError("cannot write " + cl.generated_dir + "/" + name);
  }
  return 0;
}

void add_shell_commands(CommandLine& cl) {
  auto* completion =
      cl.app.add_subcommand("completion", "print the completion script for bash, zsh or fish");
  completion->add_option("SHELL", cl.shell, "the shell")
      ->required()
      ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  completion->callback([&cl] {
    cl.standalone = true;
    cl.action = [&cl] {
      std::cout << completion_script(cl.app, cl.shell);
      return 0;
    };
  });
  // Helpers for the scripts and the build, in the hidden (empty) group.
  auto* complete = cl.app.add_subcommand("__complete", "words for the completion scripts");
  complete->group("");
  complete->add_option("WHAT", cl.complete_what)->required();
  complete->callback([&cl] { cl.action = [&cl] { return complete_targets(cl); }; });
  auto* man = cl.app.add_subcommand("__man", "write the man pages into DIR");
  man->group("");
  man->add_option("DIR", cl.generated_dir)->required();
  man->callback([&cl] {
    cl.standalone = true;
    cl.action = [&cl] { return write_man_pages(cl); };
  });
}

void add_help_command(CommandLine& cl) {
  auto* help = cl.app.add_subcommand("help", "show the help of mig or of one command");
  help->add_option("COMMAND", cl.help_topic, "the command to explain");
  help->callback([&cl] { cl.action = [&cl] { return show_help(cl); }; });
  cl.main_help = cl.app.help();  // (once a command is chosen, help() describes that one)
}

// Parses the command line; returns the exit code when there is nothing to run.
std::optional<int> parse(CommandLine& cl, int argc, char** argv) {
  // CLI11 answers a misspelt command with "A subcommand is required".
  if (std::string word = first_command_word(argc, argv); !word.empty()) {
    bool known = false;
    for (const CLI::App* sub : cl.app.get_subcommands({})) known = known || sub->get_name() == word;
    if (!known) {
      std::cerr << "mig: error: " << unknown_command(cl.app, word) << "\n";
      return 2;
    }
  }
  for (int i = 1; i < argc; ++i)
    cl.version_json = cl.version_json || std::string(argv[i]) == "--json";
  try {
    cl.app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return cl.app.exit(e);
  } catch (const CLI::ParseError& e) {
    cl.app.exit(e);
    return 2;
  }
  cl.ctx.global.config_given = cl.config->count() > 0;
  cl.ctx.global.url_given = cl.url->count() > 0;
  for (const CLI::Option* o : cl.group_options)
    cl.ctx.global.group_options_given = cl.ctx.global.group_options_given || o->count() > 0;
  return std::nullopt;
}

// --group goes with the commands that work on databases, and --target, -j
// and --on-error with --group.
void check_group_options(CommandLine& cl) {
  const GlobalOptions& g = cl.ctx.global;
  if (g.group.empty()) {
    if (g.group_options_given) throw UsageError("--target, -j and --on-error go with --group NAME");
    return;
  }
  for (const CLI::App* sub : cl.app.get_subcommands())
    if (!group_command(sub->get_name()))
      throw UsageError("--group: '" + sub->get_name() +
                       "' does not run on databases; --group takes upgrade, downgrade, stamp, "
                       "status, current, check, seed and schema");
  if (g.url_given)
    throw UsageError("--group and --url both say which database; the group names its own");
  if (g.jobs < 0 || g.jobs > 256) throw UsageError("-j: N must be from 1 to 256 (0: the default)");
}

// Errors are printed here, through the context's redactor: it knows every
// password by now, and the error may quote one.
int run_action(CommandLine& cl) {
  try {
    check_group_options(cl);
    if (cl.standalone) return cl.action();
    load_context(cl.ctx);
    return cl.action();
  } catch (const UsageError& e) {
    report(cl.ctx, "error: " + cli_message(e));
    return 2;
  } catch (const InterruptedError& e) {
    report(cl.ctx, e.what());
    return 130;  // as a shell reports a command ended by Ctrl-C
  } catch (const OperationError& e) {
    report(cl.ctx, "error: " + cli_message(e));
    return 1;
  } catch (const soci::soci_error& e) {
    report(cl.ctx, "database error: " + e.get_error_message());
    return 1;
  } catch (const std::exception& e) {
    report(cl.ctx, std::string("error: ") + e.what());
    return 1;
  }
}

}  // namespace

int run_cli(int argc, char** argv) {
  CommandLine cl;
  add_global_options(cl);
  add_authoring_commands(cl);
  add_migrate_commands(cl);
  add_inspection_commands(cl);
  add_graph_commands(cl);
  add_checking_commands(cl);
  add_repair_commands(cl);
  add_shell_commands(cl);
  add_help_command(cl);
  if (auto code = parse(cl, argc, argv)) return *code;
  return run_action(cl);
}

}  // namespace mig
