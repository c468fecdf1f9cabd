#include "script/revision_file.h"

#include <algorithm>
#include <cctype>
#include <iterator>

#include "db/dialect_traits.h"
#include "errors.h"
#include "script/checksum.h"

namespace mig {

const char* to_string(RevisionKind kind) { return kind == RevisionKind::Data ? "data" : "schema"; }

bool is_valid_revision_id(std::string_view id) {
  if (id.size() < 4 || id.size() > 40) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '_')) return false;
  return true;
}

namespace {

// Returns the 1-based line of the first byte that breaks UTF-8, or 0.
int first_invalid_utf8_line(std::string_view s) {
  int line = 1;
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n') ++line;
    size_t extra = c < 0x80           ? 0
                   : (c >> 5) == 0x6  ? 1
                   : (c >> 4) == 0xe  ? 2
                   : (c >> 3) == 0x1e ? 3
                                      : 9;
    if (extra == 9 || (extra == 1 && c < 0xc2) || i + extra >= s.size() + (extra ? 0 : 1))
      return line;
    for (size_t k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return line;
    i += extra + 1;
  }
  return 0;
}

// The 1-based line of the first NUL byte, or 0. A driver given the text as
// a C string stops at it and runs the statement cut short.
int first_nul_line(std::string_view s) {
  size_t at = s.find('\0');
  if (at == std::string_view::npos) return 0;
  return 1 + static_cast<int>(std::count(s.begin(), s.begin() + at, '\n'));
}

}  // namespace

std::string_view checked_file_text(std::string_view text, const std::string& path) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (int bad = first_invalid_utf8_line(text))
    throw FileError(path, bad, "file is not valid UTF-8");
  if (int nul = first_nul_line(text))
    throw FileError(path, nul, "file holds a NUL byte (\\0), which no SQL statement may contain");
  return text;
}

namespace {

// YYYY-MM-DD[(T| )HH:MM[:SS[.fff]][Z|±HH[:]MM]] (a regex here cost more than
// the rest of parsing a file).
bool is_iso8601(std::string_view s) {
  auto digits = [&](size_t at, size_t n) {
    if (at + n > s.size()) return false;
    for (size_t i = at; i < at + n; ++i)
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
  };
  if (!digits(0, 4) || s.size() < 10 || s[4] != '-' || !digits(5, 2) || s[7] != '-' ||
      !digits(8, 2))
    return false;
  size_t i = 10;
  if (i == s.size()) return true;
  if ((s[i] != 'T' && s[i] != ' ') || !digits(i + 1, 2) || i + 3 >= s.size() || s[i + 3] != ':' ||
      !digits(i + 4, 2))
    return false;
  i += 6;
  if (i < s.size() && s[i] == ':') {
    if (!digits(i + 1, 2)) return false;
    i += 3;
    if (i < s.size() && s[i] == '.') {
      size_t j = i + 1;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      if (j == i + 1) return false;
      i = j;
    }
  }
  if (i == s.size()) return true;
  if (s[i] == 'Z') return i + 1 == s.size();
  if (s[i] != '+' && s[i] != '-') return false;
  if (!digits(i + 1, 2)) return false;
  i += 3;
  if (i < s.size() && s[i] == ':') ++i;
  return digits(i, 2) && i + 2 == s.size();
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i > start) out.emplace_back(s.substr(start, i - start));
  }
  return out;
}

}  // namespace

std::string outside_transaction_only(const Statement& st, Dialect dialect) {
  const std::string& sql = st.normalized.empty() ? st.sql : st.normalized;
  return traits(dialect).outside_transaction_only(leading_tokens(sql, 8));
}

namespace {

// The header directives, each allowed once per file.
constexpr const char* kHeaderDirectives[] = {"revision", "parent",      "message", "created",
                                             "kind",     "transaction", "depends", "irreversible",
                                             "allow",    "branch",      "nolint"};

int header_directive_index(const std::string& name) {
  for (size_t i = 0; i < std::size(kHeaderDirectives); ++i)
    if (name == kHeaderDirectives[i]) return static_cast<int>(i);
  return -1;
}

class RevisionParser {
 public:
  RevisionParser(const std::string& path, Dialect dialect) : path_(path), dialect_(dialect) {
    rev_.path = path;
  }

  Revision parse(std::string_view text) {
    for (auto& chunk : scan_sql(checked_file_text(text, path_), dialect_, path_)) {
      if (auto* d = std::get_if<Directive>(&chunk))
        directive(*d);
      else
        statement(std::get<Statement>(chunk));
    }
    if (rev_.id.empty()) fail(1, "missing -- mig:revision directive");
    if (section_ == Section::Header) fail(last_line_, "missing -- mig:upgrade section");
    if (batch_line_) fail(batch_line_, "-- mig:batch must be followed by the statement to repeat");
    if (nolint_line_)
      fail(nolint_line_, "-- mig:nolint in a section must be followed by a statement");
    if (!rev_.branch.empty() && !rev_.parents.empty())
      fail(branch_line_, "-- mig:branch belongs on a base revision (one without parents)");
    if (rev_.declared_irreversible && rev_.has_downgrade)
      fail(downgrade_line_, "-- mig:irreversible revision has a -- mig:downgrade section");
    rev_.upgrade_autocommit = needs_autocommit(rev_.upgrade);
    rev_.downgrade_autocommit = needs_autocommit(rev_.downgrade);
    rev_.checksum = statements_checksum(rev_.upgrade);
    return std::move(rev_);
  }

