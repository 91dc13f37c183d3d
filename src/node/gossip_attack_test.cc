// Free work for a hostile member (docs/node.md, "Peers in rightchaind"): every gossiped
// transaction whose signature fails cost the receiver a verification and its sender nothing. An
// honest member checks what it gossips, so each forged one is reported against its sender; what
// an honest member can cause (a duplicate, a reused nonce, an expired transaction) is not.
#include <gtest/gtest.h>

#include "node/node_core.h"
#include "node/testing/cluster.h"
#include "node/wire.h"

namespace rightchain::node {
namespace {

using testing::Cluster;
using testing::MakeKey;
using testing::MakeSignedTransaction;

class GossipAttackTest : public ::testing::TestWithParam<crypto::SuiteId> {};

// Forged transactions counted against `member` in `reporter`'s reports.
std::uint64_t ForgedCountedAgainst(Cluster& cluster, std::size_t reporter, std::size_t member) {
  std::uint64_t forged = 0;
  for (const Misbehaviour& report : cluster.Misbehaviours(reporter)) {
    if (report.member == member && report.kind == Misbehaviour::Kind::kForgedTransaction)
      forged += report.count;
  }
  return forged;
}

TEST_P(GossipAttackTest, ForgedTransactionsAreCountedAgainstTheMemberThatGossipedThem) {
  Cluster cluster(GetParam(), 4, 0, 43);
  constexpr std::size_t kHostile = 1;
  constexpr std::uint64_t kForged = 20;
  const auto key = MakeKey(GetParam(), 63);
  std::vector<codec::SignedTransaction> forged;
  for (std::uint64_t nonce = 0; nonce < kForged; ++nonce) {
    codec::SignedTransaction transaction = MakeSignedTransaction(key, "cluster-test", nonce, 5000);
    transaction.signature[5] ^= 1;
    forged.push_back(std::move(transaction));
  }
  // The hostile member takes them as checked (as a hostile host of its API can) and gossips them:
  // all but one in a batch frame, the last alone (peer message 2).
  EXPECT_EQ(cluster.SubmitBatch(kHostile, std::vector(forged.begin(), forged.end() - 1)),
            std::vector<WireType>{WireType::kTransactionBatch});
  EXPECT_EQ(cluster.SubmitBatch(kHostile, {forged.back()}), std::vector<WireType>{WireType::kTransaction});
  cluster.Kick();
  const auto all_counted = [&] {
    for (std::size_t node = 0; node < cluster.size(); ++node) {
      if (node != kHostile && ForgedCountedAgainst(cluster, node, kHostile) < kForged) return false;
    }
    return true;
  };
  ASSERT_TRUE(cluster.RunUntil(all_counted, 10'000))
      << "node 0 counted " << ForgedCountedAgainst(cluster, 0, kHostile) << " of " << kForged;
  const crypto::HashAlgorithm hash = crypto::GetSuite(GetParam()).hash;
  for (std::size_t node = 0; node < cluster.size(); ++node) {
    if (node == kHostile) continue;
    EXPECT_EQ(ForgedCountedAgainst(cluster, node, kHostile), kForged) << "node " << node;
    for (const codec::SignedTransaction& transaction : forged)
      EXPECT_EQ(cluster.Core(node).mempool().Find(codec::TransactionId(hash, transaction.transaction)),
                nullptr);
    // Nothing is reported against the honest members.
    for (const Misbehaviour& report : cluster.Misbehaviours(node)) EXPECT_EQ(report.member, kHostile);
  }
}

TEST_P(GossipAttackTest, RefusalsAnHonestMemberCanCauseAreNotReported) {
  Cluster cluster(GetParam(), 4, 0, 47);
  const auto key = MakeKey(GetParam(), 64);
  const codec::SignedTransaction genuine = MakeSignedTransaction(key, "cluster-test", 1, 5000);
  ASSERT_TRUE(std::holds_alternative<crypto::Digest>(cluster.Submit(2, genuine)));
  cluster.Kick();
  const crypto::Digest id = codec::TransactionId(crypto::GetSuite(GetParam()).hash, genuine.transaction);
  ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Committed(0, id); }, 60'000));
  // The same transaction again (already committed), another one with its nonce, an expired one:
  // each refused, none reported.
  const Bytes again = codec::EncodeSignedTransaction(genuine);
  const Bytes reused_nonce = codec::EncodeSignedTransaction(
      MakeSignedTransaction(key, "cluster-test", 1, 5000, 1, ToBytes("another note")));
  const Bytes expired = codec::EncodeSignedTransaction(MakeSignedTransaction(key, "cluster-test", 2, 0));
  EXPECT_TRUE(cluster
                  .DeliverStatus(0, 2,
                                 EncodeWire(WireType::kTransactionBatch,
                                            EncodeTransactionBatch({again, reused_nonce, expired})))
                  .ok());
  EXPECT_TRUE(cluster.DeliverStatus(0, 2, EncodeWire(WireType::kTransaction, again)).ok());
  EXPECT_TRUE(cluster.Misbehaviours(0).empty());
  // A forged one among them is.
  codec::SignedTransaction forged = MakeSignedTransaction(key, "cluster-test", 3, 5000);
  forged.signature[0] ^= 1;
  (void)cluster.DeliverStatus(
      0, 2,
      EncodeWire(WireType::kTransactionBatch,
                 EncodeTransactionBatch({again, codec::EncodeSignedTransaction(forged)})));
  EXPECT_EQ(ForgedCountedAgainst(cluster, 0, 2), 1u);
}

INSTANTIATE_TEST_SUITE_P(BothSuites, GossipAttackTest,
                         ::testing::Values(crypto::SuiteId::kSm, crypto::SuiteId::kStd),
                         [](const auto& test_info) {
                           return std::string(crypto::SuiteName(test_info.param));
                         });

}  // namespace
}  // namespace rightchain::node
