#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include "db/database.h"

namespace mig {
namespace {

// MySQL/MariaDB: DDL commits implicitly, so revisions run statement by
// statement with their progress recorded (see Migrator); the run lock is a
// named GET_LOCK held by the connection.
class MysqlDatabase : public Database {
 public:
  MysqlDatabase(const DatabaseUrl& url, const ConnectOptions& options)
      : url_(url), options_(options) {
    try {
      session_ = std::make_unique<soci::session>(soci::mysql, mysql_connect_string(url));
    } catch (const soci::soci_error& e) {
      throw OperationError("cannot connect to " + url.describe() + ": " + e.get_error_message());
    }
    conn_ = static_cast<soci::mysql_session_backend*>(session_->get_backend())->conn_;
    // `-- mig:statement begin/end` blocks may hold several statements.
    mysql_set_server_option(conn_, MYSQL_OPTION_MULTI_STATEMENTS_ON);
    execute("SET NAMES utf8mb4");
  }

  ~MysqlDatabase() override { mysql_rollback(conn_); }

  SqlDialect dialect() const override { return SqlDialect::MySQL; }
  Backend backend() const override { return Backend::MySQL; }
  bool transactional_ddl() const override { return false; }

  long long execute(const std::string& sql) override {
    if (mysql_real_query(conn_, sql.data(), sql.size()) != 0) fail();
    long long rows = 0;
    for (;;) {
      MYSQL_RES* result = mysql_store_result(conn_);
      if (result)
        mysql_free_result(result);
      else if (mysql_field_count(conn_) != 0)
        fail();
      else
        rows += static_cast<long long>(mysql_affected_rows(conn_));
      int next = mysql_next_result(conn_);
      if (next > 0) fail();
      if (next != 0) break;
    }
    return rows;
  }

  bool table_exists(const std::string& name) override {
    int count = 0;
    session() << "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
                 "AND table_name = :n",
        soci::use(name), soci::into(count);
    return count > 0;
  }

  void acquire_lock(const WaitNotice& notice) override {
    std::string name = lock_name();
    if (get_lock(name, 0) != 1) {
      if (notice) notice(lock_wait_notice(options_.lock_timeout, url_));
      if (get_lock(name, options_.lock_timeout) != 1)
        throw lock_timeout_error(options_.lock_timeout, url_);
    }
    locked_ = true;
  }

  void release_lock() override {
    if (!locked_) return;
    locked_ = false;
    int released = 0;
    soci::indicator ind;
    session() << "SELECT RELEASE_LOCK(:n)", soci::use(lock_name()), soci::into(released, ind);
  }

  std::string quote(const std::string& text) override {
    std::string out(text.size() * 2 + 1, '\0');
    unsigned long n = mysql_real_escape_string(conn_, out.data(), text.data(), text.size());
    if (n == static_cast<unsigned long>(-1)) fail();
    out.resize(n);
    return "'" + out + "'";
  }

  void begin_step() override { execute("START TRANSACTION"); }
  bool rollback_step() override {
    execute("ROLLBACK");
    return true;
  }
  void suspend_transaction() override {}
  void resume_transaction() override {}

 protected:
  std::string commit_statement() const override { return "COMMIT"; }

 private:
  [[noreturn]] void fail() {
    throw DatabaseError(redact(std::string(mysql_error(conn_)) + " (error " +
                               std::to_string(mysql_errno(conn_)) + ")"));
  }

  std::string lock_name() const {
    std::string name = "mig:" + url_.database + ":" + options_.lock_name;
    return name.substr(0, 64);
  }

  int get_lock(const std::string& name, int timeout) {
    int got = 0;
    soci::indicator ind;
    session() << "SELECT GET_LOCK(:n, :t)", soci::use(name), soci::use(timeout),
        soci::into(got, ind);
    return ind == soci::i_ok ? got : 0;
  }

  DatabaseUrl url_;
  ConnectOptions options_;
  MYSQL* conn_ = nullptr;
  bool locked_ = false;
};

}  // namespace

}  // namespace mig

// The module's entry point (see db/backend_module.h).
extern "C" mig::Database* mig_open_mysql(const mig::DatabaseUrl& url,
                                         const mig::ConnectOptions& options) {
  return new mig::MysqlDatabase(url, options);
}
