#include "check/lint.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>

#include "base/strings.h"
#include "check/changes.h"
#include "check/rules.h"
#include "db/dialect_traits.h"
#include "script/sql_splitter.h"

namespace mig {
namespace {

bool word_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}

// Upper-cased words of a normalised statement, skipping quoted text.
std::vector<std::string> words(const std::string& sql) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {
      size_t close = sql.find(c, i + 1);
      while (close != std::string::npos && close + 1 < sql.size() && sql[close + 1] == c)
        close = sql.find(c, close + 2);
      i = close == std::string::npos ? sql.size() : close + 1;
    } else if (c == '$' && (i == 0 || !word_char(sql[i - 1]))) {
      size_t end = sql.find('$', i + 1);
      std::string tag = end == std::string::npos ? "" : sql.substr(i, end - i + 1);
      size_t close = tag.empty() ? std::string::npos : sql.find(tag, end + 1);
      i = close == std::string::npos ? i + 1 : close + tag.size();
    } else if (word_char(c)) {
      size_t start = i;
      while (i < sql.size() && word_char(sql[i])) ++i;
      std::string w = sql.substr(start, i - start);
      for (char& ch : w) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      out.push_back(w);
    } else {
      ++i;
    }
  }
  return out;
}

bool has(const std::vector<std::string>& w, const char* word) {
  return std::find(w.begin(), w.end(), word) != w.end();
}

// The code of a kind destructive_kind gives.
std::string destructive_code(const std::string& kind) {
  if (kind == "DROP SCHEMA" || kind == "DROP DATABASE") return "DS101";
  if (kind == "DROP TABLE") return "DS102";
  if (kind == "DROP COLUMN") return "DS103";
  if (kind == "TRUNCATE" || kind == "DELETE without WHERE") return "DS104";
  if (kind == "UPDATE without WHERE") return "DS105";
  return "DS106";  // ALTER ... TYPE, MODIFY, CHANGE
}

// Whether a `-- mig:nolint` list names the rule or its group.
bool names(const std::vector<std::string>& nolint, const CheckRule& rule) {
  return std::find(nolint.begin(), nolint.end(), rule.code) != nolint.end() ||
         std::find(nolint.begin(), nolint.end(), rule.group) != nolint.end();
}

void unknown_nolint(const Revision& r, const std::vector<std::string>& nolint, int line,
                    std::vector<Finding>& out) {
  for (const auto& c : nolint)
    if (!find_check_rule(c) && !is_check_group(c))
      out.push_back(make_finding("MG105", r.path, line, r.id,
                                 "-- mig:nolint names '" + c + "', which is no rule or group"));
}

}  // namespace

namespace {

// Every kind of destructive_kind's that the statement is, in the order its
// words say them (an ALTER TABLE of MySQL's may drop a column and MODIFY
// another), each once.
std::vector<std::string> destructive_kinds(const Statement& statement) {
  auto w = words(statement.normalized.empty() ? statement.sql : statement.normalized);
  if (w.empty()) return {};
  if (w[0] == "DROP" && w.size() > 1 && (w[1] == "TABLE" || w[1] == "SCHEMA" || w[1] == "DATABASE"))
    return {"DROP " + w[1]};
  if (w[0] == "TRUNCATE") return {"TRUNCATE"};
  if (w[0] == "DELETE" && !has(w, "WHERE")) return {"DELETE without WHERE"};
  if (w[0] == "UPDATE" && !has(w, "WHERE")) return {"UPDATE without WHERE"};
  std::vector<std::string> out;
  auto add = [&](const std::string& kind) {
    if (std::find(out.begin(), out.end(), kind) == out.end()) out.push_back(kind);
  };
  if (w[0] == "ALTER" && w.size() > 1 && w[1] == "TABLE") {
    static const char* not_columns[] = {"CONSTRAINT", "INDEX",  "KEY",   "PRIMARY",   "FOREIGN",
                                        "DEFAULT",    "NOT",    "CHECK", "PARTITION", "IDENTITY",
                                        "EXPRESSION", "UNIQUE", "SYSTEM"};
    for (size_t i = 2; i + 1 < w.size(); ++i) {
      if (w[i] == "DROP") {
        if (w[i + 1] == "COLUMN") add("DROP COLUMN");
        bool other = std::any_of(std::begin(not_columns), std::end(not_columns),
                                 [&](const char* k) { return w[i + 1] == k; });
        if (!other && w[i - 1] != "SET" && w[i - 1] != "ALTER") add("DROP COLUMN");
      }
      // ALTER TABLE t ALTER [COLUMN] c [SET DATA] TYPE …; a column named
      // "type" comes straight after ALTER or COLUMN.
      if (w[i] == "TYPE" && w[i - 1] != "COLUMN" && w[i - 1] != "ALTER" &&
          std::find(w.begin() + 3, w.begin() + i, "ALTER") != w.begin() + i)
        add("ALTER ... TYPE");
      if (w[i] == "MODIFY" || (w[i] == "CHANGE" && i > 2)) add("ALTER ... " + w[i]);
    }
  }
  return out;
}

}  // namespace

std::string destructive_kind(const Statement& statement) {
  auto kinds = destructive_kinds(statement);
  return kinds.empty() ? std::string() : kinds.front();
}