 private:
  enum class Section { Header, Upgrade, Downgrade };

  [[noreturn]] void fail(int line, const std::string& message) const {
    throw FileError(path_, line, message);
  }

  // A statement that the database refuses inside a transaction fails only
  // once the revision runs, half way through it. Alone in its section it is
  // run outside one (true); among other statements, or in a revision that
  // says `-- mig:transaction on`, the file is refused before anything runs.
  bool needs_autocommit(const std::vector<Statement>& section) const {
    if (!rev_.transactional) return false;  // `-- mig:transaction off` already
    for (const auto& st : section) {
      std::string what = outside_transaction_only(st, dialect_);
      if (what.empty()) continue;
      if (transaction_line_)
        fail(st.line, what + " cannot run inside a transaction, and line " +
                          std::to_string(transaction_line_) +
                          " says -- mig:transaction on; write -- mig:transaction off instead");
      if (section.size() > 1)
        fail(st.line, what +
                          " cannot run inside a transaction, so it cannot share one with the "
                          "other statements of this section; move it into a revision of its own "
                          "(mig then runs it outside a transaction), or add -- mig:transaction "
                          "off to the header to run every statement on its own");
      return true;
    }
    return false;
  }

  void statement(Statement st) {
    last_line_ = st.line;
    st.batch = batch_line_ != 0;
    batch_line_ = 0;
    st.nolint = std::move(nolint_);
    nolint_.clear();
    nolint_line_ = 0;
    switch (section_) {
      case Section::Header:
        fail(st.line, "SQL before -- mig:upgrade; statements belong in a section");
      case Section::Upgrade:
        rev_.upgrade.push_back(std::move(st));
        break;
      case Section::Downgrade:
        rev_.downgrade.push_back(std::move(st));
        break;
    }
  }

  void directive(const Directive& d) {
    last_line_ = d.line;
    if (batch_line_) fail(batch_line_, "-- mig:batch must be followed by the statement to repeat");
    if (nolint_line_ && d.name != "batch")
      fail(nolint_line_, "-- mig:nolint in a section must be followed by a statement");
    if (d.name == "upgrade" || d.name == "downgrade") return section(d);
    if (d.name == "batch") return batch(d);
    if (d.name == "nolint" && section_ != Section::Header) return statement_nolint(d);
    int index = header_directive_index(d.name);
    if (index < 0) fail(d.line, "unknown directive -- mig:" + d.name);
    if (section_ != Section::Header)
      fail(d.line, "-- mig:" + d.name + " belongs in the header, before -- mig:upgrade");
    if (seen_ & (1u << index)) fail(d.line, "-- mig:" + d.name + " appears twice");
    seen_ |= 1u << index;

    if (d.name == "revision") {
      auto words = split_words(d.args);
      if (words.size() != 1) fail(d.line, "-- mig:revision takes exactly one id");
      check_id(words[0], d.line);
      rev_.id = words[0];
      rev_.revision_line = d.line;
    } else if (d.name == "parent") {
      rev_.parents = id_list(d, "parent");
      rev_.parent_line = d.line;
    } else if (d.name == "depends") {
      rev_.depends = id_list(d, "depends");
      if (rev_.depends.empty()) fail(d.line, "-- mig:depends needs at least one id");
      rev_.depends_line = d.line;
    } else if (d.name == "message") {
      rev_.message = d.args;
    } else if (d.name == "created") {
      if (!is_iso8601(d.args))
        fail(d.line, "-- mig:created expects an ISO-8601 time, got '" + d.args + "'");
      rev_.created = d.args;
    } else if (d.name == "kind") {
      if (d.args == "schema")
        rev_.kind = RevisionKind::Schema;
      else if (d.args == "data")
        rev_.kind = RevisionKind::Data;
      else
        fail(d.line, "-- mig:kind must be 'schema' or 'data', not '" + d.args + "'");
    } else if (d.name == "branch") {
      bool ok =
          !d.args.empty() && d.args.size() <= 40 &&
          d.args.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
      if (!ok) fail(d.line, "-- mig:branch takes one name of [0-9a-z_], not '" + d.args + "'");
      rev_.branch = d.args;
      branch_line_ = d.line;
    } else if (d.name == "irreversible") {
      if (!d.args.empty()) fail(d.line, "-- mig:irreversible takes no arguments");
      rev_.declared_irreversible = true;
    } else if (d.name == "allow") {
      if (d.args != "destructive")
        fail(d.line, "-- mig:allow takes 'destructive', not '" + d.args + "'");
      rev_.allow_destructive = true;
    } else if (d.name == "nolint") {
      rev_.nolint = nolint_codes(d);
    } else if (d.name == "transaction") {
      if (d.args == "off") {
        rev_.transactional = false;
      } else if (d.args == "on") {
        rev_.transactional = true;
        transaction_line_ = d.line;
      } else
        fail(d.line, "-- mig:transaction must be 'on' or 'off', not '" + d.args + "'");
    }
  }

