// Registers the fingerprint commands (fingerprint, index add|remove, match) on the `rightchain`
// command line and runs the one that was parsed, so main.cc needs only two lines for them.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace rightchain::cli {

class FingerprintCli {
 public:
  explicit FingerprintCli(CLI::App& app);
  FingerprintCli(const FingerprintCli&) = delete;
  FingerprintCli& operator=(const FingerprintCli&) = delete;

  // After parsing: the exit code (0 success, 1 failure) when one of these commands was given.
  std::optional<int> Run(std::ostream& out, std::ostream& err) const;

 private:
  CLI::App* fingerprint_ = nullptr;
  CLI::App* index_add_ = nullptr;
  CLI::App* index_remove_ = nullptr;
  CLI::App* match_ = nullptr;
  std::string file_;
  std::string index_directory_;
  std::vector<std::string> files_;
  std::vector<std::string> ids_;
  bool json_ = false;
};

}  // namespace rightchain::cli
