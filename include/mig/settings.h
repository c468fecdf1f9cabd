#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "mig/url.h"

namespace mig {

// What the command line says about configuration.
struct Overrides {
  std::string config_path = "mig.toml";
  bool config_given = false;  // --config was used: the file must exist
  std::string url;            // --url
  bool url_given = false;     // --url was used: an empty value is an error
  std::string env;            // --env
};

// One [groups.NAME] of mig.toml as written there: ${VAR} is left for
// mig/group.h to expand when it turns the group into targets, so a variable
// only this group needs is needed only when it is used. Sources add up, in
// this order.
struct GroupSettings {
  struct Entry {
    std::string name;    // empty: made from the URL
    std::string url;     // a SQLite URL may be a glob: sqlite:data/shard_*.db
    std::string schema;  // PostgreSQL: the tenant's schema
    int line = 0;
  };
  std::string name;
  std::string origin;          // "mig.toml:12", for messages
  std::vector<Entry> targets;  // `targets`: URLs, or { name, url, schema } tables
  std::string file;            // `file`: one target per line, "URL" or "NAME URL"
  std::string query;           // `query`: rows of (url) or (name, url)
  // Where `query` and `schemas_query` run; default: the project's database.
  std::string control_url;
  std::string url;                           // `url`: the PostgreSQL database of `schemas`
  std::vector<std::string> schemas;          // one target per schema of `url`
  std::string schemas_query;                 // rows of (schema)
  std::map<std::string, std::string> where;  // key -> "PATH:LINE: groups.NAME.KEY"
};

// Everything a command needs to know, after mig.toml, the selected
// environment, environment variables and flags have been merged.
struct Settings {
  std::string config_path;  // empty if no mig.toml was read
  std::string base_dir;     // relative paths in mig.toml are relative to this
  std::string environment;  // selected [environments.NAME], or empty
  DatabaseUrl url;
  std::string url_source;  // "--url", "DATABASE_URL", "mig.toml", "default"
  std::string migrations_dir = "migrations";
  std::string seed_dir = "seed";
  std::string templates_dir = "templates";
  std::string table_prefix = "mig_";
  std::string schema;    // PostgreSQL schema for the bookkeeping tables
  int wait_seconds = 0;  // --wait: keep retrying the first connection
  int max_heads = 1;     // check.max_heads: how many heads `mig check` accepts
  // [check.rules]: a rule's code or a group's name → "error", "warning" or
  // "off" (a code wins over its group).
  std::map<std::string, std::string> check_levels;
  // [check.naming]: an object kind (table, column, index, foreign_key,
  // check) → the regular expression (ECMAScript) each new name of that kind
  // must match in full.
  std::map<std::string, std::string> check_naming;
  std::string check_since, check_git_base;  // [check] since, git_base: CheckOptions' defaults
  // [check] replay, scratch_url: whether `mig check` replays the revisions
  // (CheckOptions::replay), and where when it does (CheckOptions::scratch_url).
  bool check_replay = false;
  std::string check_scratch_url;
  int lock_timeout = 60;  // seconds
  std::string file_template = "{{timestamp}}_{{id}}_{{slug}}.sql";
  // Where read-only operations keep parse summaries of revision files
  // between runs; empty: no cache (the default for a library).
  std::string cache_dir;
  // Where the PostgreSQL and MySQL modules are; empty: beside the running
  // executable or the mig library, then ../lib/mig from there.
  std::string module_dir;
  // Where `verify` makes its scratch SQLite file when it is given no
  // scratch URL; empty: /tmp. (The CLI passes the
  // system temporary directory: TMPDIR and the like.)
  std::string temp_dir;
  // [groups.NAME], the selected environment's replacing those of its name.
  std::map<std::string, GroupSettings> groups;
  // Worth telling the user, but no reason to stop (printed by the CLI).
  std::vector<std::string> warnings;
};

using EnvLookup = std::function<const char*(const char*)>;

// Precedence: --url > DATABASE_URL > selected environment > [database] >
// built-in default (sqlite:var/mig.db). `${VAR}` / `${VAR:-default}` in any
// string value expands from the environment. Throws UsageError naming the
// file, line and key, or the option.
Settings load_settings(const Overrides& overrides, const EnvLookup& getenv);

// The same from the text of a configuration file (`path` names it in
// errors); `text` empty and `path` empty: no configuration file.
Settings parse_settings(const std::string& text, const std::string& path,
                        const Overrides& overrides, const EnvLookup& getenv);

// Expands ${VAR} and ${VAR:-default}; `where` names the value in errors.
std::string expand_variables(const std::string& value, const EnvLookup& getenv,
                             const std::string& where);

}  // namespace mig
