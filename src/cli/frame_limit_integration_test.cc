// Governance and the transport's frame limit, with real rightchaind processes on loopback (label
// "integration"): a chain whose genesis allows small blocks, raised by governance to large ones,
// keeps committing blocks larger than anything the genesis value allowed; a value no peer message
// could carry is refused with its reason.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "base/file.h"
#include "cli/chain_session.h"
#include "cli/cli_test_util.h"
#include "cli/process.h"
#include "client/node_client.h"
#include "codec/transaction.h"
#include "crypto/suite.h"
#include "exec/executor.h"

namespace rightchain::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using testing::RunResult;

constexpr int kNodes = 4;
// The genesis block size. Before the fix, every node's frame limit was this plus 1 MiB, fixed
// at start, whatever governance decided later.
constexpr std::uint32_t kGenesisMaxBlockBytes = 64 * 1024;
constexpr std::uint32_t kGovernedMaxBlockBytes = 4u << 20;
// Notes just under the executor's 64 KiB note limit; together about 2.4 MB, more than twice the
// old frame limit and well within the governed block size.
constexpr std::size_t kNoteBytes = 60 * 1024;
constexpr int kNotes = 40;
constexpr auto kWaitLimit = std::chrono::seconds(40);

bool WaitUntil(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + kWaitLimit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return done();
}

class FrameLimitIntegrationTest : public testing::ScratchDirectoryTest {
 protected:
  void SetUp() override {
    ScratchDirectoryTest::SetUp();
    network_ = scratch_ / "net";
    // Below the kernel's ephemeral range (32768+), spread by process id, above the other
    // integration tests' ranges.
    const int base_port = 28000 + static_cast<int>(getpid() % 450) * 2 * kNodes;
    for (int i = 0; i < kNodes; ++i) {
      urls_.push_back("http://127.0.0.1:" + std::to_string(base_port + kNodes + i));
    }
    RunResult result =
        Cli("net init --dir " + network_.string() + " --suite std --validators " + std::to_string(kNodes) +
            " --observers 0 --block-interval-ms 200 --base-port " + std::to_string(base_port) +
            " --api-base-port " + std::to_string(base_port + kNodes));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    // Small blocks at genesis.
    const fs::path genesis_file = network_ / "genesis.json";
    Result<std::string> text = ReadFile(genesis_file, 1 << 20);
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    Json genesis = Json::parse(*text);
    genesis["parameters"]["max_block_bytes"] = kGenesisMaxBlockBytes;
    ASSERT_TRUE(WriteFile(genesis_file, genesis.dump(2), 0644).ok());
    result = Cli("net up --dir " + network_.string() + " --timeout-seconds 120 --rightchaind " +
                 RIGHTCHAIN_DAEMON_BINARY);
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  }

  void TearDown() override {
    for (int i = 0; i < kNodes; ++i) {  // never leave a node stopped
      if (const std::optional<int> pid = RunningNodePid(NodeDirectory(i))) kill(*pid, SIGCONT);
    }
    Cli("net down --dir " + network_.string());
    if (HasFailure()) {
      for (int i = 0; i < kNodes; ++i) {
        std::cerr << "--- node-" << i << " log (tail)\n" << TailOfFile(NodeDirectory(i) / "node.log", 30);
      }
    }
    ScratchDirectoryTest::TearDown();
  }

  RunResult Cli(const std::string& arguments) {
    return testing::RunCommand(RIGHTCHAIN_CLI_BINARY, arguments, scratch_);
  }
  Json CliJson(const std::string& arguments) {
    const RunResult result = Cli(arguments);
    EXPECT_EQ(result.exit_code, 0) << arguments << "\n" << result.out << result.err;
    const Json json = Json::parse(result.out, nullptr, false);
    return json.is_discarded() ? Json::object() : json;
  }
  fs::path NodeDirectory(int index) const { return network_ / ("node-" + std::to_string(index)); }
  std::string KeyOf(int index) const {
    return " --key " + (NodeDirectory(index) / "consensus-key.pem").string() + " --node " + urls_[index];
  }
  std::uint32_t GovernedMaxBlockBytes(int index) const {
    const Result<std::string> text = client::NodeClient(urls_[index]).GetJsonText("/v1/governance");
    if (!text.ok()) return 0;
    const Json json = Json::parse(*text, nullptr, false);
    if (!json.is_object() || !json.contains("parameters")) return 0;
    return json["parameters"].value("max_block_bytes", std::uint32_t{0});
  }
  std::uint64_t HeightOf(int index) const {
    const Result<client::NodeStatus> status = client::NodeClient(urls_[index]).GetStatus();
    return status.ok() ? status->height : 0;
  }
  void Signal(int index, int signal) {
    const std::optional<int> pid = RunningNodePid(NodeDirectory(index));
    ASSERT_TRUE(pid.has_value()) << "node-" << index << " is not running";
    ASSERT_EQ(kill(*pid, signal), 0);
  }