namespace {

// A finding of CODE for statement ST of R, unless the file or the statement
// exempts it (`-- mig:nolint`, or `-- mig:allow destructive` for that group).
// Whether it was reported.
bool report(const Revision& r, const Statement& st, int line, const std::string& code,
            const std::string& message, std::vector<Finding>& out) {
  const CheckRule& rule = *find_check_rule(code);
  if (names(r.nolint, rule) || names(st.nolint, rule)) return false;
  if (r.allow_destructive && rule.group == "destructive") return false;
  out.push_back(make_finding(code, r.path, line, r.id, message));
  return true;
}

// SQLite and MySQL: the destructive rules, by the statements' words, but
// for a table or column dropped (DS102, DS103): the changes read from the
// tokens name it, as PostgreSQL's do (UpgradeRules).
void lint_tokens(const Revision& r, std::vector<Finding>& out) {
  for (const auto& st : r.upgrade)
    for (const auto& kind : destructive_kinds(st))
      if (kind != "DROP TABLE" && kind != "DROP COLUMN")
        report(r, st, st.line, destructive_code(kind),
               "destructive statement (" + kind + ") in upgrade", out);
}

std::string qualified(const std::string& schema, const std::string& name) {
  return schema.empty() ? name : schema + "." + name;
}

bool money_like(const std::string& column) {
  static const char* kWords[] = {"price",   "prices", "amount",  "amounts", "cost",   "costs",
                                 "total",   "totals", "balance", "fee",     "fees",   "salary",
                                 "payment", "money",  "tax",     "taxes",   "charge", "wage"};
  // Its words: split at _ and where lower case turns upper (unitPrice).
  std::vector<std::string> words(1);
  for (size_t k = 0; k < column.size(); ++k) {
    char c = column[k];
    bool upper = std::isupper(static_cast<unsigned char>(c));
    if (c == '_' || (upper && k > 0 && std::islower(static_cast<unsigned char>(column[k - 1])))) {
      words.emplace_back();
      if (c == '_') continue;
    }
    words.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return std::any_of(words.begin(), words.end(), [](const std::string& w) {
    return std::any_of(std::begin(kWords), std::end(kWords), [&](const char* m) { return w == m; });
  });
}

// The design rules on one column a statement defines.
void lint_column(const Revision& r, const Statement& st, int line, const std::string& table,
                 const ColumnSpec& col, std::vector<Finding>& out) {
  std::string name = table + "." + col.name;
  if (col.type == "timestamp" || col.type.rfind("timestamp(", 0) == 0)
    report(r, st, line, "DE102", "column " + name + " is timestamp without time zone", out);
  if (col.type.rfind("bpchar", 0) == 0)
    report(r, st, line, "DE103", "column " + name + " is char(n)", out);
  if (col.type.rfind("varchar(", 0) == 0)
    report(r, st, line, "DE104", "column " + name + " is " + col.type, out);
  if ((col.type == "float4" || col.type == "float8") && money_like(col.name))
    report(r, st, line, "DE105",
           "column " + name + " is " + (col.type == "float4" ? "real" : "double precision"), out);
}

// The tables an upgrade creates, so that what it then does to them (drop,
// index, constrain) is not a change to existing data.
// Whether two names are one: PostgreSQL's parser gives names as the server
// compares them; SQLite (and MySQL, mostly) compare them without case
// (FOLD).
bool same_name(bool fold, const std::string& a, const std::string& b) {
  return fold ? lower_ascii(a) == lower_ascii(b) : a == b;
}

// Whether [schema.]table A is B: a name without a schema matches the table
// in any schema.
bool same_table(bool fold, const std::string& schema_a, const std::string& table_a,
                const std::string& schema_b, const std::string& table_b) {
  return same_name(fold, table_a, table_b) &&
         (schema_a.empty() || schema_b.empty() || same_name(fold, schema_a, schema_b));
}

struct MadeTables {
  std::vector<std::pair<std::string, std::string>> tables;  // schema ("" unqualified), name
  bool fold = false;                                        // (same_name)

  std::vector<std::pair<std::string, std::string>>::iterator find(const Change& c) {
    return std::find_if(tables.begin(), tables.end(), [&](const auto& t) {
      return same_table(fold, t.first, t.second, c.schema, c.table);
    });
  }
  bool has(const Change& c) { return find(c) != tables.end(); }
  bool erase(const Change& c) {
    auto it = find(c);
    if (it == tables.end()) return false;
    tables.erase(it);
    return true;
  }
};

// NAME quoted with Q (" or MySQL's `), Q doubled inside.
std::string ident(char q, const std::string& name) {
  std::string out(1, q);
  for (char c : name) out += c == q ? std::string(2, q) : std::string(1, c);
  return out + q;
}

std::string relation_sql(char q, const std::string& schema, const std::string& table) {
  return schema.empty() ? ident(q, table) : ident(q, schema) + "." + ident(q, table);
}

// "a, b" with each name quoted, each after PREFIX ("c." for c.a).
std::string column_list(char q, const std::vector<std::string>& names,
                        const std::string& prefix = "", const std::string& separator = ", ",
                        const std::string& suffix = "") {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : separator) + prefix + ident(q, n) + suffix;
  return out;
}

// "1 row of t", "2 rows of t": the first word takes the plural.
std::string plural(long long n, const std::string& one) {
  std::string words = one;
  if (n != 1) words.insert(std::min(words.find(' '), words.size()), "s");
  return std::to_string(n) + " " + words;
}

// With a database: the queries that show whether a change fails on the rows
// there, and what a destructive one loses.
struct DataProbe {
  const LintOptions& options;
  bool enabled;
  std::vector<Finding>& out;

  // Whether [check.rules] turns CODE (or its group) off: then no rows are
  // counted for it.
  bool off(const std::string& code) const {
    auto level = options.levels.find(code);
    const CheckRule* rule = find_check_rule(code);
    if (level == options.levels.end() && rule) level = options.levels.find(rule->group);
    return level != options.levels.end() && level->second == "off";
  }

  std::optional<long long> count(const std::string& sql) const {
    auto rows = options.query(sql);
    if (!rows || rows->empty() || rows->front().empty()) return std::nullopt;
    try {
      return std::stoll(rows->front().front());
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }

  // The finding just reported (SAID) is confirmed with "N NOUN(s) VERB(s)
  // REST" of the N rows the query counts, or dropped when there are none.
  void confirm(bool said, const std::string& sql, const std::string& noun, const std::string& verb,
               const std::string& rest) const {
    if (!said || !enabled || off(out.back().code)) return;
    std::optional<long long> n = count(sql);
    if (!n) return;
    if (*n == 0) {
      out.pop_back();
      return;
    }
    std::string verbed = verb.empty() ? "" : " " + verb + (*n == 1 ? "s" : "");
    out.back().message += ": " + plural(*n, noun) + verbed + " " + rest + " in the database";
    out.back().confirmed = true;
  }

  // What the finding just reported loses: NOTE(n) appended.
  template <typename Note>
  void describe(bool said, const std::string& sql, Note note) const {
    if (!said || !enabled || off(out.back().code)) return;
    if (std::optional<long long> n = count(sql)) out.back().message += " (" + note(*n) + ")";
  }

  // The columns of TABLE's primary key, or empty.
  std::vector<std::string> primary_key(const std::string& schema, const std::string& table) const {
    // A string literal: quotes doubled, and backslashes too where they
    // escape (MySQL; PostgreSQL's E'' whatever standard_conforming_strings).
    bool backslash = options.dialect != Dialect::SQLite;
    auto literal = [&](const std::string& text) {
      std::string out = options.dialect == Dialect::PostgreSQL ? "E'" : "'";
      for (char c : text)
        out += c == '\''                ? std::string("''")
               : c == '\\' && backslash ? std::string("\\\\")
                                        : std::string(1, c);
      return out + "'";
    };
    std::string sql;
    if (options.dialect == Dialect::PostgreSQL)
      sql =
          "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND "
          "a.attnum = ANY (i.indkey) WHERE i.indrelid = to_regclass(" +
          literal(relation_sql('"', schema, table)) +
          ") AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)";
    else if (options.dialect == Dialect::MySQL)
      sql =
          "SELECT column_name FROM information_schema.key_column_usage WHERE "
          "constraint_name = 'PRIMARY' AND table_schema = " +
          (schema.empty() ? std::string("DATABASE()") : literal(schema)) +
          " AND table_name = " + literal(table) + " ORDER BY ordinal_position";
    else
      sql = "SELECT name FROM pragma_table_info(" + literal(table) +
            (schema.empty() ? "" : ", " + literal(schema)) + ") WHERE pk > 0 ORDER BY pk";
    auto rows = options.query(sql);
    std::vector<std::string> out;
    if (rows)
      for (const auto& row : *rows)
        if (!row.empty()) out.push_back(row.front());
    return out;
  }
};

// The indexes (and primary and unique keys) the revisions before have made,
// in graph order, so that a new index can be told a duplicate and a foreign
// key told unindexed.
struct KnownIndexes {
  struct Index {
    std::string schema, table, name;
    std::vector<std::string> keys;
    bool unique = false;
  };
  std::vector<Index> list;
  bool fold = false;
  // Of the revisions the database has not applied, up to here: the tables
  // whose rows they write and the columns ("table.column") they add, which
  // the rows there cannot tell of; and the tables with a VALIDATE
  // CONSTRAINT in any revision so far (lower case).
  std::set<std::string> written, fresh, validated;

