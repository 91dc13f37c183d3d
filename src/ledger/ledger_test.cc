#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "ledger/block_execution.h"
#include "ledger/ledger_test_util.h"
#include "merkle/proof.h"
#include "merkle/tree_hash.h"

namespace rightchain::ledger {
namespace {

using exec::testing::MakeKey;
using exec::testing::MakeSignedTransaction;
using testing::TestValidators;

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/rightchain-ledger-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    directory_ = pattern;
    store_ = Open();
  }
  void TearDown() override {
    store_.reset();
    peer_.reset();
    std::filesystem::remove_all(directory_);
    if (!peer_directory_.empty()) std::filesystem::remove_all(peer_directory_);
  }
  // A second, empty store: where another node builds the blocks that ours receives.
  ChainStore& Peer() {
    char pattern[] = "/tmp/rightchain-ledger-peer-XXXXXX";
    RC_ASSERT(mkdtemp(pattern) != nullptr);
    peer_directory_ = pattern;
    auto peer = ChainStore::Open(peer_directory_, crypto::HashAlgorithm::kSha256);
    RC_ASSERT(peer.ok());
    peer_ = std::move(peer).value();
    return *peer_;
  }
  std::unique_ptr<ChainStore> Open() {
    auto store = ChainStore::Open(directory_, crypto::HashAlgorithm::kSha256);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::move(store).value();
  }

  // Executes and commits the next block with `count` note transactions; returns it.
  ExecutedBlock CommitNext(std::size_t count, std::uint64_t first_nonce) {
    NewBlock input;
    input.time_milliseconds = 1'000'000 + static_cast<std::int64_t>(store_->head().height) * 1000 + 1000;
    for (std::size_t i = 0; i < count; ++i) {
      input.transactions.push_back(MakeSignedTransaction(key_, chain_.chain_id, first_nonce + i, 1000));
    }
    if (store_->head().height > 0) {
      input.last_commit =
          validators_.Certificate(chain_.chain_id, store_->head().height, store_->head().block_hash);
    }
    auto executed = ExecuteNewBlock(chain_, *store_, executor_, std::move(input), validators_.previous());
    EXPECT_TRUE(executed.ok()) << executed.status().ToString();
    const Status committed = CommitExecutedBlock(
        *store_, *executed,
        validators_.Certificate(chain_.chain_id, executed->block.header.height, executed->block_hash));
    EXPECT_TRUE(committed.ok()) << committed.ToString();
    return std::move(executed).value();
  }

  std::filesystem::path directory_;
  std::unique_ptr<ChainStore> store_;
  std::filesystem::path peer_directory_;
  std::unique_ptr<ChainStore> peer_;
  ChainIdentity chain_{"ledger-test", crypto::SuiteId::kStd};
  exec::Executor executor_ = exec::MakeNoteExecutor();
  crypto::PrivateKey key_ = MakeKey(crypto::SuiteId::kStd, 11);
  TestValidators validators_;
};

TEST_F(LedgerTest, BlocksEncodeAndDecodeExactly) {
  const ExecutedBlock first = CommitNext(3, 0);
  const ExecutedBlock second = CommitNext(2, 3);
  for (const ExecutedBlock* executed : {&first, &second}) {
    const Bytes encoding = EncodeBlock(executed->block);
    const auto decoded = DecodeBlock(encoding);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(*decoded, executed->block);
    Bytes trailing = encoding;
    trailing.push_back(0);
    EXPECT_FALSE(DecodeBlock(trailing).ok());
    for (std::size_t size = 0; size < encoding.size(); size += 13) {
      EXPECT_FALSE(DecodeBlock(ByteView(encoding).first(size)).ok());
    }
  }
  const auto header = DecodeBlockHeader(EncodeBlockHeader(second.block.header));
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(BlockHash(crypto::HashAlgorithm::kSha256, *header), second.block_hash);
}

TEST_F(LedgerTest, CertificateEncodingIsCanonical) {
  const auto certificate = validators_.Certificate(chain_.chain_id, 9, crypto::Digest{});
  const Bytes encoding = EncodeCommitCertificate(certificate);
  EXPECT_EQ(*DecodeCommitCertificate(encoding), certificate);
  auto unsorted = certificate;
  std::swap(unsorted.precommits[0], unsorted.precommits[1]);
  EXPECT_FALSE(DecodeCommitCertificate(EncodeCommitCertificate(unsorted)).ok());
}

