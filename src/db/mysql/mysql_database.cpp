#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>

#include "base/strings.h"
#include "db/backend_module.h"
#include "db/database.h"
#include "script/sql_splitter.h"

namespace mig {
namespace {

// A table name token with its quotes off (leading_tokens() upper-cases a
// name written without quotes, and keeps a quoted one as written).
std::string bare(const std::string& token) {
  std::string out;
  for (char c : token)
    if (c != '`' && c != '"') out += c;
  return out;
}

// The table a single-table INSERT, REPLACE, UPDATE or DELETE writes
// ("DB.TABLE" or "TABLE", upper case), or empty when the statement is
// anything else, or writes several tables.
std::string dml_table(const std::string& sql) {
  auto w = leading_tokens(sql, 16);
  if (w.empty()) return {};
  size_t i = 1;
  auto skip = [&](std::initializer_list<const char*> words) {
    while (i < w.size()) {
      bool any = false;
      for (const char* k : words) any = any || w[i] == k;
      if (!any) return;
      ++i;
    }
  };
  if (w[0] == "INSERT" || w[0] == "REPLACE") {
    skip({"LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO"});
  } else if (w[0] == "UPDATE") {
    skip({"LOW_PRIORITY", "IGNORE"});
  } else if (w[0] == "DELETE") {
    skip({"LOW_PRIORITY", "QUICK", "IGNORE"});
    if (i >= w.size() || w[i] != "FROM") return {};  // DELETE t1, t2 FROM …
    ++i;
  } else {
    return {};
  }
  if (i >= w.size()) return {};
  std::string table = bare(w[i]);
  if (i + 2 < w.size() && w[i + 1] == ".") table += "." + bare(w[i += 2]);
  // Up to SET, WHERE, VALUES or SELECT, a comma or a join means several
  // tables (`UPDATE a x, b y SET …`, `UPDATE a JOIN b …`).
  for (size_t j = i + 1; j < w.size(); ++j) {
    const std::string& word = w[j];
    if (word == "SET" || word == "WHERE" || word == "VALUES" || word == "VALUE" ||
        word == "SELECT" || word == "(")
      break;
    if (word == "," || word == "USING" || word.find("JOIN") != std::string::npos) return {};
  }
  return table;
}

std::string first_word(const std::string& sql) {
  auto w = leading_tokens(sql, 1);
  return w.empty() ? std::string() : w[0];
}

// MySQL/MariaDB: DDL commits implicitly, so revisions run statement by
// statement with their progress recorded (see Migrator). Two connections:
// the control connection holds the run lock (a named GET_LOCK) and does all
// of mig's bookkeeping; the revisions' own statements go to a work
// connection, reset after each revision. A dump's LOCK TABLES, a USE or a
// SET autocommit = 0 in a revision then cannot touch the bookkeeping, and
// each revision starts from a fresh session, as in a run of its own.
class MysqlDatabase : public Database {
 public:
  MysqlDatabase(const DatabaseUrl& url, const ConnectOptions& options)
      : url_(url), options_(options) {
    session_ = connect(conn_);
  }

  ~MysqlDatabase() override {
    if (work_conn_) mysql_rollback(work_conn_);
    mysql_rollback(conn_);
  }

  Dialect dialect() const override { return Dialect::MySQL; }
  bool transactional_ddl() const override { return false; }

  long long execute(const std::string& sql) override { return send(conn_, sql); }

  long long run(const std::string& sql) override {
    MYSQL* work = work_connection();
    std::string word = first_word(sql);
    long long rows = send(work, sql);
    // What LOCK TABLES is in force decides whether DML may be wrapped in a
    // transaction (START TRANSACTION would silently unlock the tables).
    if (word == "LOCK") locked_tables_ = true;
    if (word == "UNLOCK" || word == "START" || word == "BEGIN") locked_tables_ = false;
    // A USE, an ALTER … ENGINE or a DROP may change what a name means.
    if (dml_table(sql).empty()) engines_.clear();
    return rows;
  }

  // The revision's own transaction (START TRANSACTION, or SET autocommit = 0
  // and a statement since) is open: its statements are not committed yet.
  bool work_in_transaction() override {
    return work_conn_ && (work_conn_->server_status & SERVER_STATUS_IN_TRANS);
  }

