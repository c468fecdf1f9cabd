#include "harness.h"

#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

#include <boost/filesystem.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mig::e2e {
namespace {

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

}  // namespace

Project::Project() { boost::filesystem::create_directories(dir_ / "migrations"); }

std::string Project::read(const std::string& rel) const { return slurp(dir_ / rel); }

void Project::revision(const std::string& id, const std::string& parents,
                       const std::string& upgrade, const std::string& downgrade,
                       const std::string& extra_header) const {
  std::string text = "-- mig:revision " + id + "\n";
  if (!parents.empty()) text += "-- mig:parent " + parents + "\n";
  text += "-- mig:message revision " + id + "\n" + extra_header;
  text += "\n-- mig:upgrade\n" + upgrade + "\n";
  if (downgrade != "<none>") text += "\n-- mig:downgrade\n" + downgrade + "\n";
  write("migrations/" + id + ".sql", text);
}

Result Project::mig(const std::vector<std::string>& args,
                    const std::map<std::string, std::string>& env) const {
  std::string cmd = "cd " + quote(path()) + " && env -u DATABASE_URL -u MIG_ENV";
  for (const auto& [k, v] : env) cmd += " " + quote(k + "=" + v);
  cmd += " " + quote(MIG_BINARY);
  for (const auto& a : args) cmd += " " + quote(a);
  std::string out_file = dir_ / ".stdout", err_file = dir_ / ".stderr";
  cmd += " >" + quote(out_file) + " 2>" + quote(err_file) + " </dev/null";
  int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out_file);
  r.err = slurp(err_file);
  return r;
}

std::vector<Result> Project::mig_parallel(int count, const std::vector<std::string>& args,
                                          const std::map<std::string, std::string>& env) const {
  return mig_many(std::vector<std::vector<std::string>>(count, args), env, 0);
}

std::vector<Result> Project::mig_many(const std::vector<std::vector<std::string>>& commands,
                                      const std::map<std::string, std::string>& env,
                                      int stagger_ms) const {
  std::string script = "cd " + quote(path()) + "\n";
  for (size_t i = 0; i < commands.size(); ++i) {
    std::string cmd = "env -u DATABASE_URL -u MIG_ENV";
    for (const auto& [k, v] : env) cmd += " " + quote(k + "=" + v);
    cmd += " " + quote(MIG_BINARY);
    for (const auto& a : commands[i]) cmd += " " + quote(a);
    std::string n = std::to_string(i);
    cmd += " >.out" + n + " 2>.err" + n + " </dev/null; echo $? >.code" + n;
    std::string delay = std::to_string(stagger_ms * static_cast<int>(i) / 1000.0);
    script += "(sleep " + delay + "; " + cmd + ") &\n";
  }
  script += "wait\n";
  write(".parallel.sh", script);
  std::system(("sh " + quote(dir_ / ".parallel.sh")).c_str());
  std::vector<Result> results;
  for (size_t i = 0; i < commands.size(); ++i) {
    std::string n = std::to_string(i);
    Result r;
    r.code = std::stoi("0" + slurp(dir_ / (".code" + n)));
    r.out = slurp(dir_ / (".out" + n));
    r.err = slurp(dir_ / (".err" + n));
    results.push_back(r);
  }
  return results;
}

int Project::spawn(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env) const {
  std::vector<std::string> env_strings = {"PATH=/usr/bin:/bin"};
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_strings = {MIG_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::string cwd = path();
  pid_t pid = 0;
  // posix_spawn has no chdir before Debian 13's glibc: run through `sh -c cd`.
  std::vector<std::string> sh = {"/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", cwd};
  for (auto& a : argv_strings) sh.push_back(a);
  std::vector<char*> shv;
  for (auto& a : sh) shv.push_back(a.data());
  shv.push_back(nullptr);
  int rc = posix_spawn(&pid, "/bin/sh", &actions, nullptr, shv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("posix_spawn failed");
  return pid;
}

int wait_exit(int pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

WriteLock::WriteLock(const std::string& db_file) {
  sqlite3_open(db_file.c_str(), &db_);
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK)
    throw std::runtime_error("cannot lock " + db_file);
}

WriteLock::~WriteLock() {
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db_);
}

std::vector<std::string> query(const std::string& db_file, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + db_file);
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    std::string err = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error("query failed: " + err + ": " + sql);
  }
  std::vector<std::string> rows;
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const unsigned char* text = sqlite3_column_text(st, i);
      row += (i ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
    rows.push_back(row);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

std::vector<std::string> tables(const std::string& db_file) {
  if (!boost::filesystem::exists(db_file)) return {};
  return query(db_file,
               "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
               "ORDER BY name");
}

bool has_table(const std::string& db_file, const std::string& name) {
  for (const auto& t : tables(db_file))
    if (t == name) return true;
  return false;
}

}  // namespace mig::e2e
