// End to end: `rightchain net init`, `net up`, `status`, `net down` with real rightchaind processes
// on loopback. Labelled "integration" (ctest -L integration); it needs free loopback ports.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "base/assert.h"

namespace {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadText(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

RunResult RunCli(const std::string& arguments, const fs::path& scratch) {
  const fs::path out = scratch / "stdout.txt";
  const fs::path err = scratch / "stderr.txt";
  const std::string command =
      std::string(RIGHTCHAIN_CLI_BINARY) + " " + arguments + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(command.c_str());
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadText(out);
  result.err = ReadText(err);
  return result;
}

class NetIntegrationTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "rightchain-net-XXXXXX").string();
    const char* made = mkdtemp(pattern.data());
    RC_ASSERT(made != nullptr);
    scratch_ = made;
    network_ = scratch_ / "net";
  }
  void TearDown() override {
    // Stop whatever started, even when an assertion failed half-way.
    RunCli("net down --dir " + network_.string(), scratch_);
    std::error_code ignored;
    fs::remove_all(scratch_, ignored);
  }

  fs::path scratch_;
  fs::path network_;
};

TEST_P(NetIntegrationTest, FourValidatorsCommitBlocks) {
  // Ports spread by process id so that parallel runs on one machine rarely collide; below the
  // kernel's ephemeral range (32768 up), where outgoing connections of other tests take ports.
  const int base_port = 28000 + static_cast<int>(getpid() % 150) * 16;
  const std::string dir = " --dir " + network_.string();
  RunResult result =
      RunCli("net init" + dir + " --suite " + GetParam() + " --validators 4 --observers 0 --base-port " +
                 std::to_string(base_port) + " --api-base-port " + std::to_string(base_port + 8),
             scratch_);
  ASSERT_EQ(result.exit_code, 0) << result.err;

  result =
      RunCli("net up" + dir + " --timeout-seconds 120 --rightchaind " + RIGHTCHAIN_DAEMON_BINARY, scratch_);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  for (int i = 0; i < 4; ++i) {
    EXPECT_NE(result.out.find("node-" + std::to_string(i) + "  "), std::string::npos) << result.out;
  }

  result = RunCli("status" + dir + " --json", scratch_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json nodes = nlohmann::json::parse(result.out, nullptr, false);
  ASSERT_TRUE(nodes.is_array()) << result.out;
  ASSERT_EQ(nodes.size(), 4u);
  for (const auto& node : nodes) {
    ASSERT_TRUE(node.at("up").get<bool>()) << node.dump();
    EXPECT_GE(node.at("height").get<std::uint64_t>(), 1u) << node.dump();
    EXPECT_EQ(node.at("validators").get<std::uint64_t>(), 4u) << node.dump();
  }
  EXPECT_EQ(nodes[0].at("role"), "regulator-consensus");

  result = RunCli("status" + dir, scratch_);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.find("down"), std::string::npos) << result.out;

  result = RunCli("net down" + dir, scratch_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (int i = 0; i < 4; ++i) {
    EXPECT_NE(result.out.find("stopped node-" + std::to_string(i)), std::string::npos) << result.out;
  }
  result = RunCli("status" + dir + " --json", scratch_);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out.find("\"up\": true"), std::string::npos) << result.out;
}

INSTANTIATE_TEST_SUITE_P(Suites, NetIntegrationTest, ::testing::Values("std", "sm"),
                         [](const auto& suite_info) { return suite_info.param; });

}  // namespace