  fs::path network_;
  std::vector<std::string> urls_;
};

TEST_F(FrameLimitIntegrationTest,
       BlocksGovernanceAllowsBeyondTheGenesisSizeCommitAndValuesNoFrameCarriesAreRefused) {
  // Governance: node-0 proposes 4 MiB blocks, node-1 and node-2 approve (30 of 40).
  Json receipt = CliJson("gov propose change-parameters --json --max-block-bytes " +
                         std::to_string(kGovernedMaxBlockBytes) + KeyOf(0));
  const std::string proposal = std::to_string(receipt.value("proposal_id", std::uint64_t{0}));
  for (int approver : {1, 2}) receipt = CliJson("gov approve " + proposal + " --json" + KeyOf(approver));
  ASSERT_EQ(receipt.value("status", ""), "executed") << receipt.dump();
  for (int i = 0; i < kNodes; ++i) {
    ASSERT_TRUE(WaitUntil([&] { return GovernedMaxBlockBytes(i) == kGovernedMaxBlockBytes; }))
        << "node-" << i;
  }

  // A value beyond what a peer message can carry is refused, with the reason.
  const RunResult refused = Cli("gov propose change-parameters --json --max-block-bytes " +
                                std::to_string((64u << 20) + 1) + KeyOf(0));
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("--max-block-bytes must be at most 67108864"), std::string::npos) << refused.err;

  // A sender with an account signs large notes.
  const fs::path key_file = scratch_ / "writer.key";
  ASSERT_EQ(Cli("keygen --suite std --out " + key_file.string()).exit_code, 0);
  CliJson("account create --json --label writer --key " + key_file.string() + " --node " + urls_[0] +
          " --sponsor-key " + (network_ / "accounts" / "sponsor.key").string());
  const Result<crypto::PrivateKey> key =
      LoadSigningKey(key_file, {}, crypto::GetSuite(crypto::SuiteId::kStd).signature);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  const Result<client::NodeStatus> status = client::NodeClient(urls_[0]).GetStatus();
  ASSERT_TRUE(status.ok()) << status.status().ToString();

  // With node-2 and node-3 stopped no block can commit, so the notes gather in node-0's and
  // node-1's mempools and the next blocks hold them all: far larger than the genesis size allowed.
  Signal(2, SIGSTOP);
  Signal(3, SIGSTOP);
  std::vector<std::string> ids;
  for (int i = 0; i < kNotes; ++i) {
    const Result<std::uint64_t> nonce = RandomNonce();
    ASSERT_TRUE(nonce.ok());
    const Result<codec::SignedTransaction> note =
        SignTransaction(*key, status->chain_id, *nonce, status->height + 1000, exec::TransactionKind::kNote,
                        Bytes(kNoteBytes, static_cast<std::uint8_t>('a' + i % 26)));
    ASSERT_TRUE(note.ok()) << note.status().ToString();
    const Result<client::SubmittedTransaction> submitted =
        client::NodeClient(urls_[i % 2]).SubmitTransaction(codec::EncodeSignedTransaction(*note));
    ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
    ids.push_back(submitted->id);
  }
  Signal(2, SIGCONT);
  Signal(3, SIGCONT);

  // Every note commits, and every node holds the blocks.
  const auto committed = [&](int node) {
    const client::NodeClient client(urls_[node]);
    for (const std::string& id : ids) {
      const Result<client::TransactionStatus> state = client.GetTransaction(id);
      if (!state.ok() || state->status != "committed") return false;
    }
    return true;
  };
  ASSERT_TRUE(WaitUntil([&] { return committed(0); }))
      << "the large notes did not commit; height " << HeightOf(0);
  for (int i = 1; i < kNodes; ++i) EXPECT_TRUE(WaitUntil([&] { return committed(i); })) << "node-" << i;
}

}  // namespace
}  // namespace rightchain::cli
