// For tests that run the `rightchain` binary: run a command line, capture its exit code and output,
// and a scratch directory removed afterwards (with the network in it stopped first).
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "base/assert.h"

namespace rightchain::cli::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Runs `binary arguments` through the shell with stdout and stderr captured in `scratch`.
inline RunResult RunCommand(const std::string& binary, const std::string& arguments,
                            const std::filesystem::path& scratch) {
  const std::filesystem::path out = scratch / "stdout.txt";
  const std::filesystem::path err = scratch / "stderr.txt";
  const std::string command = binary + " " + arguments + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(command.c_str());
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadText(out);
  result.err = ReadText(err);
  return result;
}

// A fresh directory under the test's temporary directory, removed at the end.
class ScratchDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::path(::testing::TempDir()) / "rightchain-XXXXXX").string();
    const char* made = mkdtemp(pattern.data());
    RC_ASSERT(made != nullptr);
    scratch_ = made;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(scratch_, ignored);
  }

  std::filesystem::path scratch_;
};

}  // namespace rightchain::cli::testing
