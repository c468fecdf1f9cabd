#include "config/settings.h"

#include <sys/stat.h>
#include <toml++/toml.h>

#include <boost/filesystem.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "base/files.h"
#include "check/rules.h"
#include "db/dialect_traits.h"
#include "errors.h"

namespace fs = boost::filesystem;

namespace mig {

std::string expand_variables(const std::string& value, const EnvLookup& getenv,
                             const std::string& where) {
  std::string out;
  size_t i = 0;
  while (i < value.size()) {
    size_t open = value.find("${", i);
    if (open == std::string::npos) {
      out += value.substr(i);
      break;
    }
    out += value.substr(i, open - i);
    size_t close = value.find('}', open);
    if (close == std::string::npos) throw UsageError(where + ": unclosed ${ in value");
    std::string inner = value.substr(open + 2, close - open - 2);
    std::string name = inner, fallback;
    bool has_fallback = false;
    size_t dash = inner.find(":-");
    if (dash != std::string::npos) {
      name = inner.substr(0, dash);
      fallback = inner.substr(dash + 2);
      has_fallback = true;
    }
    if (name.empty()) throw UsageError(where + ": empty variable name in ${}");
    const char* v = getenv(name.c_str());
    if (v && *v)
      out += v;
    else if (has_fallback)
      out += fallback;
    else
      throw UsageError(where + ": environment variable " + name + " is not set");
    i = close + 1;
  }
  return out;
}

namespace {

// One layer of configuration read from a TOML table (top level or one
// environment); empty optionals mean "not set here".
struct Layer {
  std::optional<std::string> url, migrations, seed, templates, prefix, file_template, schema;
  std::optional<int> lock_timeout, max_heads;
  std::map<std::string, GroupSettings> groups;
  std::map<std::string, std::string> check_levels;
  std::map<std::string, std::string> check_naming;
  std::optional<std::string> check_since, check_git_base;
  std::optional<bool> check_replay;
  std::optional<std::string> check_scratch_url;
};

class ConfigReader {
 public:
  ConfigReader(const std::string& path, const EnvLookup& getenv) : path_(path), getenv_(getenv) {}

  Layer read_layer(const toml::table& table, const std::string& prefix, bool is_env) {
    Layer layer;
    for (const auto& [key, node] : table) {
      std::string k(key.str());
      if (k == "environments" && !is_env) continue;
      if (k == "url" && is_env) {
        layer.url = string_value(node, prefix + k);
      } else if (k == "database") {
        for (const auto& [sk, sn] : section(node, prefix + k)) {
          std::string name = prefix + k + "." + std::string(sk.str());
          if (sk == "url")
            layer.url = string_value(sn, name);
          else if (sk == "table_prefix")
            layer.prefix = string_value(sn, name);
          else if (sk == "lock_timeout")
            layer.lock_timeout = int_value(sn, name);
          else if (sk == "schema")
            layer.schema = string_value(sn, name);
          else
            unknown(sn, name);
        }
      } else if (k == "paths") {
        for (const auto& [sk, sn] : section(node, prefix + k)) {
          std::string name = prefix + k + "." + std::string(sk.str());
          if (sk == "migrations")
            layer.migrations = string_value(sn, name);
          else if (sk == "seed")
            layer.seed = string_value(sn, name);
          else if (sk == "templates")
            layer.templates = string_value(sn, name);
          else
            unknown(sn, name);
        }
      } else if (k == "check") {
        for (const auto& [sk, sn] : section(node, prefix + k)) {
          std::string name = prefix + k + "." + std::string(sk.str());
          if (sk == "rules") {
            read_check_levels(sn, name, layer);
            continue;
          }
          if (sk == "naming") {
            read_check_naming(sn, name, layer);
            continue;
          }
          if (sk == "since" || sk == "git_base") {
            (sk == "since" ? layer.check_since : layer.check_git_base) = string_value(sn, name);
            continue;
          }
          if (sk == "replay") {
            if (!sn.is_boolean()) fail(sn, name + " must be true or false");
            layer.check_replay = sn.as_boolean()->get();
            continue;
          }
          if (sk == "scratch_url") {
            std::string url = string_value(sn, name);
            // Refused here, with its line, rather than when check runs.
            parse_url(url, path_ + ":" + std::to_string(sn.source().begin.line) + ": " + name);
            layer.check_scratch_url = url;
            continue;
          }
          if (sk != "max_heads") unknown(sn, name);
          if (!sn.is_integer() || sn.as_integer()->get() < 1 || sn.as_integer()->get() > 1000)
            fail(sn, name + " must be a whole number from 1 to 1000");
          layer.max_heads = static_cast<int>(sn.as_integer()->get());
        }
      } else if (k == "groups") {
        for (const auto& [name, group] : section(node, prefix + k))
          layer.groups[std::string(name.str())] = read_group(
              group, std::string(name.str()), prefix + k + "." + std::string(name.str()));
      } else if (k == "revision") {
        for (const auto& [sk, sn] : section(node, prefix + k)) {
          std::string name = prefix + k + "." + std::string(sk.str());
          if (sk == "file_template")
            layer.file_template = string_value(sn, name);
          else
            unknown(sn, name);
        }
      } else {
        unknown(node, prefix + k);
      }
    }
    return layer;
  }

