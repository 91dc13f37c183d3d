// End to end: `rightchain net init`, `net up`, `status`, `net down` with real rightchaind processes
// on loopback. Labelled "integration" (ctest -L integration); it needs free loopback ports.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_test_util.h"

namespace {

namespace fs = std::filesystem;
using rightchain::cli::testing::RunResult;

RunResult RunCli(const std::string& arguments, const fs::path& scratch) {
  return rightchain::cli::testing::RunCommand(RIGHTCHAIN_CLI_BINARY, arguments, scratch);
}

class NetIntegrationTest : public rightchain::cli::testing::ScratchDirectoryTest,
                           public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override {
    ScratchDirectoryTest::SetUp();
    network_ = scratch_ / "net";
  }
  void TearDown() override {
    // Stop whatever started, even when an assertion failed half-way.
    RunCli("net down --dir " + network_.string(), scratch_);
    ScratchDirectoryTest::TearDown();
  }

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