  bool same(const std::string& a, const std::string& b) const { return same_name(fold, a, b); }
  bool on(const Index& x, const std::string& schema, const std::string& table) const {
    return same_table(fold, x.schema, x.table, schema, table);
  }
  bool same_keys(const std::vector<std::string>& a, const std::vector<std::string>& b) const {
    if (a.size() != b.size()) return false;
    for (size_t k = 0; k < a.size(); ++k)
      if (!same(a[k], b[k])) return false;
    return true;
  }
  void add(const std::string& schema, const std::string& table, const std::string& name,
           const std::vector<std::string>& keys, bool unique) {
    if (!keys.empty()) list.push_back({schema, table, name, keys, unique});
  }
  // An index whose first columns are KEYS (in any order): what a foreign
  // key on KEYS is looked up by.
  bool covers(const std::string& schema, const std::string& table,
              const std::vector<std::string>& keys) const {
    for (const auto& x : list) {
      if (!on(x, schema, table) || x.keys.size() < keys.size()) continue;
      bool all = true;
      for (const auto& k : keys) {
        bool found = false;
        for (size_t n = 0; n < keys.size(); ++n) found = found || same(x.keys[n], k);
        all = all && found;
      }
      if (all) return true;
    }
    return false;
  }
  // An index that makes a new one on KEYS needless: the same columns in the
  // same order (and unique if the new one is), or, for one that is not
  // unique, an index these columns begin.
  const Index* covering(const std::string& schema, const std::string& table,
                        const std::vector<std::string>& keys, bool unique) const {
    for (const auto& x : list) {
      if (!on(x, schema, table) || x.keys.size() < keys.size()) continue;
      std::vector<std::string> head(x.keys.begin(),
                                    x.keys.begin() + static_cast<long>(keys.size()));
      if (!same_keys(head, keys)) continue;
      if (x.keys.size() == keys.size() ? (x.unique || !unique) : !unique) return &x;
    }
    return nullptr;
  }
  void drop_index(const std::string& name) {
    list.erase(
        std::remove_if(list.begin(), list.end(),
                       [&](const Index& x) { return !x.name.empty() && same(x.name, name); }),
        list.end());
  }
  void drop_table(const std::string& schema, const std::string& table) {
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](const Index& x) { return on(x, schema, table); }),
               list.end());
  }
  void drop_column(const std::string& schema, const std::string& table, const std::string& column) {
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](const Index& x) {
                                return on(x, schema, table) &&
                                       std::any_of(
                                           x.keys.begin(), x.keys.end(),
                                           [&](const std::string& k) { return same(k, column); });
                              }),
               list.end());
  }
  void rename_table(const std::string& schema, const std::string& table, const std::string& to) {
    for (auto& x : list)
      if (on(x, schema, table)) x.table = to;
  }
};

// SQLite's verdict on SQL, compiled (not run) on an empty memory database
// of this thread: true when it is a syntax error.
bool sqlite_syntax_error(const std::string& sql) {
  struct Memory {
    sqlite3* db = nullptr;
    Memory() {
      sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, nullptr);
    }
    ~Memory() { sqlite3_close(db); }
  };
  thread_local Memory memory;
  if (!memory.db) return false;
  sqlite3_stmt* compiled = nullptr;
  int rc = sqlite3_prepare_v2(memory.db, sql.c_str(), -1, &compiled, nullptr);
  sqlite3_finalize(compiled);
  return rc != SQLITE_OK &&
         std::string(sqlite3_errmsg(memory.db)).find("syntax error") != std::string::npos;
}

// The rules on what the statements of one upgrade do, in order: what it
// made itself, whether a lock_timeout is set, whether a transaction is open.
struct UpgradeRules {
  const Revision& r;
  const LintOptions& options;
  DataProbe probe;
  std::vector<Finding>& out;
  // SQLite takes a "name" it cannot find for a string; `name` it cannot.
  char q = options.dialect == Dialect::PostgreSQL ? '"' : '`';
  bool postgresql = options.dialect == Dialect::PostgreSQL;
  MadeTables made{{}, !postgresql};
  bool lock_timeout = false;
  bool in_transaction = r.runs_in_transaction(true);
  bool reported_lock_timeout = false;
  struct ForeignKey {
    const Statement* st;
    int line;
    std::string schema, table;
    std::vector<std::string> keys;
  };
  std::vector<ForeignKey> foreign_keys{};  // added by this upgrade, looked at when it ends
  KnownIndexes* indexes = nullptr;         // of the revisions before, and this one's so far
  bool pending = false;                    // not applied on the database checked
  std::set<std::string> made_indexes{};    // by this upgrade, by name

  std::map<std::string, std::regex> patterns{};

  // DE110: whether NAME, written without quotes as a table (or a column) name,
  // is a syntax error: a word the database reserves. The database's own parser
  // decides (PostgreSQL's from the module, SQLite's, a MySQL server's when
  // there is a database), not a list of words. Only names that can be written
  // without quotes are: PostgreSQL keeps a quoted name's case, so "Order" is
  // no keyword there.
  bool reserved(const std::string& name, bool column) const {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
    for (unsigned char ch : name)
      if (!(std::islower(ch) || ch == '_' || std::isdigit(ch) || (!postgresql && std::isupper(ch))))
        return false;
    std::string sql =
        column ? "CREATE TABLE t (" + name + " int)" : "CREATE TABLE " + name + " (x int)";
    if (postgresql) {
      if (!options.parser) return false;
      std::string tree;
      int error_at = -1;
      return !options.parser(sql, tree, error_at);
    }
    if (options.dialect == Dialect::SQLite) return sqlite_syntax_error(sql);
    return options.syntax_error && options.syntax_error(sql);
  }

