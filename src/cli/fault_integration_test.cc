// Network faults against real rightchaind processes (label "integration"): every node in its
// own network namespace, a veth link per pair of nodes, partitions made by taking links down,
// delay and loss made by net::FaultProxy (docs/network.md, "Fault tests"). The tests need root:
// without it they fail, they never skip. What they assert is what an operator sees through the
// nodes' HTTP API: heights, block hashes and log roots, transactions committed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "base/assert.h"
#include "base/file.h"
#include "cli/process.h"
#include "cli/testing/fault_network.h"

namespace rightchain::cli {
namespace {

namespace fs = std::filesystem;
using testing::FaultNetwork;
using testing::FaultNetworkOptions;
using testing::WaitUntil;
using namespace std::chrono_literals;

constexpr std::uint32_t kBlockIntervalMilliseconds = 500;
constexpr std::size_t kValidators = 4;
constexpr auto kStartLimit = 60s;
constexpr auto kProgressLimit = 40s;
constexpr auto kCatchUpLimit = 45s;

class FaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "rightchain-faults-XXXXXX").string();
    const char* made = mkdtemp(pattern.data());
    RC_ASSERT(made != nullptr);
    scratch_ = made;
  }
  void TearDown() override {
    if (HasFailure() && network_) {
      for (std::size_t i = 0; i < network_->size(); ++i) {
        std::cerr << "--- " << network_->node(i).name << " (height " << network_->HeightOf(i)
                  << ") log tail:\n"
                  << TailOfFile(network_->node(i).directory / "node.log", 20);
      }
    }
    network_.reset();  // kills the nodes and deletes the namespaces
    if (!HasFailure()) {
      std::error_code ignored;
      fs::remove_all(scratch_, ignored);
    } else {
      std::cerr << "network folder (with node.log files) kept in " << scratch_ << "\n";
    }
  }

  // Four validators in namespaces, started, each having committed a block.
  void StartNetwork(crypto::SuiteId suite, bool ingress_proxies = false, const net::FaultPlan& plan = {}) {
    FaultNetworkOptions options;
    options.directory = scratch_ / "net";
    options.rightchaind = RIGHTCHAIN_DAEMON_BINARY;
    options.suite = suite;
    options.validators = kValidators;
    options.block_interval_milliseconds = kBlockIntervalMilliseconds;
    options.ingress_proxies = ingress_proxies;
    Result<std::unique_ptr<FaultNetwork>> network = FaultNetwork::Create(options);
    ASSERT_TRUE(network.ok()) << "cannot set up the fault network (these tests must run as root; they do not "
                                 "skip): "
                              << network.status().ToString();
    network_ = std::move(network).value();
    if (ingress_proxies) {
      for (std::size_t i = 0; i < network_->size(); ++i) ASSERT_TRUE(network_->SetProxyPlan(i, plan).ok());
    }
    const Status started = network_->StartAll();
    ASSERT_TRUE(started.ok()) << started.ToString();
    ASSERT_TRUE(WaitUntil([&] { return MinHeight(All()) >= 1; }, kStartLimit))
        << "the network did not start: lowest height " << MinHeight(All());
  }

  std::vector<std::size_t> All() const {
    std::vector<std::size_t> all(network_->size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    return all;
  }
  std::vector<std::size_t> AllBut(std::size_t excluded) const {
    std::vector<std::size_t> others;
    for (const std::size_t i : All()) {
      if (i != excluded) others.push_back(i);
    }
    return others;
  }
  std::uint64_t MinHeight(const std::vector<std::size_t>& nodes) const {
    std::uint64_t lowest = UINT64_MAX;
    for (const std::size_t i : nodes) lowest = std::min(lowest, network_->HeightOf(i));
    return lowest;
  }
  std::uint64_t MaxHeight(const std::vector<std::size_t>& nodes) const {
    std::uint64_t highest = 0;
    for (const std::size_t i : nodes) highest = std::max(highest, network_->HeightOf(i));
    return highest;
  }
  std::string TransactionState(std::size_t node, const std::string& id) const {
    const Result<client::TransactionStatus> state = network_->Transaction(node, id);
    return state.ok() ? state->status : "error: " + state.status().message();
  }
  bool CommittedOn(const std::vector<std::size_t>& nodes, const std::string& id) const {
    return std::all_of(nodes.begin(), nodes.end(),
                       [&](std::size_t i) { return TransactionState(i, id) == "committed"; });
  }
  std::string SubmitNote(std::size_t node, const std::string& text) const {
    const Result<std::string> id = network_->SubmitNote(node, text);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : std::string();
  }

  // Every node reports the same block hash and log root at every height 1..through.
  void ExpectSameChain(std::uint64_t through) const {
    ASSERT_GE(through, 1u);
    for (std::uint64_t height = 1; height <= through; ++height) {
      const Result<testing::BlockView> reference = network_->Block(0, height);
      ASSERT_TRUE(reference.ok()) << "height " << height << ": " << reference.status().ToString();
      ASSERT_EQ(reference->hash.size(), 64u);
      for (std::size_t i = 1; i < network_->size(); ++i) {
        const Result<testing::BlockView> block = network_->Block(i, height);
        ASSERT_TRUE(block.ok()) << network_->node(i).name << " at " << height << ": "
                                << block.status().ToString();
        ASSERT_EQ(block->hash, reference->hash) << network_->node(i).name << " forked at height " << height;
        ASSERT_EQ(block->log_root, reference->log_root) << network_->node(i).name << " at height " << height;
      }
    }
  }

  fs::path scratch_;
  std::unique_ptr<FaultNetwork> network_;
};

