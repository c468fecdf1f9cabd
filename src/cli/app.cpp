#include "cli/app.h"

#include <soci/soci.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <functional>
#include <iostream>
#include <vector>

#include "cli/advice.h"
#include "cli/commands.h"
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
  static const char* const with_value[] = {"--config", "--url", "--env", "--wait"};
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

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"mig: versioned database migrations from plain SQL revision files", "mig"};
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", "mig 0.1.0");
  app.footer(
      "Targets: head, heads, base, an id or unique prefix, +N, -N, ID+N, ID-N.\n"
      "Exit codes: 0 success, 1 the operation failed, 2 usage or configuration error.\n"
      "Environment: DATABASE_URL, MIG_ENV; MIG_CACHE=off disables the parse cache of\n"
      "read-only commands; MIG_MODULE_DIR is where mig_postgresql.so and mig_mysql.so are.");

  Context ctx;
  auto* config =
      app.add_option("--config", ctx.global.config, "configuration file")->default_str("mig.toml");
  auto* url =
      app.add_option("--url", ctx.global.url, "database URL (overrides DATABASE_URL and mig.toml)");
  app.add_option("--env", ctx.global.env, "environment from [environments.NAME] (or MIG_ENV)");
  auto* verbose = app.add_flag("-v,--verbose", ctx.global.verbose, "show each statement");
  app.add_flag("-q,--quiet", ctx.global.quiet, "print only errors and requested data")
      ->excludes(verbose);
  app.add_option("--wait", ctx.global.wait, "keep retrying the first connection for up to SECONDS");
  app.add_flag("--json", ctx.global.json,
               "machine-readable output (current, heads, history, "
               "status, show, check, schema)");

  std::function<int()> action;

  std::string init_dir = ".";
  auto* init = app.add_subcommand("init", "create mig.toml, migrations/, seed/, templates/");
  init->add_option("DIR", init_dir, "project directory")->default_str(".");
  init->callback([&] { action = [&] { return cmd_init(ctx, init_dir); }; });

  RevisionOptions rev;
  auto* revision = app.add_subcommand("revision", "write a new revision file from a template");
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
  revision->callback([&] {
    if (rev.message.empty()) throw CLI::RequiredError("MESSAGE");
    action = [&] { return cmd_revision(ctx, rev); };
  });

  MigrateOptions up{"head", false};
  auto* upgrade = app.add_subcommand("upgrade", "apply revisions up to TARGET (default head)");
  upgrade->add_option("TARGET", up.target, "target revision")->default_str("head");
  upgrade->add_flag("--dry-run", up.dry_run, "list what would run; change nothing");
  upgrade->add_flag("--sql", up.sql,
                    "print the SQL script instead of running it (TARGET may be FROM:TO)");
  upgrade->add_flag("--resume", up.resume,
                    "continue a half-applied revision at its failed statement");
  upgrade->add_flag("--schema-only", up.schema_only,
                    "skip data revisions (for throw-away databases; see README)");
  upgrade->add_option("--max-batches", up.max_batches,
                      "most batches one -- mig:batch statement may take (default 100000)");
  upgrade->add_flag("--seed", up.seed, "run the seed files after the upgrade");
  upgrade->add_flag("--force-seed", up.force_seed,
                    "with --seed: run every seed file, changed or not");
  upgrade->callback([&] { action = [&] { return cmd_upgrade(ctx, up); }; });

  MigrateOptions down{"", false};
  auto* downgrade = app.add_subcommand("downgrade", "undo revisions down to TARGET");
  downgrade->add_option("TARGET", down.target, "e.g. -1, base, an id")->required();
  downgrade->add_flag("--dry-run", down.dry_run, "list what would run; change nothing");
  downgrade->add_flag("--sql", down.sql,
                      "print the SQL script instead of running it (TARGET may be FROM:TO)");
  downgrade->add_flag("--resume", down.resume,
                      "continue a half-applied revision at its failed statement");
  downgrade->add_option("--max-batches", down.max_batches,
                        "most batches one -- mig:batch statement may take (default 100000)");
  downgrade->callback([&] { action = [&] { return cmd_downgrade(ctx, down); }; });

  app.add_subcommand("current", "show the revision(s) the database is at")->callback([&] {
    action = [&] { return cmd_current(ctx); };
  });

  bool status_exit_code = false;
  auto* status =
      app.add_subcommand("status", "current vs heads, pending, edited, missing and failed");
  status->add_flag("--exit-code", status_exit_code,
                   "exit 1 unless up to date: nothing pending, half applied, edited, missing or "
                   "drifted");
  status->callback([&] { action = [&] { return cmd_status(ctx, status_exit_code); }; });

  std::string range, format = "text";
  auto* history = app.add_subcommand("history", "list revisions from heads to base");
  history->add_option("--range", range, "only revisions between A and B, as A:B");
  history->add_option("--format", format,
                      "text (default), graph (branch and merge lines) or dot (Graphviz)");
  history->add_flag_callback(
      "--graph", [&] { format = "graph"; }, "same as --format graph");
  history->callback([&] { action = [&] { return cmd_history(ctx, range, format); }; });

  std::vector<std::string> merge_revs;
  std::string merge_message;
  auto* merge = app.add_subcommand("merge", "write a merge revision joining heads");
  merge->add_option("REVISION", merge_revs, "revisions to join (default: every head)");
  merge->add_option("-m,--message", merge_message, "what the merge is for")->required();
  merge->callback([&] { action = [&] { return cmd_merge(ctx, merge_revs, merge_message); }; });

  app.add_subcommand("heads", "list the heads of the revision graph")->callback([&] {
    action = [&] { return cmd_heads(ctx); };
  });

  std::string show_target;
  auto* show = app.add_subcommand("show", "show one revision in full");
  show->add_option("REVISION", show_target, "id, prefix or target")->required();
  show->callback([&] { action = [&] { return cmd_show(ctx, show_target); }; });

  std::string stamp_target;
  auto* stamp = app.add_subcommand("stamp", "record TARGET as applied without running SQL");
  stamp->add_option("TARGET", stamp_target, "target revision")->required();
  stamp->callback([&] { action = [&] { return cmd_stamp(ctx, stamp_target); }; });

  app.add_subcommand("check", "static checks for CI; with --url also the database")->callback([&] {
    action = [&] { return cmd_check(ctx); };
  });

  app.add_subcommand("schema", "print the live schema in normalised form (mig's tables left out)")
      ->callback([&] { action = [&] { return cmd_schema(ctx); }; });

  app.add_subcommand("verify",
                     "prove every revision round-trips on a scratch database (temporary SQLite "
                     "file, or an empty --url)")
      ->callback([&] { action = [&] { return cmd_verify(ctx); }; });

  std::string rehash_rev;
  auto* rehash =
      app.add_subcommand("rehash", "accept the edited file of an applied revision (logged)");
  rehash->add_option("REVISION", rehash_rev, "the applied revision whose file changed")->required();
  rehash->callback([&] { action = [&] { return cmd_rehash(ctx, rehash_rev); }; });

  bool seed_force = false, seed_dry = false;
  auto* seed = app.add_subcommand("seed", "run new and changed seed files from seed/");
  seed->add_flag("--force", seed_force, "run every seed file, changed or not");
  seed->add_flag("--dry-run", seed_dry, "list the seeds that would run");
  seed->callback([&] { action = [&] { return cmd_seed(ctx, seed_force, seed_dry); }; });

  std::string resolve_rev;
  bool completed = false, reverted = false;
  auto* resolve = app.add_subcommand(
      "resolve", "settle a half-applied revision by hand (after a failure outside a transaction)");
  resolve->add_option("REVISION", resolve_rev, "the half-applied revision")->required();
  auto* done = resolve->add_flag("--completed", completed, "its step is finished: record it so");
  resolve->add_flag("--reverted", reverted, "its effects are undone: record it as never run")
      ->excludes(done);
  resolve->callback([&] {
    if (!completed && !reverted) throw CLI::RequiredError("--completed or --reverted");
    action = [&] { return cmd_resolve(ctx, resolve_rev, completed); };
  });

  std::string help_topic, main_help;
  auto* help = app.add_subcommand("help", "show the help of mig or of one command");
  help->add_option("COMMAND", help_topic, "the command to explain");
  help->callback([&] {
    action = [&]() -> int {
      if (help_topic.empty()) {
        std::cout << main_help;
        return 0;
      }
      if (help_topic != "help") {
        for (const CLI::App* sub : app.get_subcommands({}))
          if (sub->get_name() == help_topic) {
            std::cout << sub->help();
            return 0;
          }
      }
      throw UsageError(unknown_command(app, help_topic));
    };
  });

  main_help = app.help();  // (once a command is chosen, help() describes that one)
  // CLI11 answers a misspelt command with "A subcommand is required".
  if (std::string word = first_command_word(argc, argv); !word.empty()) {
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands({})) known = known || sub->get_name() == word;
    if (!known) {
      std::cerr << "mig: error: " << unknown_command(app, word) << "\n";
      return 2;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  ctx.global.config_given = config->count() > 0;
  ctx.global.url_given = url->count() > 0;
  // Errors are printed here, through the context's redactor: it knows every
  // password by now, and the error may quote one.
  try {
    load_context(ctx);
    return action();
  } catch (const UsageError& e) {
    report(ctx, std::string("error: ") + e.what());
    return 2;
  } catch (const OperationError& e) {
    report(ctx, "error: " + cli_message(e));
    return 1;
  } catch (const soci::soci_error& e) {
    report(ctx, "database error: " + e.get_error_message());
    return 1;
  } catch (const std::exception& e) {
    report(ctx, std::string("error: ") + e.what());
    return 1;
  }
}

}  // namespace mig