  // NM101-NM105: NAME, of KIND, against [check.naming].
  void name_rule(const Statement& st, int line, const std::string& kind, const std::string& name) {
    static const std::map<std::string, std::string> kWhat = {{"table", "table"},
                                                             {"column", "column"},
                                                             {"index", "index"},
                                                             {"foreign_key", "foreign key"},
                                                             {"check", "constraint"}};
    if (!name.empty()) length_rule(st, line, kWhat.at(kind), name);
    if ((kind == "table" || kind == "column") && reserved(name, kind == "column"))
      report(r, st, line, "DE110",
             kWhat.at(kind) + " " + name + " is a word " +
                 std::string(traits(options.dialect).title) +
                 " reserves: it must be quoted wherever it is named",
             out);
    auto pattern = options.naming.find(kind);
    if (pattern == options.naming.end() || name.empty()) return;
    auto compiled = patterns.find(kind);
    if (compiled == patterns.end()) {
      try {
        compiled = patterns.emplace(kind, std::regex(pattern->second)).first;
      } catch (const std::regex_error&) {
        return;  // (settings.cpp refuses one; a library caller's is left alone)
      }
    }
    if (std::regex_match(name, compiled->second)) return;
    static const std::map<std::string, std::pair<const char*, const char*>> kCodes = {
        {"table", {"NM101", "table"}},
        {"column", {"NM102", "column"}},
        {"index", {"NM103", "index"}},
        {"foreign_key", {"NM104", "foreign key"}},
        {"check", {"NM105", "CHECK constraint"}}};
    const auto& [code, what] = kCodes.at(kind);
    report(r, st, line, code,
           std::string(what) + " " + name + " does not match [check.naming] " + kind + " (" +
               pattern->second + ")",
           out);
  }

  // DE106 on MySQL, which refuses names over 64 characters (PostgreSQL's,
  // which its parser has already cut, in postgresql_long_names).
  void length_rule(const Statement& st, int line, const std::string& what,
                   const std::string& name) {
    size_t chars = 0;
    for (unsigned char ch : name) chars += (ch & 0xC0) != 0x80;
    if (options.dialect == Dialect::MySQL && chars > 64)
      report(r, st, line, "DE106",
             what + " " + name + " is " + std::to_string(chars) +
                 " characters; MySQL refuses names over 64",
             out);
  }

  void names_of(const Statement& st, const Change& c) {
    using K = Change::Kind;
    auto constraint = [&](const std::string& kind, const std::string& name) {
      if (kind == "foreign key") name_rule(st, c.line, "foreign_key", name);
      if (kind == "check") name_rule(st, c.line, "check", name);
    };
    if (c.kind == K::CreateTable && !c.temporary) {
      name_rule(st, c.line, "table", c.table);
      for (const auto& col : c.columns) name_rule(st, c.line, "column", col.name);
      for (const auto& [kind, name] : c.named) constraint(kind, name);
    } else if (c.kind == K::RenameTable) {
      name_rule(st, c.line, "table", c.new_name);
    } else if (c.kind == K::RenameColumn) {
      name_rule(st, c.line, "column", c.new_name);
    } else if (c.kind == K::AddColumn) {
      name_rule(st, c.line, "column", c.column);
    } else if (c.kind == K::CreateIndex) {
      name_rule(st, c.line, "index", c.name);
    } else if (c.kind == K::AddConstraint) {
      constraint(c.constraint, c.name);
    }
  }

  // What the change does to the known indexes; DE109 for a needless one,
  // and the foreign keys DE108 looks at when the upgrade ends.
  void index_rules(const Statement& st, const Change& c) {
    using K = Change::Kind;
    auto foreign_key = [&](const std::vector<std::string>& keys) {
      if (postgresql && !keys.empty())
        foreign_keys.push_back({&st, c.line, c.schema, c.table, keys});
    };
    switch (c.kind) {
      case K::CreateTable:
        if (c.if_not_exists) break;
        for (const auto& k : c.table_keys) {
          if (k.kind == "foreign key")
            foreign_key(k.columns);
          else
            indexes->add(c.schema, c.table, "", k.columns, k.kind != "index");
        }
        break;
      case K::CreateIndex:
        if (c.keys.empty() || c.partial || c.if_not_exists) break;
        if (const auto* x = indexes->covering(c.schema, c.table, c.keys, c.unique)) {
          std::string which =
              x->name.empty() ? std::string(x->unique ? "a key" : "an index") : "index " + x->name;
          report(r, st, c.line, "DE109",
                 (c.name.empty() ? std::string("an index") : "index " + c.name) + " on " +
                     qualified(c.schema, c.table) + " (" + join(c.keys, ", ") + ") is covered by " +
                     which + " (" + join(x->keys, ", ") + ")",
                 out);
        }
        indexes->add(c.schema, c.table, c.name, c.keys, c.unique);
        break;
      case K::AddConstraint:
        if (c.constraint == "foreign key") foreign_key(c.keys);
        if (c.constraint == "unique" || c.constraint == "primary key")
          indexes->add(c.schema, c.table, c.name, c.keys, true);
        break;
      case K::DropIndex:
        indexes->drop_index(c.table);
        break;
      case K::DropTable:
        indexes->drop_table(c.schema, c.table);
        break;
      case K::DropColumn:
        indexes->drop_column(c.schema, c.table, c.column);
        break;
      case K::RenameTable:
        indexes->rename_table(c.schema, c.table, c.new_name);
        break;
      default:
        break;
    }
  }

  // When the upgrade ends: DE108 for each foreign key no index leads with.
  void finish() {
    for (const auto& fk : foreign_keys)
      if (!indexes->covers(fk.schema, fk.table, fk.keys))
        report(r, *fk.st, fk.line, "DE108",
               "foreign key on " + qualified(fk.schema, fk.table) + " (" + join(fk.keys, ", ") +
                   ") has no index that starts with its columns",
               out);
  }