  [[noreturn]] void fail(const toml::node& node, const std::string& message) const {
    throw UsageError(path_ + ":" + std::to_string(node.source().begin.line) + ": " + message);
  }

 private:
  // [check.rules]: CODE or GROUP = "error" | "warning" | "off".
  void read_check_levels(const toml::node& node, const std::string& where, Layer& layer) {
    for (const auto& [key, value] : section(node, where)) {
      std::string rule(key.str());
      std::string name = where + "." + rule;
      if (!find_check_rule(rule) && !is_check_group(rule))
        fail(value, name + ": no rule or group of that name (README lists them)");
      if (rule == "MG101" || rule == "MG102" || rule == "revisions")
        fail(value, name + ": files that do not parse and a broken graph are always errors" +
                        std::string(rule == "revisions" ? "; name the rules MG103-MG105" : ""));
      std::string level = raw_value(value, name);
      if (!is_check_level(level))
        fail(value, name + " must be \"error\", \"warning\" or \"off\", not \"" + level + "\"");
      layer.check_levels[rule] = level;
    }
  }

  // [check.naming]: KIND = "a regular expression each new name must match".
  void read_check_naming(const toml::node& node, const std::string& where, Layer& layer) {
    for (const auto& [key, value] : section(node, where)) {
      std::string kind(key.str());
      std::string name = where + "." + kind;
      if (!is_naming_kind(kind))
        fail(value, name + ": the kinds are table, column, index, foreign_key and check");
      std::string pattern = string_value(value, name);
      try {
        std::regex compiled(pattern);
      } catch (const std::regex_error& e) {
        fail(value, name + " is not a regular expression (" + e.what() + "): " + pattern);
      }
      layer.check_naming[kind] = pattern;
    }
  }

