#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mig/dialect.h"

namespace mig {

// Lexical rules differ per database (Dialect, in mig/dialect.h): backslash
// escapes (MySQL, PostgreSQL E''), dollar quoting and nested comments
// (PostgreSQL), '#' comments (MySQL).

struct Statement {
  std::string sql;         // as written, trimmed, without its terminator
  std::string normalized;  // comments removed, white space collapsed (and dropped
                           // around parentheses and commas): for checksums
  int line = 0;            // 1-based line of the statement's first character
  bool batch = false;      // `-- mig:batch`: repeat until it changes no rows
  bool raw = false;        // from a `-- mig:statement` block: may hold several statements
  std::vector<std::string> nolint{};  // `-- mig:nolint CODE …` just before it: rules not applied
};

// A `-- mig:NAME ARGS` comment standing on its own line between statements.
struct Directive {
  std::string name;
  std::string args;
  int line = 0;
};

using SqlChunk = std::variant<Statement, Directive>;

// Splits SQL text into statements and directives, in source order. Handles
// quotes and their escapes, both comment forms, dollar quoting, BEGIN … END
// bodies of triggers and routines, DELIMITER lines and
// `-- mig:statement begin/end` blocks (those directives are consumed here).
// Throws FileError naming `origin` and the line on unterminated constructs.
std::vector<SqlChunk> scan_sql(std::string_view text, Dialect dialect, const std::string& origin);

// The first `count` tokens of one statement, for telling what kind of
// statement it is: words upper-cased (CREATE, INDEX, NAME_1), a quoted name
// as written with its quotes ("x", `x`), a string literal as a lone ',
// and any other character as itself ("(", ",", "."). Comments are skipped.
std::vector<std::string> leading_tokens(std::string_view sql, size_t count);

// Every token of one statement, as leading_tokens reads them but with words
// as written (`upper`: upper-cased) and string literals whole, and where
// each is in SQL.
struct SqlToken {
  std::string text;
  std::string upper;
  size_t begin = 0, end = 0;
};
std::vector<SqlToken> sql_tokens(std::string_view sql);

// Only the statements; any other directive is an error.
std::vector<Statement> split_statements(std::string_view text, Dialect dialect,
                                        const std::string& origin);

}  // namespace mig