  void apply(const Statement& st, const Change& c) {
    using K = Change::Kind;
    names_of(st, c);
    index_rules(st, c);
    std::string table = qualified(c.schema, c.table);
    bool existing = !made.has(c);
    // The locking rules are PostgreSQL's; a SQLite table without a primary
    // key still has its rowid.
    auto say = [&](const std::string& code, const std::string& message) {
      if (!postgresql &&
          (code.rfind("PG", 0) == 0 || (code == "DE101" && options.dialect == Dialect::SQLite)))
        return false;
      return report(r, st, c.line, code, message, out);
    };
    std::string rel = relation_sql(q, c.schema, c.table);
    // Whether the rows there say what this change meets: not when a pending
    // revision (this one so far, or one before) writes the table or added
    // one of the columns.
    std::string lower_table = lower_ascii(c.table);
    auto countable = [&](const std::vector<std::string>& columns) {
      if (c.unprobed || indexes->written.count(lower_table)) return false;
      for (const auto& col : columns)
        if (indexes->fresh.count(lower_table + "." + lower_ascii(col))) return false;
      return true;
    };
    // Duplicates of the key columns (and with NULLS, the NULLs a primary
    // key refuses).
    auto duplicates = [&](bool nulls) {
      std::string sql =
          "SELECT count(*) FROM (SELECT 1 FROM " + rel +
          (nulls ? "" : " WHERE " + column_list(q, c.keys, "", " AND ", " IS NOT NULL")) +
          " GROUP BY " + column_list(q, c.keys) + " HAVING count(*) > 1) AS d";
      if (nulls)
        sql = "SELECT (" + sql + ") + (SELECT count(*) FROM " + rel + " WHERE " +
              column_list(q, c.keys, "", " OR ", " IS NULL") + ")";
      return sql;
    };
    // Statements that lock an existing table against reads or writes.
    bool heavy = false;
    switch (c.kind) {
      case K::CreateTable:
        // IF NOT EXISTS may make nothing: what follows is not on a new table.
        // (A temporary table is SQLite's temp.name: DROP TABLE main.name
        // is of another.)
        if (!c.if_not_exists)
          made.tables.emplace_back(!c.temporary || !c.schema.empty()    ? c.schema
                                   : options.dialect == Dialect::SQLite ? "temp"
                                                                        : "",
                                   c.table);
        if (c.temporary) break;
        if (!c.has_primary_key && !c.as_query)
          say("DE101", "table " + table + " has no primary key");
        for (const auto& col : c.columns) lint_column(r, st, c.line, table, col, out);
        break;
      case K::RenameTable:
        if (made.erase(c)) {
          made.tables.emplace_back(c.schema, c.new_name);
        } else {
          say("BC101", "table " + table + " renamed to " + c.new_name);
          heavy = true;
        }
        break;
      case K::RenameColumn:
        if (existing) {
          say("BC102", "column " + table + "." + c.column + " renamed to " + c.new_name);
          heavy = true;
        }
        break;
      case K::DropTable:
        if (made.erase(c)) break;  // once: a second drop is of another table
        probe.describe(say("DS102", "table " + table + " dropped"), "SELECT count(*) FROM " + rel,
                       [](long long n) {
                         return n == 0 ? std::string("empty in the database")
                                       : plural(n, "row") + " in the database";
                       });
        heavy = true;
        break;
      case K::DropSchema:
        say("DS101", "schema " + c.table + " dropped");
        break;
      case K::DropDatabase:
        say("DS101", "database " + c.table + " dropped");
        break;
      case K::DropColumn:
        if (!existing) break;
        probe.describe(
            say("DS103", "column " + table + "." + c.column + " dropped"),
            "SELECT count(*) FROM " + rel + " WHERE " + ident(q, c.column) + " IS NOT NULL",
            [](long long n) {
              return n == 0 ? std::string("NULL in every row in the database")
                            : plural(n, "row") + " with a value in the database";
            });
        heavy = true;
        break;
      case K::AlterType:
        if (!existing) break;
        say("DS106", "column " + table + "." + c.column + " changed to type " + c.type);
        if (c.type != "text" && c.type != "varchar")
          say("PG107", "column " + table + "." + c.column + " changed to type " + c.type +
                           " (a rewrite unless it only widens a varchar)");
        heavy = true;
        break;
      case K::Truncate:
        if (!existing) break;
        say("DS104", "table " + table + " truncated");
        heavy = true;
        break;
      case K::DeleteAll:
        if (existing) say("DS104", "every row of " + table + " deleted (DELETE without WHERE)");
        break;
      case K::UpdateAll:
        if (existing) say("DS105", "every row of " + table + " updated (UPDATE without WHERE)");
        break;
      case K::CreateIndex:
        if (c.concurrently && in_transaction)
          say("PG103", "CREATE INDEX CONCURRENTLY on " + table + " inside a transaction");
        if (!existing) break;
        if (!c.name.empty()) made_indexes.insert(c.name);
        if (c.unique)
          probe.confirm(say("MF101", "unique index on existing table " + table) &&
                            !c.keys.empty() && !c.partial && countable(c.keys),
                        duplicates(false), "value of (" + join(c.keys, ", ") + ")", "appear",
                        "more than once");
        if (!c.concurrently) {
          say("PG101", "index on existing table " + table + " created without CONCURRENTLY");
          heavy = true;
        }
        break;
      case K::DropIndex:
        if (c.concurrently && in_transaction)
          say("PG103", "DROP INDEX CONCURRENTLY " + table + " inside a transaction");
        if (!c.concurrently && !made_indexes.count(c.table)) {
          say("PG102", "index " + table + " dropped without CONCURRENTLY");
          heavy = true;
        }
        break;
      case K::AddColumn: {
        if (pending) indexes->fresh.insert(lower_table + "." + lower_ascii(c.column));
        if (!existing) break;
        const ColumnSpec& col = c.columns.front();
        std::string name = table + "." + col.name;
        // (MySQL fills a NOT NULL column with its type's zero instead.)
        if (col.not_null && !col.has_default && options.dialect != Dialect::MySQL)
          probe.confirm(
              say("MF102", "NOT NULL column " + name + " without a default added to " + table) &&
                  countable({}),
              "SELECT count(*) FROM " + rel, "row", "", "in " + table);
        if (col.volatile_default)
          say("PG108", "column " + name + " with a volatile default added to " + table);
        lint_column(r, st, c.line, table, col, out);
        heavy = true;
        break;
      }
      case K::AddConstraint:
        if (!existing) break;
        heavy = true;
        // NOT VALID (MySQL: NOT ENFORCED) checks no existing row.
        if (c.constraint == "foreign key") {
          bool said = !c.not_valid && say("MF105", "foreign key added to existing table " + table);
          said = said && countable(c.keys);
          std::vector<std::string> ref_keys = c.ref_keys;
          if (said && probe.enabled && ref_keys.empty())
            ref_keys = probe.primary_key(c.ref_schema, c.ref_table);
          if (!c.keys.empty() && ref_keys.size() == c.keys.size()) {
            std::string match;
            for (size_t k = 0; k < c.keys.size(); ++k)
              match +=
                  (k ? " AND p." : "p.") + ident(q, ref_keys[k]) + " = c." + ident(q, c.keys[k]);
            probe.confirm(
                said,
                "SELECT count(*) FROM " + rel + " AS c WHERE " +
                    column_list(q, c.keys, "c.", " AND ", " IS NOT NULL") +
                    " AND NOT EXISTS (SELECT 1 FROM " + relation_sql(q, c.ref_schema, c.ref_table) +
                    " AS p WHERE " + match + ")",
                "row of " + table, "point", "at no row of " + qualified(c.ref_schema, c.ref_table));
          }
          if (!c.not_valid) say("PG104", "foreign key on " + table + " added without NOT VALID");
        } else if (c.constraint == "check") {
          probe.confirm(!c.not_valid &&
                            say("MF104", "CHECK constraint added to existing table " + table) &&
                            !c.check.empty() && countable({}),
                        "SELECT count(*) FROM " + rel + " WHERE NOT (" + c.check + ")",
                        "row of " + table, "violate", "it");
          if (!c.not_valid) say("PG105", "CHECK on " + table + " added without NOT VALID");
        } else if (c.constraint == "unique" || c.constraint == "primary key") {
          // USING INDEX: the unique index is there already.
          probe.confirm(
              !c.using_index &&
                  say("MF101", c.constraint + " constraint added to existing table " + table) &&
                  !c.keys.empty() && countable(c.keys),
              duplicates(c.constraint == "primary key"),
              (c.constraint == "primary key" ? "key of (" : "value of (") + join(c.keys, ", ") +
                  ")",
              c.constraint == "primary key" ? "" : "appear",
              c.constraint == "primary key" ? "NULL or not unique in " + table : "more than once");
          if (!c.using_index)
            say("PG109", c.constraint + " constraint on " + table + " added without USING INDEX");
        }
        break;
      case K::ValidateConstraint:
        indexes->validated.insert(lower_ascii(table));
        break;
      case K::SetNotNull:
        if (!existing) break;
        probe.confirm(say("MF103", "column " + table + "." + c.column + " made NOT NULL") &&
                          countable({c.column}),
                      "SELECT count(*) FROM " + rel + " WHERE " + ident(q, c.column) + " IS NULL",
                      "row of " + table, "hold", "NULL there");
        if (!indexes->validated.count(lower_ascii(table)))
          say("PG106", "SET NOT NULL on " + table + "." + c.column +
                           " without a validated CHECK (" + c.column + " IS NOT NULL)");
        heavy = true;
        break;
      case K::SetLockTimeout:
        lock_timeout = !c.clears;
        break;
      case K::Write:  // (noted below)
        break;
      case K::Begin:
        in_transaction = true;
        break;
      case K::Commit:
        in_transaction = r.runs_in_transaction(true);
        break;
    }
    if (pending && (c.kind == K::Write || c.kind == K::DeleteAll || c.kind == K::UpdateAll ||
                    c.kind == K::Truncate))
      indexes->written.insert(lower_table);
    if (heavy && !lock_timeout && !reported_lock_timeout) {
      reported_lock_timeout = true;
      say("PG110", "no lock_timeout set before this statement locks " + table);
    }
  }
};

