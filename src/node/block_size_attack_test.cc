// A member sends a proposed block's body larger than the chain's max_block_bytes. Peer frames are
// sized for the governance ceiling (64 MiB blocks, node/wire.h), not for the current parameter, so
// the node itself refuses such a body on arrival instead of holding and executing it.
#include <gtest/gtest.h>

#include "ledger/block.h"
#include "node/testing/cluster.h"
#include "node/wire.h"

namespace rightchain::node {
namespace {

using testing::Cluster;
using testing::MakeKey;
using testing::MakeSignedTransaction;

// A body for height 1 holding `count` notes of `payload_bytes` each (a hostile proposer's).
Bytes BlockFrame(const Cluster& cluster, int count, std::size_t payload_bytes) {
  const crypto::PrivateKey sender = MakeKey(cluster.genesis().suite, 7);
  ledger::Block block;
  block.header.chain_id = cluster.genesis().chain_id;
  block.header.height = 1;
  block.header.time_milliseconds = cluster.genesis().genesis_time_milliseconds + 1;
  for (int i = 0; i < count; ++i) {
    block.transactions.push_back(MakeSignedTransaction(sender, cluster.genesis().chain_id,
                                                       static_cast<std::uint64_t>(i + 1), 100, 1,
                                                       Bytes(payload_bytes, static_cast<std::uint8_t>(i))));
  }
  return EncodeWire(WireType::kBlock, ledger::EncodeBlock(block));
}

TEST(BlockSizeAttackTest, ABlockBodyLargerThanMaxBlockBytesIsRefusedOnArrival) {
  Cluster cluster(crypto::SuiteId::kStd, 4, 0, 5);
  const std::uint32_t max_block_bytes = cluster.genesis().parameters.max_block_bytes;
  ASSERT_EQ(max_block_bytes, 4u << 20);

  // Five notes of 1000 KiB: about 5 MB, more than the chain allows, far less than a frame carries.
  const Bytes oversized = BlockFrame(cluster, 5, 1000 * 1024);
  ASSERT_GT(oversized.size(), max_block_bytes);
  ASSERT_LT(oversized.size(), kMaxWireMessageSize);
  const Status refused = cluster.DeliverStatus(0, 1, oversized);
  EXPECT_EQ(refused.code(), ErrorCode::kLimitExceeded) << refused.ToString();
  EXPECT_NE(refused.message().find("max_block_bytes"), std::string::npos) << refused.ToString();

  // A body within the limit is taken (it is checked when consensus asks about its hash).
  const Status taken = cluster.DeliverStatus(0, 1, BlockFrame(cluster, 3, 1000 * 1024));
  EXPECT_TRUE(taken.ok()) << taken.ToString();
}

}  // namespace
}  // namespace rightchain::node
