#include "script/sql_splitter.h"

#include <algorithm>

#include "db/dialect_traits.h"
#include "errors.h"

namespace mig {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_alnum(char c) { return is_ascii_alpha(c) || (c >= '0' && c <= '9'); }
bool is_word_char(char c) {
  return is_ascii_alnum(c) || c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80;
}
bool is_tag_start(char c) {
  return is_ascii_alpha(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

// White space next to these never matters, so checksums ignore it.
bool hugs_space(char c) { return c == '(' || c == ')' || c == ',' || c == ';'; }

char to_upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// A short keyword in upper case, kept on the stack: the splitter looks at
// every word of every statement, so this must not allocate.
class Keyword {
 public:
  explicit Keyword(std::string_view word) : size_(std::min(word.size(), sizeof text_)) {
    for (size_t i = 0; i < size_; ++i) text_[i] = to_upper(word[i]);
  }
  std::string_view view() const { return {text_, size_}; }
  bool operator==(const char* other) const { return view() == other; }
  bool operator!=(const char* other) const { return view() != other; }
  bool one_of(std::initializer_list<const char*> words) const {
    for (const char* w : words)
      if (view() == w) return true;
    return false;
  }

 private:
  char text_[12];
  size_t size_;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_space(s.front()) || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

enum class LineKind { Other, Directive, Misspelt };

// Parses "-- mig:NAME ARGS" out of one line. A line comment that only looks
// like a directive (`-- MIG:downgrade`, `--- mig:downgrade`, `-- mig :x`) is
// Misspelt: read as a plain comment, its statements would silently join the
// section above it.
LineKind parse_directive_line(std::string_view line, Directive& out) {
  line = trim(line);
  if (line.substr(0, 2) != "--") return LineKind::Other;
  size_t dashes = 0;
  while (dashes < line.size() && line[dashes] == '-') ++dashes;
  std::string_view rest = line.substr(dashes);
  while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
  if (rest.size() < 3 || Keyword(rest.substr(0, 3)) != "MIG") return LineKind::Other;
  std::string_view word = rest.substr(0, 3);
  rest.remove_prefix(3);
  size_t gap = 0;
  while (gap < rest.size() && is_space(rest[gap])) ++gap;
  if (gap == rest.size() || rest[gap] != ':') return LineKind::Other;
  rest.remove_prefix(gap + 1);
  size_t n = 0;
  while (n < rest.size() && (is_ascii_alnum(rest[n]) || rest[n] == '_')) ++n;
  out.name = std::string(rest.substr(0, n));
  out.args = std::string(trim(rest.substr(n)));
  return dashes == 2 && word == "mig" && gap == 0 ? LineKind::Directive : LineKind::Misspelt;
}

class Scanner {
 public:
  Scanner(std::string_view text, Dialect dialect, const std::string& origin)
      : s_(text), rules_(traits(dialect)), origin_(origin) {}

  std::vector<SqlChunk> run() {
    bool line_start = true;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '\n') {
        ++line_;
        ++pos_;
        line_start = true;
        space_pending_ = true;
        continue;
      }
      if (is_space(c)) {
        ++pos_;
        space_pending_ = true;
        continue;
      }
      if (line_start && line_command()) continue;
      line_start = false;
      if (custom_delimiter_ && s_.compare(pos_, delimiter_.size(), delimiter_) == 0) {
        pos_ += delimiter_.size();
        end_statement();
      } else if (c == '-' && peek(1) == '-') {
        skip_line_comment();
      } else if (c == '#' && rules_.hash_comments) {
        skip_line_comment();
      } else if (c == '/' && peek(1) == '*' && !executable_comment()) {
        skip_block_comment();
      } else if (c == ';' && !custom_delimiter_ && depth_ == 0) {
        ++pos_;
        end_statement();
      } else if (c == '\'') {
        scan_quoted('\'', backslash_escapes_single());
      } else if (c == '"') {
        scan_quoted('"', rules_.backslash_escapes);
      } else if (c == '`') {
        scan_quoted('`', false);
      } else if (c == '$' && rules_.dollar_quotes && dollar_quote()) {
        // consumed
      } else if (is_word_char(c)) {
        scan_word();
      } else if (c == '/' && peek(1) == '*') {
        scan_block_token();  // MySQL /*! … */ executable comment: real SQL
      } else {
        token(pos_, pos_ + 1, line_);
        ++pos_;
      }
    }
    if (depth_ > 0)
      throw FileError(origin_, block_line_,
                      "BEGIN ... END block is not closed; if mig misreads this statement, "
                      "wrap it in -- mig:statement begin / -- mig:statement end");
    end_statement();
    return std::move(out_);
  }

 private:
  char peek(size_t ahead) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }

  // At "/*": MySQL's /*! … */ and MariaDB's /*M! … */ run as SQL on the
  // servers that understand them, and /*+ … */ holds optimizer hints.
  bool executable_comment() const {
    if (!rules_.executable_comments) return false;
    return peek(2) == '!' || peek(2) == '+' || (peek(2) == 'M' && peek(3) == '!');
  }

  size_t line_end() const {
    size_t e = s_.find('\n', pos_);
    return e == std::string_view::npos ? s_.size() : e;
  }

  bool backslash_escapes_single() const {
    if (rules_.backslash_escapes) return true;
    if (!rules_.escape_string_prefix || pos_ == 0) return false;
    char prev = s_[pos_ - 1];
    if (prev != 'E' && prev != 'e') return false;
    return pos_ < 2 || !is_word_char(s_[pos_ - 2]);
  }

  // A directive or DELIMITER line; consumes up to (not including) the newline.
  bool line_command() {
    size_t end = line_end();
    std::string_view line = s_.substr(pos_, end - pos_);
    Directive d;
    LineKind kind = parse_directive_line(line, d);
    if (kind == LineKind::Misspelt) misspelt(line, d);
    if (kind == LineKind::Directive) {
      d.line = line_;
      if (d.name.empty())
        throw FileError(origin_, line_,
                        "'-- mig:' must be followed directly by a directive name, e.g. "
                        "-- mig:upgrade");
      if (depth_ > 0)
        throw FileError(origin_, block_line_,
                        "BEGIN ... END block is not closed before -- mig:" + d.name + " on line " +
                            std::to_string(line_));
      end_statement();
      pos_ = end;
      if (d.name == "statement")
        raw_statement(d);
      else
        out_.push_back(d);
      return true;
    }
    if (rules_.psql_dump_lines && !trim(line).empty() && trim(line).front() == '\\')
      return psql_meta_command(trim(line));
    if (!in_stmt_ && line.size() > 9 && Keyword(line.substr(0, 9)) == "DELIMITER" &&
        is_space(line[9])) {
      std::string_view rest = trim(line.substr(9));
      size_t n = 0;
      while (n < rest.size() && !is_space(rest[n])) ++n;
      if (n == 0) throw FileError(origin_, line_, "DELIMITER needs a delimiter");
      delimiter_ = std::string(rest.substr(0, n));
      custom_delimiter_ = delimiter_ != ";";
      pos_ = end;
      return true;
    }
    return false;
  }

  [[noreturn]] void misspelt(std::string_view line, const Directive& d) const {
    std::string shown(trim(line).substr(0, 60));
    throw FileError(origin_, line_,
                    "'" + shown + "' looks like a mig directive but is not written as one; " +
                        "write it as -- mig:" + (d.name.empty() ? "NAME" : d.name) +
                        " (two dashes, lower-case mig, no space before the colon)");
  }

  // pg_dump (15.14 and later) brackets its output in `\restrict KEY` and
  // `\unrestrict KEY`: they stop psql from obeying meta-commands a hostile
  // server might inject. mig obeys none, so they are dropped; any other
  // meta-command is an instruction to psql that mig cannot carry out.
  bool psql_meta_command(std::string_view line) {
    size_t n = 1;
    while (n < line.size() && is_ascii_alpha(line[n])) ++n;
    std::string_view name = line.substr(0, n);
    if (name == "\\restrict" || name == "\\unrestrict") {
      pos_ = line_end();
      return true;
    }
    throw FileError(origin_, line_,
                    "psql meta-command " + std::string(name) +
                        " is not SQL, and mig sends SQL only; remove it (or run this file "
                        "with psql)");
  }

  // Everything between `-- mig:statement begin` and `-- mig:statement end`
  // is one statement, sent as written.
  void raw_statement(const Directive& begin) {
    if (begin.args == "end")
      throw FileError(origin_, begin.line, "-- mig:statement end without a matching begin");
    if (begin.args != "begin")
      throw FileError(origin_, begin.line,
                      "-- mig:statement takes 'begin' or 'end', not '" + begin.args + "'");
    if (pos_ < s_.size()) ++pos_, ++line_;  // past the directive's newline
    size_t body_start = pos_;
    int body_line = line_;
    while (pos_ < s_.size()) {
      size_t end = line_end();
      Directive d;
      std::string_view line = s_.substr(pos_, end - pos_);
      LineKind kind = parse_directive_line(line, d);
      if (kind == LineKind::Misspelt) misspelt(line, d);
      if (kind == LineKind::Directive) {
        if (d.name == "statement" && d.args == "end") {
          emit_raw(s_.substr(body_start, pos_ - body_start), body_line);
          pos_ = end;
          return;
        }
        throw FileError(origin_, begin.line,
                        "-- mig:statement begin is not closed before -- mig:" + d.name +
                            " on line " + std::to_string(line_));
      }
      pos_ = end;
      if (pos_ < s_.size()) ++pos_, ++line_;
    }
    throw FileError(origin_, begin.line, "-- mig:statement begin has no matching end");
  }

  void emit_raw(std::string_view body, int first_line) {
    size_t lead = 0;
    while (lead < body.size() && (is_space(body[lead]) || body[lead] == '\n')) {
      if (body[lead] == '\n') ++first_line;
      ++lead;
    }
    std::string_view sql = trim(body);
    if (sql.empty()) return;
    Statement st;
    st.sql = std::string(sql);
    st.line = first_line;
    st.raw = true;
    bool gap = false;
    for (char c : sql) {
      if (is_space(c) || c == '\n') {
        gap = true;
        continue;
      }
      if (gap) st.normalized += ' ';
      gap = false;
      st.normalized += c;
    }
    out_.push_back(std::move(st));
  }

  void skip_line_comment() {
    pos_ = line_end();
    space_pending_ = true;
  }

  void skip_block_comment() {
    int start_line = line_;
    int nesting = 0;
    while (pos_ < s_.size()) {
      if (s_[pos_] == '/' && peek(1) == '*') {
        ++nesting;
        pos_ += 2;
        if (nesting > 1 && !rules_.nested_block_comments) nesting = 1;
        continue;
      }
      if (s_[pos_] == '*' && peek(1) == '/') {
        pos_ += 2;
        if (--nesting == 0) {
          space_pending_ = true;
          return;
        }
        continue;
      }
      if (s_[pos_] == '\n') ++line_;
      ++pos_;
    }
    throw FileError(origin_, start_line, "unterminated /* comment");
  }

  void scan_block_token() {
    size_t start = pos_;
    int start_line = line_;
    size_t close = s_.find("*/", pos_ + 2);
    if (close == std::string_view::npos)
      throw FileError(origin_, start_line, "unterminated /* comment");
    advance_to(close + 2);
    token(start, pos_, start_line);
  }

  void scan_quoted(char quote, bool backslash) {
    size_t start = pos_;
    int start_line = line_;
    ++pos_;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '\n') ++line_;
      if (backslash && c == '\\') {
        if (peek(1) == '\n') ++line_;
        pos_ += 2;
        continue;
      }
      ++pos_;
      if (c == quote) {
        if (pos_ < s_.size() && s_[pos_] == quote) {
          ++pos_;
          continue;
        }
        token(start, pos_, start_line);
        return;
      }
    }
    const char* what = quote == '\''  ? "string"
                       : quote == '"' ? "quoted identifier"
                                      : "backtick identifier";
    throw FileError(origin_, start_line,
                    std::string("unterminated ") + what + " (opened with " + quote + ")");
  }

  // PostgreSQL $$…$$ / $tag$…$tag$; false if this '$' starts no such quote.
  bool dollar_quote() {
    size_t j = pos_ + 1;
    if (j < s_.size() && s_[j] != '$') {
      if (!is_tag_start(s_[j])) return false;
      while (j < s_.size() && is_word_char(s_[j]) && s_[j] != '$') ++j;
      if (j >= s_.size() || s_[j] != '$') return false;
    }
    if (j >= s_.size()) return false;
    std::string_view tag = s_.substr(pos_, j + 1 - pos_);
    size_t start = pos_;
    int start_line = line_;
    size_t close = s_.find(tag, j + 1);
    if (close == std::string_view::npos)
      throw FileError(origin_, start_line,
                      "unterminated dollar-quoted string (opened with " + std::string(tag) + ")");
    advance_to(close + tag.size());
    token(start, pos_, start_line);
    return true;
  }

  void advance_to(size_t end) {
    for (; pos_ < end; ++pos_)
      if (s_[pos_] == '\n') ++line_;
  }

  void scan_word() {
    size_t start = pos_;
    while (pos_ < s_.size() && is_word_char(s_[pos_])) ++pos_;
    token(start, pos_, line_);
    if (pos_ - start <= 9 && compound_ != Compound::No)
      track_blocks(Keyword(s_.substr(start, pos_ - start)));
  }

  Keyword next_word() const {
    size_t j = pos_;
    while (j < s_.size() && (is_space(s_[j]) || s_[j] == '\n')) ++j;
    size_t k = j;
    while (k < s_.size() && is_word_char(s_[k])) ++k;
    return Keyword(s_.substr(j, std::min<size_t>(k - j, 10)));
  }

  // Inside CREATE TRIGGER/PROCEDURE/FUNCTION/EVENT, a ';' does not end the
  // statement while a BEGIN (or CASE) is open.
  void track_blocks(const Keyword& word) {
    if (compound_ == Compound::Unknown) {
      ++words_;
      if (words_ == 1) {
        if (word != "CREATE") compound_ = Compound::No;
      } else if (word.one_of({"TRIGGER", "PROCEDURE", "FUNCTION", "EVENT"})) {
        compound_ = Compound::Yes;
      } else if (words_ > 8 ||
                 word.one_of({"TABLE", "VIEW", "INDEX", "SCHEMA", "DATABASE", "SEQUENCE", "TYPE",
                              "DOMAIN", "EXTENSION", "ROLE", "USER"})) {
        compound_ = Compound::No;
      }
      return;
    }
    if (compound_ != Compound::Yes) return;
    if (skip_case_) {
      skip_case_ = false;
      if (word == "CASE") return;
    }
    if (word == "BEGIN" || word == "CASE") {
      if (depth_++ == 0) block_line_ = line_;
    } else if (word == "END") {
      Keyword next = next_word();
      if (next.one_of({"IF", "LOOP", "WHILE", "REPEAT"})) return;
      if (next == "CASE") skip_case_ = true;
      if (depth_ > 0) --depth_;
    }
  }

  void token(size_t start, size_t end, int line) {
    if (!in_stmt_) {
      in_stmt_ = true;
      stmt_begin_ = start;
      stmt_line_ = line;
      norm_.clear();
    } else if (space_pending_ && !hugs_space(norm_.back()) && !hugs_space(s_[start])) {
      norm_ += ' ';
    }
    space_pending_ = false;
    norm_.append(s_.data() + start, end - start);
    stmt_end_ = end;
  }

  void end_statement() {
    if (in_stmt_) {
      if (rules_.psql_dump_lines) refuse_copy_from_stdin();
      Statement st;
      st.sql = std::string(s_.substr(stmt_begin_, stmt_end_ - stmt_begin_));
      st.normalized = std::move(norm_);
      st.line = stmt_line_;
      out_.push_back(std::move(st));
    }
    in_stmt_ = false;
    norm_.clear();
    space_pending_ = false;
    compound_ = Compound::Unknown;
    words_ = 0;
    depth_ = 0;
    skip_case_ = false;
  }

  // pg_dump's default output loads rows with `COPY t FROM stdin;` followed by
  // the rows themselves, which psql feeds to the server; mig has no such
  // input to give, and would read the rows as SQL.
  void refuse_copy_from_stdin() const {
    if (norm_.size() < 5 || Keyword(std::string_view(norm_).substr(0, 4)) != "COPY" ||
        is_word_char(norm_[4]))
      return;
    for (size_t i = 0; i + 5 <= norm_.size(); ++i) {
      if (Keyword(std::string_view(norm_).substr(i, 5)) != "STDIN") continue;
      if ((i > 0 && is_word_char(norm_[i - 1])) ||
          (i + 5 < norm_.size() && is_word_char(norm_[i + 5])))
        continue;
      throw FileError(origin_, stmt_line_,
                      "COPY ... FROM stdin takes its rows from psql, which mig cannot give it; "
                      "dump with pg_dump --inserts (or --column-inserts) to get INSERT "
                      "statements");
    }
  }

  enum class Compound { Unknown, Yes, No };

  std::string_view s_;
  const DialectTraits& rules_;
  const std::string& origin_;
  size_t pos_ = 0;
  int line_ = 1;
  std::string delimiter_ = ";";
  bool custom_delimiter_ = false;  // checked once per character: cheaper than comparing
  std::vector<SqlChunk> out_;

  bool in_stmt_ = false;
  size_t stmt_begin_ = 0;
  size_t stmt_end_ = 0;
  int stmt_line_ = 0;
  std::string norm_;
  bool space_pending_ = false;

  Compound compound_ = Compound::Unknown;
  int words_ = 0;
  int depth_ = 0;
  int block_line_ = 0;
  bool skip_case_ = false;
};

}  // namespace

