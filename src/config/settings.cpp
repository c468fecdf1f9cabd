#include "config/settings.h"

#include <toml++/toml.h>

#include <boost/filesystem.hpp>

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
          if (sk != "max_heads") unknown(sn, name);
          if (!sn.is_integer() || sn.as_integer()->get() < 1 || sn.as_integer()->get() > 1000)
            fail(sn, name + " must be a whole number from 1 to 1000");
          layer.max_heads = static_cast<int>(sn.as_integer()->get());
        }
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

}  // namespace

Settings load_settings(const Overrides& o, const EnvLookup& getenv) {
  Settings s;
  std::string url_text = "sqlite:var/mig.db";
  s.url_source = "default";

  const char* env_name = getenv("MIG_ENV");
  std::string env = !o.env.empty() ? o.env : (env_name ? env_name : "");
  std::string env_origin = !o.env.empty() ? "--env" : "MIG_ENV";

  if (fs::exists(o.config_path)) {
    s.config_path = o.config_path;
    s.base_dir = fs::path(o.config_path).parent_path().string();
    toml::table root;
    try {
      root = toml::parse_file(o.config_path);
    } catch (const toml::parse_error& e) {
      throw UsageError(o.config_path + ":" + std::to_string(e.source().begin.line) + ": " +
                       std::string(e.description()));
    }
    ConfigReader reader(o.config_path, getenv);
    Layer top = reader.read_layer(root, "", false);
    apply(top, s);
    if (top.url) url_text = *top.url;

    if (!env.empty()) {
      const toml::node* envs = root.get("environments");
      const toml::node* chosen = envs && envs->is_table() ? envs->as_table()->get(env) : nullptr;
      if (!chosen)
        throw UsageError(env_origin + ": no [environments." + env + "] in " + o.config_path);
      if (!chosen->is_table()) reader.fail(*chosen, "environments." + env + " must be a table");
      Layer layer = reader.read_layer(*chosen->as_table(), "environments." + env + ".", true);
      apply(layer, s);
      if (layer.url) url_text = *layer.url, s.url_source = "mig.toml [environments." + env + "]";
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
  if (!o.url.empty()) {
    url_text = o.url, s.url_source = "--url", file_relative = false;
  } else if (const char* v = getenv("DATABASE_URL"); v && *v) {
    url_text = v, s.url_source = "DATABASE_URL", file_relative = false;
  }
  s.url = parse_url(url_text, s.url_source);
  if (file_relative && s.url.backend == Backend::SQLite && !s.url.is_memory())
    s.url.path = relative_to(s.base_dir, s.url.path);

  check_prefix(s.table_prefix);
  if (!s.schema.empty()) {
    bool ok = s.schema.size() <= 63;
    for (char c : s.schema) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (!ok) throw UsageError("database.schema must be 1-63 characters of [A-Za-z0-9_]");
    if (s.url.backend != Backend::PostgreSQL)
      throw UsageError("database.schema is only for PostgreSQL; " +
                       std::string(to_string(s.url.backend)) + " has no schemas");
  }
  s.migrations_dir = relative_to(s.base_dir, s.migrations_dir);
  s.seed_dir = relative_to(s.base_dir, s.seed_dir);
  s.templates_dir = relative_to(s.base_dir, s.templates_dir);
  return s;
}

}  // namespace mig
