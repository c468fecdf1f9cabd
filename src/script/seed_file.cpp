#include "script/seed_file.h"

#include <algorithm>
#include <boost/filesystem.hpp>
#include <sstream>

#include "errors.h"
#include "script/checksum.h"
#include "script/revision_file.h"
#include "script/script_directory.h"

namespace mig {

bool SeedFile::runs_in(const std::string& environment) const {
  if (environments.empty()) return true;
  return std::find(environments.begin(), environments.end(), environment) != environments.end();
}

SeedFile parse_seed(std::string_view text, const std::string& name, const std::string& path,
                    Dialect dialect) {
  SeedFile seed;
  seed.name = name;
  seed.path = path;
  bool seen_env = false;
  for (auto& chunk : scan_sql(checked_file_text(text, path), dialect, path)) {
    if (auto* st = std::get_if<Statement>(&chunk)) {
      seed.statements.push_back(std::move(*st));
      continue;
    }
    const Directive& d = std::get<Directive>(chunk);
    if (d.name == "env") {
      if (seen_env) throw FileError(path, d.line, "-- mig:env appears twice");
      seen_env = true;
      std::string list = d.args;
      std::replace(list.begin(), list.end(), ',', ' ');
      std::istringstream in(list);
      for (std::string env; in >> env;) seed.environments.push_back(env);
      if (seed.environments.empty())
        throw FileError(path, d.line, "-- mig:env needs environment names, e.g. dev,test");
    } else if (d.name == "requires") {
      if (!seed.requires_revision.empty())
        throw FileError(path, d.line, "-- mig:requires appears twice");
      if (!is_valid_revision_id(d.args))
        throw FileError(path, d.line,
                        "-- mig:requires takes one revision id, not '" + d.args + "'");
      seed.requires_revision = d.args;
      seed.requires_line = d.line;
    } else {
      throw FileError(path, d.line,
                      "unknown directive -- mig:" + d.name + " (seed files know env and requires)");
    }
  }
  seed.checksum = statements_checksum(seed.statements);
  return seed;
}

std::vector<SeedFile> load_seeds(const std::string& dir, Dialect dialect) {
  std::vector<SeedFile> seeds;
  if (!boost::filesystem::is_directory(dir)) return seeds;
  for (const auto& file : find_sql_files(dir)) {
    std::string name = boost::filesystem::relative(file, dir).generic_string();
    seeds.push_back(parse_seed(read_file(file), name, file, dialect));
  }
  std::sort(seeds.begin(), seeds.end(),
            [](const SeedFile& a, const SeedFile& b) { return a.name < b.name; });
  return seeds;
}

}  // namespace mig