  GroupSettings read_group(const toml::node& node, const std::string& group,
                           const std::string& where) {
    bool ok = !group.empty() && group.size() <= 64;
    for (char c : group)
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
    if (!ok) fail(node, where + ": a group's name is 1-64 characters of [A-Za-z0-9_-]");
    GroupSettings g;
    g.name = group;
    g.origin = path_ + ":" + std::to_string(node.source().begin.line);
    for (const auto& [key, value] : section(node, where)) {
      std::string name = where + "." + std::string(key.str());
      g.where[std::string(key.str())] =
          path_ + ":" + std::to_string(value.source().begin.line) + ": " + name;
      if (key == "targets") {
        if (!value.is_array()) fail(value, name + " must be an array of URLs or tables");
        for (const toml::node& item : *value.as_array()) g.targets.push_back(entry(item, name));
      } else if (key == "file") {
        g.file = raw_value(value, name);
      } else if (key == "query") {
        g.query = raw_value(value, name);
      } else if (key == "control_url") {
        g.control_url = raw_value(value, name);
      } else if (key == "url") {
        g.url = raw_value(value, name);
      } else if (key == "schemas") {
        if (!value.is_array()) fail(value, name + " must be an array of schema names");
        for (const toml::node& item : *value.as_array()) g.schemas.push_back(raw_value(item, name));
      } else if (key == "schemas_query") {
        g.schemas_query = raw_value(value, name);
      } else {
        unknown(value, name);
      }
    }
    if ((!g.schemas.empty() || !g.schemas_query.empty()) && g.url.empty())
      fail(node, where + ": schemas and schemas_query need url, the database that holds them");
    if (!g.url.empty() && g.schemas.empty() && g.schemas_query.empty())
      fail(node, where + ": url is the database of schemas or schemas_query; give one of them");
    if (g.targets.empty() && g.file.empty() && g.query.empty() && g.schemas.empty() &&
        g.schemas_query.empty())
      fail(node,
           where + " names no databases: give targets, file, query, schemas or schemas_query");
    return g;
  }

  // A group's strings are kept as written: ${VAR} is expanded when the group
  // is used (group_targets), so a variable only one group needs is needed
  // only by the commands that use that group.
  std::string raw_value(const toml::node& node, const std::string& name) {
    if (!node.is_string()) fail(node, name + " must be a string");
    return node.as_string()->get();
  }

  GroupSettings::Entry entry(const toml::node& item, const std::string& name) {
    GroupSettings::Entry e;
    e.line = static_cast<int>(item.source().begin.line);
    if (item.is_string()) {
      e.url = raw_value(item, name);
      return e;
    }
    if (!item.is_table()) fail(item, name + ": each target is a URL or a { name, url } table");
    for (const auto& [key, value] : *item.as_table()) {
      std::string field = name + "." + std::string(key.str());
      if (key == "name")
        e.name = raw_value(value, field);
      else if (key == "url")
        e.url = raw_value(value, field);
      else if (key == "schema")
        e.schema = raw_value(value, field);
      else
        unknown(value, field);
    }
    if (e.url.empty()) fail(item, name + ": a target table needs url");
    return e;
  }

  const toml::table& section(const toml::node& node, const std::string& name) {
    if (!node.is_table()) fail(node, name + " must be a table");
    return *node.as_table();
  }

  std::string string_value(const toml::node& node, const std::string& name) {
    if (!node.is_string()) fail(node, name + " must be a string");
    std::string where = path_ + ":" + std::to_string(node.source().begin.line) + ": " + name;
    return expand_variables(node.as_string()->get(), getenv_, where);
  }

  int int_value(const toml::node& node, const std::string& name) {
    if (!node.is_integer() || node.as_integer()->get() < 0 || node.as_integer()->get() > 86400)
      fail(node, name + " must be a whole number of seconds (0-86400)");
    return static_cast<int>(node.as_integer()->get());
  }

  [[noreturn]] void unknown(const toml::node& node, const std::string& name) {
    fail(node, "unknown setting '" + name + "'");
  }

