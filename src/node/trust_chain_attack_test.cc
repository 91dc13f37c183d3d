// Stale trust files against a running consortium (docs/proofs.md, "The trust chain"): governance
// replaces the validator set while the chain runs; a verifier whose trust file is older than the
// change follows the validator-set records a bundle carries, and a checkpoint that the replaced
// set signs after its replacement (its members still hold their keys) is refused once the
// verifier holds the record that replaced it.
#include <gtest/gtest.h>

#include <map>

#include "exec/governance_payloads.h"
#include "exec/governance_state.h"
#include "exec/record_payloads.h"
#include "exec/record_store.h"
#include "ledger/block.h"
#include "merkle/memory_log_storage.h"
#include "merkle/merkle_log.h"
#include "node/testing/cluster.h"
#include "node/trust_file.h"
#include "proofs/checkpoint.h"
#include "proofs/signed_note.h"
#include "proofs/trust.h"
#include "proofs/verifier.h"

namespace rightchain::node {
namespace {

using testing::Cluster;
using testing::HasCheckpoint;
using testing::MakeKey;
using testing::MakeSignedTransaction;

constexpr std::string_view kChain = "cluster-test";
constexpr std::uint8_t kAliceSeed = 60;

class TrustChainAttackTest : public ::testing::TestWithParam<crypto::SuiteId> {
 protected:
  TrustChainAttackTest() : alice_(MakeKey(GetParam(), kAliceSeed)) {}

  // Four validators of power 10 (keys from seeds 100..103) and Alice, a person's account.
  exec::Genesis Genesis() const {
    exec::Genesis genesis = testing::MakeGenesis(GetParam(), 4, 0);
    const ByteView raw = alice_.public_key().raw();
    genesis.accounts.push_back({"alice", exec::kPersonKind, Bytes(raw.begin(), raw.end())});
    return genesis;
  }

  exec::WorkDescription Work(const std::string& title) const {
    exec::WorkDescription work;
    work.title = title;
    work.kind = exec::WorkKind::kText;
    work.content_hash = crypto::Hash(crypto::GetSuite(GetParam()).hash, ToBytes(title));
    work.authors = {"Alice"};
    work.owners = {{alice_.public_key().key_id(), exec::kTotalShareBasisPoints}};
    work.claimed_creation_time_milliseconds = 1'000'000;
    return work;
  }

  // A whole bundle for a block that never was: Alice's work `title` as record `record_id` at
  // `height`, its checkpoint signed by the genesis validators `signers` (the test holds their keys).
  proofs::Bundle Forged(std::uint64_t record_id, std::uint64_t height, const std::string& title,
                        const std::vector<std::size_t>& signers) const {
    const crypto::HashAlgorithm hash = crypto::GetSuite(GetParam()).hash;
    proofs::Bundle bundle;
    bundle.chain_id = std::string(kChain);
    bundle.suite = GetParam();
    bundle.record_id = record_id;
    bundle.record = exec::EncodePayload(Work(title));
    const codec::SignedTransaction transaction = MakeSignedTransaction(
        alice_, std::string(kChain), 7, height + 100,
        static_cast<std::uint16_t>(exec::TransactionKind::kRegisterWork), bundle.record);
    exec::Receipt receipt;
    receipt.transaction_id = codec::TransactionId(hash, transaction.transaction);
    receipt.height = height;
    receipt.result = exec::EncodeRecordResult({record_id, {}});
    bundle.log_leaf = ledger::EncodeLogLeaf({transaction, receipt});
    merkle::MemoryLogStorage storage;
    merkle::MerkleLog log = merkle::MerkleLog::Open(hash, storage).value();
    const std::vector<ByteView> leaves{ByteView(bundle.log_leaf)};
    EXPECT_TRUE(log.Commit(log.PrepareAppendData(leaves).value()).ok());
    ledger::BlockHeader header;
    header.chain_id = std::string(kChain);
    header.height = height;
    header.time_milliseconds = 2'000'000;
    header.log_size = log.size();
    header.log_root = log.Root();
    bundle.block_header = ledger::EncodeBlockHeader(header);
    const proofs::Checkpoint checkpoint{std::string(kChain), log.size(), log.Root(), height,
                                        ledger::BlockHash(hash, header)};
    proofs::SignedNote note{proofs::CheckpointBody(checkpoint), {}};
    for (const std::size_t i : signers) {
      note.signatures.push_back(
          proofs::SignNote(note.text, proofs::CheckpointKeyName(kChain, "node-" + std::to_string(i)),
                           MakeKey(GetParam(), static_cast<std::uint8_t>(100 + i)))
              .value());
    }
    bundle.checkpoint = proofs::FormatSignedNote(note);
    return bundle;
  }

