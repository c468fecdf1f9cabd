#pragma once

#include <map>
#include <string>
#include <vector>

#include "../test_support.h"

struct sqlite3;

namespace mig::e2e {

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

// A throw-away project directory in which the real `mig` binary is run.
class Project {
 public:
  Project();

  std::string path() const { return dir_.path(); }
  std::string operator/(const std::string& rel) const { return dir_ / rel; }
  void write(const std::string& rel, const std::string& text) const { dir_.write(rel, text); }
  std::string read(const std::string& rel) const;

  // Writes migrations/<id>.sql from parts.
  void revision(const std::string& id, const std::string& parents, const std::string& upgrade,
                const std::string& downgrade = "", const std::string& extra_header = "") const;

  // Runs `mig ARGS` with the project as working directory. DATABASE_URL and
  // MIG_ENV from the outer environment are removed; `env` adds variables.
  Result mig(const std::vector<std::string>& args,
             const std::map<std::string, std::string>& env = {}) const;

  // Starts `count` copies of `mig ARGS` at once and waits for all of them.
  std::vector<Result> mig_parallel(int count, const std::vector<std::string>& args,
                                   const std::map<std::string, std::string>& env = {}) const;

  // Starts each command `stagger_ms` after the previous one; waits for all.
  std::vector<Result> mig_many(const std::vector<std::vector<std::string>>& commands,
                               const std::map<std::string, std::string>& env, int stagger_ms) const;

  // Starts `mig ARGS` without waiting (output discarded); returns its pid.
  int spawn(const std::vector<std::string>& args,
            const std::map<std::string, std::string>& env = {}) const;

  // The default database file, var/mig.db.
  std::string db() const { return dir_ / "var/mig.db"; }

 private:
  testing::TempDir dir_;
};

// Queries a SQLite file directly; each row's columns joined with '|'.
std::vector<std::string> query(const std::string& db_file, const std::string& sql);
std::vector<std::string> tables(const std::string& db_file);  // user + mig tables, sorted
bool has_table(const std::string& db_file, const std::string& name);

// Holds the SQLite write lock on a file (BEGIN IMMEDIATE) until destroyed.
class WriteLock {
 public:
  explicit WriteLock(const std::string& db_file);
  ~WriteLock();

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace mig::e2e

namespace mig::e2e {

// Waits for a spawned process; its exit code, or -1 if it was killed.
int wait_exit(int pid);

}  // namespace mig::e2e
