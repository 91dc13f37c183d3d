// Helpers shared by the fingerprint benchmark harnesses: a scratch directory removed on exit,
// "--name value" flags, clocks and percentiles.
#pragma once

#include <stdlib.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rightchain::fingerprint::harness {

// A fresh directory under the system temporary directory, removed with everything in it when
// the object goes away.
class ScratchDirectory {
 public:
  static std::optional<ScratchDirectory> Create(const std::string& prefix) {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) return std::nullopt;
    return ScratchDirectory(pattern);
  }
  ScratchDirectory(ScratchDirectory&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  ScratchDirectory& operator=(ScratchDirectory&&) = delete;
  ~ScratchDirectory() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  explicit ScratchDirectory(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

// "--name value" pairs; names outside `known` are refused.
class Flags {
 public:
  // Prints the offending flag and returns nullopt on an unknown or valueless flag.
  static std::optional<Flags> Parse(int argc, char** argv, const std::set<std::string>& known) {
    Flags flags;
    for (int index = 1; index < argc; index += 2) {
      const std::string name = argv[index];
      if (!name.starts_with("--") || !known.contains(name.substr(2)) || index + 1 >= argc) {
        std::fprintf(stderr, "unknown flag or missing value: %s\n", name.c_str());
        return std::nullopt;
      }
      flags.values_[name.substr(2)] = argv[index + 1];
    }
    return flags;
  }
  std::size_t Size(const std::string& name, std::size_t fallback) const {
    const auto found = values_.find(name);
    return found == values_.end() ? fallback : std::strtoull(found->second.c_str(), nullptr, 10);
  }
  double Real(const std::string& name, double fallback) const {
    const auto found = values_.find(name);
    return found == values_.end() ? fallback : std::strtod(found->second.c_str(), nullptr);
  }

 private:
  std::map<std::string, std::string> values_;
};

inline double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// CPU time of the calling thread: fair on a loaded shared machine, unlike wall time.
inline double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// The nearest-rank percentile (`fraction` in [0, 1]); 0 for no values.
inline double Percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(fraction * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(rank, values.size() - 1)];
}

}  // namespace rightchain::fingerprint::harness
