// rightchain-sim: runs the deterministic cluster simulator for one or many seeds.
//   rightchain-sim --seed 7 --validators 4 --faults all --heights 50      replay one run
//   rightchain-sim --seeds 100 --validators 7 --faults all                  run seeds 1..100
// Exits non-zero on any violation and prints the seed and the exact replay command.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "sim/simulator.h"

namespace {

using rightchain::sim::Fault;

struct Arguments {
  rightchain::sim::SimOptions options;
  std::uint64_t first_seed = 1;
  std::uint64_t seeds = 1;
  std::uint64_t min_fault_fires = 0;
  bool expect_violation = false;
  bool quiet = false;
};

int Usage(const char* error) {
  std::fprintf(stderr,
               "error: %s\nusage: rightchain-sim [--seed S] [--seeds N] [--validators n] [--heights H]\n"
               "       [--faults all|none|LIST] [--no-liveness] [--suite sm|std] [--min-fault-fires K] "
               "[--expect-violation] [--quiet]\n"
               "faults:",
               error);
  for (int i = 0; i < static_cast<int>(Fault::kCount); ++i) {
    std::fprintf(stderr, " %s", std::string(rightchain::sim::FaultName(static_cast<Fault>(i))).c_str());
  }
  std::fprintf(stderr, "\n");
  return 2;
}

bool ParseNumber(const char* text, std::uint64_t& value) {
  char* end = nullptr;
  value = std::strtoull(text, &end, 10);
  return end != text && *end == '\0';
}

}  // namespace

int main(int argc, char** argv) {
  Arguments arguments;
  arguments.options.faults = rightchain::sim::ParseFaults("all").value();
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    auto next_number = [&](std::uint64_t& value) { return i + 1 < argc && ParseNumber(argv[++i], value); };
    std::uint64_t number = 0;
    if (flag == "--seed") {
      if (!next_number(arguments.first_seed)) return Usage("--seed needs a number");
    } else if (flag == "--seeds") {
      if (!next_number(arguments.seeds) || arguments.seeds == 0)
        return Usage("--seeds needs a positive number");
    } else if (flag == "--validators") {
      if (!next_number(number) || number < 1 || number > 64) return Usage("--validators needs 1..64");
      arguments.options.validators = static_cast<int>(number);
    } else if (flag == "--heights") {
      if (!next_number(arguments.options.heights) || arguments.options.heights == 0)
        return Usage("--heights needs a positive number");
    } else if (flag == "--faults") {
      if (i + 1 >= argc) return Usage("--faults needs a list");
      auto faults = rightchain::sim::ParseFaults(argv[++i]);
      if (!faults.ok()) return Usage(faults.status().message().c_str());
      arguments.options.faults = *faults;
    } else if (flag == "--no-liveness") {
      arguments.options.liveness = false;
    } else if (flag == "--min-fault-fires") {
      if (!next_number(arguments.min_fault_fires)) return Usage("--min-fault-fires needs a number");
    } else if (flag == "--expect-violation") {
      arguments.expect_violation = true;
    } else if (flag == "--suite") {
      if (i + 1 >= argc) return Usage("--suite needs sm or std");
      arguments.options.suite = argv[++i];
      if (arguments.options.suite != "sm" && arguments.options.suite != "std")
        return Usage("--suite needs sm or std");
    } else if (flag == "--verbose") {
      arguments.options.verbose = true;
    } else if (flag == "--quiet") {
      arguments.quiet = true;
    } else {
      return Usage(("unknown argument " + std::string(flag)).c_str());
    }
  }

  std::map<std::string, std::uint64_t> totals;
  std::uint64_t total_heights = 0;
  const auto wall_start = std::chrono::steady_clock::now();
  for (std::uint64_t k = 0; k < arguments.seeds; ++k) {
    rightchain::sim::SimOptions options = arguments.options;
    options.seed = arguments.first_seed + k;
    const rightchain::sim::SimResult result = rightchain::sim::RunSimulation(options);
    total_heights += result.heights_committed;
    for (const auto& [name, count] : result.fault_counts) totals[name] += count;
    if (!arguments.quiet || !result.ok) {
      std::printf("seed %" PRIu64 ": %s heights=%" PRIu64 " simulated=%.1fs events=%" PRIu64
                  " trace=%016" PRIx64 "\n",
                  options.seed, result.ok ? "ok" : "VIOLATION", result.heights_committed,
                  static_cast<double>(result.simulated_milliseconds) / 1000.0, result.events,
                  result.trace_hash);
      std::printf("  faults fired:");
      for (const auto& [name, count] : result.fault_counts) std::printf(" %s=%" PRIu64, name.c_str(), count);
      std::printf("\n");
    }
    for (const std::string& line : result.log) std::printf("  %s\n", line.c_str());
    if (!result.ok) {
      std::printf("  violation: %s\n  replay: %s\n", result.violation.c_str(),
                  rightchain::sim::ReplayCommand(options).c_str());
      if (arguments.expect_violation) {
        std::printf("expected violation found at seed %" PRIu64 "\n", options.seed);
        return 0;
      }
      return 1;
    }
  }
  const double wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  std::printf("%" PRIu64 " seeds ok, %" PRIu64
              " heights, %.2f s wall, %.0f simulated heights per wall second\n",
              arguments.seeds, total_heights, wall_seconds,
              wall_seconds > 0 ? static_cast<double>(total_heights) / wall_seconds : 0.0);
  std::printf("fault totals:");
  bool under_fired = false;
  for (const auto& [name, count] : totals) {
    std::printf(" %s=%" PRIu64, name.c_str(), count);
    const bool is_fault = rightchain::sim::ParseFaults(name).ok();  // others are informational counts
    if (is_fault && count < arguments.min_fault_fires) under_fired = true;
  }
  std::printf("\n");
  if (arguments.expect_violation) {
    std::printf("FAIL: no violation found in %" PRIu64 " seeds (the checkers missed a broken engine)\n",
                arguments.seeds);
    return 1;
  }
  if (under_fired) {
    std::printf("FAIL: some fault fired fewer than %" PRIu64 " times\n", arguments.min_fault_fires);
    return 1;
  }
  return 0;
}
