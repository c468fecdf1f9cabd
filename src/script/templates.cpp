#include "script/templates.h"

#include <boost/filesystem.hpp>
#include <kainjow/mustache.hpp>
#include <random>

#include "errors.h"
#include "script/script_directory.h"

namespace mig {
namespace {

const char* kSchemaTemplate = R"(-- mig:revision {{id}}
{{#has_parents}}
-- mig:parent {{parents}}
{{/has_parents}}
{{#has_branch}}
-- mig:branch {{branch}}
{{/has_branch}}
-- mig:message {{message}}
-- mig:created {{created}}

-- mig:upgrade


-- mig:downgrade

)";

const char* kDataTemplate = R"(-- mig:revision {{id}}
{{#has_parents}}
-- mig:parent {{parents}}
{{/has_parents}}
{{#has_branch}}
-- mig:branch {{branch}}
{{/has_branch}}
-- mig:message {{message}}
-- mig:created {{created}}
-- mig:kind data

-- mig:upgrade
-- A data-only change (backfill, fix-up). Write statements that are safe to
-- run once on any database at the parent revision.


-- mig:downgrade
-- Undo the change, or delete this section if it cannot be undone.

)";

const char* kMergeTemplate = R"(-- mig:revision {{id}}
-- mig:parent {{parents}}
-- mig:message {{message}}
-- mig:created {{created}}

-- mig:upgrade
-- This revision joins branches. It usually needs no SQL: add some only to
-- reconcile what the branches did.

-- mig:downgrade

)";

const char* kSeedTemplate = R"(-- Seed: {{message}}
-- Created {{created}}. Runs after the schema is at head, and again whenever
-- this file changes, so keep it idempotent: INSERT ... ON CONFLICT DO NOTHING
-- (SQLite, PostgreSQL) or INSERT IGNORE (MySQL).
-- Optional: "-- mig:env dev,test" limits it to those environments;
-- "-- mig:requires REV" makes it wait until revision REV is applied.

)";

}  // namespace

std::string builtin_template(const std::string& name) {
  if (name == "schema") return kSchemaTemplate;
  if (name == "data") return kDataTemplate;
  if (name == "seed") return kSeedTemplate;
  if (name == "merge") return kMergeTemplate;
  return {};
}

std::vector<std::string> builtin_template_names() { return {"schema", "data", "seed", "merge"}; }

std::string load_template(const std::string& templates_dir, const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos)
    throw OptionError("{template_name}: invalid template name '" + OptionError::literal(name) +
                      "'");
  std::string path = templates_dir + "/" + name + ".sql.mustache";
  if (boost::filesystem::is_regular_file(path)) return read_file(path);
  std::string builtin = builtin_template(name);
  if (builtin.empty())
    throw OptionError("{template_name}: no template '" + OptionError::literal(name) +
                      "' (looked for " + OptionError::literal(path) + ")");
  return builtin;
}

std::string render_template(const std::string& text, const NewRevision& rev,
                            const std::string& origin) {
  kainjow::mustache::mustache tmpl{text};
  if (!tmpl.is_valid()) throw UsageError(origin + ": " + tmpl.error_message());
  tmpl.set_custom_escape([](const std::string& s) { return s; });
  std::string parents;
  for (const auto& p : rev.parents) parents += (parents.empty() ? "" : " ") + p;
  kainjow::mustache::data data;
  data.set("id", rev.id);
  data.set("parents", parents);
  data.set("has_parents", rev.parents.empty() ? kainjow::mustache::data::type::bool_false
                                              : kainjow::mustache::data::type::bool_true);
  data.set("message", rev.message);
  data.set("created", rev.created);
  data.set("timestamp", rev.timestamp);
  data.set("kind", rev.kind);
  data.set("slug", slugify(rev.message));
  data.set("branch", rev.branch);
  data.set("has_branch", rev.branch.empty() ? kainjow::mustache::data::type::bool_false
                                            : kainjow::mustache::data::type::bool_true);
  std::string out = tmpl.render(data);
  if (!tmpl.is_valid()) throw UsageError(origin + ": " + tmpl.error_message());
  return out;
}

std::string render_file_name(const std::string& pattern, const NewRevision& rev) {
  std::string name = render_template(pattern, rev, "revision.file_template");
  if (name.empty() || name.find("..") != std::string::npos || name.front() == '/')
    throw UsageError("revision.file_template: gives an unusable file name '" + name + "'");
  if (name.size() < 4 || name.compare(name.size() - 4, 4, ".sql") != 0) name += ".sql";
  return name;
}

std::string slugify(const std::string& message) {
  std::string slug;
  for (char c : message) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80)
      slug += static_cast<char>(std::tolower(u));
    else if (!slug.empty() && slug.back() != '_')
      slug += '_';
    if (slug.size() >= 48) break;
  }
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  return slug.empty() ? "revision" : slug;
}

std::string random_revision_id() {
  std::random_device rd;
  std::uniform_int_distribution<int> digit(0, 15);
  std::string id;
  for (int i = 0; i < 12; ++i) id += "0123456789abcdef"[digit(rd)];
  return id;
}

}  // namespace mig
