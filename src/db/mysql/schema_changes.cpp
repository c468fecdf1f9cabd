// What a MySQL statement may change of the schema mig inspects, and the
// snapshot taken again for those objects only (see SchemaChanges).
#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <set>
#include <sstream>

#include "base/strings.h"
#include "db/schema_builder.h"
#include "script/sql_splitter.h"

namespace mig {
namespace {

bool one_of(const std::string& word, std::initializer_list<const char*> words) {
  for (const char* w : words)
    if (word == w) return true;
  return false;
}

bool is_name(const std::string& token) {
  if (token.empty()) return false;
  char c = token[0];
  if (c == '`' || c == '"') return token.size() >= 2 && token.back() == c;
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

std::string unquoted(const std::string& token) {
  char c = token[0];
  return c == '`' || c == '"' ? token.substr(1, token.size() - 2) : token;
}

// Reads one statement's tokens. Every "cannot tell" ends in unknown().
class Reader {
 public:
  Reader(const std::string& sql, SchemaChanges& out) : out_(out), sql_(sql) {
    // The tokenizer splits `a``b` (a quote inside a quoted name) and knows
    // no backslash escapes ('can\'t' would hide the rest of the statement).
    if (sql.find("``") != std::string::npos || sql.find("\"\"") != std::string::npos ||
        sql.find('\\') != std::string::npos)
      return;
    w_ = leading_tokens(sql, kMaxTokens);
    semicolon_ = std::find(w_.begin(), w_.end(), ";") != w_.end();
  }

  void read() {
    if (w_.empty() || w_.size() >= kMaxTokens) return unknown();
    const std::string& first = w_[0];
    // Several statements sent as one (a body under another delimiter), a
    // compound statement, or MariaDB's SET STATEMENT ... FOR <statement>.
    if ((semicolon_ && first != "CREATE") || (first == "BEGIN" && at(1) == "NOT") ||
        (first == "SET" && at(1) == "STATEMENT"))
      return unknown();
    // Statements that change no table, view or trigger.
    if (one_of(first, {"INSERT",   "UPDATE",   "DELETE",   "REPLACE",   "SELECT",  "WITH",
                       "VALUES",   "SET",      "DO",       "LOCK",      "UNLOCK",  "START",
                       "BEGIN",    "COMMIT",   "ROLLBACK", "SAVEPOINT", "RELEASE", "ANALYZE",
                       "OPTIMIZE", "CHECK",    "CHECKSUM", "TRUNCATE",  "LOAD",    "SHOW",
                       "EXPLAIN",  "DESCRIBE", "DESC",     "GRANT",     "REVOKE"}))
      return;
    i_ = 1;
    if (first == "CREATE") return create();
    if (first == "ALTER") return alter();
    if (first == "DROP") return drop();
    if (first == "RENAME") return rename();
    unknown();  // USE, CALL, PREPARE, EXECUTE, HANDLER, ...
  }

 private:
  static constexpr size_t kMaxTokens = 4096;

  const std::string& at(size_t k) const {
    static const std::string none;
    return k < w_.size() ? w_[k] : none;
  }
  void unknown() { out_.known = false; }
  void skip(std::initializer_list<const char*> words) {
    while (i_ < w_.size() && one_of(w_[i_], words)) ++i_;
  }
  // The object kind keyword after CREATE/ALTER's options (OR REPLACE,
  // ALGORITHM = x, DEFINER = user@host, SQL SECURITY x, ONLINE, IGNORE ...).
  std::string kind() {
    for (; i_ < w_.size(); ++i_)
      if (one_of(w_[i_], {"TABLE", "TABLES", "VIEW", "TRIGGER", "INDEX", "TEMPORARY", "DATABASE",
                          "SCHEMA", "PROCEDURE", "FUNCTION", "EVENT", "SEQUENCE", "USER", "ROLE",
                          "SERVER", "PACKAGE", "TABLESPACE", "LOGFILE"}))
        return w_[i_++];
    return {};
  }
  // An unqualified name at i_, added to the names; false (unknown) if it
  // is not one or is qualified with a database.
  bool name(std::vector<std::string>& into) {
    if (!is_name(at(i_)) || at(i_ + 1) == ".") {
      unknown();
      return false;
    }
    const std::string& token = at(i_++);
    if (token[0] == '`' || token[0] == '"') {
      into.push_back(unquoted(token));
      return true;
    }
    // The tokenizer upper-cases a name written without quotes; names are
    // case-sensitive on most servers, so each spelling of it in the
    // statement's text is kept.
    bool any = false;
    for (size_t at = 0; (at = find_word(token, at)) != std::string::npos; at += token.size()) {
      into.push_back(sql_.substr(at, token.size()));
      any = true;
    }
    if (!any) into.push_back(token);
    return true;
  }
  // Where `word` (upper case) stands as a whole word in the text, from `from`.
  size_t find_word(const std::string& word, size_t from) const {
    auto word_char = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
             static_cast<unsigned char>(c) >= 0x80;
    };
    for (size_t at = from; at + word.size() <= sql_.size(); ++at) {
      if (at > 0 && word_char(sql_[at - 1])) continue;
      if (at + word.size() < sql_.size() && word_char(sql_[at + word.size()])) continue;
      bool same = true;
      for (size_t k = 0; k < word.size() && same; ++k)
        same = std::toupper(static_cast<unsigned char>(sql_[at + k])) ==
               static_cast<unsigned char>(word[k]);
      if (same) return at;
    }
    return std::string::npos;
  }
  // The table after the next ON (CREATE INDEX ... ON t, CREATE TRIGGER ...
  // ON t, DROP INDEX i ON t).
  void table_after_on() {
    while (i_ < w_.size() && w_[i_] != "ON") ++i_;
    if (i_ >= w_.size()) return unknown();
    ++i_;
    name(out_.names);
  }
  void names_list() {
    skip({"IF", "NOT", "EXISTS"});
    do {
      if (!name(out_.names)) return;
    } while (at(i_) == "," && ++i_);
  }
  // Nothing mig inspects: stored programs, users, sequences (not tables in
  // its schema).
  static bool outside(const std::string& k) {
    return one_of(
        k, {"PROCEDURE", "FUNCTION", "EVENT", "SEQUENCE", "USER", "ROLE", "SERVER", "PACKAGE"});
  }

  void create() {
    std::string k = kind();
    if (k == "TEMPORARY" || outside(k)) return;          // a temporary table goes with the session
    if (semicolon_ && k != "TRIGGER") return unknown();  // only a trigger's body holds ';'
    if (k == "TRIGGER") {
      // OR REPLACE may move a trigger of that name from another table.
      skip({"IF", "NOT", "EXISTS"});
      if (!name(out_.triggers)) return;
      table_after_on();
      return;
    }
    if (k == "TABLE") {
      skip({"IF", "NOT", "EXISTS"});
      name(out_.names);
    } else if (k == "VIEW") {
      skip({"IF", "NOT", "EXISTS"});
      name(out_.names);
    } else if (k == "INDEX") {
      table_after_on();
    } else {
      unknown();  // DATABASE, TABLESPACE, ...
    }
  }

  void alter() {
    std::string k = kind();
    if (outside(k) || k == "DATABASE" || k == "SCHEMA") return;  // defaults for new tables only
    if (k == "VIEW") {
      name(out_.names);
    } else if (k == "TABLE") {
      skip({"IF", "EXISTS"});
      if (!name(out_.names)) return;
      // ALTER TABLE a RENAME [TO|AS] b (not RENAME COLUMN / INDEX / KEY).
      for (size_t j = i_; j < w_.size(); ++j) {
        if (w_[j] != "RENAME" || one_of(at(j + 1), {"COLUMN", "INDEX", "KEY", "CONSTRAINT"}))
          continue;
        i_ = j + 1;
        skip({"TO", "AS"});
        if (!name(out_.names)) return;
        j = i_ - 1;
      }
    } else {
      unknown();
    }
  }

  void drop() {
    std::string k = kind();
    if (k == "TEMPORARY" || outside(k)) return;
    if (k == "TABLE" || k == "TABLES" || k == "VIEW") {
      names_list();
    } else if (k == "INDEX") {
      table_after_on();
    } else if (k == "TRIGGER") {
      skip({"IF", "EXISTS"});
      name(out_.triggers);
    } else {
      unknown();
    }
  }

  void rename() {
    std::string k = kind();
    if (k == "USER") return;
    if (k != "TABLE" && k != "TABLES") return unknown();
    do {
      if (!name(out_.names)) return;
      if (at(i_) != "TO") return unknown();
      ++i_;
      if (!name(out_.names)) return;
    } while (at(i_) == "," && ++i_);
  }

  SchemaChanges& out_;
  const std::string& sql_;
  std::vector<std::string> w_;
  bool semicolon_ = false;
  size_t i_ = 0;
};

// The table a recorded trigger is on ("on TABLE: BEFORE INSERT ...").
std::string trigger_table(const SchemaObject& o) {
  if (o.lines.empty() || o.lines[0].rfind("on ", 0) != 0) return {};
  size_t colon = o.lines[0].find(": ", 3);
  return colon == std::string::npos ? std::string() : o.lines[0].substr(3, colon - 3);
}

}  // namespace

void note_mysql_changes(const std::string& sql, SchemaChanges& changes) {
  if (!changes.known) return;
  auto first = leading_tokens(sql, 1);
  if (!first.empty() && one_of(first[0], {"CREATE", "ALTER", "DROP", "RENAME"}))
    ++changes.ddl_statements;
  Reader(sql, changes).read();
}

std::string refresh_mysql(Database& db, const std::string& prefix, const std::string& recorded,
                          const SchemaChanges& changes) {
  // A few round trips per object: past a handful, one full inspection is
  // cheaper.
  constexpr size_t kMostNames = 8;
  if (!changes.known || recorded.empty()) return {};
  std::vector<SchemaObject> objects = parse_schema(recorded);
  // The spellings looked up: as written and in lower case (a name written
  // without quotes comes upper-cased); the tables of dropped triggers as
  // the snapshot spells them.
  std::set<std::string> spellings, touched;  // touched: upper case
  auto add = [&](const std::string& n) {
    spellings.insert(n);
    spellings.insert(lower(n));
    touched.insert(upper_ascii(n));
  };
  for (const auto& n : changes.names) add(n);
  // A trigger created or dropped by name: the table it was on is read again
  // (one the snapshot does not have was not there: it is proved true).
  for (const auto& t : changes.triggers)
    for (const auto& o : objects)
      if (o.kind == "trigger" && upper_ascii(o.name) == upper_ascii(t)) {
        if (trigger_table(o).empty()) return {};
        add(trigger_table(o));
      }
  // A table whose foreign key names a touched one: renaming that table or
  // its column rewrites the key's text (InnoDB follows the rename).
  std::vector<std::string> referencing;
  for (const auto& o : objects)
    if (o.kind == "table")
      for (const auto& line : o.lines) {
        size_t at = line.find(" references ");
        size_t open = line.rfind(" (");
        if (line.rfind("foreign key ", 0) != 0 || at == std::string::npos || open <= at) continue;
        if (touched.count(upper_ascii(line.substr(at + 12, open - at - 12))))
          referencing.push_back(o.name);
      }
  for (const auto& n : referencing) add(n);
  if (touched.size() > kMostNames) return {};
  // An object the snapshot spells in some other case could be another one
  // than the statement named (names are case-sensitive on Linux).
  for (const auto& o : objects) {
    std::string table = o.kind == "trigger" ? trigger_table(o) : o.name;
    if (touched.count(upper_ascii(table)) && !spellings.count(table)) return {};
  }
  if (touched.empty()) return recorded;  // only rows changed
  std::string which;
  for (const auto& n : spellings)
    which += std::string(which.empty() ? "" : " UNION ALL ") +
             "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
             "AND table_name = " +
             db.quote(n);
  SchemaBuilder b(prefix);
  std::set<std::string> found;  // a server that folds case finds one table twice
  for (const auto& row : schema_rows(db, which))
    if (found.insert(row.at(0)).second) inspect_mysql_objects(db, b, &row.at(0));
  std::set<std::string> dropped;
  for (const auto& t : changes.triggers) dropped.insert(upper_ascii(t));
  return replace_objects(
      std::move(objects),
      [&](const SchemaObject& o) {
        return o.kind == "trigger" ? touched.count(upper_ascii(trigger_table(o))) ||
                                         dropped.count(upper_ascii(o.name))
                                   : touched.count(upper_ascii(o.name)) > 0;
      },
      b.build());
}

}  // namespace mig
