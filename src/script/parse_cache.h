#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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
// The same for `relative` to the directory open as `dir_fd`: one path
// component for the kernel to look up instead of several.
bool stamp_file(int dir_fd, const char* relative, FileStamp& out);

// Summaries (RevisionText::Summary) of revision files that parsed cleanly,
// kept between runs so that commands which only read the graph need not
// read and parse every file again, as Python keeps compiled scripts for
// Alembic. An entry is used only while its file's stamp is unchanged, and a
// file changed less than two seconds before it was read is never stored, so
// an edit within the same clock tick cannot hide behind an old entry.
// Commands that write (upgrade, downgrade, check, verify, …) never use it.
class ParseCache {
 public:
  // Where mig keeps its caches for a user: $XDG_CACHE_HOME/mig, else
  // ~/.cache/mig; empty when MIG_CACHE=off or there is no home directory.
  // (For the CLI, which reads the environment; the library reads none.)
  static std::string user_cache_dir(const std::function<const char*(const char*)>& getenv);
  // The cache file in `cache_dir` for a migrations directory and dialect;
  // empty when `cache_dir` is.
  static std::string file_for(const std::string& cache_dir, const std::string& migrations_dir,
                              Dialect dialect);

  // Loads `file`; a missing, unreadable or foreign file is an empty cache.
  // `now_ns`: when this run reads the files (0: the clock's time now).
  ParseCache(std::string file, Dialect dialect, int64_t now_ns = 0);
  ParseCache(const ParseCache&) = delete;
  ParseCache& operator=(const ParseCache&) = delete;

  // Fills `out` with the summary stored for `path` if its stamp is
  // unchanged. Safe to call from several threads for different paths.
  // `hint`: where the entry probably is (the file's place in the sorted list
  // of files, which is the entry's place while no file was added or removed).
  bool find(const std::string& path, const FileStamp& stamp, Revision& out, size_t hint = 0);
  // Keeps `summary` if the file is old enough to trust its stamp.
  void put(const std::string& path, const FileStamp& stamp, const Revision& summary);
  // Writes the cache back if it changed (atomically); failures are ignored:
  // the cache only ever saves time.
  void save();

 private:
  // An entry as stored: the revision stays encoded in the file's text until
  // a run asks for it, so loading costs one read and one pass over the
  // index, and each summary is decoded once, on whichever thread needs it.
  struct Slot {
    std::string_view path;
    FileStamp stamp;
    std::string_view blob;
  };
  struct Added {
    std::string path;
    FileStamp stamp;
    std::string blob;
  };

  void load();

  std::string file_;
  Dialect dialect_;
  // The cache file, mapped read-only: the kernel maps pages of it already in
  // memory, where reading would copy every byte into pages of our own.
  std::unique_ptr<void, std::function<void(void*)>> map_;
  std::string_view text_;
  std::vector<Slot> slots_;   // into text_, sorted by path
  std::vector<char> used_;    // per slot: found this run (others are dropped on save)
  std::vector<Added> added_;  // stored this run
  int64_t now_ns_ = 0;        // when this run started reading files
};

}  // namespace mig
