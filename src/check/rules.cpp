#include "check/rules.h"

#include <algorithm>

namespace mig {

const std::vector<CheckRule>& check_rules() {
  // code, group, the old rule name, a one-line explanation, the fix or the exemption.
  static const std::vector<CheckRule> rules = {
      {"MG101", "revisions", "parse", "a revision file does not parse",
       "fix the file at the line named; mig runs no file it cannot read"},
      {"MG102", "revisions", "graph",
       "the revision graph is broken: a duplicate id, an unknown parent or a cycle",
       "give each revision its own id and name parents that exist"},
      {"MG103", "revisions", "heads", "more heads than check.max_heads allows",
       "join them with mig merge, or raise [check] max_heads"},
      {"MG104", "revisions", "downgrade", "a schema revision has no downgrade section",
       "add -- mig:downgrade, or declare -- mig:irreversible"},
      {"MG105", "revisions", "nolint", "-- mig:nolint names no rule mig has",
       "name a code from mig check's list (README, mig check)"},
      {"MG106", "revisions", "syntax", "PostgreSQL's parser rejects a statement",
       "fix the SQL at the place named; if the server takes syntax newer than PostgreSQL 15's, "
       "set MG106 = \"off\" in [check.rules]"},
      {"MG107", "revisions", "replay",
       "a statement fails when the revisions are replayed on a scratch database",
       "make the revision run on an empty database (as verify does), or check without --replay; "
       "the revisions after it are not replayed",
       "warning"},
      {"LT101", "revisions", "rebuild",
       "a SQLite table is rebuilt without an index, key or trigger it had (seen by the replay)",
       "make them again after the rename: DROP TABLE took them with the old table", "warning"},
      {"DS101", "destructive", "destructive", "a schema or database is dropped",
       "if intended: -- mig:nolint DS101 before the statement, or -- mig:allow destructive"},
      {"DS102", "destructive", "destructive",
       "a table is dropped that this revision did not create",
       "if intended: -- mig:nolint DS102 before the statement, or -- mig:allow destructive"},
      {"DS103", "destructive", "destructive", "a column is dropped",
       "if intended: -- mig:nolint DS103 before the statement, or -- mig:allow destructive"},
      {"DS104", "destructive", "destructive",
       "every row of a table is deleted (TRUNCATE, DELETE without WHERE)",
       "add a WHERE, or if intended: -- mig:nolint DS104 before the statement"},
      {"DS105", "destructive", "destructive",
       "every row of a table is rewritten (UPDATE without WHERE)",
       "add a WHERE, or if intended: -- mig:nolint DS105 before the statement"},
      {"DS106", "destructive", "destructive",
       "a column's type is changed (ALTER ... TYPE, MODIFY, CHANGE), which may narrow it",
       "add a new column and copy, or if intended: -- mig:nolint DS106 before the statement"},
      {"MF101", "data-dependent", "unique",
       "a unique index or constraint is added to a table that may already hold rows",
       "it fails if existing rows hold duplicates: look for them first (GROUP BY the columns "
       "HAVING count(*) > 1)",
       "warning"},
      {"MF102", "data-dependent", "not-null-column",
       "a NOT NULL column without a default is added to a table that may hold rows",
       "give it a DEFAULT, or add it nullable, fill it, then make it NOT NULL", "warning"},
      {"MF103", "data-dependent", "set-not-null",
       "a column of a table that may hold rows is made NOT NULL",
       "it fails if a row holds NULL there: UPDATE those rows first", "warning"},
      {"MF104", "data-dependent", "check",
       "a CHECK constraint is added to a table that may hold rows",
       "it fails if existing rows violate it: fix them first", "warning"},
      {"MF105", "data-dependent", "foreign-key",
       "a foreign key is added to a table that may hold rows",
       "it fails if existing rows point at rows that do not exist: fix or delete them first",
       "warning"},
      {"BC101", "backward-incompatible", "rename-table", "a table is renamed",
       "code deployed before this revision still uses the old name: add the new name beside the "
       "old (a view), move the callers, then drop the old one",
       "warning"},
      {"BC102", "backward-incompatible", "rename-column", "a column is renamed",
       "code deployed before this revision still uses the old name: add the new column, write "
       "both, move the callers, then drop the old one",
       "warning"},
      {"PG101", "locking", "index-concurrently",
       "an index is created without CONCURRENTLY on an existing table (PostgreSQL)",
       "it blocks writes while the index builds: CREATE INDEX CONCURRENTLY, alone in its "
       "revision (mig runs that outside a transaction)",
       "warning"},
      {"PG102", "locking", "drop-index-concurrently",
       "an index is dropped without CONCURRENTLY (PostgreSQL)",
       "it waits for and then blocks every query on the table: DROP INDEX CONCURRENTLY, alone "
       "in its revision",
       "warning"},
      {"PG103", "locking", "concurrently-in-transaction",
       "CONCURRENTLY inside a transaction (PostgreSQL refuses it)",
       "put the statement alone in a revision, or use -- mig:transaction off without BEGIN "
       "around it"},
      {"PG104", "locking", "foreign-key-not-valid",
       "a foreign key is added to an existing table without NOT VALID (PostgreSQL)",
       "checking every row blocks writes to both tables: ADD CONSTRAINT ... NOT VALID, then "
       "VALIDATE CONSTRAINT in a later revision",
       "warning"},
      {"PG105", "locking", "check-not-valid",
       "a CHECK constraint is added to an existing table without NOT VALID (PostgreSQL)",
       "checking every row blocks reads and writes: ADD CONSTRAINT ... NOT VALID, then VALIDATE "
       "CONSTRAINT in a later revision",
       "warning"},
      {"PG106", "locking", "set-not-null",
       "SET NOT NULL on an existing table without a validated CHECK (PostgreSQL)",
       "it scans the table under an exclusive lock: add CHECK (col IS NOT NULL) NOT VALID, "
       "VALIDATE it, then SET NOT NULL, which then skips the scan",
       "warning"},
      {"PG107", "locking", "type-rewrite", "a column's type change rewrites the table (PostgreSQL)",
       "the table and its indexes are rewritten under an exclusive lock: add a new column, fill "
       "it in batches and switch over (changing to text or to varchar without a length does not "
       "rewrite)",
       "warning"},
      {"PG108", "locking", "volatile-default",
       "a column with a volatile default (random(), nextval(), serial, identity, ...) is added "
       "to an existing table (PostgreSQL)",
       "every row is rewritten under an exclusive lock: add the column without it, then fill "
       "it in batches",
       "warning"},
      {"PG109", "locking", "unique-using-index",
       "a UNIQUE or PRIMARY KEY constraint is added to an existing table without USING INDEX "
       "(PostgreSQL)",
       "the index builds under an exclusive lock: CREATE UNIQUE INDEX CONCURRENTLY first, then "
       "ADD CONSTRAINT ... USING INDEX",
       "warning"},
      {"PG110", "locking", "lock-timeout",
       "a statement takes a heavy lock on an existing table with no lock_timeout set "
       "(PostgreSQL)",
       "waiting for its lock it blocks every query queued behind it: SET lock_timeout = '5s' "
       "(SET LOCAL inside a transaction) before it",
       "warning"},
      {"MY101", "locking", "table-copy",
       "a column's type change makes MySQL copy the whole table (ALGORITHM=COPY)",
       "writes wait until the copy is done: on a big table use an online schema change tool "
       "(gh-ost, pt-online-schema-change), or add a new column and fill it in batches",
       "warning"},
      {"DE101", "design", "primary-key", "a table is created without a primary key",
       "add a PRIMARY KEY: replication, updates by row and most tools need one", "warning"},
      {"DE102", "design", "timestamp-without-time-zone",
       "a column is timestamp without time zone (PostgreSQL)",
       "use timestamptz: it stores an instant, whatever the session's time zone", "warning"},
      {"DE103", "design", "char", "a column is char(n) (PostgreSQL)",
       "use text or varchar: char(n) pads with spaces and is no faster", "warning"},
      {"DE104", "design", "varchar-length", "a column is varchar(n) (PostgreSQL)",
       "use text, with a CHECK on length() if the limit matters: changing the limit later "
       "takes an exclusive lock",
       "warning"},
      {"DE105", "design", "float-money",
       "a column named like an amount of money is a floating-point number",
       "use numeric (or an integer count of cents): floating point cannot hold 0.10 exactly",
       "warning"},
      {"DE106", "design", "identifier-length",
       "a name is longer than the database keeps (PostgreSQL 63 bytes, MySQL 64 characters)",
       "shorten it: PostgreSQL cuts it silently, so two long names can become one", "warning"},
      {"DE107", "design", "utf8mb3", "utf8 (utf8mb3) is named as a character set (MySQL)",
       "use utf8mb4: utf8mb3 cannot hold characters beyond 3 bytes, emoji among them", "warning"},
      {"DE108", "design", "foreign-key-index",
       "a foreign key has no index that starts with its columns (PostgreSQL)",
       "create one: without it every delete or key update on the referenced table scans this "
       "one",
       "warning"},
      {"DE109", "design", "redundant-index",
       "a new index is covered by one that already exists on the same columns",
       "drop it: it costs every write and buys nothing", "warning"},
      {"DE110", "design", "reserved-word",
       "a new table or column is named with a word the database reserves (MySQL: with a "
       "database)",
       "rename it (orders, not order): every query that names it must quote it, and one that "
       "forgets fails",
       "warning"},
      {"NM101", "naming", "table-name", "a new table's name does not match [check.naming] table",
       "rename it to match the pattern, or change the pattern"},
      {"NM102", "naming", "column-name", "a new column's name does not match [check.naming] column",
       "rename it to match the pattern, or change the pattern"},
      {"NM103", "naming", "index-name", "a new index's name does not match [check.naming] index",
       "rename it to match the pattern, or change the pattern"},
      {"NM104", "naming", "foreign-key-name",
       "a new foreign key's name does not match [check.naming] foreign_key",
       "name it to match the pattern (CONSTRAINT name FOREIGN KEY ...), or change the pattern"},
      {"NM105", "naming", "check-name",
       "a new CHECK constraint's name does not match [check.naming] check",
       "name it to match the pattern (CONSTRAINT name CHECK ...), or change the pattern"},
      {"DB101", "database", "edited", "an applied revision's file changed since it was applied",
       "undo the edit and write a new revision, or accept it with mig rehash"},
      {"DB102", "database", "missing", "an applied revision has no file",
       "restore the file, or mig stamp the database to a revision that has one"},
      {"DB103", "database", "drift", "the schema changed outside mig since its last run",
       "write a revision that makes the change, or undo it in the database"},
      {"DB104", "database", "database", "the database could not be checked",
       "see the message: the URL, the server or the user's rights"},
  };
  return rules;
}

const CheckRule* find_check_rule(const std::string& code) {
  for (const auto& r : check_rules())
    if (r.code == code) return &r;
  return nullptr;
}

bool is_check_group(const std::string& name) {
  const auto& rules = check_rules();
  return std::any_of(rules.begin(), rules.end(),
                     [&](const CheckRule& r) { return r.group == name; });
}

bool is_naming_kind(const std::string& kind) {
  return kind == "table" || kind == "column" || kind == "index" || kind == "foreign_key" ||
         kind == "check";
}

bool is_check_level(const std::string& value) {
  return value == "error" || value == "warning" || value == "off";
}

Finding make_finding(const std::string& code, const std::string& path, int line,
                     const std::string& revision, const std::string& message) {
  const CheckRule* rule = find_check_rule(code);
  Finding f;
  f.rule = rule ? rule->name : code;
  f.code = code;
  f.path = path;
  f.line = line;
  f.revision = revision;
  f.message = message;
  f.hint = rule ? rule->hint : "";
  f.severity = rule ? rule->level : "error";
  return f;
}

}  // namespace mig