  void begin_work() override {
    send(work_connection(), "START TRANSACTION");
    locked_tables_ = false;
  }
  void commit_work(const std::string& last_sql) override {
    send(work_connection(), last_sql.empty() ? "COMMIT" : last_sql + ";\nCOMMIT");
  }
  bool rollback_work() override {
    send(work_connection(), "ROLLBACK");
    return true;
  }

  bool atomic(const std::string& sql) override {
    // Not under LOCK TABLES, nor inside the revision's own transaction or
    // with autocommit turned off by it: mig's START TRANSACTION would end
    // those silently.
    MYSQL* work = work_connection();
    if (locked_tables_ || (work->server_status & SERVER_STATUS_IN_TRANS) ||
        !(work->server_status & SERVER_STATUS_AUTOCOMMIT))
      return false;
    std::string table = dml_table(sql);
    if (table.empty()) return false;
    auto cached = engines_.find(table);
    if (cached == engines_.end()) {
      // Asked on the work connection: its current database is the one an
      // unqualified name means.
      // First by exact name, as written and in lower case (how most names
      // are written without quotes): information_schema then reads that one
      // table. Only a name found by neither is looked for ignoring case,
      // which reads every table of the server (9 ms at 1,000 tables, for
      // each revision).
      size_t dot = table.find('.');
      bool qualified = dot != std::string::npos;
      std::string schema = qualified ? table.substr(0, dot) : std::string();
      std::string name = qualified ? table.substr(dot + 1) : table;
      auto exact = [&](const std::string& s, const std::string& n) {
        return "SELECT UPPER(ENGINE) FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
               (qualified ? quote(s) : std::string("DATABASE()")) + " AND TABLE_NAME = " + quote(n);
      };
      std::string engine = scalar(work, exact(schema, name) + " UNION ALL " +
                                            exact(lower_ascii(schema), lower_ascii(name)));
      if (engine.empty())
        engine = scalar(
            work,
            "SELECT UPPER(ENGINE) FROM information_schema.TABLES WHERE "
            "UPPER(TABLE_SCHEMA) = " +
                (qualified ? "UPPER(" + quote(schema) + ")" : std::string("UPPER(DATABASE())")) +
                " AND UPPER(TABLE_NAME) = UPPER(" + quote(name) + ")");
      cached = engines_.emplace(table, engine == "INNODB").first;
    }
    return cached->second;
  }

  // The reset drops locks, variables, temporary tables and any open
  // transaction; the default database it keeps, so that is chosen again.
  void end_revision() override {
    if (!work_conn_) return;
    if (mysql_reset_connection(work_conn_) != 0) fail(work_conn_);
    if (!url_.database.empty() && mysql_select_db(work_conn_, url_.database.c_str()) != 0)
      fail(work_conn_);
    prepare(work_conn_);
    locked_tables_ = false;
    engines_.clear();
  }

  // With its database: some of mig's statements go over the work connection
  // (with a revision's DML, or a seed), where a revision's USE may have
  // chosen another one.
  std::string qualified(const std::string& name) const override {
    if (url_.database.empty()) return name;
    std::string quoted;
    for (char c : url_.database) quoted += c == '`' ? std::string("``") : std::string(1, c);
    return "`" + quoted + "`." + name;
  }

  // Exact lookups joined by UNION ALL: information_schema then reads those
  // tables alone (MariaDB 10.11 answered `table_name IN (...)` with nothing).
  std::vector<std::string> existing_tables(const std::vector<std::string>& names) override {
    std::string sql;
    for (const auto& n : names)
      sql += std::string(sql.empty() ? "" : " UNION ALL ") +
             "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
             "AND table_type = 'BASE TABLE' AND table_name = " +
             quote(n);
    std::vector<std::string> out;
    if (sql.empty()) return out;
    for (auto& row : query_rows(*this, sql)) out.push_back(std::move(row.at(0)));
    return out;
  }

  bool table_exists(const std::string& name) override {
    int count = 0;
    session() << "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
                 "AND table_type = 'BASE TABLE' AND table_name = :n",
        soci::use(name), soci::into(count);
    return count > 0;
  }

