// Helpers of the multi-process tests that run a consortium of real rightchaind processes on
// loopback: running the CLI, waiting for a condition, and the port slots each test network takes.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

namespace rightchain::cli::testing {

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Polls `done` every 100 ms until it holds or `limit` passes.
inline bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `cli arguments` with its output in `scratch`/`tag`.out and .err.
inline RunResult RunCli(const std::string& cli, const std::string& arguments,
                        const std::filesystem::path& scratch, const std::string& tag = "cli") {
  const std::filesystem::path out = scratch / (tag + ".out");
  const std::filesystem::path err = scratch / (tag + ".err");
  const std::string command = cli + " " + arguments + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadText(out), ReadText(err)};
}

inline bool PortFree(std::uint16_t port) {
  const int probe = socket(AF_INET, SOCK_STREAM, 0);
  if (probe < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool bound = bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(probe);
  return bound;
}

// A network uses transport ports base..base+9 and API ports base+50..base+59, base = 21000 +
// 1000 × slot + offset (offsets 0-799, distinct per test). Of the five slots (21000-25999: below
// `make run`'s 26600, the smoke test's 27600 and the kernel's ephemeral ports) the first whose ports
// are free is taken, starting from one chosen by process id, so that runs from several checkouts
// on one machine rarely collide.
inline std::uint16_t FreePortBase(std::uint16_t offset) {
  constexpr int kSlots = 5;
  const int first_slot = static_cast<int>(getpid() % kSlots);
  for (int i = 0; i < kSlots; ++i) {
    const auto base = static_cast<std::uint16_t>(21000 + 1000 * ((first_slot + i) % kSlots) + offset);
    bool free = true;
    for (std::uint16_t port = 0; port < 10 && free; ++port) {
      free = PortFree(static_cast<std::uint16_t>(base + port)) &&
             PortFree(static_cast<std::uint16_t>(base + 50 + port));
    }
    if (free) return base;
  }
  return static_cast<std::uint16_t>(21000 + 1000 * first_slot + offset);
}

}  // namespace rightchain::cli::testing