std::vector<SqlChunk> scan_sql(std::string_view text, Dialect dialect, const std::string& origin) {
  return Scanner(text, dialect, origin).run();
}

namespace {

// Calls EMIT(begin, end) for each of the first COUNT tokens of SQL (see
// leading_tokens), comments skipped.
template <typename Emit>
void each_token(std::string_view sql, size_t count, Emit emit) {
  size_t i = 0, n = 0;
  while (i < sql.size() && n < count) {
    char c = sql[i];
    size_t start = i;
    if (is_space(c) || c == '\n') {
      ++i;
      continue;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
      continue;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t close = sql.find("*/", i + 2);
      i = close == std::string_view::npos ? sql.size() : close + 2;
      continue;
    } else if (is_word_char(c)) {
      while (i < sql.size() && is_word_char(sql[i])) ++i;
    } else if (c == '"' || c == '`' || c == '\'') {
      size_t close = sql.find(c, i + 1);
      i = close == std::string_view::npos ? sql.size() : close + 1;
    } else {
      ++i;
    }
    emit(start, i);
    ++n;
  }
}

}  // namespace

std::vector<std::string> leading_tokens(std::string_view sql, size_t count) {
  std::vector<std::string> out;
  each_token(sql, count, [&](size_t begin, size_t end) {
    if (sql[begin] == '\'') {
      out.emplace_back(1, '\'');
      return;
    }
    std::string token(sql.substr(begin, end - begin));
    if (is_word_char(sql[begin]))
      for (char& ch : token) ch = to_upper(ch);
    out.push_back(std::move(token));
  });
  return out;
}

std::vector<SqlToken> sql_tokens(std::string_view sql) {
  std::vector<SqlToken> out;
  each_token(sql, std::string_view::npos, [&](size_t begin, size_t end) {
    SqlToken t{std::string(sql.substr(begin, end - begin)), {}, begin, end};
    t.upper = t.text;
    if (is_word_char(sql[begin]))
      for (char& ch : t.upper) ch = to_upper(ch);
    out.push_back(std::move(t));
  });
  return out;
}

std::vector<Statement> split_statements(std::string_view text, Dialect dialect,
                                        const std::string& origin) {
  std::vector<Statement> out;
  for (auto& chunk : scan_sql(text, dialect, origin)) {
    if (auto* d = std::get_if<Directive>(&chunk))
      throw FileError(origin, d->line, "unexpected directive -- mig:" + d->name);
    out.push_back(std::move(std::get<Statement>(chunk)));
  }
  return out;
}

}  // namespace mig