// --- 1. one of four validators cut off: the three commit on; it catches up after healing ---

class MinorityPartitionTest : public FaultTest, public ::testing::WithParamInterface<crypto::SuiteId> {};

TEST_P(MinorityPartitionTest, MajorityKeepsCommittingAndTheMinorityCatchesUpAfterHealing) {
  ASSERT_NO_FATAL_FAILURE(StartNetwork(GetParam()));
  const std::size_t minority = 3;
  const std::vector<std::size_t> majority = AllBut(minority);
  ASSERT_TRUE(network_->Isolate(minority).ok());
  const std::uint64_t cut_height = MaxHeight(All());

  const std::string id = SubmitNote(0, "sent to the majority while node-3 is cut off");
  ASSERT_FALSE(id.empty());
  EXPECT_TRUE(WaitUntil([&] { return CommittedOn(majority, id); }, kProgressLimit))
      << "not committed by the majority: " << TransactionState(0, id);
  EXPECT_TRUE(WaitUntil([&] { return MinHeight(majority) >= cut_height + 3; }, kProgressLimit))
      << "the majority stalled at " << MinHeight(majority) << " (cut at " << cut_height << ")";
  // The cut-off node has neither the transaction nor the majority's blocks.
  EXPECT_NE(TransactionState(minority, id), "committed");
  EXPECT_LT(network_->HeightOf(minority), MinHeight(majority));

  ASSERT_TRUE(network_->HealAllLinks().ok());
  const std::uint64_t healed_height = MaxHeight(majority);
  EXPECT_TRUE(
      WaitUntil([&] { return network_->HeightOf(minority) >= healed_height && CommittedOn({minority}, id); },
                kCatchUpLimit))
      << "node-3 at " << network_->HeightOf(minority) << ", the majority was at " << healed_height
      << "; transaction on node-3: " << TransactionState(minority, id);
  ExpectSameChain(MinHeight(All()));
}

INSTANTIATE_TEST_SUITE_P(Suites, MinorityPartitionTest,
                         ::testing::Values(crypto::SuiteId::kStd, crypto::SuiteId::kSm),
                         [](const auto& suite) { return std::string(crypto::SuiteName(suite.param)); });

// --- 2. two against two: no quorum anywhere, nothing commits; after healing commits resume ---

TEST_F(FaultTest, EvenSplitWithoutQuorumCommitsNothingUntilHealed) {
  ASSERT_NO_FATAL_FAILURE(StartNetwork(crypto::SuiteId::kStd));
  ASSERT_TRUE(network_->Partition({{0, 1}, {2, 3}}).ok());
  // A block whose votes were already counted may still land; then nothing, anywhere.
  std::this_thread::sleep_for(std::chrono::milliseconds(4 * kBlockIntervalMilliseconds));
  std::vector<std::uint64_t> stalled;
  for (const std::size_t i : All()) stalled.push_back(network_->HeightOf(i));
  const std::string id = SubmitNote(0, "sent during a two-two split");
  ASSERT_FALSE(id.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(12 * kBlockIntervalMilliseconds));
  // A node may still fetch a block its side already had; no block beyond them appears anywhere.
  const std::uint64_t stalled_height = *std::max_element(stalled.begin(), stalled.end());
  for (const std::size_t i : All()) {
    EXPECT_LE(network_->HeightOf(i), stalled_height)
        << network_->node(i).name << " committed without a quorum";
  }
  EXPECT_NE(TransactionState(0, id), "committed");

  ASSERT_TRUE(network_->HealAllLinks().ok());
  EXPECT_TRUE(
      WaitUntil([&] { return MinHeight(All()) > stalled_height && CommittedOn(All(), id); }, kCatchUpLimit))
      << "after healing: lowest height " << MinHeight(All()) << " (stalled at " << stalled_height
      << "), transaction on node-0: " << TransactionState(0, id);
  ExpectSameChain(MinHeight(All()));
}