// DE106 on PostgreSQL: a name over 63 bytes, which the server (and its
// parser here) cuts to 63 with no more than a notice. Read from the tokens,
// up to the first dollar quote (a function body).
void postgresql_long_names(const Revision& r, const Statement& st, std::vector<Finding>& out) {
  for (const auto& t : sql_tokens(st.sql)) {
    if (t.text == "$") return;
    bool quoted = t.text[0] == '"';
    if (t.text[0] == '\'' || t.text.size() - (quoted ? 2 : 0) <= 63) continue;
    std::string name = quoted ? t.text.substr(1, t.text.size() - 2) : lower_ascii(t.text);
    report(r, st, st.line, "DE106",
           "name " + name + " is " + std::to_string(name.size()) +
               " bytes; PostgreSQL keeps 63 and silently cuts the rest",
           out);
  }
}

// PostgreSQL: every rule, on what its parser says each statement does.
void lint_postgresql(const Revision& r, const LintOptions& options, bool pending,
                     KnownIndexes& indexes, std::vector<Finding>& out) {
  UpgradeRules rules{r, options, DataProbe{options, pending && options.query != nullptr, out}, out};
  rules.indexes = &indexes;
  rules.pending = pending;
  for (const auto& st : r.upgrade) {
    std::string tree;
    int error_at = -1;
    if (!options.parser(st.sql, tree, error_at)) {
      report(r, st, line_at(st, error_at), "MG106", "PostgreSQL's parser: " + tree, out);
      continue;
    }
    postgresql_long_names(r, st, out);
    for (const Change& c : postgresql_changes(tree, st)) rules.apply(st, c);
  }
  rules.finish();
}

// DE107 (MySQL): utf8 (utf8mb3) named as a character set or collation.
void charset_rule(const Revision& r, const Statement& st, std::vector<Finding>& out) {
  auto t = sql_tokens(st.sql);
  if (t.empty() || (t[0].upper != "CREATE" && t[0].upper != "ALTER")) return;
  for (size_t k = 0; k < t.size(); ++k) {
    bool charset = t[k].upper == "CHARSET" || t[k].upper == "COLLATE" ||
                   (t[k].upper == "CHARACTER" && k + 1 < t.size() && t[k + 1].upper == "SET");
    if (!charset) continue;
    size_t v = k + (t[k].upper == "CHARACTER" ? 2 : 1);
    if (v < t.size() && t[v].text == "=") ++v;
    if (v >= t.size()) return;
    std::string value = lower_ascii(t[v].upper);
    if (value.size() > 1 && (value[0] == '\'' || value[0] == '"' || value[0] == '`'))
      value = value.substr(1, value.size() - 2);
    bool utf8mb3 = value == "utf8" || value == "utf8mb3" || value.rfind("utf8_", 0) == 0 ||
                   value.rfind("utf8mb3_", 0) == 0;
    if (utf8mb3) {
      report(r, st, st.line, "DE107",
             "character set " + value + " (utf8mb3) holds no character beyond 3 bytes", out);
      return;
    }
  }
}

// SQLite and MySQL: what the tokens tell of the data-dependent,
// backward-incompatible and (MySQL) primary key rules.
void lint_token_changes(const Revision& r, const LintOptions& options, bool pending,
                        KnownIndexes& indexes, std::vector<Finding>& out) {
  UpgradeRules rules{r, options, DataProbe{options, pending && options.query != nullptr, out}, out};
  rules.indexes = &indexes;
  rules.pending = pending;
  for (const auto& st : r.upgrade) {
    if (options.dialect == Dialect::MySQL) charset_rule(r, st, out);
    for (const Change& c : token_changes(st)) rules.apply(st, c);
  }
  rules.finish();
}

// The tables of a schema, by name, as their inspected columns.
std::map<std::string, std::vector<ColumnSpec>> table_columns(const Schema& schema) {
  std::map<std::string, std::vector<ColumnSpec>> out;
  for (const auto& o : schema.objects) {
    if (o.kind != "table") continue;
    auto& cols = out[o.name];
    for (const auto& line : o.lines)
      if (auto col = inspected_column(line)) cols.push_back(*col);
  }
  return out;
}

const SchemaObject* table_object(const Schema& schema, const std::string& name) {
  for (const auto& o : schema.objects)
    if (o.kind == "table" && o.name == name) return &o;
  return nullptr;
}