  std::string path_;
  const EnvLookup& getenv_;
};

void apply(const Layer& layer, Settings& s) {
  if (layer.url) s.url_source = "mig.toml";
  if (layer.migrations) s.migrations_dir = *layer.migrations;
  if (layer.seed) s.seed_dir = *layer.seed;
  if (layer.templates) s.templates_dir = *layer.templates;
  if (layer.prefix) s.table_prefix = *layer.prefix;
  if (layer.schema) s.schema = *layer.schema;
  if (layer.file_template) s.file_template = *layer.file_template;
  if (layer.lock_timeout) s.lock_timeout = *layer.lock_timeout;
  if (layer.max_heads) s.max_heads = *layer.max_heads;
  for (const auto& [rule, level] : layer.check_levels) s.check_levels[rule] = level;
  for (const auto& [kind, pattern] : layer.check_naming) s.check_naming[kind] = pattern;
  if (layer.check_since) s.check_since = *layer.check_since;
  if (layer.check_git_base) s.check_git_base = *layer.check_git_base;
  if (layer.check_replay) s.check_replay = *layer.check_replay;
  if (layer.check_scratch_url) s.check_scratch_url = *layer.check_scratch_url;
  for (const auto& [name, group] : layer.groups) s.groups[name] = group;
}

std::string relative_to(const std::string& base, const std::string& p) {
  if (base.empty() || fs::path(p).is_absolute()) return p;
  return (fs::path(base) / p).string();
}

void check_prefix(const std::string& prefix) {
  bool ok = !prefix.empty() && prefix.size() <= 32;
  for (char c : prefix) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  if (!ok) throw UsageError("database.table_prefix must be 1-32 characters of [A-Za-z0-9_]");
}

// TOML allows characters beyond ASCII only inside strings and comments.
// Elsewhere toml++ 3.3 (Debian's) asks whether such a character is white
// space and, for most of them, reaches __builtin_unreachable(): undefined
// behaviour on a typo such as `url = é`. So they are refused here first;
// returns the line of the first one, or 0. When in doubt this errs towards
// refusing: a quote opens a string only where TOML lets one start (after
// `=`, at the start of a line, after `[`, `{` or `,` inside brackets, after
// a `.` in a key), and a string that is not closed does not count.
int first_bare_non_ascii_line(const std::string& text) {
  int line = 1, depth = 0;
  bool value = false;  // an '=' was seen on this line
  char last = '\n';    // the last character on this line that is not a blank
  size_t i = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // a byte-order mark is fine
  auto at = [&](size_t pos, const std::string& s) { return text.compare(pos, s.size(), s) == 0; };
  while (i < text.size()) {
    char c = text[i];
    bool opens_string =
        (c == '"' || c == '\'') && (last == '=' || last == '\n' || (last == '.' && !value) ||
                                    ((last == '[' || last == '{' || last == ',') && depth > 0));
    if (c != ' ' && c != '\t') last = c;
    if (opens_string) {
      std::string close(at(i, std::string(3, c)) ? 3 : 1, c);
      size_t j = i + close.size();
      int lines = 0;
      while (j < text.size() && !at(j, close)) {
        if (text[j] == '\n' && close.size() == 1) break;
        lines += text[j] == '\n';
        if (c == '"' && text[j] == '\\') ++j;  // an escape; basic strings only
        ++j;
      }
      if (j < text.size() && at(j, close)) {  // a whole string: skip it
        i = j + close.size();
        line += lines;
        continue;
      }
    }
    if (c == '\n') {
      ++line, value = false, last = '\n';
    } else if (c == '#') {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
    } else if (c == '=') {
      value = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      return line;
    }
    ++i;
  }
  return 0;
}

// Whether the configuration file is there to be read. Anything but a regular
// file (or a link to one) is an error rather than an empty configuration: a
// directory or /dev/zero read as nothing, and a FIFO would hang the read.
bool config_file_present(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISREG(st.st_mode)) return true;
    throw UsageError("configuration file '" + path + "' is " + file_kind(st.st_mode) +
                     "; mig.toml must be a regular file");
  }
  if (::lstat(path.c_str(), &st) == 0)
    throw UsageError("configuration file '" + path + "' is a symbolic link to nothing");
  return false;
}

std::string read_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw UsageError("cannot read configuration file '" + path + "'");
  return text.str();
}

}  // namespace

Settings load_settings(const Overrides& o, const EnvLookup& getenv) {
  if (config_file_present(o.config_path))
    return parse_settings(read_config(o.config_path), o.config_path, o, getenv);
  return parse_settings("", "", o, getenv);
}

