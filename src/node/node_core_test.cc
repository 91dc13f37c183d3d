// A whole consortium in one process: NodeCores on real chain stores, joined by a simulated
// network with a simulated clock, deterministic from its seed.
#include "node/node_core.h"

#include "consensus/messages.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <queue>
#include <random>
#include <set>

#include "exec/exec_test_util.h"
#include "node/consensus_wal.h"
#include "node/testing/cluster.h"
#include "node/trust_file.h"
#include "node/validator_schedule.h"
#include "node/wire.h"
#include "proofs/checkpoint.h"
#include "proofs/signed_note.h"
#include "proofs/trust.h"

namespace rightchain::node {
namespace {

using testing::Cluster;
using testing::ExpectIdenticalChains;
using testing::HasCheckpoint;
using testing::MakeGenesis;
using testing::MakeKey;
using testing::MakeSignedTransaction;

class NodeClusterTest : public ::testing::TestWithParam<crypto::SuiteId> {};

TEST_P(NodeClusterTest, TransactionsSentToAnyNodeCommitEverywhereWithIdenticalChains) {
  Cluster cluster(GetParam(), 4, 1, 7);
  const auto key = MakeKey(GetParam(), 50);
  std::vector<crypto::Digest> ids;
  for (std::uint64_t nonce = 0; nonce < 20; ++nonce) {
    const auto transaction = MakeSignedTransaction(key, "cluster-test", nonce, 1000);
    const auto result = cluster.Submit(nonce % cluster.size(), transaction);
    ASSERT_TRUE(std::holds_alternative<crypto::Digest>(result))
        << std::get<mempool::Rejection>(result).message;
    ids.push_back(std::get<crypto::Digest>(result));
  }
  const bool all_committed = cluster.RunUntil(
      [&] {
        for (std::size_t node = 0; node < cluster.size(); ++node) {
          for (const auto& id : ids) {
            if (!cluster.Committed(node, id)) return false;
          }
        }
        return true;
      },
      60'000);
  ASSERT_TRUE(all_committed) << "heights: " << cluster.Height(0) << " " << cluster.Height(1);
  // Let the last block reach everyone, then compare.
  const std::uint64_t height = cluster.Height(0);
  ASSERT_TRUE(cluster.RunUntil(
      [&] {
        for (std::size_t i = 0; i < cluster.size(); ++i) {
          if (cluster.Height(i) < height) return false;
        }
        return true;
      },
      30'000));
  ExpectIdenticalChains(cluster, height);
  for (std::size_t i = 0; i < cluster.size(); ++i) {
    EXPECT_EQ(cluster.Store(i).log().Root(), cluster.Store(0).log().Root());
  }
}

TEST_P(NodeClusterTest, StoppedValidatorRestartsAndCatchesUpWithoutForks) {
  Cluster cluster(GetParam(), 4, 0, 11);
  cluster.set_loss_per_mille(20);
  const auto key = MakeKey(GetParam(), 51);
  std::uint64_t nonce = 0;
  const auto submit_batch = [&](std::size_t to, int count) {
    std::vector<crypto::Digest> ids;
    for (int i = 0; i < count; ++i) {
      const auto result = cluster.Submit(to, MakeSignedTransaction(key, "cluster-test", nonce++, 5000));
      if (std::holds_alternative<crypto::Digest>(result)) ids.push_back(std::get<crypto::Digest>(result));
    }
    return ids;
  };
  auto first = submit_batch(0, 5);
  ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Committed(0, first.back()); }, 60'000));

  cluster.StopNode(3);
  // Three of four validators still hold more than 2/3 of the power: commits continue.
  std::vector<crypto::Digest> during;
  for (int round = 0; round < 5; ++round) {
    auto ids = submit_batch(round % 3, 4);
    during.insert(during.end(), ids.begin(), ids.end());
    cluster.Kick();
    ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Committed(1, ids.back()); }, 60'000)) << round;
  }
  const std::uint64_t height_without = std::max({cluster.Height(0), cluster.Height(1), cluster.Height(2)});
  EXPECT_GE(height_without, 3u);

  cluster.StartNode(3);
  ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Height(3) >= height_without; }, 60'000))
      << "node 3 stayed at " << cluster.Height(3);
  // And it takes part again: new transactions commit everywhere.
  auto after = submit_batch(3, 3);
  cluster.Kick();
  ASSERT_TRUE(cluster.RunUntil(
      [&] {
        for (std::size_t i = 0; i < cluster.size(); ++i) {
          if (!cluster.Committed(i, after.back())) return false;
        }
        return true;
      },
      60'000));
  // Everything committed while it was down is on the restarted node too.
  for (const auto& id : during) EXPECT_TRUE(cluster.Committed(3, id));
  ExpectIdenticalChains(
      cluster, std::min({cluster.Height(0), cluster.Height(1), cluster.Height(2), cluster.Height(3)}));
}

// A validator that was down never saw the checkpoints of the heights it fetched afterwards become
// final: it asks its peers for them, checks them against its own blocks and the validators' keys,
// and can then serve bundles for those heights too.
TEST_P(NodeClusterTest, AReturningValidatorFetchesTheCheckpointsItMissed) {
  Cluster cluster(GetParam(), 4, 0, 17);
  const auto key = MakeKey(GetParam(), 53);
  std::uint64_t nonce = 0;
  cluster.StopNode(3);
  for (int round = 0; round < 4; ++round) {
    const auto result = cluster.Submit(round % 3, MakeSignedTransaction(key, "cluster-test", nonce++, 5000));
    ASSERT_TRUE(std::holds_alternative<crypto::Digest>(result));
    const crypto::Digest id = std::get<crypto::Digest>(result);
    cluster.Kick();
    ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Committed(0, id); }, 60'000)) << round;
  }
  const std::uint64_t missed_height = cluster.Height(0);
  ASSERT_GE(missed_height, 4u);
  ASSERT_TRUE(cluster.RunUntil([&] { return HasCheckpoint(cluster.Core(0), missed_height); }, 30'000));

  cluster.StartNode(3);
  const auto has_all = [&] {
    for (std::uint64_t height = 1; height <= missed_height; ++height) {
      if (!HasCheckpoint(cluster.Core(3), height)) return false;
    }
    return true;
  };
  ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Height(3) >= missed_height && has_all(); }, 60'000))
      << "node 3 at height " << cluster.Height(3);
  for (std::uint64_t height = 1; height <= missed_height; ++height) {
    EXPECT_EQ(*cluster.Core(3).CheckpointAt(height).value(), *cluster.Core(0).CheckpointAt(height).value())
        << "height " << height;
  }
}

// Checkpoint responses are checked: only for a height the node asked for, of its own block, and
// signed by more than 2/3 of the voting power.
TEST_P(NodeClusterTest, ForgedCheckpointResponsesAreRefused) {
  Cluster cluster(GetParam(), 4, 0, 19);
  const auto key = MakeKey(GetParam(), 54);
  cluster.StopNode(3);
  for (std::uint64_t nonce = 1; nonce <= 2; ++nonce) {  // two blocks
    const auto result = cluster.Submit(0, MakeSignedTransaction(key, "cluster-test", nonce, 5000));
    ASSERT_TRUE(std::holds_alternative<crypto::Digest>(result));
    cluster.Kick();
    ASSERT_TRUE(
        cluster.RunUntil([&] { return cluster.Committed(0, std::get<crypto::Digest>(result)); }, 60'000));
  }
  const std::uint64_t height = cluster.Height(0);
  ASSERT_TRUE(cluster.RunUntil([&] { return HasCheckpoint(cluster.Core(0), height); }, 30'000));
  const std::string good = *cluster.Core(0).CheckpointAt(height).value();
  cluster.StartNode(3);
  ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Height(3) >= height; }, 60'000));

  const auto respond = [&](std::uint64_t at, const std::string& note) {
    Bytes payload = EncodeU64(at);
    payload.insert(payload.end(), note.begin(), note.end());
    return cluster.DeliverStatus(3, 0, EncodeWire(WireType::kCheckpointResponse, payload));
  };
  // The simulation is deterministic: node 3 has the blocks but has not yet fetched the checkpoints.
  ASSERT_FALSE(HasCheckpoint(cluster.Core(3), height));
  // Another height's checkpoint, a note with fewer signatures than a quorum, garbage.
  ASSERT_TRUE(HasCheckpoint(cluster.Core(0), height - 1));
  EXPECT_FALSE(respond(height, *cluster.Core(0).CheckpointAt(height - 1).value()).ok());
  proofs::SignedNote note = proofs::ParseSignedNote(good).value();
  note.signatures.resize(2);
  EXPECT_FALSE(respond(height, proofs::FormatSignedNote(note)).ok());
  EXPECT_FALSE(respond(height, "not a note").ok());
  EXPECT_FALSE(HasCheckpoint(cluster.Core(3), height));
  EXPECT_TRUE(respond(height, good).ok());
  EXPECT_EQ(cluster.Core(3).CheckpointAt(height).value(), good);
}

// Passive exit: a validator that signs no commit certificate and proposes no block for the
// configured number of heights is reported by the others, and is not once it takes part again.
TEST_P(NodeClusterTest, ASilentValidatorIsReportedPassiveUntilItSignsAgain) {
  NodeCoreOptions options;
  options.passive_exit_heights = 3;
  Cluster cluster(GetParam(), 4, 0, 23, options);
  const auto key = MakeKey(GetParam(), 55);
  std::uint64_t nonce = 0;
  const auto commit_one = [&](std::size_t to) {
    const auto result = cluster.Submit(to, MakeSignedTransaction(key, "cluster-test", nonce++, 5000));
    if (!std::holds_alternative<crypto::Digest>(result)) return false;
    cluster.Kick();
    return cluster.RunUntil([&] { return cluster.Committed(to, std::get<crypto::Digest>(result)); }, 60'000);
  };
  cluster.StopNode(3);
  const std::uint64_t stopped_at = cluster.Height(0);
  while (cluster.Height(0) < stopped_at + 4) ASSERT_TRUE(commit_one(cluster.Height(0) % 3));

  const std::map<MemberIndex, ValidatorActivity> seen = cluster.Core(0).ValidatorActivities();
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_TRUE(seen.at(3).passive);
  EXPECT_GE(seen.at(3).missed_heights, 3u);
  for (MemberIndex member = 0; member < 3; ++member) {
    EXPECT_FALSE(seen.at(member).passive) << "node-" << member;
    EXPECT_GE(seen.at(member).last_signed_height, cluster.Height(0)) << "node-" << member;
  }

  const std::uint64_t target = cluster.Height(0);
  cluster.StartNode(3);
  cluster.Kick();
  ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Height(3) >= target; }, 60'000));
  for (int round = 0; round < 30 && cluster.Core(0).ValidatorActivities().at(3).passive; ++round) {
    ASSERT_TRUE(commit_one(round % 3));
  }
  EXPECT_FALSE(cluster.Core(0).ValidatorActivities().at(3).passive);
}

// A validator whose votes always arrive after the others have decided is never in a commit
// certificate (it holds the first quorum), but it takes part: its late precommits count.
TEST_P(NodeClusterTest, AValidatorTooSlowForTheCertificatesIsNotReportedPassive) {
  NodeCoreOptions options;
  options.passive_exit_heights = 3;
  Cluster cluster(GetParam(), 4, 0, 29, options);
  cluster.set_slow_sender(3, 200);
  const consensus::ValidatorSet validators = GenesisValidatorSet(cluster.genesis()).value();
  const std::optional<consensus::ValidatorIndex> slow_index =
      validators.IndexOf(cluster.genesis().members[3].consensus_public_key);
  ASSERT_TRUE(slow_index.has_value());
  // The premise: the latest certificate lacks the slow validator (when it proposes, everyone
  // waits for it, and then its precommit may make it in).
  const auto head_certificate_lacks_it = [&] {
    const std::optional<consensus::CommitCertificate> certificate =
        cluster.Store(0).CertificateAt(cluster.Height(0)).value();
    if (!certificate.has_value()) return false;
    return std::none_of(certificate->precommits.begin(), certificate->precommits.end(),
                        [&](const consensus::Vote& precommit) { return precommit.validator == *slow_index; });
  };
  const auto key = MakeKey(GetParam(), 56);
  std::uint64_t nonce = 0;
  const std::uint64_t start = cluster.Height(0);
  while (cluster.Height(0) < start + 8 || !head_certificate_lacks_it()) {
    ASSERT_LT(cluster.Height(0), start + 20);
    const auto result = cluster.Submit(0, MakeSignedTransaction(key, "cluster-test", nonce++, 5000));
    ASSERT_TRUE(std::holds_alternative<crypto::Digest>(result));
    cluster.Kick();
    ASSERT_TRUE(
        cluster.RunUntil([&] { return cluster.Committed(0, std::get<crypto::Digest>(result)); }, 60'000));
  }
  const std::uint64_t head = cluster.Height(0);
  // Let the slow validator's last precommit arrive.
  cluster.Kick();
  cluster.RunUntil([] { return false; }, 300);
  ASSERT_EQ(cluster.Height(0), head);  // nothing more to commit: create_empty_blocks is off
  const ValidatorActivity slow = cluster.Core(0).ValidatorActivities().at(3);
  EXPECT_FALSE(slow.passive);
  EXPECT_EQ(slow.last_signed_height, head);
  EXPECT_EQ(slow.missed_heights, 0u);
}

// A validator cut off for a while syncs the heights it missed and then takes part in consensus
// again, under steady load: it must not stay a height behind, syncing each block after the others
// decided it (the messages of its next height, received early, are kept across a synced commit).
TEST_P(NodeClusterTest, AValidatorThatFellBehindCatchesUpAndVotesAgainUnderLoad) {
  Cluster cluster(GetParam(), 4, 0, 31);
  const auto key = MakeKey(GetParam(), 57);
  std::uint64_t nonce = 0;
  const auto commit_one = [&] {
    const auto result = cluster.Submit(0, MakeSignedTransaction(key, "cluster-test", nonce++, 5000));
    if (!std::holds_alternative<crypto::Digest>(result)) return false;
    cluster.Kick();
    return cluster.RunUntil([&] { return cluster.Committed(0, std::get<crypto::Digest>(result)); }, 60'000);
  };
  cluster.set_cut_off(3, true);
  const std::uint64_t start = cluster.Height(0);
  while (cluster.Height(0) < start + 5) ASSERT_TRUE(commit_one());
  ASSERT_LT(cluster.Height(3), cluster.Height(0));
  cluster.set_cut_off(3, false);
  for (int height = 0; height < 12; ++height) ASSERT_TRUE(commit_one());
  const std::uint64_t head = cluster.Height(0);
  cluster.Kick();
  cluster.RunUntil([] { return false; }, 300);  // the last votes arrive
  EXPECT_EQ(cluster.Height(3), head);
  const ValidatorActivity activity = cluster.Core(0).ValidatorActivities().at(3);
  EXPECT_EQ(activity.last_signed_height, head) << "the returning validator does not vote";
}

TEST(EquivocationEvidenceTest, CarriesBothVotesAsConsensusMessages) {
  consensus::DuplicateVoteEvidence evidence;
  evidence.first = {consensus::VoteType::kPrecommit, 7, 1, crypto::Digest{}, 2, Bytes(64, 1)};
  evidence.second = evidence.first;
  evidence.second.block_hash = std::nullopt;
  evidence.second.signature = Bytes(64, 2);
  const Bytes encoded = EncodeEquivocationEvidence(evidence);
  const Bytes first = consensus::EncodeMessage(evidence.first);
  const Bytes second = consensus::EncodeMessage(evidence.second);
  ASSERT_EQ(encoded.size(), 8 + first.size() + second.size());
  EXPECT_EQ(Bytes(encoded.begin() + 4, encoded.begin() + 4 + first.size()), first);
  EXPECT_EQ(Bytes(encoded.end() - second.size(), encoded.end()), second);
  EXPECT_EQ(consensus::DecodeMessage(ByteView(encoded).subspan(8 + first.size())).value(),
            consensus::Message(evidence.second));
}

TEST_P(NodeClusterTest, TwoOfFourDownStopsCommitsUntilOneReturns) {
  Cluster cluster(GetParam(), 4, 0, 13);
  const auto key = MakeKey(GetParam(), 52);
  cluster.StopNode(2);
  cluster.StopNode(3);
  const auto result = cluster.Submit(0, MakeSignedTransaction(key, "cluster-test", 1, 5000));
  ASSERT_TRUE(std::holds_alternative<crypto::Digest>(result));
  const crypto::Digest id = std::get<crypto::Digest>(result);
  EXPECT_FALSE(cluster.RunUntil([&] { return cluster.Committed(0, id); }, 20'000));
  EXPECT_EQ(cluster.Height(0), 0u);
  cluster.StartNode(2);
  ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Committed(0, id) && cluster.Committed(2, id); }, 60'000));
}

TEST_P(NodeClusterTest, HostilePeerFramesAreRefusedAndChangeNothing) {
  Cluster cluster(GetParam(), 4, 0, 17);
  cluster.StopNode(3);
  std::mt19937_64 random(99);
  // Random bytes under every message type.
  for (int i = 0; i < 300; ++i) {
    Bytes frame(1 + random() % 300);
    for (auto& byte : frame) byte = static_cast<std::uint8_t>(random());
    frame[0] = static_cast<std::uint8_t>(1 + i % 11);
    cluster.Deliver(0, 1 + i % 2, frame);
  }
  EXPECT_EQ(cluster.Height(0), 0u);
  const auto key = MakeKey(GetParam(), 53);
  const auto result = cluster.Submit(1, MakeSignedTransaction(key, "cluster-test", 1, 5000));
  ASSERT_TRUE(std::holds_alternative<crypto::Digest>(result));
  const crypto::Digest id = std::get<crypto::Digest>(result);
  ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Committed(0, id); }, 60'000));

  // A restarted node at height 0 is offered block 1 with a certificate that holds no votes.
  cluster.StartNode(3);
  ASSERT_EQ(cluster.Height(3), 0u);
  const auto block = cluster.Store(0).EncodedBlockAt(1);
  ASSERT_TRUE(block.ok() && block->has_value());
  Bytes forged = EncodeU64((*block)->size());
  forged.insert(forged.end(), (*block)->begin(), (*block)->end());
  consensus::CommitCertificate certificate;
  certificate.height = 1;
  certificate.block_hash =
      ledger::BlockHash(crypto::GetSuite(GetParam()).hash, (*cluster.Store(0).BlockAt(1))->header);
  const Bytes encoded_certificate = ledger::EncodeCommitCertificate(certificate);
  forged.insert(forged.end(), encoded_certificate.begin(), encoded_certificate.end());
  EXPECT_FALSE(cluster.DeliverStatus(3, 1, EncodeWire(WireType::kBlockResponse, forged)).ok());
  EXPECT_EQ(cluster.Height(3), 0u);
  // The genuine chain still reaches it.
  ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Committed(3, id); }, 60'000));
}

// A client's batch goes to the peers as one frame; a peer checks each transaction in it on its own,
// so a malformed or forged one is refused and the rest are admitted and commit.
TEST_P(NodeClusterTest, ABatchIsGossipedInOneFrameAndEachTransactionIsCheckedOnItsOwn) {
  Cluster cluster(GetParam(), 4, 0, 23);
  const auto key = MakeKey(GetParam(), 57);
  std::vector<codec::SignedTransaction> batch;
  for (std::uint64_t nonce = 0; nonce < 30; ++nonce)
    batch.push_back(MakeSignedTransaction(key, "cluster-test", nonce, 1000));
  const std::vector<WireType> sent = cluster.SubmitBatch(0, batch);
  EXPECT_EQ(std::count(sent.begin(), sent.end(), WireType::kTransactionBatch), 1);
  EXPECT_EQ(std::count(sent.begin(), sent.end(), WireType::kTransaction), 0);
  // Single submissions that arrive before the outbox is taken leave together too; a lone one
  // goes as peer message 2.
  std::vector<codec::SignedTransaction> singles;
  for (std::uint64_t nonce = 30; nonce < 33; ++nonce)
    singles.push_back(MakeSignedTransaction(key, "cluster-test", nonce, 1000));
  const std::vector<WireType> sent_singles = cluster.SubmitBatch(0, singles, /*one_at_a_time=*/true);
  EXPECT_EQ(std::count(sent_singles.begin(), sent_singles.end(), WireType::kTransactionBatch), 1);
  EXPECT_EQ(std::count(sent_singles.begin(), sent_singles.end(), WireType::kTransaction), 0);
  const codec::SignedTransaction lone = MakeSignedTransaction(key, "cluster-test", 33, 1000);
  const std::vector<WireType> sent_lone = cluster.SubmitBatch(0, {lone}, /*one_at_a_time=*/true);
  EXPECT_EQ(std::count(sent_lone.begin(), sent_lone.end(), WireType::kTransaction), 1);
  batch.insert(batch.end(), singles.begin(), singles.end());
  batch.push_back(lone);
  // Large transactions (accepted by the mempool; their note kind refuses them at execution) are
  // split so that no frame passes kMaxTransactionBatchBytes.
  std::vector<codec::SignedTransaction> large;
  for (std::uint64_t nonce = 200; nonce < 215; ++nonce)
    large.push_back(MakeSignedTransaction(key, "cluster-test", nonce, 1000, 1, Bytes(600'000, 'x')));
  const std::vector<WireType> sent_large = cluster.SubmitBatch(0, large, /*one_at_a_time=*/true);
  EXPECT_EQ(std::count(sent_large.begin(), sent_large.end(), WireType::kTransactionBatch), 2);
  EXPECT_EQ(std::count(sent_large.begin(), sent_large.end(), WireType::kTransaction), 0);

  // A peer's batch with a forged signature and bytes that are no transaction among good ones.
  auto forged = MakeSignedTransaction(key, "cluster-test", 100, 1000);
  forged.signature[7] ^= 1;
  const Bytes good_one =
      codec::EncodeSignedTransaction(MakeSignedTransaction(key, "cluster-test", 101, 1000));
  const Bytes good_two =
      codec::EncodeSignedTransaction(MakeSignedTransaction(key, "cluster-test", 102, 1000));
  const Bytes forged_bytes = codec::EncodeSignedTransaction(forged);
  const Bytes garbage = {1, 2, 3};
  const Bytes frame = EncodeWire(WireType::kTransactionBatch,
                                 EncodeTransactionBatch({good_one, forged_bytes, garbage, good_two}));
  EXPECT_FALSE(cluster.DeliverStatus(2, 1, frame).ok());  // the garbage is reported
  const crypto::HashAlgorithm hash = crypto::GetSuite(GetParam()).hash;
  const auto id_of = [&](const Bytes& encoded) {
    return codec::TransactionId(hash, codec::DecodeSignedTransaction(encoded)->transaction);
  };
  EXPECT_NE(cluster.Core(2).mempool().Find(id_of(good_one)), nullptr);
  EXPECT_NE(cluster.Core(2).mempool().Find(id_of(good_two)), nullptr);
  EXPECT_EQ(cluster.Core(2).mempool().Find(id_of(forged_bytes)), nullptr);

  std::vector<crypto::Digest> ids;
  for (const codec::SignedTransaction& transaction : batch)
    ids.push_back(codec::TransactionId(hash, transaction.transaction));
  ids.push_back(id_of(good_one));
  ids.push_back(id_of(good_two));
  ASSERT_TRUE(cluster.RunUntil(
      [&] {
        for (std::size_t node = 0; node < cluster.size(); ++node) {
          for (const auto& id : ids) {
            if (!cluster.Committed(node, id)) return false;
          }
        }
        return true;
      },
      60'000));
  for (std::size_t node = 0; node < cluster.size(); ++node)
    EXPECT_FALSE(cluster.Committed(node, id_of(forged_bytes)));
}

// A proposer that takes a forged signature as checked (as a faulty or hostile API host could)
// proposes a block with it. The other validators hold the same transaction correctly signed; the
// id does not cover the signature, so they must check the block's bytes themselves: they refuse
// the block, and the transaction commits with its genuine signature in a later round.
TEST_P(NodeClusterTest, ABlockWithAForgedSignatureOfAPendingTransactionIsRefused) {
  Cluster cluster(GetParam(), 4, 0, 29);
  const consensus::ValidatorSet& validators = cluster.Core(0).validators();
  const Bytes& proposer_key = validators.at(validators.ProposerForRound(0)).public_key;
  std::size_t proposer = 0;
  while (cluster.genesis().members[proposer].consensus_public_key != proposer_key) ++proposer;

  const auto key = MakeKey(GetParam(), 59);
  const codec::SignedTransaction genuine = MakeSignedTransaction(key, "cluster-test", 1, 1000);
  codec::SignedTransaction forged = genuine;
  forged.signature[9] ^= 1;
  cluster.SubmitBatch(proposer, {forged});  // taken as checked: the proposer's mempool holds it
  for (std::size_t node = 0; node < cluster.size(); ++node) {
    if (node == proposer) continue;
    ASSERT_TRUE(std::holds_alternative<crypto::Digest>(cluster.Submit(node, genuine)));
  }
  const crypto::Digest id = codec::TransactionId(crypto::GetSuite(GetParam()).hash, genuine.transaction);
  ASSERT_TRUE(cluster.RunUntil(
      [&] {
        for (std::size_t node = 0; node < cluster.size(); ++node) {
          if (!cluster.Committed(node, id)) return false;
        }
        return true;
      },
      60'000));
  for (std::size_t node = 0; node < cluster.size(); ++node) {
    const auto location = cluster.Store(node).FindTransaction(id);
    ASSERT_TRUE(location.ok() && location->has_value());
    const auto block = cluster.Store(node).BlockAt((*location)->height);
    ASSERT_TRUE(block.ok() && block->has_value());
    EXPECT_EQ((*block)->transactions.at((*location)->index_in_block).signature, genuine.signature)
        << "node " << node << " committed the forged signature";
  }
}

// Every committed block gets a checkpoint co-signed by more than 2/3 of the voting power, which
// every node (the observer too) stores; it names the block and the log after it.
TEST_P(NodeClusterTest, CommittedBlocksGetCoSignedCheckpointsOnEveryNode) {
  Cluster cluster(GetParam(), 4, 1, 11);
  const auto key = MakeKey(GetParam(), 51);
  std::vector<crypto::Digest> ids;
  for (std::uint64_t nonce = 0; nonce < 6; ++nonce) {
    const auto result =
        cluster.Submit(nonce % cluster.size(), MakeSignedTransaction(key, "cluster-test", nonce, 1000));
    ASSERT_TRUE(std::holds_alternative<crypto::Digest>(result));
    ids.push_back(std::get<crypto::Digest>(result));
  }
  const auto checkpointed_everywhere = [&](std::uint64_t height) {
    for (std::size_t i = 0; i < cluster.size(); ++i) {
      const auto latest = cluster.Core(i).LatestCheckpointHeight();
      if (!latest.ok() || !latest->has_value() || **latest < height) return false;
    }
    return true;
  };
  ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Committed(0, ids.back()); }, 60'000));
  const std::uint64_t height = cluster.Height(0);
  ASSERT_TRUE(cluster.RunUntil([&] { return checkpointed_everywhere(height); }, 30'000));

  const proofs::TrustAnchor trust = proofs::TrustAnchorFromGenesis(cluster.genesis());
  const std::vector<proofs::NoteKey> keys = proofs::TrustedNoteKeys(trust);
  for (std::size_t i = 0; i < cluster.size(); ++i) {
    const auto note_text = cluster.Core(i).CheckpointAt(height);
    ASSERT_TRUE(note_text.ok() && note_text->has_value()) << "node " << i;
    const proofs::SignedNote note = proofs::ParseSignedNote(**note_text).value();
    const std::vector<std::size_t> signers = proofs::VerifyNote(note, keys).value();
    EXPECT_GE(signers.size(), 3u) << "node " << i;  // more than 2/3 of four equal validators
    const proofs::Checkpoint checkpoint = proofs::ParseCheckpointBody(note.text).value();
    const auto block = cluster.Store(i).BlockAt(height);
    ASSERT_TRUE(block.ok() && block->has_value());
    EXPECT_EQ(checkpoint.origin, cluster.genesis().chain_id);
    EXPECT_EQ(checkpoint.height, height);
    EXPECT_EQ(checkpoint.block_hash, ledger::BlockHash(cluster.Store(i).algorithm(), (*block)->header));
    EXPECT_EQ(checkpoint.size, (*block)->header.log_size);
    EXPECT_EQ(checkpoint.root, (*block)->header.log_root);
  }
  // A checkpoint signature from the observer (no vote) or of the wrong size is refused.
  Bytes forged = EncodeU64(height);
  forged.resize(8 + 64, 0x5a);
  EXPECT_FALSE(cluster.DeliverStatus(0, 4, EncodeWire(WireType::kCheckpointSignature, forged)).ok());
  forged.pop_back();
  EXPECT_FALSE(cluster.DeliverStatus(0, 1, EncodeWire(WireType::kCheckpointSignature, forged)).ok());
}

// Governance changes the validators while the chain runs (docs/governance.md): a node that genesis
// does not know is admitted, syncs and votes; a validator is removed, after which the chain
// commits without it even when another is down; a parameter change reaches every engine; and
// nodes restarted afterwards replay the same validator sets from the records.
TEST_P(NodeClusterTest, GovernanceAdmitsAndRemovesValidatorsWhileTheChainRuns) {
  Cluster cluster(GetParam(), 4, 0, 23);
  const std::size_t joining = cluster.AddJoiningNode();
  ASSERT_EQ(joining, 4u);
  ASSERT_FALSE(cluster.Core(joining).member_index().has_value());
  const auto member_key = [&](std::size_t index) {
    return MakeKey(GetParam(), static_cast<std::uint8_t>(100 + index));
  };
  std::map<std::size_t, std::uint64_t> nonces;
  std::uint64_t proposals = 0;
  // Proposes `action` as `proposer`, approves it by `approvers`, and waits until it is executed.
  const auto decide = [&](std::size_t proposer, exec::ProposalAction action,
                          std::vector<std::size_t> approvers) {
    const std::uint64_t id = ++proposals;
    const auto propose =
        MakeSignedTransaction(member_key(proposer), "cluster-test", nonces[proposer]++, 5000,
                              static_cast<std::uint16_t>(exec::TransactionKind::kPropose),
                              exec::EncodePayload(exec::ProposePayload{std::move(action), 5000}));
    ASSERT_TRUE(std::holds_alternative<crypto::Digest>(cluster.Submit(proposer, propose)));
    const crypto::Digest proposed =
        codec::TransactionId(crypto::GetSuite(GetParam()).hash, propose.transaction);
    cluster.Kick();
    ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Committed(proposer, proposed); }, 60'000));
    for (const std::size_t approver : approvers) {
      const auto approve =
          MakeSignedTransaction(member_key(approver), "cluster-test", nonces[approver]++, 5000,
                                static_cast<std::uint16_t>(exec::TransactionKind::kApprove),
                                exec::EncodePayload(exec::ApprovePayload{id}));
      ASSERT_TRUE(std::holds_alternative<crypto::Digest>(cluster.Submit(approver, approve)));
    }
    cluster.Kick();
    ASSERT_TRUE(cluster.RunUntil(
        [&] {
          const auto proposal = exec::LoadProposal(cluster.Store(proposer).state(), id);
          return proposal.ok() && proposal->has_value() &&
                 (*proposal)->status == exec::ProposalStatus::kExecuted;
        },
        60'000))
        << "proposal " << id << " was not executed";
  };
  // Commits a few transactions through `via` and waits until the nodes in `nodes` hold them.
  const auto key = MakeKey(GetParam(), 52);
  std::uint64_t load_nonce = 0;
  const auto commit_some = [&](std::size_t via, const std::vector<std::size_t>& nodes) {
    std::vector<crypto::Digest> ids;
    for (int i = 0; i < 3; ++i) {
      const auto result = cluster.Submit(via, MakeSignedTransaction(key, "cluster-test", load_nonce++, 5000));
      if (std::holds_alternative<crypto::Digest>(result)) ids.push_back(std::get<crypto::Digest>(result));
    }
    EXPECT_EQ(ids.size(), 3u);
    cluster.Kick();
    return cluster.RunUntil(
        [&] {
          for (const std::size_t node : nodes) {
            for (const auto& id : ids) {
              if (!cluster.Committed(node, id)) return false;
            }
          }
          return true;
        },
        60'000);
  };

  // Before admission the others refuse what the newcomer sends, and it cannot sync.
  ASSERT_TRUE(commit_some(1, {0, 1, 2, 3}));
  EXPECT_EQ(cluster.Height(joining), 0u);

  const crypto::PrivateKey joining_key = member_key(joining);
  const crypto::PublicKey joining_public_key = joining_key.public_key();
  const Bytes new_key(joining_public_key.raw().begin(), joining_public_key.raw().end());
  // Admitted as an observer first: it syncs from genesis without a vote.
  decide(1, exec::AddMember{"node-4", exec::NodeRole::kObserver, new_key, 0}, {0, 2});
  ASSERT_TRUE(cluster.RunUntil(
      [&] {
        return cluster.Core(joining).member_index().has_value() &&
               cluster.Height(joining) + 1 >= cluster.Height(0);
      },
      60'000))
      << "the observer at height " << cluster.Height(joining) << ", others at " << cluster.Height(0);
  EXPECT_EQ(cluster.Core(0).validators().size(), 4u);
  EXPECT_FALSE(cluster.Core(joining).validator_index().has_value());
  // Then made a validator: it votes from two heights after that decision.
  decide(2, exec::ChangeRole{joining_public_key.key_id(), exec::NodeRole::kConsensus, 10}, {0, 1});
  ASSERT_TRUE(cluster.RunUntil(
      [&] {
        return cluster.Core(joining).member_index().has_value() && cluster.Core(0).validators().size() == 5 &&
               cluster.Height(joining) + 1 >= cluster.Height(0);
      },
      60'000))
      << "joining node at height " << cluster.Height(joining) << ", others at " << cluster.Height(0);
  EXPECT_EQ(*cluster.Core(0).members().FindByName("node-4"), joining);
  ASSERT_TRUE(commit_some(joining, {0, 1, 2, 3, joining}));
  const std::uint64_t with_five = cluster.Height(0);
  const auto certificate = cluster.Store(0).CertificateAt(with_five).value();
  ASSERT_TRUE(certificate.has_value());
  const auto new_index = cluster.Core(0).validators().IndexOf(new_key);
  ASSERT_TRUE(new_index.has_value());
  // Five validators of power 10: a certificate needs four of them (more than 2/3 of 50).
  EXPECT_GE(certificate->precommits.size(), 4u);
  // Once every validator signed, the stored checkpoint carries the newcomer's signature too.
  EXPECT_TRUE(cluster.RunUntil(
      [&] {
        const Result<std::optional<std::string>> note = cluster.Core(0).CheckpointAt(with_five);
        return note.ok() && note->has_value() && (*note)->find("/node-4 ") != std::string::npos;
      },
      10'000));
  EXPECT_TRUE(cluster.RunUntil([&] { return HasCheckpoint(cluster.Core(joining), with_five); }, 10'000));

  // Remove node-1: four approvals of five (0, 2, 3 and the newcomer).
  const crypto::KeyId removed_id = member_key(1).public_key().key_id();
  decide(0, exec::RemoveMember{removed_id, {}}, {2, 3, joining});
  ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Core(0).validators().size() == 4; }, 60'000));
  EXPECT_FALSE(cluster.Core(0).members().FindByName("node-1").has_value());
  // Without node-1, and with node-3 down too, three of the four remaining validators commit.
  cluster.StopNode(1);
  cluster.StopNode(3);
  ASSERT_TRUE(commit_some(0, {0, 2, joining}));

  // Parameters: every engine takes the new block interval.
  cluster.StartNode(3);
  exec::ChangeParameters parameters{300, 3000, 1000, 1000, 1 << 20, 1000};
  decide(0, parameters, {2, joining});
  ASSERT_TRUE(cluster.RunUntil(
      [&] {
        for (const std::size_t node : {std::size_t{0}, std::size_t{2}, joining}) {
          if (cluster.Core(node).engine_config().target_block_interval_ms != 300) return false;
        }
        return true;
      },
      60'000));

  // Restarted nodes replay the same sets from the validator-set records.
  cluster.StopNode(0);
  cluster.StartNode(0);
  cluster.StopNode(joining);
  cluster.StartNode(joining);
  EXPECT_EQ(cluster.Core(0).validators().size(), 4u);
  EXPECT_TRUE(cluster.Core(joining).member_index().has_value());
  EXPECT_EQ(cluster.Core(joining).engine_config().target_block_interval_ms, 300);
  ASSERT_TRUE(commit_some(2, {0, 2, 3, joining}));
  const std::uint64_t common = std::min({cluster.Height(0), cluster.Height(2), cluster.Height(joining)});
  for (std::uint64_t h = 1; h <= common; ++h) {
    EXPECT_EQ(cluster.Store(joining).BlockAt(h).value()->header, cluster.Store(0).BlockAt(h).value()->header)
        << h;
  }

  // The trust file carries the four records: a verifier holding genesis follows them to the
  // current set (node-4 in, node-1 out) and checks a recent checkpoint with it.
  const Result<std::string> trust_text = TrustFileOf(cluster.Core(2));
  ASSERT_TRUE(trust_text.ok()) << trust_text.status().ToString();
  const Result<proofs::TrustAnchor> trust = proofs::ParseTrustFile(*trust_text);
  ASSERT_TRUE(trust.ok()) << trust.status().ToString();
  ASSERT_EQ(trust->validator_sets.size(), 5u);  // genesis, admission, role change, removal, parameters
  const proofs::TrustedValidatorSet& now = trust->ValidatorsAt(cluster.Height(2));
  EXPECT_EQ(now.validators.size(), 4u);
  EXPECT_TRUE(std::any_of(now.validators.begin(), now.validators.end(),
                          [](const auto& validator) { return validator.key_name == "cluster-test/node-4"; }));
  const std::uint64_t recent = cluster.Height(2);
  ASSERT_TRUE(cluster.RunUntil([&] { return HasCheckpoint(cluster.Core(2), recent); }, 10'000));
  const proofs::SignedNote note =
      proofs::ParseSignedNote(*cluster.Core(2).CheckpointAt(recent).value()).value();
  const auto signed_by = proofs::VerifyNote(note, proofs::TrustedNoteKeys(now));
  ASSERT_TRUE(signed_by.ok());
  std::uint64_t power = 0;
  for (const std::size_t index : *signed_by) power += now.validators[index].voting_power;
  EXPECT_GT(3 * power, 2 * now.total_voting_power);
  EXPECT_FALSE(std::any_of(now.validators.begin(), now.validators.end(), [](const auto& validator) {
    return validator.key_name == "cluster-test/node-1";
  }));
  // Altering any record, leaf or checkpoint, or the order of the records, refuses the whole file.
  const nlohmann::json parsed = nlohmann::json::parse(*trust_text);
  for (const char* field : {"record", "log_leaf", "checkpoint"}) {
    for (std::size_t entry = 0; entry < parsed["validator_sets"].size(); ++entry) {
      nlohmann::json altered = parsed;
      std::string value = altered["validator_sets"][entry][field].get<std::string>();
      const std::size_t at = value.size() / 2;
      value[at] = value[at] == '0' ? '1' : '0';
      altered["validator_sets"][entry][field] = value;
      EXPECT_FALSE(proofs::ParseTrustFile(altered.dump()).ok()) << field << " of record " << entry + 1;
    }
  }
  nlohmann::json reordered = parsed;
  std::swap(reordered["validator_sets"][0], reordered["validator_sets"][1]);
  EXPECT_FALSE(proofs::ParseTrustFile(reordered.dump()).ok());
  nlohmann::json truncated = parsed;
  truncated["validator_sets"].erase(0);
  EXPECT_FALSE(proofs::ParseTrustFile(truncated.dump()).ok());
}

TEST(CheckpointCollectorTest, FinalAtMoreThanTwoThirdsAndBadSignaturesRefused) {
  std::vector<crypto::PrivateKey> keys;
  auto signers = std::make_shared<CheckpointCollector::SignerSet>();
  for (std::uint8_t i = 0; i < 4; ++i) {
    keys.push_back(MakeKey(crypto::SuiteId::kStd, static_cast<std::uint8_t>(60 + i)));
    signers->by_member.emplace(
        i, CheckpointCollector::Signer{"c/node-" + std::to_string(i), keys.back().public_key(), 1});
  }
  signers->total_power = 4;  // member 4 is an observer: not among the signers
  CheckpointCollector collector;
  const std::string body = "c\n1\nAAAA\n";
  const auto sign = [&](std::size_t i) {
    const crypto::Signature signature = keys[i].SignNote(body).value();
    return Bytes(signature.begin(), signature.end());
  };
  // Signatures may arrive before the body; a bad one is dropped once the body is known.
  EXPECT_FALSE(collector.AddSignature(0, 5, sign(0)).value().has_value());
  EXPECT_FALSE(collector.AddSignature(1, 5, Bytes(64, 1)).value().has_value());
  EXPECT_FALSE(collector.AddCommitted(5, body, signers).has_value());  // one valid of four: not final
  EXPECT_EQ(collector.AddSignature(2, 5, Bytes(64, 2)).status().code(), ErrorCode::kVerificationFailed);
  EXPECT_FALSE(collector.AddSignature(2, 5, sign(2)).value().has_value());  // two of four
  const auto final_note = collector.AddSignature(1, 5, sign(1)).value();    // three of four: final
  ASSERT_TRUE(final_note.has_value());
  EXPECT_EQ(proofs::ParseSignedNote(*final_note).value().signatures.size(), 3u);
  EXPECT_FALSE(collector.AddSignature(1, 5, sign(1)).value().has_value());  // a repeat changes nothing
  const auto complete = collector.AddSignature(3, 5, sign(3)).value();      // all four: stored once more
  ASSERT_TRUE(complete.has_value());
  EXPECT_EQ(proofs::ParseSignedNote(*complete).value().signatures.size(), 4u);
  EXPECT_FALSE(collector.AddSignature(4, 5, sign(0)).ok());  // the observer has no vote
}

INSTANTIATE_TEST_SUITE_P(BothSuites, NodeClusterTest,
                         ::testing::Values(crypto::SuiteId::kSm, crypto::SuiteId::kStd),
                         [](const auto& test_info) {
                           return std::string(crypto::SuiteName(test_info.param));
                         });

TEST(WireTest, PeerAddressesRoundTripAndRejectDamage) {
  const std::vector<MemberAddress> addresses = {{"node-1", "127.0.0.1", 26601}, {"node-2", "::1", 65535}};
  const Bytes encoded = EncodePeerAddresses(addresses);
  const auto decoded = DecodePeerAddresses(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, addresses);
  EXPECT_TRUE(DecodePeerAddresses(EncodePeerAddresses({})).ok());

  EXPECT_FALSE(DecodePeerAddresses({}).ok());
  for (std::size_t size = 1; size < encoded.size(); ++size) {
    EXPECT_FALSE(DecodePeerAddresses(ByteView(encoded).first(size)).ok()) << size;
  }
  Bytes trailing = encoded;
  trailing.push_back(0);
  EXPECT_FALSE(DecodePeerAddresses(trailing).ok());
  Bytes port_zero = EncodePeerAddresses({{"node-1", "h", 1}});
  port_zero[port_zero.size() - 1] = 0;
  EXPECT_FALSE(DecodePeerAddresses(port_zero).ok());
  Bytes empty_name = EncodePeerAddresses({{"n", "h", 1}});
  empty_name[1] = 0;
  EXPECT_FALSE(DecodePeerAddresses(empty_name).ok());
  const auto wire = DecodeWire(EncodeWire(WireType::kPeerAddresses, encoded));
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(wire->type, WireType::kPeerAddresses);
}

TEST(WireTest, TransactionBatchesRoundTripAndRejectDamage) {
  const Bytes first = {1, 2, 3};
  const Bytes second = {4};
  const Bytes encoded = EncodeTransactionBatch({first, second});
  EXPECT_EQ(encoded, (Bytes{0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 0, 0, 0, 1, 4}));
  const auto decoded = DecodeTransactionBatch(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->size(), 2u);
  EXPECT_TRUE(std::equal((*decoded)[0].begin(), (*decoded)[0].end(), first.begin(), first.end()));
  EXPECT_TRUE(std::equal((*decoded)[1].begin(), (*decoded)[1].end(), second.begin(), second.end()));

  for (std::size_t size = 0; size < encoded.size(); ++size) {
    EXPECT_FALSE(DecodeTransactionBatch(ByteView(encoded).first(size)).ok()) << size;
  }
  Bytes trailing = encoded;
  trailing.push_back(0);
  EXPECT_FALSE(DecodeTransactionBatch(trailing).ok());
  EXPECT_FALSE(DecodeTransactionBatch(Bytes{0, 0, 0, 0}).ok());              // no entries
  EXPECT_FALSE(DecodeTransactionBatch(Bytes{0, 0, 0, 1, 0, 0, 0, 0}).ok());  // an empty entry
  Bytes too_many = {0, 0, 0x03, 0xE9};                                       // 1,001 entries
  for (int i = 0; i < 1001; ++i) too_many.insert(too_many.end(), {0, 0, 0, 1, 9});
  EXPECT_FALSE(DecodeTransactionBatch(too_many).ok());
  Bytes overrun = encoded;
  overrun[7] = 200;  // the first entry claims more bytes than there are
  EXPECT_FALSE(DecodeTransactionBatch(overrun).ok());
  const auto wire = DecodeWire(EncodeWire(WireType::kTransactionBatch, encoded));
  ASSERT_TRUE(wire.ok());
  EXPECT_EQ(wire->type, WireType::kTransactionBatch);
  EXPECT_FALSE(DecodeWire(Bytes{12}).ok());
}

TEST(ConsensusWalTest, RoundTripsAndRejectsDamage) {
  consensus::DurableState state;
  state.height = 12;
  state.round = 3;
  state.step = consensus::Step::kPrecommit;
  consensus::Proposal proposal;
  proposal.height = 12;
  proposal.round = 2;
  proposal.block_hash.fill(7);
  proposal.block_time = 5000;
  proposal.signature = Bytes(64, 1);
  state.locked = proposal;
  state.locked_round = 2;
  state.valid_round = consensus::kNoRound;
  state.signer.lanes[0].has_signed = true;
  state.signer.lanes[0].position = {12, 3, 3};
  state.signer.lanes[0].sign_bytes = Bytes(90, 4);
  state.signer.lanes[0].signature = Bytes(64, 5);
  state.own_messages.push_back(proposal);
  const Bytes encoding = EncodeDurableState(state);
  const auto decoded = DecodeDurableState(encoding);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, state);
  for (std::size_t size = 0; size < encoding.size(); size += 9) {
    EXPECT_FALSE(DecodeDurableState(ByteView(encoding).first(size)).ok());
  }

  // A height of many rounds (found by the chaos soak: a node crashed writing its record after a
  // long partition): the record keeps the latest 64 messages, in order.
  consensus::DurableState many_rounds = state;
  many_rounds.own_messages.clear();
  for (consensus::Round round = 0; round < 100; ++round) {
    consensus::Proposal signed_proposal = proposal;
    signed_proposal.round = round;
    many_rounds.own_messages.push_back(signed_proposal);
  }
  const auto kept = DecodeDurableState(EncodeDurableState(many_rounds));
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  ASSERT_EQ(kept->own_messages.size(), 64u);
  EXPECT_EQ(kept->own_messages.front(), many_rounds.own_messages[36]);
  EXPECT_EQ(kept->own_messages.back(), many_rounds.own_messages.back());
}

}  // namespace
}  // namespace rightchain::node
