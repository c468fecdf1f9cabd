#pragma once

#include <boost/filesystem.hpp>
#include <fstream>
#include <iterator>
#include <string>

namespace mig::testing {

// A fresh directory under the system temp dir, removed when the test ends.
class TempDir {
 public:
  TempDir() {
    path_ = boost::filesystem::temp_directory_path() /
            boost::filesystem::unique_path("mig-test-%%%%-%%%%-%%%%");
    boost::filesystem::create_directories(path_);
  }
  ~TempDir() {
    boost::system::error_code ec;
    boost::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_.string(); }
  std::string operator/(const std::string& rel) const { return (path_ / rel).string(); }

  void write(const std::string& rel, const std::string& text) const {
    boost::filesystem::path p = path_ / rel;
    boost::filesystem::create_directories(p.parent_path());
    std::ofstream(p.string(), std::ios::binary) << text;
  }

 private:
  boost::filesystem::path path_;
};

// The whole text of a file ("" if it cannot be read).
inline std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

}  // namespace mig::testing