Settings parse_settings(const std::string& text, const std::string& path, const Overrides& o,
                        const EnvLookup& getenv) {
  Settings s;
  std::string url_text = "sqlite:var/mig.db";
  s.url_source = "default";

  const char* env_name = getenv("MIG_ENV");
  std::string env = !o.env.empty() ? o.env : (env_name ? env_name : "");
  std::string env_origin = !o.env.empty() ? "--env" : "MIG_ENV";
  bool env_url = false;  // the selected environment sets a url of its own

  if (!path.empty()) {
    s.config_path = path;
    s.base_dir = fs::path(path).parent_path().string();
    if (int line = first_bare_non_ascii_line(text))
      throw UsageError(path + ":" + std::to_string(line) +
                       ": a character beyond ASCII outside a string or comment (TOML allows "
                       "them only in quoted strings and comments)");
    toml::table root;
    try {
      root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
      throw UsageError(path + ":" + std::to_string(e.source().begin.line) + ": " +
                       std::string(e.description()));
    }
    ConfigReader reader(path, getenv);
    Layer top = reader.read_layer(root, "", false);
    apply(top, s);
    if (top.url) url_text = *top.url;

    if (!env.empty()) {
      const toml::node* envs = root.get("environments");
      const toml::node* chosen = envs && envs->is_table() ? envs->as_table()->get(env) : nullptr;
      if (!chosen) throw UsageError(env_origin + ": no [environments." + env + "] in " + path);
      if (!chosen->is_table()) reader.fail(*chosen, "environments." + env + " must be a table");
      Layer layer = reader.read_layer(*chosen->as_table(), "environments." + env + ".", true);
      apply(layer, s);
      if (layer.url) {
        url_text = *layer.url, s.url_source = "mig.toml [environments." + env + "]";
        env_url = true;
      }
      s.environment = env;
    } else if (const toml::node* envs = root.get("environments"); envs && !envs->is_table()) {
      reader.fail(*envs, "environments must be a table");
    }
  } else if (o.config_given) {
    throw UsageError("--config: file '" + o.config_path + "' does not exist");
  } else if (!env.empty()) {
    throw UsageError(env_origin + ": environment '" + env + "' selected but there is no " +
                     o.config_path);
  }

  bool file_relative = true;
  if (o.url_given && o.url.empty()) throw UsageError("--url: empty database URL");
  if (!o.url.empty()) {
    url_text = o.url, s.url_source = "--url", file_relative = false;
  } else if (const char* v = getenv("DATABASE_URL"); v && *v) {
    url_text = v, s.url_source = "DATABASE_URL", file_relative = false;
    // The documented order (DATABASE_URL before the environment) surprises
    // whoever typed --env expecting that environment's database.
    if (env_url)
      s.warnings.push_back(
          "DATABASE_URL is set, so it is used instead of the url of "
          "[environments." +
          env + "] (" + env_origin + " " + env + "); unset DATABASE_URL, or pass --url, to choose");
  }
  s.url = parse_url(url_text, s.url_source);
  if (file_relative && s.url.dialect == Dialect::SQLite && !s.url.is_memory())
    s.url.path = relative_to(s.base_dir, s.url.path);

  check_prefix(s.table_prefix);
  if (!s.schema.empty()) {
    bool ok = s.schema.size() <= 63;
    for (char c : s.schema) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (!ok) throw UsageError("database.schema must be 1-63 characters of [A-Za-z0-9_]");
    if (!traits(s.url.dialect).schemas)
      throw UsageError("database.schema is only for PostgreSQL; " +
                       std::string(to_string(s.url.dialect)) + " has no schemas");
  }
  s.migrations_dir = relative_to(s.base_dir, s.migrations_dir);
  s.seed_dir = relative_to(s.base_dir, s.seed_dir);
  s.templates_dir = relative_to(s.base_dir, s.templates_dir);
  return s;
}

}  // namespace mig