  crypto::PrivateKey alice_;
};

TEST_P(TrustChainAttackTest, AStaleTrustFileFollowsTheBundleAndTheReplacedSetIsRefused) {
  Cluster cluster(Genesis(), 29);
  const std::string stale_text = proofs::MakeTrustFile(cluster.genesis());
  const proofs::TrustAnchor stale = proofs::ParseTrustFile(stale_text).value();

  // Governance removes node-3: proposed by node-0, approved by node-1 and node-2.
  std::map<std::size_t, std::uint64_t> nonces;
  const auto submit = [&](std::size_t via, std::size_t signer, exec::TransactionKind kind, Bytes payload) {
    const auto transaction = MakeSignedTransaction(
        MakeKey(GetParam(), static_cast<std::uint8_t>(100 + signer)), std::string(kChain), nonces[signer]++,
        5000, static_cast<std::uint16_t>(kind), std::move(payload));
    EXPECT_TRUE(std::holds_alternative<crypto::Digest>(cluster.Submit(via, transaction)));
    cluster.Kick();
    return codec::TransactionId(crypto::GetSuite(GetParam()).hash, transaction.transaction);
  };
  const crypto::KeyId node_3 = MakeKey(GetParam(), 103).public_key().key_id();
  const crypto::Digest proposal =
      submit(0, 0, exec::TransactionKind::kPropose,
             exec::EncodePayload(exec::ProposePayload{exec::RemoveMember{node_3, {}}, 5000}));
  ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Committed(0, proposal); }, 60'000));
  for (const std::size_t approver : {1, 2})
    submit(approver, approver, exec::TransactionKind::kApprove, exec::EncodePayload(exec::ApprovePayload{1}));
  ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Core(0).validators().size() == 3; }, 60'000));

