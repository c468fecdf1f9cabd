#include "script/script_directory.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "base/files.h"
#include "base/strings.h"
#include "errors.h"
#include "script/revision_file.h"

namespace mig {

// Plain POSIX reads: an ifstream plus a stringstream cost more per revision
// file than parsing it did.
std::string read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw OperationError("cannot read " + path + ": " + errno_text(errno));
  struct stat st {};
  size_t expected = ::fstat(fd, &st) == 0 && st.st_size > 0 ? static_cast<size_t>(st.st_size) : 0;
  // Reads straight into the string: the size fstat gave (one read() for a
  // small file), or up to end of file where fstat cannot tell (size 0).
  std::string text(expected ? expected : 16384, '\0');
  size_t got = 0;
  for (;;) {
    if (got == text.size()) {
      if (expected) break;
      text.resize(text.size() * 2);
    }
    ssize_t n = ::read(fd, &text[got], text.size() - got);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      throw OperationError("cannot read " + path + ": " + errno_text(err));
    }
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  return text;
}

namespace {

bool has_sql_extension(const char* name) {
  size_t n = std::strlen(name);
  return n > 4 && std::strcmp(name + n - 4, ".sql") == 0;
}

// Walks `dir` with readdir(), taking each entry's type from the directory
// itself: Boost's recursive iterator stat()ed every entry twice more, and at
// 100,000 revisions those calls were 40% of the time `status` spent in the
// kernel. Hidden entries are skipped. Symbolic links are followed, to files
// and to directories (each directory is read once: a link back to one
// already read is an error). A `.sql` entry that is not a file or directory
// (a FIFO, a device, a link to nothing) is an error, never skipped quietly:
// a revision left out is a revision that silently never runs.
void walk(const std::string& dir, std::vector<std::string>& files,
          std::set<std::pair<dev_t, ino_t>>& seen) {
  struct stat self {};
  if (::stat(dir.c_str(), &self) == 0 && !seen.insert({self.st_dev, self.st_ino}).second)
    throw OperationError(dir + " is a link back to a directory mig has already read");
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), &::closedir);
  if (!d) throw OperationError("cannot list " + dir + ": " + errno_text(errno));
  std::string prefix = dir.back() == '/' ? dir : dir + "/";
  for (;;) {
    errno = 0;
    const dirent* e = ::readdir(d.get());
    if (!e) {
      if (errno) throw OperationError("cannot list " + dir + ": " + errno_text(errno));
      break;
    }
    if (e->d_name[0] == '.') continue;
    bool sql = has_sql_extension(e->d_name);
    unsigned char type = e->d_type;
    if (type != DT_DIR && type != DT_LNK && type != DT_UNKNOWN && !sql) continue;
    std::string path = prefix + e->d_name;
    if (type == DT_REG) {
      files.push_back(std::move(path));
      continue;
    }
    if (type == DT_DIR) {
      walk(path, files, seen);
      continue;
    }
    struct stat st {};  // a link, an unknown type, or something else named *.sql
    if (::stat(path.c_str(), &st) != 0) {
      if (sql)
        throw OperationError(path + " is a symbolic link to nothing (" + errno_text(errno) +
                             "); remove it or point it at the revision file");
      continue;
    }
    if (S_ISDIR(st.st_mode))
      walk(path, files, seen);
    else if (S_ISREG(st.st_mode) && sql)
      files.push_back(std::move(path));
    else if (sql)
      throw OperationError(path + " is " + file_kind(st.st_mode) +
                           ", not a file; mig reads revisions and seeds from regular .sql files");
  }
}

}  // namespace

std::vector<std::string> find_sql_files(const std::string& dir) {
  struct stat st {};
  if (dir.empty() || ::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw UsageError("migrations directory '" + dir + "' does not exist (see paths.migrations)");
  std::vector<std::string> files;
  std::set<std::pair<dev_t, ino_t>> seen;
  walk(dir, files, seen);
  std::sort(files.begin(), files.end());
  return files;
}

Revision load_revision(const std::string& path, Dialect dialect) {
  return parse_revision(read_file(path), path, dialect);
}

namespace {

// A directory opened only to name files relative to it; closed on scope exit.
class OpenDirectory {
 public:
  explicit OpenDirectory(const std::string& dir)
      : fd_(dir.empty() ? -1 : ::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC)) {}
  ~OpenDirectory() {
    if (fd_ >= 0) ::close(fd_);
  }
  OpenDirectory(const OpenDirectory&) = delete;
  OpenDirectory& operator=(const OpenDirectory&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

void drop_sql(std::vector<Statement>& statements) {
  for (auto& st : statements) {
    std::string().swap(st.sql);
    std::string().swap(st.normalized);
  }
}

}  // namespace

// Files are read and parsed on every core: at 100,000 revisions the open()
// and read() calls alone took longer than the whole command may. Each file
// lands in its own slot, so the result is in path order however the work was
// shared, and the error reported is that of the first bad file in that order.
std::vector<Revision> load_revisions(const std::string& dir, Dialect dialect, RevisionText text,
                                     ParseCache* cache) {
  if (text == RevisionText::Full) cache = nullptr;  // the cache holds summaries only
  const auto files = find_sql_files(dir);
  std::vector<Revision> revisions(files.size());
  std::vector<FileStamp> stamps(cache ? files.size() : 0);
  std::vector<char> parsed(files.size(), 0);
  // Stamps are taken relative to the directory itself (see stamp_file).
  // Every path find_sql_files returns starts with `dir` and a slash.
  const size_t skip = dir.back() == '/' ? dir.size() : dir.size() + 1;
  OpenDirectory dir_fd(cache ? dir : std::string());
  if (dir_fd.get() < 0) cache = nullptr;  // then no stamps: parse everything
  std::atomic<size_t> next{0};
  std::mutex error_mutex;
  size_t error_at = files.size();
  std::exception_ptr error;
  auto work = [&] {
    constexpr size_t kChunk = 64;
    for (size_t begin; (begin = next.fetch_add(kChunk)) < files.size();) {
      for (size_t i = begin; i < std::min(begin + kChunk, files.size()); ++i) {
        // Entries are distinct per path, so threads never touch the same one.
        if (cache && stamp_file(dir_fd.get(), files[i].c_str() + skip, stamps[i]) &&
            cache->find(files[i], stamps[i], revisions[i], i))
          continue;
        try {
          revisions[i] = load_revision(files[i], dialect);
        } catch (...) {
          std::lock_guard<std::mutex> lock(error_mutex);
          if (i < error_at) error_at = i, error = std::current_exception();
          continue;
        }
        parsed[i] = 1;
        if (text == RevisionText::Summary) {
          drop_sql(revisions[i].upgrade);
          drop_sql(revisions[i].downgrade);
          revisions[i].sql_dropped = true;
        }
      }
    }
  };
  // Below a few hundred files a thread costs more than it saves.
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  unsigned helpers = files.size() < 256 ? 0 : std::min(cores, 4u) - 1;
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < helpers; ++i) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
  if (cache) {
    for (size_t i = 0; i < files.size(); ++i)
      if (parsed[i]) cache->put(files[i], stamps[i], revisions[i]);
    cache->save();
  }
  return revisions;
}

}  // namespace mig
