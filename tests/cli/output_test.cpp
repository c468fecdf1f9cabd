// Where the CLI's lines go (src/cli/output.cpp): -q and -v, --json, data
// on standard output, warnings and errors on standard error, all masked.
#include "cli/output.h"

#include <gtest/gtest.h>

#include "secrets.h"

namespace mig {
namespace {

struct Printed {
  std::string out, err;
};

template <typename F>
Printed printed(Verbosity v, bool json, F write) {
  auto redactor = std::make_shared<Redactor>();
  redactor->add_secret("s3cret");
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  {
    Output out(v, json, redactor);
    write(out);
  }
  Printed p;
  p.out = ::testing::internal::GetCapturedStdout();
  p.err = ::testing::internal::GetCapturedStderr();
  return p;
}

void every_kind(Output& o) {
  o.progress("progress");
  o.detail("detail");
  o.data("data s3cret");
  o.notice("notice");
  o.warn("careful with s3cret");
  o.error("failed");
}

TEST(Output, NormalShowsProgressButNotDetail) {
  Printed p = printed(Verbosity::Normal, false, every_kind);
  EXPECT_EQ(p.out, "progress\ndata ***\nnotice\n");
  EXPECT_EQ(p.err, "warning: careful with ***\nmig: failed\n");
}

TEST(Output, QuietKeepsDataWarningsAndErrors) {
  Printed p = printed(Verbosity::Quiet, false, every_kind);
  EXPECT_EQ(p.out, "data ***\n");
  EXPECT_EQ(p.err, "warning: careful with ***\nmig: failed\n");
}

TEST(Output, VerboseAddsDetail) {
  Printed p = printed(Verbosity::Verbose, false, every_kind);
  EXPECT_EQ(p.out, "progress\ndetail\ndata ***\nnotice\n");
}

// With --json (or data such as a --sql script) on standard output, nothing
// else goes there: a notice about waiting moves to standard error.
TEST(Output, JsonAndDataOnStdoutKeepStandardOutputForTheData) {
  Printed json = printed(Verbosity::Normal, true, every_kind);
  EXPECT_EQ(json.out, "data ***\n");
  EXPECT_EQ(json.err, "notice\nwarning: careful with ***\nmig: failed\n");
  Printed script = printed(Verbosity::Normal, false, [](Output& o) {
    o.set_data_on_stdout(true);
    o.notice("waiting for the lock");
    o.data("BEGIN;");
  });
  EXPECT_EQ(script.out, "BEGIN;\n");
  EXPECT_EQ(script.err, "waiting for the lock\n");
  Printed quiet = printed(Verbosity::Quiet, true, [](Output& o) { o.notice("waiting"); });
  EXPECT_EQ(quiet.err, "");
}

}  // namespace
}  // namespace mig
