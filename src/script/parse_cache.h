#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "script/revision.h"
#include "script/sql_splitter.h"

namespace mig {

// What identifies one version of a file on disk. Any write changes the
// change time (which no tool can set back), so equal stamps mean equal files.
struct FileStamp {
  uint64_t device = 0;
  uint64_t inode = 0;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;

  bool operator==(const FileStamp& o) const {
    return device == o.device && inode == o.inode && size == o.size && mtime_ns == o.mtime_ns &&
           ctime_ns == o.ctime_ns;
  }
};

// False if `path` cannot be stat()ed.
bool stamp_file(const std::string& path, FileStamp& out);

// Summaries (RevisionText::Summary) of revision files that parsed cleanly,
// kept between runs so that commands which only read the graph need not
// read and parse every file again, as Python keeps compiled scripts for
// Alembic. An entry is used only while its file's stamp is unchanged, and a
// file changed less than two seconds before it was read is never stored, so
// an edit within the same clock tick cannot hide behind an old entry.
// Commands that write (upgrade, downgrade, check, verify, …) never use it.
class ParseCache {
 public:
  // The cache file for a migrations directory and dialect:
  // $XDG_CACHE_HOME/mig (or ~/.cache/mig)/<digest>; empty when MIG_CACHE=off
  // or there is no home directory.
  static std::string default_path(const std::string& migrations_dir, SqlDialect dialect);

  // Loads `file`; a missing, unreadable or foreign file is an empty cache.
  // `now_ns`: when this run reads the files (0: the clock's time now).
  ParseCache(std::string file, SqlDialect dialect, int64_t now_ns = 0);

  // The summary stored for `path` if its stamp is unchanged.
  const Revision* find(const std::string& path, const FileStamp& stamp);
  // Keeps `summary` if the file is old enough to trust its stamp.
  void put(const std::string& path, const FileStamp& stamp, const Revision& summary);
  // Writes the cache back if it changed (atomically); failures are ignored:
  // the cache only ever saves time.
  void save();

 private:
  struct Entry {
    FileStamp stamp;
    Revision revision;
    bool used = false;  // found or stored this run; others are dropped on save
  };

  void load();

  std::string file_;
  SqlDialect dialect_;
  std::unordered_map<std::string, Entry> entries_;
  int64_t now_ns_ = 0;  // when this run started reading files
  bool changed_ = false;
};

}  // namespace mig
