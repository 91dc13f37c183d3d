// An outsider who reaches the API floods two members with block and bundle reads. Consensus runs
// on each node's core thread; reads are served from the view of the latest commit on the API
// threads, so the chain's commit latency under the flood stays within twice the unloaded one.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "codec/transaction.h"
#include "exec/account.h"
#include "exec/exec_test_util.h"
#include "node/testing/daemon_cluster.h"

namespace rightchain::node {
namespace {

using testing::DaemonCluster;
using testing::HttpExchange;
using testing::WaitFor;

constexpr int kNotes = 160;                           // about 3 blocks of 4 MiB
constexpr std::size_t kNotePayloadBytes = 64 * 1024;  // a block read decodes and hashes megabytes
constexpr int kReadersPerNode = 48;
constexpr int kMeasuredCommits = 8;

// Milliseconds from submitting each of `count` notes to node-2 (not flooded) until node-2 reports
// it committed, summed; 0 when one did not commit within a minute.
std::int64_t MillisecondsToCommit(DaemonCluster& cluster, const crypto::PrivateKey& key, std::uint64_t& nonce,
                                  int count) {
  std::int64_t total = 0;
  for (int i = 0; i < count; ++i) {
    const Bytes encoded = codec::EncodeSignedTransaction(
        exec::testing::MakeSignedTransaction(key, cluster.genesis().chain_id, nonce++, 1000));
    const auto began = std::chrono::steady_clock::now();
    const auto [status, body] = HttpExchange(cluster.daemon(2).api_port(), "POST", "/v1/transactions",
                                             std::string(encoded.begin(), encoded.end()));
    if (status != 202) return 0;
    const std::string id = nlohmann::json::parse(body).value("id", "");
    const auto committed = [&] {
      const nlohmann::json transaction = cluster.Get(2, "/v1/transactions/" + id);
      return transaction.is_object() && transaction.value("status", "") == "committed";
    };
    if (!WaitFor(committed, 60)) {
      return 0;
    }
    total += std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began)
                 .count();
  }
  return total;
}

TEST(ReadFloodTest, BlockAndBundleReadsDoNotDelayCommits) {
  const crypto::PrivateKey key = exec::testing::MakeKey(crypto::SuiteId::kStd, 9);
  DaemonCluster cluster(4, [&](exec::Genesis& genesis) {
    const ByteView raw = key.public_key().raw();
    genesis.accounts.push_back({"load", exec::kPlatformKind, Bytes(raw.begin(), raw.end())});
  });
  cluster.Start({0, 1, 2, 3});
  ASSERT_TRUE(WaitFor([&] {
    for (int i = 0; i < 4; ++i) {
      const nlohmann::json status = cluster.Get(i, "/v1/status");
      if (!status.is_object() || status.value("peers_connected", 0) < 3) return false;
    }
    return true;
  }));
  // Large blocks to read: notes of 64 KiB.
  std::string last_id;
  for (int nonce = 1; nonce <= kNotes; ++nonce) {
    const Bytes encoded = codec::EncodeSignedTransaction(exec::testing::MakeSignedTransaction(
        key, cluster.genesis().chain_id, static_cast<std::uint64_t>(nonce), 1000, 1,
        Bytes(kNotePayloadBytes, static_cast<std::uint8_t>(nonce))));
    const auto [status, body] = HttpExchange(cluster.daemon(nonce % 4).api_port(), "POST", "/v1/transactions",
                                             std::string(encoded.begin(), encoded.end()));
    ASSERT_EQ(status, 202) << body;
    last_id = nlohmann::json::parse(body).value("id", "");
  }
  std::uint64_t last_height = 0;
  ASSERT_TRUE(WaitFor([&] {
    const nlohmann::json status = cluster.Get(0, "/v1/transactions/" + last_id);
    last_height = status.is_object() && status.value("status", "") == "committed"
                      ? status.value("height", std::uint64_t{0})
                      : 0;
    return last_height > 0;
  }));
  std::vector<std::string> heavy_paths;
  for (std::uint64_t height = 1; height <= last_height; ++height) {
    const nlohmann::json block = cluster.Get(0, "/v1/blocks/" + std::to_string(height));
    ASSERT_TRUE(block.is_object());
    if (block["transactions"].size() > 10) heavy_paths.push_back("/v1/blocks/" + std::to_string(height));
  }
  ASSERT_FALSE(heavy_paths.empty());

  std::uint64_t nonce = kNotes + 1;
  const std::int64_t unloaded = MillisecondsToCommit(cluster, key, nonce, kMeasuredCommits);
  ASSERT_GT(unloaded, 0);

  // The flood: readers at node-0 and node-1 (a quorum needs one of them), blocks and bundles.
  std::atomic<bool> flooding{true};
  std::atomic<std::uint64_t> reads{0};
  std::vector<std::thread> readers;
  for (int node = 0; node < 2; ++node) {
    const std::uint16_t port = cluster.daemon(node).api_port();
    for (int reader = 0; reader < kReadersPerNode; ++reader) {
      readers.emplace_back([&, port, reader] {
        for (std::size_t i = static_cast<std::size_t>(reader); flooding; ++i) {
          const std::string path =
              i % 4 == 3 ? "/v1/bundles/" + std::to_string(i % 1000) : heavy_paths[i % heavy_paths.size()];
          (void)HttpExchange(port, "GET", path);
          ++reads;
        }
      });
    }
  }
  ASSERT_TRUE(WaitFor([&] { return reads >= 4 * kReadersPerNode; }));
  const std::int64_t loaded = MillisecondsToCommit(cluster, key, nonce, kMeasuredCommits);
  const std::uint64_t served = reads;
  flooding = false;
  for (std::thread& reader : readers) reader.join();
  std::cout << kMeasuredCommits << " commits: " << unloaded << " ms unloaded, " << loaded << " ms under "
            << served << " reads\n";
  RecordProperty("unloaded_milliseconds", std::to_string(unloaded));
  RecordProperty("loaded_milliseconds", std::to_string(loaded));
  EXPECT_GT(loaded, 0) << "no commits under the flood";
  EXPECT_LE(loaded, 2 * unloaded) << kMeasuredCommits << " commits took " << unloaded << " ms unloaded, "
                                  << loaded << " ms under the flood (" << served << " reads served)";
}

}  // namespace
}  // namespace rightchain::node