TEST_F(LedgerTest, CommittedBlocksLeavesAndStateSurviveReopen) {
  CommitNext(3, 0);
  CommitNext(0, 0);
  const ExecutedBlock third = CommitNext(4, 3);
  const ChainHead head = store_->head();
  EXPECT_EQ(head.height, 3u);
  EXPECT_EQ(store_->log().size(), 7u);
  EXPECT_EQ(store_->log().Root(), third.block.header.log_root);
  const crypto::Digest root = store_->log().Root();

  store_.reset();
  store_ = Open();
  EXPECT_EQ(store_->head(), head);
  EXPECT_EQ(store_->log().size(), 7u);
  EXPECT_EQ(store_->log().Root(), root);
  const auto block = store_->BlockAt(3);
  ASSERT_TRUE(block.ok() && block->has_value());
  EXPECT_EQ(**block, third.block);

  // The canonical certificate of height 2 now comes from block 3.
  const auto certificate = store_->CertificateAt(2);
  ASSERT_TRUE(certificate.ok() && certificate->has_value());
  EXPECT_EQ(**certificate, *third.block.last_commit);

  // Each transaction is found, its leaf holds its receipt, and the leaf's inclusion proof verifies
  // against the root in the block header.
  for (std::size_t i = 0; i < third.block.transactions.size(); ++i) {
    const auto location = store_->FindTransaction(third.receipts[i].transaction_id);
    ASSERT_TRUE(location.ok() && location->has_value());
    EXPECT_EQ((*location)->height, 3u);
    EXPECT_EQ((*location)->log_index, 3 + i);
    const auto leaf = store_->LeafAt((*location)->log_index);
    ASSERT_TRUE(leaf.ok());
    EXPECT_EQ(leaf->receipt, third.receipts[i]);
    const auto proof = store_->log().InclusionProof((*location)->log_index, 7);
    ASSERT_TRUE(proof.ok());
    EXPECT_TRUE(
        merkle::VerifyInclusion(crypto::HashAlgorithm::kSha256, (*location)->log_index, 7,
                                merkle::LeafHash(crypto::HashAlgorithm::kSha256, EncodeLogLeaf(*leaf)),
                                *proof, third.block.header.log_root)
            .ok());
  }
}

TEST_F(LedgerTest, ReceivedBlockIsReExecutedAndCheckedField_by_field) {
  // Build block 1 on a second store, then feed it to ours as a received block.
  ChainStore& peer = Peer();
  {
    NewBlock input;
    input.time_milliseconds = 5000;
    input.transactions.push_back(MakeSignedTransaction(key_, chain_.chain_id, 1, 100));
    auto proposed = ExecuteNewBlock(chain_, peer, executor_, std::move(input), validators_.previous());
    ASSERT_TRUE(proposed.ok());

    auto accepted = ExecuteReceivedBlock(chain_, *store_, executor_, proposed->block, validators_.previous());
    ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
    EXPECT_EQ(accepted->block_hash, proposed->block_hash);

    const std::vector<std::pair<std::string, std::function<void(Block&)>>> tamperings = {
        {"state_root", [](Block& b) { b.header.state_root[0] ^= 1; }},
        {"log_root", [](Block& b) { b.header.log_root[0] ^= 1; }},
        {"log_size", [](Block& b) { b.header.log_size += 1; }},
        {"receipts_root", [](Block& b) { b.header.receipts_root[5] ^= 1; }},
        {"transactions_root", [](Block& b) { b.transactions[0].transaction.payload.push_back('!'); }},
        {"previous_block_hash", [](Block& b) { b.header.previous_block_hash[0] ^= 1; }},
        {"height", [](Block& b) { b.header.height = 2; }},
        {"chain", [](Block& b) { b.header.chain_id = "other"; }},
    };
    for (const auto& [field, tamper] : tamperings) {
      Block block = proposed->block;
      tamper(block);
      const auto rejected = ExecuteReceivedBlock(chain_, *store_, executor_, block, validators_.previous());
      ASSERT_FALSE(rejected.ok()) << field;
      EXPECT_EQ(rejected.status().code(), ErrorCode::kVerificationFailed) << field;
    }
  }
}

// A proposer that marks a forged signature as checked builds a block whose receipts say the
// transaction succeeded; a validator checks the signature itself and refuses the whole block, so
// no quorum certifies it (a certified block, synced without the checks, has only good signatures).
TEST_F(LedgerTest, AReceivedBlockWithAForgedSignatureIsRefusedNotExecuted) {
  ChainStore& peer = Peer();
  {
    NewBlock input;
    input.time_milliseconds = 5000;
    input.transactions.push_back(MakeSignedTransaction(key_, chain_.chain_id, 1, 100));
    input.transactions.push_back(MakeSignedTransaction(key_, chain_.chain_id, 2, 100));
    input.transactions[1].signature[3] ^= 1;
    input.signatures_verified = {true, true};
    auto forged = ExecuteNewBlock(chain_, peer, executor_, input, validators_.previous());
    ASSERT_TRUE(forged.ok()) << forged.status().ToString();
    EXPECT_TRUE(forged->receipts[1].ok());

    const auto refused =
        ExecuteReceivedBlock(chain_, *store_, executor_, forged->block, validators_.previous());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), ErrorCode::kVerificationFailed);
    EXPECT_NE(refused.status().message().find("signature"), std::string::npos) << refused.status().ToString();
    // The first transaction alone (known as checked) is fine: only the forged one is the matter.
    const auto partly_checked = ExecuteReceivedBlock(chain_, *store_, executor_, forged->block,
                                                     validators_.previous(), {true, false});
    EXPECT_FALSE(partly_checked.ok());

    // Proposed honestly (signatures not taken as checked), the forged one makes no block at all.
    input.signatures_verified = {true, false};
    const auto honest = ExecuteNewBlock(chain_, peer, executor_, input, validators_.previous());
    EXPECT_FALSE(honest.ok());
    EXPECT_EQ(store_->head().height, 0u);
  }
}

