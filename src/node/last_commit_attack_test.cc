// A hostile proposer puts a forged certificate of the previous height into its block as the
// block's `last_commit`. Before the check, validators only compared the header's
// previous_commit_hash with it, and committing the block overwrote every node's stored
// certificate of that height with the forgery: no lagging or new node could sync past it.
#include <gtest/gtest.h>

#include <map>

#include "consensus/commit_certificate.h"
#include "consensus/messages.h"
#include "consensus/suite_signer.h"
#include "ledger/block.h"
#include "ledger/roots.h"
#include "node/testing/cluster.h"

namespace rightchain::node {
namespace {

using testing::Cluster;
using testing::ExpectIdenticalChains;
using testing::MakeKey;
using testing::MakeSignedTransaction;

// The certificate with every precommit signature flipped: it names the right block and the right
// validators, only the signatures do not verify.
consensus::CommitCertificate ForgedSignatures(consensus::CommitCertificate certificate) {
  for (consensus::Vote& precommit : certificate.precommits) {
    for (std::uint8_t& byte : precommit.signature) byte ^= 0x5a;
  }
  return certificate;
}

// The certificate for another block hash, its votes signed by no one.
consensus::CommitCertificate ForgedBlockHash(consensus::CommitCertificate certificate) {
  certificate.block_hash[0] ^= 0xff;
  for (consensus::Vote& precommit : certificate.precommits) precommit.block_hash = certificate.block_hash;
  return certificate;
}

// Member `hostile` rewrites each block body it proposes so that its last commit is `forge(last
// commit)` (and the header's previous-commit hash matches it), and re-signs its proposal for the
// rewritten block: what a modified node would send. Everything else it sends is unchanged.
class HostileProposer {
 public:
  using Forge = std::function<consensus::CommitCertificate(consensus::CommitCertificate)>;
  HostileProposer(Cluster& cluster, crypto::SuiteId suite, std::size_t hostile, Forge forge)
      : chain_id_(cluster.genesis().chain_id),
        hash_(crypto::GetSuite(suite).hash),
        signer_(MakeKey(suite, static_cast<std::uint8_t>(100 + hostile))),
        forge_(std::move(forge)) {
    cluster.set_frame_rewriter(hostile, [this](std::size_t, const Bytes& frame) { return Rewrite(frame); });
  }
  std::size_t forged_blocks() const { return rewritten_.size(); }

 private:
  std::vector<Bytes> Rewrite(const Bytes& frame) {
    Result<WireMessage> message = DecodeWire(frame);
    RC_ASSERT(message.ok());
    if (message->type == WireType::kBlock) return {RewriteBlock(message->payload)};
    if (message->type == WireType::kConsensus) return {RewriteProposal(message->payload, frame)};
    return {frame};
  }

  Bytes RewriteBlock(ByteView payload) {
    Result<ledger::Block> block = ledger::DecodeBlock(payload);
    RC_ASSERT(block.ok());
    if (!block->last_commit.has_value()) return EncodeWire(WireType::kBlock, payload);
    const crypto::Digest original = ledger::BlockHash(hash_, block->header);
    block->last_commit = forge_(*block->last_commit);
    block->header.previous_commit_hash = ledger::CommitCertificateHash(hash_, *block->last_commit);
    rewritten_[original] = ledger::BlockHash(hash_, block->header);
    return EncodeWire(WireType::kBlock, ledger::EncodeBlock(*block));
  }

  Bytes RewriteProposal(ByteView payload, const Bytes& frame) {
    Result<consensus::Message> message = consensus::DecodeMessage(payload);
    RC_ASSERT(message.ok());
    auto* proposal = std::get_if<consensus::Proposal>(&*message);
    if (proposal == nullptr) return frame;
    const auto rewritten = rewritten_.find(proposal->block_hash);
    if (rewritten == rewritten_.end()) return frame;
    proposal->block_hash = rewritten->second;
    Result<Bytes> signature = signer_.Sign(consensus::ProposalSignBytes(chain_id_, *proposal));
    RC_ASSERT(signature.ok());
    proposal->signature = std::move(signature).value();
    return EncodeWire(WireType::kConsensus, consensus::EncodeMessage(*message));
  }