// The rules on what replaying a revision on the scratch database showed:
// each table it found is compared with the same table when the revision
// ends, whatever the statements did in between (a SQLite rebuild that
// loses a column, MySQL's MODIFY ... NOT NULL, a DO block). A finding goes
// on the last statement that names the table; one the statements' own
// reading already gave on that line is not given twice, and a type change
// the replay shows only widens is no longer reported.
void replay_rules(const Revision& r, const LintOptions& options, const LintOptions::Replayed& rp,
                  bool pending, const KnownIndexes& indexes, size_t first_finding,
                  std::vector<Finding>& out) {
  if (r.upgrade.empty()) return;
  auto start = table_columns(rp.before), end = table_columns(rp.after);
  // The statements' names, as the tokens give them (lower case).
  std::vector<std::vector<std::string>> names_in;
  for (const auto& st : r.upgrade) {
    names_in.emplace_back();
    for (const auto& t : sql_tokens(st.sql)) {
      bool quoted = t.text.size() > 1 && (t.text[0] == '"' || t.text[0] == '`');
      names_in.back().push_back(lower_ascii(quoted ? t.text.substr(1, t.text.size() - 2) : t.text));
    }
  }
  // The last statement that names TABLE (the last statement if none does).
  auto line_of = [&](const std::string& table) {
    std::string name = lower_ascii(table);
    for (size_t k = r.upgrade.size(); k-- > 0;)
      if (std::find(names_in[k].begin(), names_in[k].end(), name) != names_in[k].end())
        return r.upgrade[k].line;
    return r.upgrade.back().line;
  };
  // Whether a statement drops TABLE: DROP TABLE [IF EXISTS] [schema.]name.
  auto dropped = [&](const std::string& table) {
    std::string name = lower_ascii(table);
    for (const auto& w : names_in) {
      if (w.size() < 3 || w[0] != "drop" || w[1] != "table") continue;
      size_t k = 2;
      if (k + 1 < w.size() && w[k] == "if") k += 2;
      if (k + 2 < w.size() && w[k + 1] == ".") k += 2;
      if (k < w.size() && w[k] == name) return true;
    }
    return false;
  };
  // Whether a statement renames TABLE away (ALTER TABLE t RENAME TO t_old):
  // there again at the end, it was rebuilt, the old one renamed first.
  std::vector<std::vector<Change>> changes;
  for (const auto& st : r.upgrade) changes.push_back(token_changes(st));
  auto renamed_away = [&](const std::string& table) {
    for (const auto& list : changes)
      for (const Change& c : list)
        if (c.kind == Change::Kind::RenameTable && lower_ascii(c.table) == lower_ascii(table))
          return true;
    return false;
  };
  auto rebuilt = [&](const std::string& table) { return dropped(table) || renamed_away(table); };
  auto names_table = [&](size_t k, const std::string& table) {
    return std::find(names_in[k].begin(), names_in[k].end(), lower_ascii(table)) !=
           names_in[k].end();
  };
  // Whether a statement writes TABLE's rows (INSERT, UPDATE, REPLACE).
  auto writes = [&](const std::string& table) {
    for (size_t k = 0; k < names_in.size(); ++k)
      if (!names_in[k].empty() &&
          (names_in[k][0] == "insert" || names_in[k][0] == "update" ||
           names_in[k][0] == "replace") &&
          names_table(k, table))
        return true;
    return false;
  };
  // The replay knows each type change on the tables it compared and
  // whether it narrows: the statements' own DS106 on those (any type
  // change) gives way to it.
  for (size_t k = out.size(); k-- > first_finding;) {
    if (out[k].code != "DS106") continue;
    for (size_t n = 0; n < r.upgrade.size(); ++n) {
      if (r.upgrade[n].line != out[k].line) continue;
      bool compared = false;
      for (const auto& entry : start)
        compared = compared || (end.count(entry.first) && names_table(n, entry.first));
      if (compared) {
        out.erase(out.begin() + static_cast<long>(k));
        break;
      }
    }
  }
  // The renames the statements' own reading saw ("table a renamed to b",
  // "column t.a renamed to b"): what they move is not lost. A table renamed
  // and there again at the end (a rebuild that renames the old one first)
  // keeps its name for the code before: no BC101.
  auto in = [](const std::map<std::string, std::vector<ColumnSpec>>& tables,
               const std::string& name) {
    for (const auto& entry : tables)
      if (lower_ascii(entry.first) == name) return true;
    return false;
  };
  std::set<std::string> renamed;
  for (size_t k = out.size(); k-- > first_finding;)
    if (out[k].code == "BC101" || out[k].code == "BC102") {
      const std::string& m = out[k].message;
      size_t from = m.find(' ') + 1, to = m.find(" renamed to ");
      if (to == std::string::npos || to <= from) continue;
      std::string name = lower_ascii(m.substr(from, to - from));
      if (out[k].code == "BC101" && in(start, name) && in(end, name)) {
        out.erase(out.begin() + static_cast<long>(k));
        continue;
      }
      renamed.insert(name);
    }
  auto statement_at = [&](int line) -> const Statement& {
    for (const auto& st : r.upgrade)
      if (st.line == line) return st;
    return r.upgrade.back();
  };
  // (What the statements' own reading gave: not what the replay adds.)
  size_t static_end = out.size();
  auto given = [&](const std::string& code, int line) {
    for (size_t k = first_finding; k < std::min(static_end, out.size()); ++k)
      if (out[k].code == code && out[k].line == line) return true;
    return false;
  };
  char q = options.dialect == Dialect::PostgreSQL ? '"' : '`';
  DataProbe probe{options, pending && options.query != nullptr, out};
  // A -- mig:nolint on any statement that names TABLE exempts it too.
  auto say = [&](const std::string& code, int line, const std::string& message,
                 const std::string& table) {
    if (given(code, line)) return false;
    const CheckRule& rule = *find_check_rule(code);
    for (size_t k = 0; k < r.upgrade.size(); ++k)
      if (names_table(k, table) && mig::names(r.upgrade[k].nolint, rule)) return false;
    return report(r, statement_at(line), line, code, message, out);
  };
  auto column = [](const std::vector<ColumnSpec>& cols, const std::string& name) {
    for (const auto& c : cols)
      if (c.name == name) return &c;
    return static_cast<const ColumnSpec*>(nullptr);
  };
  // LT101: a SQLite table rebuilt (dropped or renamed away by a statement,
  // there again at the end) without an index, key or trigger it had.
  if (options.dialect == Dialect::SQLite) {
    for (const auto& [table, cols] : start) {
      if (!end.count(table) || !rebuilt(table)) continue;
      int line = line_of(table);
      const SchemaObject* was = table_object(rp.before, table);
      const SchemaObject* now = table_object(rp.after, table);
      for (const auto& l : was->lines) {
        bool key = l.rfind("index ", 0) == 0 || l.rfind("unique ", 0) == 0 ||
                   l.rfind("foreign key ", 0) == 0;
        if (key && std::find(now->lines.begin(), now->lines.end(), l) == now->lines.end())
          say("LT101", line, "table " + table + " rebuilt without its " + l, table);
      }
      for (const auto& o : rp.before.objects) {
        if (o.kind != "trigger" || o.lines.empty() || o.lines[0].rfind("on " + table + ":", 0) != 0)
          continue;
        bool kept = false;
        for (const auto& n : rp.after.objects)
          kept = kept || (n.kind == o.kind && n.name == o.name);
        if (!kept)
          say("LT101", line, "table " + table + " rebuilt without its trigger " + o.name, table);
      }
    }
  }
  for (const auto& [table, before] : start) {
    auto after = end.find(table);
    if (after == end.end()) {
      // Gone: renamed if a new table has the same lines.
      bool moved = false;
      for (const auto& entry : end) {
        const std::string& name = entry.first;
        if (!start.count(name) &&
            table_object(rp.before, table)->lines == table_object(rp.after, name)->lines) {
          say("BC101", line_of(name), "table " + table + " renamed to " + name, name);
          moved = true;
          break;
        }
      }
      // Only a DROP TABLE loses it (a rename the statements name, or one
      // the replay cannot tell, does not).
      if (!moved && !renamed.count(lower_ascii(table)) && dropped(table))
        say("DS102", line_of(table), "table " + table + " dropped", table);
      continue;
    }
    int line = line_of(table);
    std::string rel = relation_sql(q, "", table);
    std::string lower_table = lower_ascii(table);
    auto countable = [&](const std::string& col) {
      return !indexes.written.count(lower_table) &&
             (col.empty() || !indexes.fresh.count(lower_table + "." + lower_ascii(col)));
    };
    std::vector<const ColumnSpec*> added;
    for (const auto& col : after->second)
      if (!column(before, col.name)) added.push_back(&col);
    for (const auto& old : before) {
      const ColumnSpec* now = column(after->second, old.name);
      if (!now) {
        // Dropped, or renamed to a new column of the same type.
        auto same = std::find_if(added.begin(), added.end(), [&](const ColumnSpec* c) {
          return c->type == old.type && c->not_null == old.not_null;
        });
        if (same != added.end()) {
          say("BC102", line, "column " + table + "." + old.name + " renamed to " + (*same)->name,
              table);
          added.erase(same);
        } else if (!renamed.count(lower_ascii(table + "." + old.name))) {
          say("DS103", line, "column " + table + "." + old.name + " dropped", table);
        }
        continue;
      }
      if (now->type != old.type && options.dialect == Dialect::MySQL &&
          mysql_copies(old.type, now->type))
        say("MY101", line,
            "column " + table + "." + old.name + " changed from " + old.type + " to " + now->type +
                ": MySQL copies the whole table",
            table);
      if (now->type != old.type) {
        // SQLite keeps any value in any column: only a change of affinity
        // can change what it stores.
        bool narrower = options.dialect == Dialect::SQLite
                            ? sqlite_affinity(old.type) != sqlite_affinity(now->type)
                            : narrows(old.type, now->type);
        auto varchar = [](const std::string& t) {
          return t == "text" || t.rfind("character varying", 0) == 0 || t.rfind("varchar", 0) == 0;
        };
        if (narrower) {
          say("DS106", line,
              "column " + table + "." + old.name + " changed from " + old.type + " to " +
                  now->type + ", which may not hold every value",
              table);
        } else if (varchar(old.type) && varchar(now->type)) {
          // A wider varchar (or text) is no rewrite on PostgreSQL.
          for (size_t k = out.size(); k-- > first_finding;)
            if (out[k].code == "PG107" && out[k].line == line &&
                out[k].message.find(table + "." + old.name + " ") != std::string::npos) {
              out.erase(out.begin() + static_cast<long>(k));
              if (k < static_end) --static_end;
            }
        }
      }
      if (now->not_null && !old.not_null)
        probe.confirm(
            say("MF103", line, "column " + table + "." + old.name + " made NOT NULL", table) &&
                countable(old.name) && !writes(table),
            "SELECT count(*) FROM " + rel + " WHERE " + ident(q, old.name) + " IS NULL",
            "row of " + table, "hold", "NULL there");
    }
    // (A rebuilt table, or one this revision fills, took its values from
    // the statements.)
    bool filled = rebuilt(table) || writes(table);
    for (const ColumnSpec* col : added)
      if (col->not_null && !col->has_default && !filled)
        probe.confirm(options.dialect != Dialect::MySQL &&
                          say("MF102", line,
                              "NOT NULL column " + table + "." + col->name +
                                  " without a default added to " + table,
                              table) &&
                          countable(""),
                      "SELECT count(*) FROM " + rel, "row", "", "in " + table);
  }
}

}  // namespace