// A block's last commit becomes the stored certificate of the height before it, so it must verify
// against that height's validators: a proposer cannot replace the certificate every node serves.
TEST_F(LedgerTest, AReceivedBlockWhoseLastCommitDoesNotVerifyIsRefused) {
  ChainStore& peer = Peer();
  // Both stores hold the same block 1 (ours committed it with its certificate).
  NewBlock first;
  first.time_milliseconds = 5000;
  auto block_one = ExecuteNewBlock(chain_, peer, executor_, first, validators_.previous());
  ASSERT_TRUE(block_one.ok());
  const auto certificate_one = validators_.Certificate(chain_.chain_id, 1, block_one->block_hash);
  ASSERT_TRUE(CommitExecutedBlock(peer, *block_one, certificate_one).ok());
  auto ours = ExecuteReceivedBlock(chain_, *store_, executor_, block_one->block, validators_.previous());
  ASSERT_TRUE(ours.ok()) << ours.status().ToString();
  ASSERT_TRUE(CommitExecutedBlock(*store_, *ours, certificate_one).ok());

  const auto forged_signature = [&] {
    auto certificate = certificate_one;
    certificate.precommits[2].signature[0] ^= 1;
    return certificate;
  }();
  const std::vector<std::pair<std::string, std::optional<consensus::CommitCertificate>>> forgeries = {
      {"a forged signature", forged_signature},
      {"another block", validators_.Certificate(chain_.chain_id, 1, crypto::Digest{})},
      {"2/3 of the power, not more", validators_.Certificate(chain_.chain_id, 1, block_one->block_hash, 2)},
      {"no certificate", std::nullopt},
  };
  for (const auto& [name, forgery] : forgeries) {
    NewBlock second;
    second.time_milliseconds = 6000;
    second.last_commit = certificate_one;
    auto proposed = ExecuteNewBlock(chain_, peer, executor_, second, validators_.previous());
    ASSERT_TRUE(proposed.ok()) << proposed.status().ToString();
    Block block = proposed->block;
    block.last_commit = forgery;
    block.header.previous_commit_hash = forgery.has_value()
                                            ? CommitCertificateHash(crypto::HashAlgorithm::kSha256, *forgery)
                                            : crypto::Digest{};
    const auto refused = ExecuteReceivedBlock(chain_, *store_, executor_, block, validators_.previous());
    ASSERT_FALSE(refused.ok()) << name;
    EXPECT_EQ(refused.status().code(), ErrorCode::kVerificationFailed) << name;
    // A proposer cannot build one either.
    second.last_commit = forgery;
    EXPECT_FALSE(ExecuteNewBlock(chain_, peer, executor_, second, validators_.previous()).ok()) << name;
  }
  // Nothing changed: the stored certificate of height 1 is still the one that verifies.
  const auto stored = store_->CertificateAt(1);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ(**stored, certificate_one);
  EXPECT_EQ(store_->head().height, 1u);
}

// A node killed with SIGKILL while committing blocks restarts with whole blocks only: every block
// it acknowledged is there, and the log, transaction index and head agree with each other.
TEST_F(LedgerTest, KilledWhileCommittingRestartsWithWholeBlocks) {
  store_.reset();
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    store_ = Open();
    for (std::uint64_t nonce = 0;; nonce += 5) {
      const ExecutedBlock executed = CommitNext(5, nonce);
      const std::uint64_t height = executed.block.header.height;
      if (write(pipe_fds[1], &height, sizeof height) != sizeof height) _exit(4);
    }
  }
  close(pipe_fds[1]);
  std::uint64_t acknowledged = 0;
  for (int i = 0; i < 25; ++i) {
    ASSERT_EQ(read(pipe_fds[0], &acknowledged, sizeof acknowledged),
              static_cast<ssize_t>(sizeof acknowledged));
  }
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  close(pipe_fds[0]);

  store_ = Open();
  const std::uint64_t height = store_->head().height;
  EXPECT_GE(height, acknowledged);
  EXPECT_EQ(store_->log().size(), height * 5);
  const auto last = store_->BlockAt(height);
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->header.log_root, store_->log().Root());
  EXPECT_EQ(BlockHash(crypto::HashAlgorithm::kSha256, (*last)->header), store_->head().block_hash);
  // And the chain goes on from there.
  CommitNext(2, 1'000'000);
  EXPECT_EQ(store_->head().height, height + 1);
}

}  // namespace
}  // namespace rightchain::ledger
