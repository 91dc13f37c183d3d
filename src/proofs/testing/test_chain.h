// A small chain built in memory for tests of what consumes proof bundles (certificates, tools):
// four validators (10 voting power each), real transactions and receipts from the executor, a
// log, a block header and its checkpoint co-signed by three of the four validators. It holds
//   - a work registered by Alice (record 2) whose content the platform registered first
//     (record 1), so the verifier reports one conflict;
//   - an indexed batch by the platform (record 3) of three items, with item 1's bundle.
// Header-only so that any test target linking rightchain_proofs can use it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exec/exec_test_util.h"
#include "exec/record_payloads.h"
#include "exec/records.h"
#include "ledger/block.h"
#include "merkle/batch_tree.h"
#include "merkle/memory_log_storage.h"
#include "merkle/merkle_log.h"
#include "proofs/bundle.h"
#include "proofs/checkpoint.h"
#include "proofs/signed_note.h"
#include "proofs/trust.h"

namespace rightchain::proofs::testing {

inline constexpr std::string_view kTestChainId = "proofs-test";
inline constexpr std::int64_t kTestBlockTimeMilliseconds = 1'800'000'000'000;
inline constexpr std::uint64_t kTestClaimedTimeMilliseconds = 1'700'000'000'000;

class TestChain {
 public:
  // `title` is the title of Alice's work; `content` the file she registers.
  TestChain(crypto::SuiteId suite, std::string title, std::string content)
      : suite_(suite),
        hash_(crypto::GetSuite(suite).hash),
        alice_(exec::testing::MakeKey(suite, 20)),
        platform_(exec::testing::MakeKey(suite, 21)),
        log_(merkle::MerkleLog::Open(hash_, storage_).value()),
        content_(std::move(content)) {
    for (std::uint8_t i = 0; i < 4; ++i) validators_.push_back(exec::testing::MakeKey(suite, i + 1));
    genesis_ = MakeGenesis();
    trust_file_ = MakeTrustFile(genesis_);
    executor_ = std::make_unique<exec::Executor>(exec::MakeStandardExecutor(genesis_));
    ExecuteBlock({});  // genesis accounts
    Build(std::move(title));
  }

  const exec::Genesis& genesis() const { return genesis_; }
  const std::string& trust_file() const { return trust_file_; }
  TrustAnchor trust() const { return ParseTrustFile(trust_file_).value(); }
  const std::string& content() const { return content_; }
  const exec::WorkDescription& work() const { return work_; }
  exec::AccountId alice() const { return alice_.public_key().key_id(); }
  exec::AccountId platform() const { return platform_.public_key().key_id(); }
  const Bundle& work_bundle() const { return work_bundle_; }
  const Bundle& batch_item_bundle() const { return batch_item_bundle_; }
  const exec::WorkDescription& batch_item() const { return batch_item_; }
  const ledger::BlockHeader& header() const { return header_; }
  crypto::HashAlgorithm hash() const { return hash_; }

 private:
  exec::Genesis MakeGenesis() const {
    exec::Genesis genesis;
    genesis.chain_id = std::string(kTestChainId);
    genesis.suite = suite_;
    for (std::size_t i = 0; i < validators_.size(); ++i) {
      const ByteView raw = validators_[i].public_key().raw();
      genesis.members.push_back({"node-" + std::to_string(i),
                                 i == 0 ? exec::NodeRole::kRegulatorConsensus : exec::NodeRole::kConsensus,
                                 Bytes(raw.begin(), raw.end()), 10});
    }
    const ByteView alice = alice_.public_key().raw();
    const ByteView platform = platform_.public_key().raw();
    genesis.accounts.push_back({"alice", exec::kPersonKind, Bytes(alice.begin(), alice.end())});
    genesis.accounts.push_back({"platform", exec::kPlatformKind, Bytes(platform.begin(), platform.end())});
    return genesis;
  }

  exec::WorkDescription Work(std::string title, const std::string& content,
                             std::vector<exec::Owner> owners) const {
    exec::WorkDescription work;
    work.title = std::move(title);
    work.kind = exec::WorkKind::kText;
    work.content_hash = crypto::Hash(hash_, ToBytes(content));
    work.authors = {"李白"};
    work.owners = std::move(owners);
    work.claimed_creation_time_milliseconds = kTestClaimedTimeMilliseconds;
    return work;
  }

  codec::SignedTransaction Sign(const crypto::PrivateKey& key, std::uint64_t nonce,
                                exec::TransactionKind kind, Bytes payload) const {
    return exec::testing::MakeSignedTransaction(key, std::string(kTestChainId), nonce, 50,
                                                static_cast<std::uint16_t>(kind), std::move(payload));
  }

