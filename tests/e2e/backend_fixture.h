#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "database_support.h"
#include "harness.h"

namespace mig::e2e {

// A project plus a fresh database on one backend; `mig()` points the binary
// at that database through DATABASE_URL.
class Backends : public ::testing::TestWithParam<Kind> {
 protected:
  Project p;
  TestDatabase db{GetParam(), p / "var/mig.db"};

  Result mig(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}) {
    env["DATABASE_URL"] = db.url();
    return p.mig(args, env);
  }
  std::vector<std::string> applied() const {
    return db.query("SELECT revision FROM mig_revisions ORDER BY seq");
  }
  std::vector<std::string> log() const {
    return db.query("SELECT action, revision, outcome FROM mig_log ORDER BY id");
  }
  bool mysql() const { return GetParam() == Kind::MySQL; }

  // a001 ← a002 ← a003, portable SQL.
  void chain() {
    p.revision("a001", "", "CREATE TABLE one (id INTEGER PRIMARY KEY);", "DROP TABLE one;");
    p.revision("a002", "a001", "CREATE TABLE two (id INTEGER);\nINSERT INTO two VALUES (2);",
               "DROP TABLE two;");
    p.revision("a003", "a002", "CREATE TABLE three (id INTEGER);", "DROP TABLE three;");
  }
};

inline std::vector<Kind> all_backends() { return {Kind::SQLite, Kind::PostgreSQL, Kind::MySQL}; }

inline std::string backend_name(const ::testing::TestParamInfo<Kind>& info) {
  return kind_name(info.param);
}

}  // namespace mig::e2e
