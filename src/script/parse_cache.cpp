#include "script/parse_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "script/checksum.h"
#include "script/script_directory.h"

namespace mig {
namespace {

// Bump whenever what is written below changes.
constexpr char kMagic[] = "mig-parse-cache 1\n";
// A file younger than this when read is not cached (see the class comment).
constexpr int64_t kSettleNs = 2'000'000'000;

int64_t ns(const timespec& t) { return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec; }

// Length-prefixed fields, little-endian as the machine writes them: the cache
// is per user and per machine.
class Writer {
 public:
  void u64(uint64_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void str(const std::string& s) {
    u64(s.size());
    out_ += s;
  }
  void strings(const std::vector<std::string>& v) {
    u64(v.size());
    for (const auto& s : v) str(s);
  }
  void statements(const std::vector<Statement>& v) {
    u64(v.size());
    for (const auto& st : v) u64(static_cast<uint64_t>(st.line) << 1 | (st.batch ? 1 : 0));
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
  std::string str() {
    uint64_t n = u64();
    if (!ok_ || in_.size() - pos_ < n) return fail(), std::string();
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
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
      st.line = static_cast<int>(x >> 1);
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
static_assert(sizeof(Revision) == 328, "Revision changed: update the parse cache and kMagic");
#endif

void write_revision(Writer& w, const Revision& r) {
  w.str(r.id);
  w.strings(r.parents);
  w.strings(r.depends);
  w.str(r.message);
  w.str(r.created);
  w.u64(r.kind == RevisionKind::Data);
  w.u64(r.transactional);
  w.statements(r.upgrade);
  w.statements(r.downgrade);
  w.u64(r.has_downgrade);
  w.u64(r.declared_irreversible);
  w.u64(r.allow_destructive);
  w.str(r.branch);
  w.u64(static_cast<uint64_t>(r.revision_line));
  w.u64(static_cast<uint64_t>(r.parent_line));
  w.u64(static_cast<uint64_t>(r.depends_line));
  w.str(r.checksum);
}

Revision read_revision(Reader& in, const std::string& path) {
  Revision r;
  r.path = path;
  r.id = in.str();
  r.parents = in.strings();
  r.depends = in.strings();
  r.message = in.str();
  r.created = in.str();
  r.kind = in.u64() ? RevisionKind::Data : RevisionKind::Schema;
  r.transactional = in.u64();
  r.upgrade = in.statements();
  r.downgrade = in.statements();
  r.has_downgrade = in.u64();
  r.declared_irreversible = in.u64();
  r.allow_destructive = in.u64();
  r.branch = in.str();
  r.revision_line = static_cast<int>(in.u64());
  r.parent_line = static_cast<int>(in.u64());
  r.depends_line = static_cast<int>(in.u64());
  r.checksum = in.str();
  r.sql_dropped = true;
  return r;
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

bool stamp_file(const std::string& path, FileStamp& out) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  out = {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino),
         static_cast<uint64_t>(st.st_size), ns(st.st_mtim), ns(st.st_ctim)};
  return true;
}

std::string ParseCache::default_path(const std::string& migrations_dir, SqlDialect dialect) {
  const char* off = std::getenv("MIG_CACHE");
  if (off && std::string(off) == "off") return {};
  std::string dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/')
    dir = std::string(xdg) + "/mig";
  else if (const char* home = std::getenv("HOME"); home && *home == '/')
    dir = std::string(home) + "/.cache/mig";
  else
    return {};
  char* real = ::realpath(migrations_dir.c_str(), nullptr);
  if (!real) return {};
  std::string key = std::string(real) + "\n" + std::to_string(static_cast<int>(dialect));
  std::free(real);
  return dir + "/" + sha256_hex(key).substr(0, 32);
}

ParseCache::ParseCache(std::string file, SqlDialect dialect, int64_t now_ns)
    : file_(std::move(file)), dialect_(dialect), now_ns_(now_ns) {
  if (now_ns_ == 0) {
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    now_ns_ = ns(now);
  }
  if (!file_.empty()) load();
}

void ParseCache::load() {
  std::string text;
  try {
    text = read_file(file_);
  } catch (const std::exception&) {
    return;
  }
  if (text.compare(0, sizeof kMagic - 1, kMagic) != 0) return;
  Reader in(std::string_view(text).substr(sizeof kMagic - 1));
  if (in.u64() != static_cast<uint64_t>(dialect_)) return;
  uint64_t count = in.u64();
  for (uint64_t i = 0; in.ok() && i < count; ++i) {
    std::string path = in.str();
    FileStamp stamp = read_stamp(in);
    Revision rev = read_revision(in, path);
    if (in.ok()) entries_.emplace(path, Entry{stamp, std::move(rev), false});
  }
  if (!in.ok() || !in.at_end()) entries_.clear();  // damaged: start again
}

const Revision* ParseCache::find(const std::string& path, const FileStamp& stamp) {
  auto it = entries_.find(path);
  if (it == entries_.end() || !(it->second.stamp == stamp)) return nullptr;
  it->second.used = true;
  return &it->second.revision;
}

void ParseCache::put(const std::string& path, const FileStamp& stamp, const Revision& summary) {
  if (file_.empty()) return;
  if (now_ns_ - stamp.mtime_ns < kSettleNs || now_ns_ - stamp.ctime_ns < kSettleNs) return;
  entries_[path] = Entry{stamp, summary, true};
  changed_ = true;
}

void ParseCache::save() {
  if (file_.empty()) return;
  for (auto it = entries_.begin(); it != entries_.end();) {  // files gone since
    if (it->second.used) {
      ++it;
    } else {
      it = entries_.erase(it);
      changed_ = true;
    }
  }
  if (!changed_) return;
  Writer w;
  w.text() = kMagic;
  w.u64(static_cast<uint64_t>(dialect_));
  w.u64(entries_.size());
  for (const auto& [path, entry] : entries_) {
    w.str(path);
    write_stamp(w, entry.stamp);
    write_revision(w, entry.revision);
  }
  std::string dir = file_.substr(0, file_.rfind('/'));
  std::string parent = dir.substr(0, dir.rfind('/'));
  ::mkdir(parent.c_str(), 0700);
  ::mkdir(dir.c_str(), 0700);
  std::string tmp = file_ + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;
  const std::string& data = w.text();
  bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), file_.c_str()) != 0) ::unlink(tmp.c_str());
  changed_ = false;
}

}  // namespace mig