  // MySQL keeps no schema version, but the server counts the statements it
  // runs, whoever sends them (stored programs, events and prepared
  // statements included): "ddl:N;up:S;flush:F" is the sum of its CREATE,
  // ALTER, DROP and RENAME counters, with the time the server started and
  // the time its counters were last flushed (both of which would start the
  // counters again). The same sum on the same server run means no DDL began
  // anywhere on the server since; a few statements, about a millisecond, at
  // any schema size.
  //
  // A statement is counted when it begins, so one that began earlier may
  // still be running and change the schema after the counters are read: the
  // value is given only when this connection may see every session (the
  // PROCESS privilege) and none is running a statement that could change a
  // schema (one that begins, after any comment, with ALTER, CREATE, DROP,
  // RENAME, CALL, EXECUTE, ...). The counters are read first, so a statement
  // that begins after them moves them; and after the snapshot is taken they
  // are read again (save_snapshot). Empty where the server will not say, or
  // cannot prove it.
  std::string schema_version() override {
    try {
      long long ddl = 0, uptime = -1, since_flush = -1;
      for (const auto& row : query_rows(*this,
                                        "SHOW GLOBAL STATUS WHERE Variable_name RLIKE "
                                        "'^(Com_(alter|create|drop|rename)_.*|Uptime|"
                                        "Uptime_since_flush_status)$'")) {
        if (row.size() < 2) continue;
        long long value = std::atoll(row[1].c_str());
        std::string name = lower_ascii(row[0]);
        if (name == "uptime")
          uptime = value;
        else if (name == "uptime_since_flush_status")
          since_flush = value;
        else
          ddl += value;
      }
      auto now = query_rows(
          *this,
          "SELECT UNIX_TIMESTAMP(), "
          "(SELECT COUNT(*) FROM information_schema.user_privileges WHERE privilege_type = "
          "'PROCESS' AND grantee = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), "
          "'''@''', SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')), "
          "(SELECT COUNT(*) FROM information_schema.processlist WHERE id <> CONNECTION_ID() "
          "AND info RLIKE '(?is)^[[:space:]]*(/[*].*[*]/[[:space:]]*)?"
          "(set[[:space:]]+statement[[:space:]].*[[:space:]]for[[:space:]]+)?"
          "(alter|create|drop|rename|truncate|optimize|repair|import|call|execute|load|"
          "install|uninstall)([^a-z_]|$)')");
      if (uptime < 0 || since_flush < 0 || now.empty() || now[0].size() < 3) return {};
      if (now[0][1] == "0" || now[0][2] != "0") return {};
      long long at = std::atoll(now[0][0].c_str());
      return "ddl:" + std::to_string(ddl) + ";up:" + std::to_string(at - uptime) +
             ";flush:" + std::to_string(at - since_flush);
    } catch (const std::exception&) {
      return {};
    }
  }

  // The times are seconds since the epoch less a count of whole seconds,
  // so the same server run may read a second apart.
  bool schema_version_matches(const std::string& recorded) override {
    return schema_changes_between(recorded, schema_version()) == 0;
  }

  long long schema_changes_between(const std::string& before, const std::string& after) override {
    auto parse = [](const std::string& v, long long out[3]) {
      return std::sscanf(v.c_str(), "ddl:%lld;up:%lld;flush:%lld", &out[0], &out[1], &out[2]) == 3;
    };
    long long a[3], b[3];
    if (!parse(before, a) || !parse(after, b)) return -1;
    if (std::llabs(a[1] - b[1]) > 2 || std::llabs(a[2] - b[2]) > 2) return -1;  // restarted
    return b[0] >= a[0] ? b[0] - a[0] : -1;
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
    // An error may have left a transaction open on either connection.
    if (work_conn_) mysql_rollback(work_conn_);
    mysql_rollback(conn_);
    int released = 0;
    soci::indicator ind;
    // A named local: soci runs the statement when the expression's
    // temporaries go, and a temporary name would be gone first.
    std::string name = lock_name();
    session() << "SELECT RELEASE_LOCK(:n)", soci::use(name), soci::into(released, ind);
  }