  // After the change Alice registers a work; node-0 serves its bundle once its checkpoint is final.
  const auto registration = MakeSignedTransaction(
      alice_, std::string(kChain), 0, 5000, static_cast<std::uint16_t>(exec::TransactionKind::kRegisterWork),
      exec::EncodePayload(Work("after the change")));
  ASSERT_TRUE(std::holds_alternative<crypto::Digest>(cluster.Submit(0, registration)));
  cluster.Kick();
  const crypto::Digest registered =
      codec::TransactionId(crypto::GetSuite(GetParam()).hash, registration.transaction);
  ASSERT_TRUE(cluster.RunUntil([&] { return cluster.Committed(0, registered); }, 60'000));
  const auto location = cluster.Store(0).FindTransaction(registered).value();
  ASSERT_TRUE(location.has_value());
  ASSERT_TRUE(cluster.RunUntil([&] { return HasCheckpoint(cluster.Core(0), location->height); }, 60'000));
  const ledger::LogLeaf leaf = cluster.Store(0).LeafAt(location->log_index).value();
  const std::uint64_t record_id = exec::DecodeRecordResult(leaf.receipt.result).value().record_id;
  const Result<proofs::Bundle> genuine = BundleOf(cluster.Core(0), record_id, std::nullopt);
  ASSERT_TRUE(genuine.ok()) << genuine.status().ToString();
  ASSERT_EQ(genuine->validator_sets.size(), 1u);
  // The bundle round-trips through its JSON (format 2: it carries validator-set records).
  const Result<proofs::Bundle> parsed = proofs::ParseBundleJson(proofs::EncodeBundleJson(*genuine));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, *genuine);
  EXPECT_NE(proofs::EncodeBundleJson(*genuine).find("rightchain-bundle/2"), std::string::npos);

  // The stale trust file verifies it by following the record the bundle carries.
  const proofs::Verification followed = proofs::VerifyBundle(*genuine, stale, std::nullopt);
  ASSERT_TRUE(followed.ok()) << proofs::CheckName(followed.failed) << ": " << followed.message;
  EXPECT_EQ(followed.record.followed_validator_sets, 1u);
  EXPECT_EQ(followed.record.validator_set, 1u);
  EXPECT_EQ(followed.record.total_voting_power, 30u);

  // The verifier keeps the record: its trust file becomes the one the node serves now.
  proofs::TrustAnchor holding = stale;
  ASSERT_EQ(proofs::FollowValidatorSets(holding, genuine->validator_sets).value(), 1u);
  EXPECT_EQ(proofs::MakeTrustFile(holding), TrustFileOf(cluster.Core(0)).value());
  const proofs::TrustAnchor current = proofs::ParseTrustFile(TrustFileOf(cluster.Core(0)).value()).value();

  // The replaced set (node-1, node-2 and the removed node-3: 30 of its 40) signs a block that
  // never was, at the height of Alice's record: refused by a verifier that holds the record that
  // replaced it, however it holds it (its trust file, a bundle it verified, or this bundle).
  const proofs::Bundle forged = Forged(record_id, location->height, "forged", {1, 2, 3});
  for (const proofs::TrustAnchor* anchor : {static_cast<const proofs::TrustAnchor*>(&holding), &current}) {
    const proofs::Verification refused = proofs::VerifyBundle(forged, *anchor, std::nullopt);
    EXPECT_EQ(refused.failed, proofs::Check::kReplacedValidatorSet) << refused.message;
    EXPECT_NE(refused.message.find("replaced"), std::string::npos) << refused.message;
  }
  proofs::Bundle forged_with_records = forged;
  forged_with_records.validator_sets = genuine->validator_sets;
  EXPECT_EQ(proofs::VerifyBundle(forged_with_records, stale, std::nullopt).failed,
            proofs::Check::kReplacedValidatorSet);
  // Before the change the same signers were the chain's validators: a checkpoint of a height
  // before the record took effect is theirs to sign.
  const std::uint64_t effective = current.validator_sets.back().first_height;
  EXPECT_TRUE(
      proofs::VerifyBundle(Forged(record_id, effective - 1, "before", {1, 2, 3}), holding, std::nullopt)
          .ok());

  // A different record 1 (another power for a member) forks the one held: refused by a verifier
  // that holds record 1, and by a stale one because the record's proof does not carry it.
  proofs::Bundle fork = *genuine;
  exec::ValidatorSetRecord other = exec::DecodeValidatorSetRecord(fork.validator_sets[0].record).value();
  other.members.back().voting_power += 1;
  fork.validator_sets[0].record = exec::EncodeValidatorSetRecord(other);
  EXPECT_EQ(proofs::VerifyBundle(fork, holding, std::nullopt).failed, proofs::Check::kValidatorSet);
  EXPECT_EQ(proofs::VerifyBundle(fork, stale, std::nullopt).failed, proofs::Check::kValidatorSet);
}

INSTANTIATE_TEST_SUITE_P(BothSuites, TrustChainAttackTest,
                         ::testing::Values(crypto::SuiteId::kSm, crypto::SuiteId::kStd),
                         [](const auto& test_info) {
                           return std::string(crypto::SuiteName(test_info.param));
                         });

}  // namespace
}  // namespace rightchain::node
