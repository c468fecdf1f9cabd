#pragma once

#include <string>
#include <vector>

namespace mig {

// What a template needs to write a new revision file.
struct NewRevision {
  std::string id;
  std::vector<std::string> parents;
  std::string message;
  std::string created;    // ISO-8601 UTC, e.g. 2026-11-23T10:42:00Z
  std::string timestamp;  // the same instant as 20261123104200, for file names
  std::string kind;       // "schema" or "data"
  std::string branch;     // label for a new base (`--branch`), or empty
};

// The templates shipped inside the binary ("schema", "data"); `mig init`
// writes them out and `mig revision` falls back on them. Empty if unknown.
std::string builtin_template(const std::string& name);
std::vector<std::string> builtin_template_names();

// Reads DIR/NAME.sql.mustache, else the built-in NAME. Throws UsageError.
std::string load_template(const std::string& templates_dir, const std::string& name);

// Renders a mustache template with id, parents, has_parents, message,
// created, timestamp, kind and slug. `origin` names the template in errors.
std::string render_template(const std::string& text, const NewRevision& rev,
                            const std::string& origin);

// File name from the configured pattern, always ending in ".sql".
std::string render_file_name(const std::string& pattern, const NewRevision& rev);

// Lower-case [a-z0-9_] form of a message, at most 48 characters.
std::string slugify(const std::string& message);

// 12 random hexadecimal characters.
std::string random_revision_id();

}  // namespace mig