  // Executes a block, appends its leaves to the log, and returns the leaves' log indexes.
  std::vector<std::uint64_t> ExecuteBlock(const std::vector<codec::SignedTransaction>& transactions) {
    ++height_;
    std::vector<exec::TransactionToExecute> inputs;
    for (const auto& transaction : transactions) inputs.push_back({&transaction, false});
    const exec::BlockContext block{kTestChainId, suite_, height_,
                                   kTestBlockTimeMilliseconds + static_cast<std::int64_t>(height_)};
    const exec::BlockExecution execution = executor_->ExecuteBlock(block, state_, inputs).value();
    state_.Apply(execution.changes);
    std::vector<Bytes> leaves;
    std::vector<std::uint64_t> indexes;
    for (std::size_t i = 0; i < transactions.size(); ++i) {
      leaves.push_back(ledger::EncodeLogLeaf({transactions[i], execution.receipts[i]}));
      indexes.push_back(log_.size() + i);
    }
    const std::vector<ByteView> views(leaves.begin(), leaves.end());
    if (!views.empty()) (void)log_.Commit(log_.PrepareAppendData(views).value());
    leaves_.insert(leaves_.end(), leaves.begin(), leaves.end());
    return indexes;
  }

  ledger::BlockHeader Header() const {
    ledger::BlockHeader header;
    header.chain_id = std::string(kTestChainId);
    header.height = height_;
    header.time_milliseconds = kTestBlockTimeMilliseconds + static_cast<std::int64_t>(height_);
    header.log_size = log_.size();
    header.log_root = log_.Root();
    return header;
  }

  // The block's checkpoint signed by validators 0, 1 and 2.
  std::string SignedCheckpoint(const ledger::BlockHeader& header) const {
    Checkpoint checkpoint{std::string(kTestChainId), header.log_size, header.log_root, header.height,
                          ledger::BlockHash(hash_, header)};
    SignedNote note{CheckpointBody(checkpoint), {}};
    for (std::size_t i = 0; i < 3; ++i) {
      note.signatures.push_back(
          SignNote(note.text, CheckpointKeyName(kTestChainId, "node-" + std::to_string(i)), validators_[i])
              .value());
    }
    return FormatSignedNote(note);
  }

  Bundle BundleFor(std::uint64_t record_id, std::optional<std::uint32_t> item, Bytes record,
                   std::uint64_t log_index) const {
    Bundle bundle;
    bundle.chain_id = std::string(kTestChainId);
    bundle.suite = suite_;
    bundle.record_id = record_id;
    bundle.item = item;
    bundle.record = std::move(record);
    bundle.log_leaf = leaves_[log_index];
    bundle.log_index = log_index;
    bundle.inclusion_proof = log_.InclusionProof(log_index, log_.size()).value();
    bundle.block_header = ledger::EncodeBlockHeader(header_);
    bundle.checkpoint = checkpoint_;
    for (std::size_t i = 0; i < 3; ++i) {
      const ByteView raw = validators_[i].public_key().raw();
      bundle.signers.push_back(
          {CheckpointKeyName(kTestChainId, "node-" + std::to_string(i)), Bytes(raw.begin(), raw.end()), ""});
    }
    return bundle;
  }

  void Build(std::string title) {
    // Block 2: the platform registers the same content first (record 1).
    ExecuteBlock(
        {Sign(platform_, 1, exec::TransactionKind::kRegisterWork,
              exec::EncodePayload(Work("first", content_, {{platform(), exec::kTotalShareBasisPoints}})))});
    // Block 3: Alice's work (record 2), shared with the platform, and a batch of three items (record 3).
    work_ = Work(std::move(title), content_, {{alice(), 6000}, {platform(), 4000}});
    std::vector<Bytes> items;
    for (int i = 0; i < 3; ++i) {
      items.push_back(exec::EncodePayload(Work("item " + std::to_string(i), "item " + std::to_string(i),
                                               {{platform(), exec::kTotalShareBasisPoints}})));
    }
    batch_item_ = exec::DecodeWorkDescription(items[1]).value();
    const merkle::BatchTree tree = merkle::BatchTree::FromLeafData(hash_, items).value();
    exec::IndexedBatchPayload batch{tree.root(), {}, "day 1"};
    for (const Bytes& item : items)
      batch.content_hashes.push_back(exec::DecodeWorkDescription(item)->content_hash);
    const std::vector<std::uint64_t> indexes = ExecuteBlock({
        Sign(alice_, 1, exec::TransactionKind::kRegisterWork, exec::EncodePayload(work_)),
        Sign(platform_, 2, exec::TransactionKind::kIndexedBatch, exec::EncodePayload(batch)),
    });
    header_ = Header();
    checkpoint_ = SignedCheckpoint(header_);
    work_bundle_ = BundleFor(2, std::nullopt, exec::EncodePayload(work_), indexes[0]);
    batch_item_bundle_ = BundleFor(3, 1, items[1], indexes[1]);
    batch_item_bundle_.batch_proof = BatchItemProof{1, 3, tree.InclusionProof(1)};
  }

  crypto::SuiteId suite_;
  crypto::HashAlgorithm hash_;
  crypto::PrivateKey alice_;
  crypto::PrivateKey platform_;
  std::vector<crypto::PrivateKey> validators_;
  exec::Genesis genesis_;
  std::string trust_file_;
  std::unique_ptr<exec::Executor> executor_;
  exec::MemoryState state_;
  merkle::MemoryLogStorage storage_;
  merkle::MerkleLog log_;
  std::vector<Bytes> leaves_;
  std::uint64_t height_ = 0;
  std::string content_;
  exec::WorkDescription work_;
  exec::WorkDescription batch_item_;
  ledger::BlockHeader header_;
  std::string checkpoint_;
  Bundle work_bundle_, batch_item_bundle_;
};

}  // namespace rightchain::proofs::testing
