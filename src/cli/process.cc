#include "cli/process.h"
#include "base/file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>
#include <system_error>
#include <thread>

#include "client/node_client.h"
#include "node/genesis_file.h"

namespace rightchain::cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kPidFileName = "rightchaind.pid";
constexpr std::string_view kLogFileName = "node.log";
constexpr std::string_view kDaemonName = "rightchaind";
constexpr std::size_t kMaxPidFileBytes = 64;
constexpr auto kPollInterval = std::chrono::milliseconds(250);
constexpr std::uint32_t kProbeTimeoutMilliseconds = 1000;

std::optional<int> ReadPidFile(const std::filesystem::path& node_directory) {
  const Result<std::string> text = ReadFile(node_directory / kPidFileName, kMaxPidFileBytes);
  if (!text.ok()) return std::nullopt;
  long pid = 0;
  std::size_t digits = 0;
  for (const char c : *text) {
    if (c == '\n') break;
    if (c < '0' || c > '9' || ++digits > 9) return std::nullopt;
    pid = pid * 10 + (c - '0');
  }
  if (pid <= 1) return std::nullopt;
  return static_cast<int>(pid);
}

// A /proc file's content (these report size 0, so they are read until the end), at most `limit` bytes.
std::string ReadProcFile(const std::string& path, std::size_t limit) {
  std::ifstream file(path, std::ios::binary);
  std::string text(limit, '\0');
  file.read(text.data(), static_cast<std::streamsize>(limit));
  text.resize(static_cast<std::size_t>(file.gcount()));
  return text;
}

// Alive, not a zombie, and running rightchaind.
bool IsNodeProcess(int pid) {
  if (kill(pid, 0) != 0 && errno != EPERM) return false;
  const std::string proc = "/proc/" + std::to_string(pid);
  const std::string stat = ReadProcFile(proc + "/stat", 4096);
  const std::size_t close = stat.rfind(')');
  if (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z') return false;
  return ReadProcFile(proc + "/cmdline", 64 * 1024).find(kDaemonName) != std::string::npos;
}

bool IsExecutable(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error) && access(path.c_str(), X_OK) == 0;
}

std::string Indent(const std::string& text) {
  std::string indented;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) indented += "    | " + line + "\n";
  return indented;
}

std::string NodeLogTail(const NetworkNode& node) {
  const std::string tail = TailOfFile(node.directory / kLogFileName, kLogTailLines);
  return "  " + node.name + " log (" + (node.directory / kLogFileName).string() + "):\n" +
         (tail.empty() ? std::string("    (empty)\n") : Indent(tail));
}

}  // namespace

Result<int> StartNode(const std::filesystem::path& rightchaind, const NetworkNode& node) {
  const std::filesystem::path log_path = node.directory / kLogFileName;
  const std::filesystem::path config_path = node.directory / "node.toml";
  const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return Status::IoError("cannot open " + log_path.string() + ": " + std::strerror(errno));
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    close(log_fd);
    return Status::IoError(std::string("cannot open /dev/null: ") + std::strerror(errno));
  }
  const std::string program = rightchaind.string();
  const std::string config = config_path.string();
  // The child reports a failed exec through this pipe; its write end closes on a successful
  // exec, so when the parent reads end-of-file the pid already runs rightchaind.
  int exec_pipe[2];
  if (pipe2(exec_pipe, O_CLOEXEC) != 0) {
    close(log_fd);
    close(null_fd);
    return Status::IoError(std::string("pipe failed: ") + std::strerror(errno));
  }
  const pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    close(null_fd);
    close(exec_pipe[0]);
    close(exec_pipe[1]);
    return Status::IoError(std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    setsid();
    dup2(null_fd, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    char* const argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>("--config"),
                          const_cast<char*>(config.c_str()), nullptr};
    execv(program.c_str(), argv);
    const int exec_errno = errno;
    [[maybe_unused]] const ssize_t ignored = write(exec_pipe[1], &exec_errno, sizeof(exec_errno));
    _exit(127);
  }
  close(log_fd);
  close(null_fd);
  close(exec_pipe[1]);
  int exec_errno = 0;
  ssize_t got = 0;
  do {
    got = read(exec_pipe[0], &exec_errno, sizeof(exec_errno));
  } while (got < 0 && errno == EINTR);
  close(exec_pipe[0]);
  if (got == static_cast<ssize_t>(sizeof(exec_errno))) {
    waitpid(pid, nullptr, 0);
    return Status::IoError("cannot execute " + program + ": " + std::strerror(exec_errno));
  }
  RC_RETURN_IF_ERROR(WriteFile(node.directory / kPidFileName, std::to_string(pid) + "\n", 0644));
  return static_cast<int>(pid);
}

std::string TailOfFile(const std::filesystem::path& path, std::size_t lines) {
  std::ifstream file(path);
  if (!file) return {};
  std::deque<std::string> last;
  for (std::string line; std::getline(file, line);) {
    last.push_back(std::move(line));
    if (last.size() > lines) last.pop_front();
  }
  std::string text;
  for (const std::string& line : last) text += line + "\n";
  return text;
}

std::optional<int> RunningNodePid(const std::filesystem::path& node_directory) {
  const std::optional<int> pid = ReadPidFile(node_directory);
  if (!pid || !IsNodeProcess(*pid)) return std::nullopt;
  return pid;
}