  void section(const Directive& d) {
    if (!d.args.empty()) fail(d.line, "-- mig:" + d.name + " takes no arguments");
    if (d.name == "upgrade") {
      if (section_ != Section::Header) fail(d.line, "-- mig:upgrade appears twice");
      if (rev_.id.empty()) fail(d.line, "missing -- mig:revision before -- mig:upgrade");
      section_ = Section::Upgrade;
    } else {
      if (section_ == Section::Header) fail(d.line, "-- mig:downgrade before -- mig:upgrade");
      if (section_ == Section::Downgrade) fail(d.line, "-- mig:downgrade appears twice");
      section_ = Section::Downgrade;
      rev_.has_downgrade = true;
      downgrade_line_ = d.line;
    }
  }

  void batch(const Directive& d) {
    if (!d.args.empty()) fail(d.line, "-- mig:batch takes no arguments");
    if (section_ == Section::Header)
      fail(d.line, "-- mig:batch belongs before a statement in a section");
    if (rev_.kind != RevisionKind::Data)
      fail(d.line, "-- mig:batch is only for data revisions (-- mig:kind data)");
    batch_line_ = d.line;
  }

  // -- mig:nolint before a statement: its rules (codes such as DS102, or a
  // group such as destructive) are not applied to that statement.
  void statement_nolint(const Directive& d) {
    if (nolint_line_)
      fail(nolint_line_, "-- mig:nolint in a section must be followed by a statement");
    nolint_ = nolint_codes(d);
    nolint_line_ = d.line;
  }

  // Codes (two or more capitals, then digits) or group names; which ones
  // exist is `mig check`'s to say.
  std::vector<std::string> nolint_codes(const Directive& d) const {
    auto codes = split_words(d.args);
    if (codes.empty()) fail(d.line, "-- mig:nolint needs the code of a rule (DS102, …) or a group");
    auto is_upper = [](char ch) { return ch >= 'A' && ch <= 'Z'; };
    auto is_digit = [](char ch) { return ch >= '0' && ch <= '9'; };
    auto is_lower = [](char ch) { return ch >= 'a' && ch <= 'z'; };
    for (const auto& c : codes) {
      size_t letters = std::find_if_not(c.begin(), c.end(), is_upper) - c.begin();
      bool code =
          letters >= 2 && letters < c.size() && std::all_of(c.begin() + letters, c.end(), is_digit);
      bool group = std::all_of(c.begin(), c.end(), is_lower);
      if (!code && !group)
        fail(d.line, "-- mig:nolint takes rule codes (DS102) or group names, not '" + c + "'");
    }
    return codes;
  }

  std::vector<std::string> id_list(const Directive& d, const char* what) {
    auto ids = split_words(d.args);
    for (size_t i = 0; i < ids.size(); ++i) {
      check_id(ids[i], d.line);
      if (std::find(ids.begin(), ids.begin() + i, ids[i]) != ids.begin() + i)
        fail(d.line, std::string("-- mig:") + what + " lists '" + ids[i] + "' twice");
    }
    return ids;
  }

  void check_id(const std::string& id, int line) const {
    if (!is_valid_revision_id(id))
      fail(line, "invalid revision id '" + id + "' (use 4-40 characters of 0-9, a-z, _)");
  }

  std::string path_;
  Dialect dialect_;
  Revision rev_;
  Section section_ = Section::Header;
  unsigned seen_ = 0;  // bit i: kHeaderDirectives[i] was given
  int last_line_ = 1;
  int batch_line_ = 0;   // a `-- mig:batch` waiting for its statement
  int nolint_line_ = 0;  // a `-- mig:nolint` waiting for its statement
  std::vector<std::string> nolint_;
  int downgrade_line_ = 0;
  int branch_line_ = 0;
  int transaction_line_ = 0;  // `-- mig:transaction on`, said explicitly
};

}  // namespace

Revision parse_revision(std::string_view text, const std::string& path, Dialect dialect) {
  Revision rev = RevisionParser(path, dialect).parse(text);
  for (const auto& p : rev.parents)
    if (p == rev.id) throw FileError(path, rev.parent_line, "revision " + p + " is its own parent");
  for (const auto& p : rev.depends)
    if (p == rev.id)
      throw FileError(path, rev.depends_line, "revision " + p + " depends on itself");
  return rev;
}

}  // namespace mig
