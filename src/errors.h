#pragma once

#include <stdexcept>
#include <string>

namespace mig {

// The user typed something wrong: a bad option, target, URL or config value.
// Nothing has been changed. Exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The operation could not be carried out: a malformed revision file, a
// database error, a refused downgrade. Exit code 1.
class OperationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An OperationError that points at a place in an input file.
class FileError : public OperationError {
 public:
  FileError(const std::string& path, int line, const std::string& message)
      : OperationError(path + ":" + std::to_string(line) + ": " + message),
        path_(path),
        line_(line) {}
  const std::string& path() const { return path_; }
  int line() const { return line_; }

 private:
  std::string path_;
  int line_;
};

}  // namespace mig
