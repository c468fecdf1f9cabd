#include "script/templates.h"

#include <gtest/gtest.h>

#include "errors.h"
#include "script/revision_file.h"
#include "../test_support.h"

namespace mig {
namespace {

NewRevision sample() {
  NewRevision r;
  r.id = "0123456789ab";
  r.parents = {"aaaa1111"};
  r.message = "Add e-mail <to> Account!";
  r.created = "2026-11-23T10:42:00Z";
  r.timestamp = "20261123104200";
  r.kind = "schema";
  return r;
}

TEST(Templates, BuiltinSchemaTemplateRendersAValidRevision) {
  std::string text = render_template(builtin_template("schema"), sample(), "schema");
  Revision r = parse_revision(text, "new.sql", Dialect::SQLite);
  EXPECT_EQ(r.id, "0123456789ab");
  EXPECT_EQ(r.parents, std::vector<std::string>{"aaaa1111"});
  EXPECT_EQ(r.message, "Add e-mail <to> Account!");  // not HTML-escaped
  EXPECT_EQ(r.kind, RevisionKind::Schema);
  EXPECT_TRUE(r.has_downgrade);
}

TEST(Templates, DataTemplateWritesKindDataAndBaseHasNoParent) {
  NewRevision n = sample();
  n.parents.clear();
  n.kind = "data";
  Revision r = parse_revision(render_template(builtin_template("data"), n, "data"), "new.sql",
                              Dialect::SQLite);
  EXPECT_EQ(r.kind, RevisionKind::Data);
  EXPECT_TRUE(r.parents.empty());
}

TEST(Templates, FileNameFromPattern) {
  EXPECT_EQ(render_file_name("{{timestamp}}_{{id}}_{{slug}}.sql", sample()),
            "20261123104200_0123456789ab_add_e_mail_to_account.sql");
  EXPECT_EQ(render_file_name("{{kind}}/{{slug}}", sample()), "schema/add_e_mail_to_account.sql");
  EXPECT_THROW(render_file_name("../{{id}}", sample()), UsageError);
}

TEST(Templates, Slugify) {
  EXPECT_EQ(slugify("  Hello,  World! "), "hello_world");
  EXPECT_EQ(slugify("!!!"), "revision");
  EXPECT_LE(slugify(std::string(200, 'a')).size(), 48u);
}

TEST(Templates, RandomIdsAreValidAndDiffer) {
  std::string a = random_revision_id(), b = random_revision_id();
  EXPECT_TRUE(is_valid_revision_id(a));
  EXPECT_EQ(a.size(), 12u);
  EXPECT_NE(a, b);
}

TEST(Templates, UserTemplateFromDirectoryWins) {
  testing::TempDir dir;
  dir.write("t/schema.sql.mustache", "custom {{id}}");
  dir.write("t/mine.sql.mustache", "mine {{slug}}");
  EXPECT_EQ(load_template(dir / "t", "schema"), "custom {{id}}");
  EXPECT_EQ(load_template(dir / "t", "mine"), "mine {{slug}}");
  EXPECT_EQ(load_template(dir / "t", "data"), builtin_template("data"));
  EXPECT_THROW(load_template(dir / "t", "nothere"), UsageError);
  EXPECT_THROW(render_template("{{#open}}", sample(), "bad"), UsageError);
}

}  // namespace
}  // namespace mig
