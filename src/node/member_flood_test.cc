// A hostile member floods a node: frames faster than the node's core thread works them, and
// distinct blocks for the next heights. The node's memory stays under a stated bound: the
// flooder's socket stops being read while its frames wait (nothing it sent is dropped unread),
// and the blocks held for it per height are few, the rest counted as dropped.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "ledger/block.h"
#include "node/node_core.h"
#include "node/testing/daemon_cluster.h"
#include "node/wire.h"

namespace rightchain::node {
namespace {

using testing::DaemonCluster;
using testing::ResidentBytes;
using testing::WaitFor;

constexpr std::size_t kFloodBlockPayloadBytes = 512 * 1024;
constexpr int kFloodBlocks = 320;  // 160 MiB of distinct blocks
// The stated bounds. Frames waiting for the core: one peer's share is 8 MiB plus the frame that
// crossed it (512 KiB here). Resident memory: that share, the held blocks (8 × 512 KiB) and
// the flooder's own send queue (16 MiB, in this process too), with room for allocator slack.
constexpr std::size_t kQueuedFrameBoundBytes = 12u << 20;
constexpr std::size_t kResidentGrowthBoundBytes = 64u << 20;

// A block that decodes but that no one proposed: `serial` makes each one distinct.
Bytes FloodBlock(const std::string& chain_id, std::uint64_t height, int serial) {
  ledger::Block block;
  block.header.chain_id = chain_id;
  block.header.height = height;
  block.header.time_milliseconds = 1'000 + serial;
  block.last_commit = consensus::CommitCertificate{.height = height - 1};
  codec::SignedTransaction transaction;
  transaction.transaction.chain_id = chain_id;
  transaction.transaction.sender_public_key = Bytes(32, 1);
  transaction.transaction.expiry_height = height + 10;
  transaction.transaction.payload = Bytes(kFloodBlockPayloadBytes, static_cast<std::uint8_t>(serial | 1));
  transaction.signature = Bytes(codec::kTransactionSignatureSize, 2);
  block.transactions.push_back(std::move(transaction));
  return EncodeWire(WireType::kBlock, ledger::EncodeBlock(block));
}

// Waits until the victim's queue has stopped changing for a second (the flood got in all it could).
void WaitUntilQueueSettles(Daemon& victim) {
  std::size_t last = victim.queue_usage().queued_frame_bytes;
  auto unchanged_since = std::chrono::steady_clock::now();
  (void)WaitFor(
      [&] {
        const std::size_t now = victim.queue_usage().queued_frame_bytes;
        if (now != last) {
          last = now;
          unchanged_since = std::chrono::steady_clock::now();
        }
        return std::chrono::steady_clock::now() - unchanged_since > std::chrono::seconds(1);
      },
      30);
}

TEST(MemberFloodTest, FloodingMemberIsReadOnlyAsFastAsTheCoreWorksAndItsBlocksAreBounded) {
  DaemonCluster cluster(4);
  cluster.Start({0, 1, 2});
  ASSERT_TRUE(WaitFor([&] { return cluster.Height(0) >= 2; }));
  // node-0 alone has no quorum: its height stays put while node-3 (played by the test) floods it.
  cluster.Stop(1);
  cluster.Stop(2);
  const std::uint64_t height = cluster.Height(0);
  ASSERT_GE(height, 2u);
  Daemon& victim = cluster.daemon(0);
  std::unique_ptr<net::Transport> flooder = cluster.MemberTransport(3);
  flooder->AddPeer("127.0.0.1", victim.transport_port());
  net::PeerId victim_id;
  ASSERT_TRUE(WaitFor([&] {
    for (const net::PeerSnapshot& peer : flooder->Peers()) {
      if (peer.connected) victim_id = peer.id;
    }
    return !victim_id.empty();
  }));
  const std::size_t resident_before = ResidentBytes();

  // The victim's core is busy (as while it executes a large block) and the flood begins.
  std::promise<void> busy;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  victim.PostTask([&busy, released](NodeCore&) {
    busy.set_value();
    released.wait();
  });
  busy.get_future().wait();
  int sent = 0;
  const auto send_until = [&](const std::function<bool()>& give_up) {
    Bytes frame = FloodBlock(cluster.genesis().chain_id, height + 1 + sent % 2, sent);
    while (sent < kFloodBlocks && !give_up()) {
      if (!flooder->Send(victim_id, frame).ok()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      ++sent;
      frame = FloodBlock(cluster.genesis().chain_id, height + 1 + sent % 2, sent);
    }
  };
  // Until the victim takes no more for two seconds (its reading of the flooder is paused).
  std::size_t last_sent_count = 0;
  auto progress_at = std::chrono::steady_clock::now();
  send_until([&] {
    if (static_cast<std::size_t>(sent) != last_sent_count) {
      last_sent_count = static_cast<std::size_t>(sent);
      progress_at = std::chrono::steady_clock::now();
    }
    return std::chrono::steady_clock::now() - progress_at > std::chrono::seconds(2);
  });
  WaitUntilQueueSettles(victim);
  const Daemon::QueueUsage flooded = victim.queue_usage();
  const std::size_t resident_flooded = ResidentBytes();
  release.set_value();
  EXPECT_LE(flooded.peak_queued_frame_bytes, kQueuedFrameBoundBytes)
      << sent << " blocks of " << kFloodBlockPayloadBytes << " bytes sent";
  EXPECT_LE(resident_flooded - std::min(resident_flooded, resident_before), kResidentGrowthBoundBytes);
  EXPECT_LT(sent, kFloodBlocks) << "the victim read the whole flood while its core was busy";

  // The core works again: the flood resumes and gets through, frame by frame; none is lost.
  send_until([] { return false; });
  ASSERT_EQ(sent, kFloodBlocks);
  ASSERT_TRUE(WaitFor([&] { return flooder->counters().messages_sent == static_cast<std::uint64_t>(sent); }));
  ASSERT_TRUE(WaitFor([&] { return victim.queue_usage().queued_frame_bytes == 0; }));
  std::promise<std::pair<std::size_t, std::uint64_t>> held;
  victim.PostTask([&held](NodeCore& core) {
    held.set_value({core.held_block_count(), core.held_blocks_dropped()});
  });
  const auto [held_blocks, dropped_blocks] = held.get_future().get();
  EXPECT_LE(held_blocks, 2 * NodeCore::kMaxHeldBlocksPerPeerAndHeight);  // two heights, one sender
  EXPECT_EQ(held_blocks + dropped_blocks, static_cast<std::uint64_t>(kFloodBlocks));  // each counted
  const std::size_t resident_after = ResidentBytes();
  EXPECT_LE(resident_after - std::min(resident_after, resident_before), kResidentGrowthBoundBytes);
  // The victim still answers.
  EXPECT_EQ(cluster.Height(0), height);
}

}  // namespace
}  // namespace rightchain::node
