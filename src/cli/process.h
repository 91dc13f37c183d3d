// Starting and stopping the node processes of a network folder (`net up`, `net down`).
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

#include "base/status.h"
#include "cli/network.h"

namespace rightchain::cli {

inline constexpr std::uint32_t kStopGraceMilliseconds = 10'000;
inline constexpr std::size_t kLogTailLines = 15;

// The pid in `node_directory`/rightchaind.pid when it names a live rightchaind process (not a
// zombie, and its command line mentions rightchaind, so a reused pid is not mistaken for it).
std::optional<int> RunningNodePid(const std::filesystem::path& node_directory);

// The rightchaind binary: `explicit_path` if given; else beside this executable, in the build
// tree's src/node folder, or on PATH.
Result<std::filesystem::path> FindRightchaind(const std::string& explicit_path);

// Starts one node's rightchaind detached (its own session), output appended to D/node-i/node.log,
// and writes its pid file; returns the pid without waiting for the node to serve.
Result<int> StartNode(const std::filesystem::path& rightchaind, const NetworkNode& node);

struct NetUpOptions {
  std::filesystem::path directory;
  std::string rightchaind;  // empty: search
  std::uint32_t timeout_seconds = 60;
};
// Starts every node that is not running, then waits until every node's API reports a committed
// block (height ≥ 1). A node that exits or a timeout is an error naming the nodes and showing
// the tail of their logs; nodes that did start are left running.
Status NetUp(const NetUpOptions& options, std::ostream& out);

// SIGTERM to each running node (its whole process group), SIGKILL after the grace time; removes
// the pid files.
Status NetDown(const std::filesystem::path& directory, std::ostream& out);

// The last `lines` lines of a file ("" when unreadable).
std::string TailOfFile(const std::filesystem::path& path, std::size_t lines);

}  // namespace rightchain::cli