// --- 3. 10% loss and 50-200 ms delay on every link: transactions still commit ---

TEST_F(FaultTest, LossAndDelayOnEveryLinkStillCommitTheSubmittedTransactions) {
  net::FaultPlan plan;
  plan.min_delay_milliseconds = 50;
  plan.max_delay_milliseconds = 200;
  plan.loss_per_mille = 100;
  ASSERT_NO_FATAL_FAILURE(StartNetwork(crypto::SuiteId::kStd, /*ingress_proxies=*/true, plan));
  const fs::path report_file = scratch_ / "load.json";
  const Status load = network_->RunInOperatorNamespace(
      std::string(RIGHTCHAIN_CLI_BINARY) + " load --dir " + (scratch_ / "net").string() +
      " --rate 5 --seconds 8 --wait-seconds 40 --json >" + report_file.string() + " 2>" +
      (scratch_ / "load.log").string());
  ASSERT_TRUE(load.ok()) << load.ToString();
  const Result<std::string> text = ReadFile(report_file);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  const nlohmann::json report = nlohmann::json::parse(*text, nullptr, false);
  ASSERT_TRUE(report.is_object()) << *text;
  EXPECT_EQ(report.at("submitted").get<std::uint64_t>(), 40u) << *text;
  EXPECT_EQ(report.at("committed").get<std::uint64_t>(), 40u) << *text;
  // Every node's traffic came in through its proxy.
  for (const std::size_t i : All()) {
    EXPECT_GT(network_->proxy_connections(i), 0u) << network_->node(i).name;
  }
  ExpectSameChain(MinHeight(All()));
}

// --- 4. the proposer of the latest block cut off, again and again: no stall, no fork ---

TEST_F(FaultTest, LeaderIsolatedRepeatedlyKeepsTheChainCommittingWithoutAFork) {
  ASSERT_NO_FATAL_FAILURE(StartNetwork(crypto::SuiteId::kStd));
  std::vector<std::string> ids;
  std::set<std::size_t> leaders;
  for (int round = 0; round < 3; ++round) {
    const std::uint64_t height = network_->HeightOf(0);
    const Result<testing::BlockView> latest = network_->Block(0, height);
    ASSERT_TRUE(latest.ok()) << latest.status().ToString();
    const std::optional<std::size_t> leader = network_->MemberOfKeyId(latest->proposer_key_id);
    ASSERT_TRUE(leader.has_value()) << "unknown proposer " << latest->proposer_key_id;
    leaders.insert(*leader);
    ASSERT_TRUE(network_->Isolate(*leader).ok());
    const std::vector<std::size_t> others = AllBut(*leader);
    const std::uint64_t start = MaxHeight(others);
    ids.push_back(SubmitNote(others[0], "round " + std::to_string(round)));
    EXPECT_TRUE(WaitUntil([&] { return MinHeight(others) >= start + 2 && CommittedOn(others, ids.back()); },
                          kProgressLimit))
        << "round " << round << ": with " << network_->node(*leader).name << " cut off the others stalled at "
        << MinHeight(others) << " (from " << start << ")";

    ASSERT_TRUE(network_->HealAllLinks().ok());
    const std::uint64_t healed = MaxHeight(others);
    EXPECT_TRUE(WaitUntil([&] { return network_->HeightOf(*leader) >= healed; }, kCatchUpLimit))
        << "round " << round << ": " << network_->node(*leader).name << " at " << network_->HeightOf(*leader)
        << ", the others at " << healed;
  }
  for (const std::string& id : ids) {
    EXPECT_TRUE(WaitUntil([&] { return CommittedOn(All(), id); }, kProgressLimit)) << id;
  }
  ExpectSameChain(MinHeight(All()));
  std::cerr << "leaders cut off: " << leaders.size() << " different nodes in 3 rounds\n";
}

}  // namespace
}  // namespace rightchain::cli