Result<std::filesystem::path> FindRightchaind(const std::string& explicit_path) {
  if (!explicit_path.empty()) {
    if (!IsExecutable(explicit_path))
      return Status::NotFound("--rightchaind " + explicit_path + " is not an executable file");
    return std::filesystem::absolute(explicit_path);
  }
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    const std::filesystem::path folder = self.parent_path();
    for (const auto& candidate : {folder / kDaemonName, folder / ".." / "node" / kDaemonName}) {
      if (IsExecutable(candidate)) return candidate.lexically_normal();
    }
  }
  if (const char* path_variable = std::getenv("PATH")) {
    std::istringstream folders(path_variable);
    for (std::string folder; std::getline(folders, folder, ':');) {
      if (folder.empty()) continue;
      const std::filesystem::path candidate = std::filesystem::path(folder) / kDaemonName;
      if (IsExecutable(candidate)) return candidate;
    }
  }
  return Status::NotFound(
      "cannot find rightchaind beside rightchain, in the build tree or on PATH; pass --rightchaind PATH");
}

Status NetUp(const NetUpOptions& options, std::ostream& out) {
  if (options.timeout_seconds == 0) return Status::InvalidArgument("--timeout-seconds must be positive");
  RC_ASSIGN_OR_RETURN(const std::vector<NetworkNode> nodes, LoadNetwork(options.directory));
  RC_ASSIGN_OR_RETURN(const std::filesystem::path rightchaind, FindRightchaind(options.rightchaind));

  std::map<std::string, int> started;  // name → pid, the children of this process
  for (const NetworkNode& node : nodes) {
    if (const auto pid = RunningNodePid(node.directory)) {
      out << node.name << " already running (pid " << *pid << ")\n";
      continue;
    }
    RC_ASSIGN_OR_RETURN(const int pid, StartNode(rightchaind, node));
    started[node.name] = pid;
    out << "started " << node.name << " (pid " << pid << ")\n";
  }
  out.flush();

  client::HttpRequestOptions probe;
  probe.timeout_milliseconds = kProbeTimeoutMilliseconds;
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(options.timeout_seconds);
  std::map<std::string, std::string> waiting;  // name → last reason
  for (const NetworkNode& node : nodes) waiting[node.name] = "not answering yet";
  while (!waiting.empty()) {
    for (const NetworkNode& node : nodes) {
      if (!waiting.contains(node.name)) continue;
      if (const auto child = started.find(node.name); child != started.end()) {
        int wait_status = 0;
        if (waitpid(child->second, &wait_status, WNOHANG) == child->second) {
          std::error_code ignored;
          std::filesystem::remove(node.directory / kPidFileName, ignored);
          const std::string how = WIFEXITED(wait_status)
                                      ? "with status " + std::to_string(WEXITSTATUS(wait_status))
                                      : "on signal " + std::to_string(WTERMSIG(wait_status));
          return Status::Unavailable(node.name + " exited " + how + " while starting\n" + NodeLogTail(node));
        }
      }
      const auto status = client::NodeClient(node.api_url, probe).GetStatus();
      if (!status.ok()) {
        waiting[node.name] = status.status().message();
      } else if (status->height < 1) {
        waiting[node.name] = "height 0 (no block committed yet)";
      } else {
        waiting.erase(node.name);
      }
    }
    if (waiting.empty()) break;
    if (Clock::now() >= deadline) {
      std::string message = "timed out after " + std::to_string(options.timeout_seconds) +
                            " s waiting for a committed block from:";
      for (const auto& [name, reason] : waiting) message += "\n  " + name + ": " + reason;
      message += "\n";
      for (const NetworkNode& node : nodes) {
        if (waiting.contains(node.name)) message += NodeLogTail(node);
      }
      message += "nodes that started are left running; `rightchain net down --dir " +
                 options.directory.string() + "` stops them";
      return Status::Unavailable(message);
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  std::size_t name_width = 0;
  for (const NetworkNode& node : nodes) name_width = std::max(name_width, node.name.size());
  for (const NetworkNode& node : nodes) {
    out << std::left << std::setw(static_cast<int>(name_width) + 2) << node.name << std::setw(21)
        << exec::NodeRoleName(node.role) << node.api_url << "\n";
  }
  return Status::Ok();
}

Status NetDown(const std::filesystem::path& directory, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const std::vector<NetworkNode> nodes, LoadNetwork(directory));
  std::map<std::string, int> stopping;
  for (const NetworkNode& node : nodes) {
    const auto pid = RunningNodePid(node.directory);
    if (!pid) {
      out << node.name << " was not running\n";
      continue;
    }
    // Each node leads its own process group (setsid): signal the group, so helpers stop too.
    if (kill(-*pid, SIGTERM) != 0) kill(*pid, SIGTERM);
    stopping[node.name] = *pid;
  }
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(kStopGraceMilliseconds);
  std::map<std::string, int> remaining = stopping;
  while (!remaining.empty() && Clock::now() < deadline) {
    std::erase_if(remaining, [](const auto& entry) {
      waitpid(entry.second, nullptr, WNOHANG);  // reaps it when it is our own child
      return !IsNodeProcess(entry.second);
    });
    if (!remaining.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (const auto& [name, pid] : remaining) {
    if (kill(-pid, SIGKILL) != 0) kill(pid, SIGKILL);
    waitpid(pid, nullptr, WNOHANG);  // reaps it when it is our own child
  }
  for (const NetworkNode& node : nodes) {
    std::error_code ignored;
    std::filesystem::remove(node.directory / kPidFileName, ignored);
    if (const auto it = stopping.find(node.name); it != stopping.end()) {
      out << "stopped " << node.name << " (pid " << it->second
          << (remaining.contains(node.name) ? ", killed" : "") << ")\n";
    }
  }
  return Status::Ok();
}

}  // namespace rightchain::cli
