#pragma once

#include <string>
#include <vector>

#include "script/sql_splitter.h"

namespace mig {

enum class RevisionKind { Schema, Data };

const char* to_string(RevisionKind kind);

// One revision file, parsed. A value: no file handle, no database.
struct Revision {
  std::string id;
  std::vector<std::string> parents;  // empty: a base; two or more: a merge
  std::vector<std::string> depends;  // applied before this one, not parents
  std::string message;
  std::string created;
  RevisionKind kind = RevisionKind::Schema;
  bool transactional = true;  // false: `-- mig:transaction off`
  // The section is a single statement that cannot run inside a transaction
  // (CREATE INDEX CONCURRENTLY, VACUUM, …): it runs outside one.
  bool upgrade_autocommit = false;
  bool downgrade_autocommit = false;
  std::vector<Statement> upgrade;
  std::vector<Statement> downgrade;
  bool has_downgrade = false;          // no section: the revision is irreversible
  bool declared_irreversible = false;  // `-- mig:irreversible`: no downgrade, on purpose
  bool allow_destructive = false;      // `-- mig:allow destructive`
  std::vector<std::string> nolint;     // `-- mig:nolint CODE …` in the header: the whole file
  std::string branch;  // `-- mig:branch NAME` on a base: labels its line of revisions
  std::string path;
  int revision_line = 0;
  int parent_line = 0;
  int depends_line = 0;
  std::string checksum;  // SHA-256 of the normalised upgrade statements
  // Loaded without SQL text (RevisionText::Summary): statements keep their
  // count, lines and batch flags, but `sql` and `normalized` are empty.
  bool sql_dropped = false;

  // Whether the section runs as one transaction (where the database has
  // transactional DDL): not under `transaction off`, nor when it is a
  // statement the database will only run on its own.
  bool runs_in_transaction(bool upgrade_section) const {
    return transactional && !(upgrade_section ? upgrade_autocommit : downgrade_autocommit);
  }

  bool has_batches() const {
    for (const auto* section : {&upgrade, &downgrade})
      for (const auto& st : *section)
        if (st.batch) return true;
    return false;
  }
};

}  // namespace mig
