#include "script/parse_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>

#include "script/script_directory.h"

namespace mig {
namespace {

// Bump whenever what is written below changes.
constexpr char kMagic[] = "mig-parse-cache 4\n";
// A file younger than this when read is not cached (see the class comment).
constexpr int64_t kSettleNs = 2'000'000'000;

int64_t ns(const timespec& t) { return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec; }

// Length-prefixed fields, little-endian as the machine writes them: the cache
// is per user and per machine.
class Writer {
 public:
  void u64(uint64_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void str(std::string_view s) {
    u64(s.size());
    out_ += s;
  }
  void strings(const std::vector<std::string>& v) {
    u64(v.size());
    for (const auto& s : v) str(s);
  }
  void statements(const std::vector<Statement>& v) {
    u64(v.size());
    for (const auto& st : v)
      u64(static_cast<uint64_t>(st.line) << 2 | (st.raw ? 2 : 0) | (st.batch ? 1 : 0));
  }
  std::string& text() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }
  uint64_t u64() {
    uint64_t v = 0;
    if (in_.size() - pos_ < sizeof v) return fail();
    std::memcpy(&v, in_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  std::string_view view() {
    uint64_t n = u64();
    if (!ok_ || in_.size() - pos_ < n) return fail(), std::string_view();
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string str() { return std::string(view()); }
  std::vector<std::string> strings() {
    uint64_t n = u64();
    std::vector<std::string> v;
    for (uint64_t i = 0; ok_ && i < n; ++i) v.push_back(str());
    return v;
  }
  std::vector<Statement> statements() {
    uint64_t n = u64();
    if (n > in_.size()) return fail(), std::vector<Statement>();
    std::vector<Statement> v(n);
    for (auto& st : v) {
      uint64_t x = u64();
      st.line = static_cast<int>(x >> 2);
      st.raw = x & 2;
      st.batch = x & 1;
    }
    return v;
  }

 private:
  uint64_t fail() {
    ok_ = false;
    pos_ = in_.size();
    return 0;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Every field of a Summary revision but its path (the key). A new field in
// Revision must be added here and kMagic bumped; the assertion is a reminder.
#if defined(__x86_64__) && defined(__GLIBCXX__)  // the size it has where we build and test
static_assert(sizeof(Revision) == 352, "Revision changed: update the parse cache and kMagic");
#endif

void write_revision(Writer& w, const Revision& r) {
  w.str(r.id);
  w.strings(r.parents);
  w.strings(r.depends);
  w.str(r.message);
  w.str(r.created);
  w.u64(r.kind == RevisionKind::Data);
  w.u64(r.transactional);
  w.u64(r.upgrade_autocommit);
  w.u64(r.downgrade_autocommit);
  w.statements(r.upgrade);
  w.statements(r.downgrade);
  w.u64(r.has_downgrade);
  w.u64(r.declared_irreversible);
  w.u64(r.allow_destructive);
  w.strings(r.nolint);  // (a statement's own nolint goes with its text, which is not kept)
  w.str(r.branch);
  w.u64(static_cast<uint64_t>(r.revision_line));
  w.u64(static_cast<uint64_t>(r.parent_line));
  w.u64(static_cast<uint64_t>(r.depends_line));
  w.str(r.checksum);
}

bool read_revision(Reader& in, Revision& r) {
  r.id = in.str();
  r.parents = in.strings();
  r.depends = in.strings();
  r.message = in.str();
  r.created = in.str();
  r.kind = in.u64() ? RevisionKind::Data : RevisionKind::Schema;
  r.transactional = in.u64();
  r.upgrade_autocommit = in.u64();
  r.downgrade_autocommit = in.u64();
  r.upgrade = in.statements();
  r.downgrade = in.statements();
  r.has_downgrade = in.u64();
  r.declared_irreversible = in.u64();
  r.allow_destructive = in.u64();
  r.nolint = in.strings();
  r.branch = in.str();
  r.revision_line = static_cast<int>(in.u64());
  r.parent_line = static_cast<int>(in.u64());
  r.depends_line = static_cast<int>(in.u64());
  r.checksum = in.str();
  r.sql_dropped = true;
  return in.ok() && in.at_end();
}

void write_stamp(Writer& w, const FileStamp& s) {
  w.u64(s.device);
  w.u64(s.inode);
  w.u64(s.size);
  w.u64(static_cast<uint64_t>(s.mtime_ns));
  w.u64(static_cast<uint64_t>(s.ctime_ns));
}

FileStamp read_stamp(Reader& in) {
  FileStamp s;
  s.device = in.u64();
  s.inode = in.u64();
  s.size = in.u64();
  s.mtime_ns = static_cast<int64_t>(in.u64());
  s.ctime_ns = static_cast<int64_t>(in.u64());
  return s;
}

}  // namespace

bool stamp_file(int dir_fd, const char* relative, FileStamp& out) {
  struct stat st {};
  if (::fstatat(dir_fd, relative, &st, 0) != 0) return false;
  out = {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
         static_cast<uint64_t>(st.st_size), ns(st.st_mtim), ns(st.st_ctim)};
  return true;
}

bool stamp_file(const std::string& path, FileStamp& out) {
  return stamp_file(AT_FDCWD, path.c_str(), out);
}

std::string ParseCache::user_cache_dir(const std::function<const char*(const char*)>& getenv) {
  const char* off = getenv("MIG_CACHE");
  if (off && std::string(off) == "off") return {};
  if (const char* xdg = getenv("XDG_CACHE_HOME"); xdg && *xdg == '/')
    return std::string(xdg) + "/mig";
  if (const char* home = getenv("HOME"); home && *home == '/')
    return std::string(home) + "/.cache/mig";
  return {};
}

std::string ParseCache::file_for(const std::string& cache_dir, const std::string& migrations_dir,
                                 Dialect dialect) {
  if (cache_dir.empty()) return {};
  const std::string& dir = cache_dir;
  char* real = ::realpath(migrations_dir.c_str(), nullptr);
  if (!real) return {};
  std::string key = std::string(real) + "\n" + std::to_string(static_cast<int>(dialect));
  std::free(real);
  // std::hash, not SHA-256: a run that finds every file in the cache then
  // never sets up OpenSSL, which takes longer (0.5 ms) than the rest of the
  // cache. Should the hash differ in another build of the C++ library, that
  // build just starts a cache of its own.
  char name[32];
  std::snprintf(name, sizeof name, "%016zx", std::hash<std::string>{}(key));
  return dir + "/" + name;
}

ParseCache::ParseCache(std::string file, Dialect dialect, int64_t now_ns)
    : file_(std::move(file)), dialect_(dialect), now_ns_(now_ns) {
  if (now_ns_ == 0) {
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    now_ns_ = ns(now);
  }
  if (!file_.empty()) load();
}

void ParseCache::load() {
  int fd = ::open(file_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st {};
  void* p = MAP_FAILED;
  if (::fstat(fd, &st) == 0 && st.st_size > 0)
    p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) return;
  size_t size = static_cast<size_t>(st.st_size);
  map_ = {p, [size](void* m) { ::munmap(m, size); }};
  // The file is replaced by rename(), never rewritten in place, so what is
  // mapped here cannot change under us.
  text_ = std::string_view(static_cast<const char*>(p), size);
  if (text_.compare(0, sizeof kMagic - 1, kMagic) != 0) return;
  Reader in(text_.substr(sizeof kMagic - 1));
  if (in.u64() != static_cast<uint64_t>(dialect_)) return;
  uint64_t count = in.u64();
  if (!in.ok() || count > text_.size()) return;
  slots_.reserve(count);
  for (uint64_t i = 0; in.ok() && i < count; ++i) {
    Slot slot;
    slot.path = in.view();
    slot.stamp = read_stamp(in);
    slot.blob = in.view();
    // Written in path order; anything else is damage.
    if (!slots_.empty() && !(slots_.back().path < slot.path)) break;
    slots_.push_back(slot);
  }
  if (!in.ok() || !in.at_end() || slots_.size() != count) slots_.clear();  // damaged: start again
  used_.assign(slots_.size(), 0);
}

bool ParseCache::find(const std::string& path, const FileStamp& stamp, Revision& out, size_t hint) {
  auto it = slots_.begin() + std::min(hint, slots_.size());
  if (it == slots_.end() || it->path != path)
    it = std::lower_bound(slots_.begin(), slots_.end(), std::string_view(path),
                          [](const Slot& s, std::string_view p) { return s.path < p; });
  if (it == slots_.end() || it->path != path || !(it->stamp == stamp)) return false;
  Reader in(it->blob);
  Revision r;
  if (!read_revision(in, r)) return false;
  r.path = path;
  out = std::move(r);
  used_[it - slots_.begin()] = 1;
  return true;
}

void ParseCache::put(const std::string& path, const FileStamp& stamp, const Revision& summary) {
  if (file_.empty()) return;
  if (now_ns_ - stamp.mtime_ns < kSettleNs || now_ns_ - stamp.ctime_ns < kSettleNs) return;
  Writer w;
  write_revision(w, summary);
  added_.push_back({path, stamp, std::move(w.text())});
}

void ParseCache::save() {
  if (file_.empty()) return;
  // Kept: entries found this run and entries stored this run. An entry whose
  // file is gone or changed was not found, so it drops out here.
  bool changed = !added_.empty();
  std::vector<Slot> keep;
  keep.reserve(slots_.size() + added_.size());
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (used_[i])
      keep.push_back(slots_[i]);
    else
      changed = true;
  }
  if (!changed) return;
  for (const auto& a : added_) keep.push_back({a.path, a.stamp, a.blob});
  std::sort(keep.begin(), keep.end(), [](const Slot& a, const Slot& b) { return a.path < b.path; });
  // A path both found and stored (never both in one run, but cheap to rule out).
  keep.erase(std::unique(keep.begin(), keep.end(),
                         [](const Slot& a, const Slot& b) { return a.path == b.path; }),
             keep.end());
  Writer w;
  w.text() = kMagic;
  w.u64(static_cast<uint64_t>(dialect_));
  w.u64(keep.size());
  for (const auto& slot : keep) {
    w.str(slot.path);
    write_stamp(w, slot.stamp);
    w.str(slot.blob);
  }
  std::string dir = file_.substr(0, file_.rfind('/'));
  std::string parent = dir.substr(0, dir.rfind('/'));
  ::mkdir(parent.c_str(), 0700);
  ::mkdir(dir.c_str(), 0700);
  // Unique to this writer: other processes, and other projects of this one
  // on other threads, may be saving the same cache at the same time.
  static std::atomic<unsigned> writers{0};
  std::string tmp = file_ + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(++writers);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  const std::string& data = w.text();
  bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), file_.c_str()) != 0) ::unlink(tmp.c_str());
  added_.clear();
}

}  // namespace mig
