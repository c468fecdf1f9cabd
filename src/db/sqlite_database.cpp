#include "db/sqlite_database.h"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <boost/filesystem.hpp>

#include "script/checksum.h"

namespace mig {
namespace {

using namespace sqlite_api;

// SQLite: the run lock is the database write lock (BEGIN IMMEDIATE) held for
// the whole run; each revision is a SAVEPOINT inside it.
class SqliteDatabase : public Database {
 public:
  SqliteDatabase(const DatabaseUrl& url, int lock_timeout)
      : url_(url), timeout_ms_(lock_timeout * 1000) {
    if (!url.is_memory()) {
      boost::filesystem::path parent = boost::filesystem::path(url.path).parent_path();
      boost::system::error_code ec;
      if (!parent.empty()) boost::filesystem::create_directories(parent, ec);
    }
    try {
      session_ = std::make_unique<soci::session>(soci::sqlite3, "db=\"" + url.path + "\"");
    } catch (const soci::soci_error& e) {
      throw OperationError("cannot open " + url.describe() + ": " + e.get_error_message());
    }
    db_ = static_cast<soci::sqlite3_session_backend*>(session_->get_backend())->conn_;
    sqlite3_busy_timeout(db_, timeout_ms_);
  }

  ~SqliteDatabase() override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

  SqlDialect dialect() const override { return SqlDialect::SQLite; }
  Backend backend() const override { return Backend::SQLite; }
  bool transactional_ddl() const override { return true; }

  long long execute(const std::string& sql) override {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      std::string message = error ? error : sqlite3_errstr(rc);
      sqlite3_free(error);
      throw DatabaseError(message);
    }
    return sqlite3_changes(db_);
  }

  std::string schema_fingerprint(const std::string& prefix) override {
    std::string all;
    soci::indicator ind = soci::i_null;
    session() << "SELECT group_concat(type || ' ' || name || ' ' || tbl_name || ' ' || "
                 "coalesce(sql, ''), char(10)) FROM (SELECT * FROM sqlite_master "
                 "WHERE substr(tbl_name, 1, length(:p)) <> :p ORDER BY type, name)",
        soci::use(prefix, "p"), soci::into(all, ind);
    return sha256_hex(ind == soci::i_ok ? all : std::string());
  }

  bool table_exists(const std::string& name) override {
    int count = 0;
    session() << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :n",
        soci::use(name), soci::into(count);
    return count > 0;
  }

  void acquire_lock(const WaitNotice& notice) override {
    sqlite3_busy_timeout(db_, 0);
    int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    if (rc == SQLITE_BUSY) {
      if (notice) notice(lock_wait_notice(timeout_ms_ / 1000, url_));
      sqlite3_busy_timeout(db_, timeout_ms_);
      rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    }
    sqlite3_busy_timeout(db_, timeout_ms_);
    if (rc == SQLITE_BUSY) throw lock_timeout_error(timeout_ms_ / 1000, url_);
    if (rc != SQLITE_OK)
      throw OperationError("cannot lock " + url_.describe() + ": " + sqlite3_errmsg(db_));
    locked_ = true;
  }

  void release_lock() override {
    if (!locked_) return;
    locked_ = false;
    if (!sqlite3_get_autocommit(db_)) execute("COMMIT");
  }

  void begin_step() override { execute(locked_ ? "SAVEPOINT mig_step" : "BEGIN IMMEDIATE"); }

  std::string quote(const std::string& text) override {
    std::unique_ptr<char, decltype(&sqlite3_free)> quoted(sqlite3_mprintf("%Q", text.c_str()),
                                                          &sqlite3_free);
    if (!quoted) throw DatabaseError("out of memory quoting a value");
    return quoted.get();
  }

  bool rollback_step() override {
    if (sqlite3_get_autocommit(db_)) {  // SQLite already rolled back everything
      bool lost_run = locked_;
      locked_ = false;
      return !lost_run;
    }
    if (!locked_) {
      execute("ROLLBACK");
      return true;
    }
    execute("ROLLBACK TO mig_step");
    execute("RELEASE mig_step");
    return true;
  }

  void suspend_transaction() override {
    if (locked_ && !sqlite3_get_autocommit(db_)) execute("COMMIT");
    locked_ = false;
  }

  void resume_transaction() override { acquire_lock(nullptr); }

 protected:
  std::string commit_statement() const override { return locked_ ? "RELEASE mig_step" : "COMMIT"; }

 private:
  DatabaseUrl url_;
  int timeout_ms_;
  sqlite3* db_ = nullptr;
  bool locked_ = false;
};

}  // namespace

std::unique_ptr<Database> open_sqlite(const DatabaseUrl& url, const ConnectOptions& options) {
  return std::make_unique<SqliteDatabase>(url, options.lock_timeout);
}

}  // namespace mig
