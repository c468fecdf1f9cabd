// End-to-end: what the packages ship besides the commands: --version, the
// man pages and the completion scripts mig writes from its command table.
// tests/package/install.sh runs the installed ones in the real shells.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/filesystem.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "harness.h"

namespace mig::e2e {
namespace {

using nlohmann::json;

// The visible commands, as `mig --help` lists them.
std::set<std::string> listed_commands(const std::string& help) {
  std::set<std::string> out;
  size_t at = help.find("Subcommands:\n");
  EXPECT_NE(at, std::string::npos) << help;
  std::regex line(R"(\n  ([a-z]+) )");
  for (std::sregex_iterator i(help.begin() + static_cast<long>(at), help.end(), line), end;
       i != end; ++i)
    out.insert((*i)[1]);
  return out;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::set<std::string> files_in(const std::string& dir) {
  std::set<std::string> out;
  for (auto& e : boost::filesystem::directory_iterator(dir))
    out.insert(e.path().filename().string());
  return out;
}

TEST(Version, NamesTheCommitAndMatchesItsJson) {
  Project p;
  Result text = p.mig({"--version"});
  ASSERT_EQ(text.code, 0) << text.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_match(
      text.out, m,
      std::regex(R"(mig (\d+\.\d+\.\d+) \(commit ([0-9a-f]{12}|unknown)(-dirty)?\)\n)")))
      << text.out;

  Result r = p.mig({"--version", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  json v = json::parse(r.out);
  EXPECT_EQ(v["version"], m[1].str());
  EXPECT_EQ(v["commit"], m[2].str());
  EXPECT_EQ(v["dirty"].get<bool>(), m[3].matched);
  EXPECT_EQ(v["backends"], json::array({"sqlite", "postgresql", "mysql"}));
  EXPECT_EQ(v["sqlite"], sqlite3_libversion());
  // The modules of the build beside the binary, each a file that is there.
  for (const char* name : {"postgresql", "mysql"}) {
    std::string path = v["modules"][name];
    EXPECT_TRUE(boost::filesystem::exists(path)) << path;
    EXPECT_EQ(boost::filesystem::path(path).filename().string(),
              std::string("mig_") + name + ".so");
  }

  // A module directory that holds none: null, not a made-up path.
  testing::TempDir empty;
  Result none = p.mig({"--version", "--json"}, {{"MIG_MODULE_DIR", empty.path()}});
  ASSERT_EQ(none.code, 0) << none.err;
  EXPECT_TRUE(json::parse(none.out)["modules"]["postgresql"].is_null()) << none.out;
}

TEST(ManPages, OnePerCommandWithEveryOptionOfItsHelp) {
  Project p;
  testing::TempDir out;
  // No mig.toml is needed, and a broken one is not read.
  p.write("mig.toml", "[database\n");
  Result r = p.mig({"__man", out.path()});
  ASSERT_EQ(r.code, 0) << r.err;

  Result help = p.mig({"--help"});
  std::set<std::string> want = {"mig.1"};
  for (const auto& c : listed_commands(help.out)) want.insert("mig-" + c + ".1");
  EXPECT_GE(want.size(), 20u);
  EXPECT_EQ(files_in(out.path()), want);

  std::string upgrade = read_text(out / "mig-upgrade.1");
  EXPECT_NE(upgrade.find(".SH NAME\nmig\\-upgrade \\- apply revisions up to TARGET"),
            std::string::npos)
      << upgrade;
  // A flag takes no value; an option shows its type; a choice its set.
  EXPECT_NE(upgrade.find("\\fB\\-\\-dry\\-run\\fR\n"), std::string::npos) << upgrade;
  EXPECT_NE(upgrade.find("\\fB\\-\\-max\\-batches\\fR \\fIINT\\fR\n"), std::string::npos)
      << upgrade;
  std::string main_page = read_text(out / "mig.1");
  EXPECT_NE(main_page.find("\\fB\\-\\-on\\-error\\fR {stop|continue}\n"), std::string::npos)
      << main_page;
  // Options named in running text are typed with minus signs.
  EXPECT_NE(main_page.find("with \\-\\-group:"), std::string::npos) << main_page;
  EXPECT_NE(read_text(out / "mig-completion.1").find("\\fISHELL\\fR {bash|zsh|fish}\n"),
            std::string::npos);
  for (const auto& c : listed_commands(help.out))
    EXPECT_NE(main_page.find("\\fBmig\\-" + c + "\\fR(1)"), std::string::npos) << c;
  // The hidden helpers have no page.
  EXPECT_EQ(main_page.find("__complete"), std::string::npos);
}

TEST(Completion, ScriptsForThreeShellsAndNoOther) {
  Project p;
  p.write("mig.toml", "[database\n");
  for (const char* shell : {"bash", "zsh", "fish"}) {
    Result r = p.mig({"completion", shell});
    ASSERT_EQ(r.code, 0) << shell << ": " << r.err;
    EXPECT_NE(r.out.find("__complete targets"), std::string::npos) << shell;
    EXPECT_NE(r.out.find("upgrade"), std::string::npos) << shell;
  }
  Result bash = p.mig({"completion", "bash"});
  // Options that take a value are completed after; flags are not.
  EXPECT_NE(bash.out.find("  --max-batches) COMPREPLY=(); return ;;"), std::string::npos);
  EXPECT_EQ(bash.out.find("--dry-run)"), std::string::npos);
  EXPECT_NE(bash.out.find("--on-error) _mig_words 'stop continue'; return ;;"), std::string::npos);

  Result bad = p.mig({"completion", "powershell"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("powershell"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("SHELL"), std::string::npos) << bad.err;
}

TEST(Completion, TargetsAreTheProjectsRevisionsAndLabels) {
  Project p;
  p.revision("aa0001", "", "CREATE TABLE a (id INTEGER);");
  p.revision("aa0002", "aa0001", "CREATE TABLE b (id INTEGER);");
  p.revision("bb0001", "", "CREATE TABLE c (id INTEGER);", "", "-- mig:branch side\n");
  Result r = p.mig({"__complete", "targets"});
  ASSERT_EQ(r.code, 0) << r.err;
  // History order: heads to base.
  EXPECT_EQ(r.out, "head\nheads\nbase\nbb0001\nside@head\naa0002\naa0001\n");
  // Nothing was opened or created for it.
  EXPECT_FALSE(boost::filesystem::exists(p.db()));

  Result word = p.mig({"__complete", "commands"});
  EXPECT_EQ(word.code, 2);
  EXPECT_NE(word.err.find("targets"), std::string::npos) << word.err;

  p.write("mig.toml", "[database\n");
  Result broken = p.mig({"__complete", "targets"});
  EXPECT_EQ(broken.code, 2);
  EXPECT_NE(broken.err.find("mig.toml"), std::string::npos) << broken.err;
}

}  // namespace
}  // namespace mig::e2e
