#include "cli/render.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/url.h"
#include "secrets.h"

namespace mig {
namespace {

// What a render call prints on standard output.
template <typename F>
std::string printed(bool json, F render, std::shared_ptr<Redactor> redactor = nullptr) {
  if (!redactor) redactor = std::make_shared<Redactor>();
  ::testing::internal::CaptureStdout();
  {
    Output out(Verbosity::Normal, json, redactor);
    render(out);
  }
  return ::testing::internal::GetCapturedStdout();
}

StatusResult status_with_work() {
  StatusResult s;
  s.database = "SQLite file 'app.db'";
  s.current = {"a1"};
  s.heads = {"c3"};
  s.pending = {{"b2", "add email", "schema", false}, {"c3", "backfill", "data", true}};
  s.half_applied = {{"b2", "upgrade", "failed", 2, 3, "syntax error", "b2 is half applied",
                     "ALTER TABLE users ADD email"}};
  return s;
}

TEST(Render, StatusAsText) {
  Settings settings;
  std::string text =
      printed(false, [&](Output& o) { render_status(o, settings, status_with_work()); });
  EXPECT_NE(text.find("database: SQLite file 'app.db'\n"), std::string::npos) << text;
  EXPECT_NE(text.find("current:  a1\nheads:    c3\npending:  2 revision(s)\n  b2  add email\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("half applied (resolve before going on):\n  b2 is half applied\n"
                      "    statement: ALTER TABLE users ADD email\n"),
            std::string::npos)
      << text;
}

TEST(Render, StatusAsJsonFromTheSameResult) {
  Settings settings;
  auto j = nlohmann::json::parse(
      printed(true, [&](Output& o) { render_status(o, settings, status_with_work()); }));
  EXPECT_EQ(j["current"], nlohmann::json({"a1"}));
  EXPECT_EQ(j["pending"].size(), 2u);
  EXPECT_EQ(j["pending"][1]["kind"], "data");
  EXPECT_EQ(j["half_applied"][0]["statement"], 2);
  EXPECT_EQ(j["half_applied"][0]["description"], "b2 is half applied");
  EXPECT_EQ(j["drift"]["detected"], false);
}

TEST(Render, UpToDateAndBase) {
  Settings settings;
  StatusResult s;
  s.database = "db";
  std::string text = printed(false, [&](Output& o) { render_status(o, settings, s); });
  EXPECT_NE(text.find("current:  base\nheads:    (no revisions)\npending:  none, up to date\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(printed(false, [&](Output& o) { render_current(o, settings, CurrentResult{}); }),
            "base (no revision applied)\n");
}

TEST(Render, WhatIsPrintedPassesThroughTheRedactor) {
  auto redactor = std::make_shared<Redactor>();
  redactor->add_secret("hunter22");
  Settings settings;
  StatusResult s;
  s.database = "postgresql://app:hunter22@db/shop";
  for (bool json : {false, true}) {
    std::string text = printed(
        json, [&](Output& o) { render_status(o, settings, s); }, redactor);
    EXPECT_EQ(text.find("hunter22"), std::string::npos) << text;
    EXPECT_NE(text.find("app:***@db"), std::string::npos) << text;
  }
}

TEST(Render, HistoryTextGraphAndDot) {
  RevisionInfo a, b;
  a.id = "a1";
  a.message = "create users";
  a.kind = "schema";
  a.applied = a.current = true;
  b.id = "b2";
  b.parents = {"a1"};
  b.message = "add email";
  b.kind = "schema";
  b.head = true;
  HistoryResult h{{b, a}};
  EXPECT_EQ(printed(false, [&](Output& o) { render_history(o, h, "text"); }),
            "a1 -> b2 (head), add email\n<base> -> a1 (current), create users\n");
  EXPECT_EQ(printed(false, [&](Output& o) { render_history(o, h, "graph"); }),
            "o  b2 (head), add email\n@  a1 (current), create users\n");
  EXPECT_EQ(printed(false, [&](Output& o) { render_history(o, h, "dot"); }).rfind("digraph", 0),
            0u);
}

TEST(Render, VerifyCounts) {
  VerifyResult r;
  r.verified = 2;
  r.skipped = 1;
  r.ms = 12;
  std::string ok = printed(false, [&](Output& o) { render_verify(o, r); });
  EXPECT_NE(ok.find("0 failed, in 12 ms"), std::string::npos) << ok;
  r.failed = 1;
  std::string bad = printed(false, [&](Output& o) { render_verify(o, r); });
  EXPECT_NE(bad.find("1 failed"), std::string::npos) << bad;
  EXPECT_EQ(bad.find(" ms"), std::string::npos) << bad;
}

}  // namespace
}  // namespace mig