  std::string quote(const std::string& text) override {
    std::string out(text.size() * 2 + 1, '\0');
    unsigned long n = mysql_real_escape_string(conn_, out.data(), text.data(), text.size());
    if (n == static_cast<unsigned long>(-1)) fail(conn_);
    out.resize(n);
    return "'" + out + "'";
  }

 private:
  std::unique_ptr<soci::session> connect(MYSQL*& conn) {
    // The client library is set up once, before any thread connects (a
    // group connects to many servers at once).
    static std::once_flag library;
    std::call_once(library, [] { mysql_library_init(0, nullptr, nullptr); });
    std::unique_ptr<soci::session> session;
    try {
      session = std::make_unique<soci::session>(soci::mysql, mysql_connect_string(url_));
    } catch (const soci::mysql_soci_error& e) {
      // Not reachable (2002, 2003), gone or starting (2006, 2013, 1053), too
      // busy (1040), or the database not created yet (1049): worth waiting.
      unsigned int code = e.err_num_;
      bool waitable = code == 2002 || code == 2003 || code == 2006 || code == 2013 ||
                      code == 1053 || code == 1040 || code == 1049;
      throw ConnectError("cannot connect to " + url_.describe() + ": " + e.get_error_message(),
                         waitable);
    } catch (const soci::soci_error& e) {
      throw ConnectError("cannot connect to " + url_.describe() + ": " + e.get_error_message(),
                         false);
    }
    conn = static_cast<soci::mysql_session_backend*>(session->get_backend())->conn_;
    prepare(conn);
    return session;
  }

  // What every session of mig's starts with. autocommit is set, not
  // assumed: a server may default it off (init_connect, a global setting),
  // and then nothing mig or a revision wrote would ever commit.
  void prepare(MYSQL* conn) {
    // `-- mig:statement begin/end` blocks may hold several statements.
    mysql_set_server_option(conn, MYSQL_OPTION_MULTI_STATEMENTS_ON);
    send(conn, "SET NAMES utf8mb4, autocommit = 1");
  }

  MYSQL* work_connection() {
    if (!work_) work_ = connect(work_conn_);
    return work_conn_;
  }

  long long send(MYSQL* conn, const std::string& sql) {
    if (mysql_real_query(conn, sql.data(), sql.size()) != 0) fail(conn);
    long long rows = 0;
    for (;;) {
      MYSQL_RES* result = mysql_store_result(conn);
      if (result)
        mysql_free_result(result);
      else if (mysql_field_count(conn) != 0)
        fail(conn);
      else
        rows += static_cast<long long>(mysql_affected_rows(conn));
      int next = mysql_next_result(conn);
      if (next > 0) fail(conn);
      if (next != 0) break;
    }
    return rows;
  }

  // The first column of the first row, or empty.
  std::string scalar(MYSQL* conn, const std::string& sql) {
    if (mysql_real_query(conn, sql.data(), sql.size()) != 0) fail(conn);
    MYSQL_RES* result = mysql_store_result(conn);
    if (!result) fail(conn);
    std::string value;
    if (MYSQL_ROW row = mysql_fetch_row(result); row && row[0]) value = row[0];
    mysql_free_result(result);
    return value;
  }

  [[noreturn]] void fail(MYSQL* conn) {
    throw DatabaseError(redact(std::string(mysql_error(conn)) + " (error " +
                               std::to_string(mysql_errno(conn)) + ")"));
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
  MYSQL* conn_ = nullptr;  // control: lock and bookkeeping
  std::unique_ptr<soci::session> work_;
  MYSQL* work_conn_ = nullptr;  // the revisions' statements (opened on first use)
  bool locked_ = false;
  bool locked_tables_ = false;           // LOCK TABLES in force on the work connection
  std::map<std::string, bool> engines_;  // table -> InnoDB, for this revision
};

}  // namespace

}  // namespace mig

// The module's entry point (see db/backend_module.h).
extern "C" mig::Database* mig_open_mysql(const mig::DatabaseUrl& url,
                                         const mig::ConnectOptions& options) {
  return new mig::MysqlDatabase(url, options);
}