  std::string chain_id_;
  crypto::HashAlgorithm hash_;
  consensus::SuiteSigner signer_;
  Forge forge_;
  std::map<crypto::Digest, crypto::Digest> rewritten_;  // honest block hash -> forged block hash
};

// Every certificate a node serves for heights 1..height verifies against that height's validators.
void ExpectEveryCertificateVerifies(const Cluster& cluster, std::size_t node, std::uint64_t height) {
  const NodeCore& core = cluster.Core(node);
  consensus::SuiteVerifier verifier(crypto::GetSuite(core.genesis().suite).signature);
  for (std::uint64_t h = 1; h <= height; ++h) {
    const auto certificate = cluster.Store(node).CertificateAt(h);
    ASSERT_TRUE(certificate.ok() && certificate->has_value()) << "node " << node << " height " << h;
    const auto block = cluster.Store(node).BlockAt(h);
    ASSERT_TRUE(block.ok() && block->has_value());
    const crypto::HashAlgorithm hash = crypto::GetSuite(core.genesis().suite).hash;
    EXPECT_EQ((*certificate)->block_hash, ledger::BlockHash(hash, (*block)->header)) << "height " << h;
    // Every height here has the genesis validators (no governance in this test).
    const Status verified = consensus::VerifyCommitCertificate(core.genesis().chain_id, **certificate,
                                                               core.validators(), verifier);
    EXPECT_TRUE(verified.ok()) << "node " << node << " serves a certificate of height " << h
                               << " that does not verify: " << verified.ToString();
  }
}

struct Forgery {
  const char* name;
  HostileProposer::Forge forge;
};

class LastCommitAttackTest : public ::testing::TestWithParam<std::tuple<crypto::SuiteId, int>> {};

TEST_P(LastCommitAttackTest, AForgedLastCommitIsRefusedAndEveryStoredCertificateVerifies) {
  const auto [suite, forgery_index] = GetParam();
  const Forgery forgeries[] = {{"signatures", ForgedSignatures}, {"block hash", ForgedBlockHash}};
  const Forgery& forgery = forgeries[forgery_index];
  SCOPED_TRACE(forgery.name);
  // Four validators and an observer that starts late and must sync the whole chain.
  Cluster cluster(suite, 4, 1, /*seed=*/17);
  const std::size_t observer = 4;
  cluster.StopNode(observer);
  const std::size_t hostile = 1;
  HostileProposer attacker(cluster, suite, hostile, forgery.forge);

  const crypto::PrivateKey client = MakeKey(suite, 7);
  std::vector<crypto::Digest> ids;
  for (std::uint64_t nonce = 1; nonce <= 24; ++nonce) {
    const auto transaction = MakeSignedTransaction(client, cluster.genesis().chain_id, nonce, 1000);
    ids.push_back(std::get<crypto::Digest>(cluster.Submit(nonce % 4, transaction)));
    ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Committed(0, ids.back()); }, 30'000))
        << "transaction " << nonce << " did not commit";
  }
  // The hostile member was the proposer of some of those heights and sent forged blocks.
  ASSERT_GT(attacker.forged_blocks(), 0u);
  const std::uint64_t height = cluster.Height(0);
  ASSERT_GE(height, 8u);
  for (std::size_t node = 0; node < 4; ++node) {
    if (node == hostile) continue;
    ExpectEveryCertificateVerifies(cluster, node, height - 1);
  }
  // A node that was not there syncs the whole chain from its peers.
  cluster.StartNode(observer);
  ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Height(observer) >= height; }, 60'000))
      << "the late observer is stuck at height " << cluster.Height(observer) << " of " << height;
  ExpectIdenticalChains(cluster, height);
}

INSTANTIATE_TEST_SUITE_P(Suites, LastCommitAttackTest,
                         ::testing::Combine(::testing::Values(crypto::SuiteId::kStd, crypto::SuiteId::kSm),
                                            ::testing::Values(0, 1)));

}  // namespace
}  // namespace rightchain::node
