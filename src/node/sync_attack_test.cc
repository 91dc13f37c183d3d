// Sync against a hostile member (docs/node.md, "Sync"): one validator announces a height no one
// has and ignores, or answers with forged certificates, the block requests it receives. A node
// that was down must still catch up from the honest members, and the forger is reported.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

#include "ledger/block.h"
#include "node/node_core.h"
#include "node/testing/cluster.h"
#include "node/wire.h"

namespace rightchain::node {
namespace {

using testing::Cluster;
using testing::ExpectIdenticalChains;
using testing::MakeKey;
using testing::MakeSignedTransaction;

constexpr std::size_t kHostile = 3;
constexpr std::size_t kLagging = 4;  // the observer
constexpr std::uint64_t kAbsurdHeight = std::numeric_limits<std::uint64_t>::max();

class SyncAttackTest : public ::testing::TestWithParam<crypto::SuiteId> {
 protected:
  // 4 validators and an observer; the observer is down while the others commit `heights` blocks.
  SyncAttackTest() : cluster_(GetParam(), 4, 1, 41) {}

  void CommitWhileLaggingNodeIsDown(std::uint64_t heights) {
    cluster_.StopNode(kLagging);
    const auto key = MakeKey(GetParam(), 61);
    while (cluster_.Height(0) < heights) {
      const auto result = cluster_.Submit(0, MakeSignedTransaction(key, "cluster-test", nonce_++, 5000));
      ASSERT_TRUE(std::holds_alternative<crypto::Digest>(result));
      const crypto::Digest id = std::get<crypto::Digest>(result);
      cluster_.Kick();
      ASSERT_TRUE(cluster_.RunUntil([&] { return cluster_.Committed(0, id); }, 60'000));
    }
  }

  // The lagging node is started again and left to sync, for at most `limit_milliseconds`.
  bool LaggingNodeCatchesUp(std::int64_t limit_milliseconds) {
    const std::uint64_t head = cluster_.Height(0);
    cluster_.StartNode(kLagging);
    return cluster_.RunUntil([&] { return cluster_.Height(kLagging) >= head; }, limit_milliseconds);
  }

  // A new transaction commits on the caught-up node too: it follows the chain again.
  void ExpectLaggingNodeFollows() {
    const auto key = MakeKey(GetParam(), 62);
    const auto result = cluster_.Submit(1, MakeSignedTransaction(key, "cluster-test", 0, 5000));
    ASSERT_TRUE(std::holds_alternative<crypto::Digest>(result));
    const crypto::Digest id = std::get<crypto::Digest>(result);
    cluster_.Kick();
    ASSERT_TRUE(cluster_.RunUntil([&] { return cluster_.Committed(kLagging, id); }, 60'000));
    std::uint64_t common = cluster_.Height(kLagging);
    for (std::size_t node = 0; node < cluster_.size(); ++node)
      common = std::min(common, cluster_.Height(node));
    ExpectIdenticalChains(cluster_, common);
  }

  std::size_t ReportsAgainst(std::size_t reporter, std::size_t member, Misbehaviour::Kind kind) {
    const std::vector<Misbehaviour>& reports = cluster_.Misbehaviours(reporter);
    return static_cast<std::size_t>(std::count_if(
        reports.begin(), reports.end(),
        [&](const Misbehaviour& report) { return report.member == member && report.kind == kind; }));
  }

  Cluster cluster_;
  std::uint64_t nonce_ = 0;
};

// The hostile member's status frames announce 2^64-1; `on_block_response` decides what becomes of
// the block responses its (honest) core sends.
Cluster::FrameRewriter Hostile(std::function<std::vector<Bytes>(const Bytes&)> on_block_response) {
  return [on_block_response](std::size_t, const Bytes& frame) -> std::vector<Bytes> {
    const Result<WireMessage> message = DecodeWire(frame);
    if (!message.ok()) return {frame};
    if (message->type == WireType::kStatus) return {EncodeWire(WireType::kStatus, EncodeU64(kAbsurdHeight))};
    if (message->type == WireType::kBlockResponse) return on_block_response(frame);
    return {frame};
  };
}

// A block response whose certificate's every precommit signature is damaged.
std::vector<Bytes> ForgeCertificate(const Bytes& frame) {
  const ByteView payload = ByteView(frame).subspan(1);
  const std::uint64_t block_size = DecodeU64(payload.first(8)).value();
  consensus::CommitCertificate certificate =
      ledger::DecodeCommitCertificate(payload.subspan(8 + block_size)).value();
  for (consensus::Vote& precommit : certificate.precommits) precommit.signature[0] ^= 1;
  Bytes forged(payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(8 + block_size));
  const Bytes encoded = ledger::EncodeCommitCertificate(certificate);
  forged.insert(forged.end(), encoded.begin(), encoded.end());
  return {EncodeWire(WireType::kBlockResponse, forged)};
}

// The attack of the issue: the highest announced peer was the only one asked, for good.
TEST_P(SyncAttackTest, AnAbsurdHeightFromAMemberThatServesNothingDoesNotCaptureSync) {
  CommitWhileLaggingNodeIsDown(10);
  cluster_.set_frame_rewriter(kHostile, Hostile([](const Bytes&) { return std::vector<Bytes>{}; }));
  ASSERT_TRUE(LaggingNodeCatchesUp(60'000))
      << "the lagging node stayed at " << cluster_.Height(kLagging) << " of " << cluster_.Height(0);
  ExpectLaggingNodeFollows();
  // Failing to serve is forgotten, not punished: a peer may have been slow or restarting.
  EXPECT_EQ(ReportsAgainst(kLagging, kHostile, Misbehaviour::Kind::kInvalidBlockResponse), 0u);
}

TEST_P(SyncAttackTest, ForgedCertificatesAreReportedAndSyncContinuesFromOthers) {
  CommitWhileLaggingNodeIsDown(10);
  cluster_.set_frame_rewriter(kHostile, Hostile(ForgeCertificate));
  const std::uint64_t head = cluster_.Height(0);
  cluster_.StartNode(kLagging);
  ASSERT_TRUE(cluster_.RunUntil(
      [&] {
        return cluster_.Height(kLagging) >= head &&
               ReportsAgainst(kLagging, kHostile, Misbehaviour::Kind::kInvalidBlockResponse) > 0;
      },
      60'000))
      << "height " << cluster_.Height(kLagging) << " of " << head << ", reports against the forger: "
      << ReportsAgainst(kLagging, kHostile, Misbehaviour::Kind::kInvalidBlockResponse);
  for (std::size_t honest = 0; honest < kHostile; ++honest) {
    EXPECT_EQ(ReportsAgainst(kLagging, honest, Misbehaviour::Kind::kInvalidBlockResponse), 0u) << honest;
  }
  ExpectLaggingNodeFollows();
}

// A member that forged once is not asked again for a while: the lagging node does not keep
// spending a certificate verification on it every request.
TEST_P(SyncAttackTest, AForgerIsNotAskedAgainAtEveryRequest) {
  CommitWhileLaggingNodeIsDown(20);
  cluster_.set_frame_rewriter(kHostile, Hostile(ForgeCertificate));
  ASSERT_TRUE(LaggingNodeCatchesUp(60'000));
  EXPECT_LE(ReportsAgainst(kLagging, kHostile, Misbehaviour::Kind::kInvalidBlockResponse), 2u);
}

INSTANTIATE_TEST_SUITE_P(BothSuites, SyncAttackTest,
                         ::testing::Values(crypto::SuiteId::kSm, crypto::SuiteId::kStd),
                         [](const auto& test_info) {
                           return std::string(crypto::SuiteName(test_info.param));
                         });

}  // namespace
}  // namespace rightchain::node
