#include "secrets.h"

#include <gtest/gtest.h>

#include "config/url.h"

namespace mig {
namespace {

TEST(Redactor, MasksAUrlsPasswordWhereverItAppears) {
  Redactor r;
  r.add_url(parse_url("postgresql://app:s3cret-pw@db.example/shop", "test"));
  EXPECT_EQ(r.apply("FATAL: password s3cret-pw for app at s3cret-pw"),
            "FATAL: password *** for app at ***");
  EXPECT_FALSE(r.empty());
}

TEST(Redactor, AJsonEscapedPasswordIsMaskedToo) {
  Redactor r;
  r.add_secret("pa\"ss\\word");
  EXPECT_EQ(r.apply("{\"error\": \"pa\\\"ss\\\\word\"}"), "{\"error\": \"***\"}");
  EXPECT_EQ(r.apply("raw pa\"ss\\word"), "raw ***");
}

TEST(Redactor, PasswordLikeQueryOptionsAreSecrets) {
  Redactor r;
  r.add_url(parse_url("mysql://app@localhost/shop?password=hunter22", "test"));
  EXPECT_EQ(r.apply("denied (using hunter22)"), "denied (using ***)");
}

TEST(Redactor, APasswordEqualToANamePrintedAnywayIsLeftAlone) {
  Redactor r;
  r.add_url(parse_url("postgresql://shop:shop@localhost/shop", "test"));
  EXPECT_EQ(r.apply("database 'shop' does not exist"), "database 'shop' does not exist");
}

TEST(Redactor, VeryShortSecretsAreNotMasked) {
  Redactor r;
  r.add_secret("ab");
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.apply("table abc"), "table abc");
}

TEST(Redactor, EachRedactorKnowsOnlyItsOwnSecrets) {
  Redactor a, b;
  a.add_secret("first-secret");
  EXPECT_EQ(b.apply("first-secret"), "first-secret");
  EXPECT_EQ(a.apply("first-secret"), "***");
}

}  // namespace
}  // namespace mig