std::vector<Finding> lint(const RevisionGraph& graph, const LintOptions& options) {
  std::vector<Finding> out;
  const auto& heads = graph.heads();
  if (static_cast<int>(heads.size()) > options.max_heads) {
    std::string list;
    for (int h : heads) list += (list.empty() ? "" : ", ") + graph.at(h).id;
    out.push_back(make_finding("MG103", "", 0, "",
                               std::to_string(heads.size()) + " heads (" + list + "); at most " +
                                   std::to_string(options.max_heads) +
                                   " allowed (check.max_heads)"));
  }
  KnownIndexes indexes;
  indexes.fold = options.dialect != Dialect::PostgreSQL;
  // For the revisions not selected: no rows counted, no replay read.
  LintOptions quiet = options;
  quiet.query = nullptr;
  quiet.replayed.clear();
  for (int i : graph.order()) {
    const Revision& r = graph.at(i);
    if (!options.selected.empty() && !options.selected[i]) {
      // Not linted, but what it does to the indexes counts for those after.
      std::vector<Finding> unused;
      bool pending = !options.pending.empty() && options.pending[i];
      if (options.dialect == Dialect::PostgreSQL && options.parser)
        lint_postgresql(r, quiet, pending, indexes, unused);
      else
        lint_token_changes(r, quiet, pending, indexes, unused);
      continue;
    }
    unknown_nolint(r, r.nolint, r.revision_line, out);
    for (const auto* section : {&r.upgrade, &r.downgrade})
      for (const auto& st : *section) unknown_nolint(r, st.nolint, st.line, out);
    if (r.kind == RevisionKind::Schema && !r.has_downgrade && !r.declared_irreversible &&
        !names(r.nolint, *find_check_rule("MG104")))
      out.push_back(make_finding("MG104", r.path, r.revision_line, r.id,
                                 "schema revision " + r.id + " has no -- mig:downgrade section"));
    bool pending = !options.pending.empty() && options.pending[i];
    size_t first = out.size();
    if (options.dialect == Dialect::PostgreSQL && options.parser)
      lint_postgresql(r, options, pending, indexes, out);
    else {
      lint_tokens(r, out);
      lint_token_changes(r, options, pending, indexes, out);
    }
    if (auto rp = options.replayed.find(i); rp != options.replayed.end())
      replay_rules(r, options, rp->second, pending, indexes, first, out);
  }
  return out;
}

}  // namespace mig
