#include "script/script_directory.h"

#include <algorithm>
#include <boost/filesystem.hpp>
#include <fstream>
#include <sstream>

#include "errors.h"
#include "script/revision_file.h"

namespace fs = boost::filesystem;

namespace mig {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw OperationError("cannot read " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::vector<std::string> find_sql_files(const std::string& dir) {
  boost::system::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw UsageError("migrations directory '" + dir + "' does not exist (see paths.migrations)");
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(dir, ec), end;
  if (ec) throw OperationError("cannot list " + dir + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) throw OperationError("cannot list " + dir + ": " + ec.message());
    const fs::path& p = it->path();
    if (p.filename().string().front() == '.') {
      if (fs::is_directory(p)) it.disable_recursion_pending();
      continue;
    }
    if (p.extension() == ".sql" && fs::is_regular_file(p)) files.push_back(p.string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<Revision> load_revisions(const std::string& dir, SqlDialect dialect) {
  std::vector<Revision> revisions;
  for (const auto& file : find_sql_files(dir))
    revisions.push_back(parse_revision(read_file(file), file, dialect));
  return revisions;
}

}  // namespace mig
