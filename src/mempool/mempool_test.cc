#include "mempool/mempool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "exec/exec_test_util.h"

namespace rightchain::mempool {
namespace {

using exec::testing::MakeKey;
using exec::testing::MakeSignedTransaction;

constexpr std::string_view kChain = "mempool-test";

class MempoolTest : public ::testing::Test {
 protected:
  std::variant<crypto::Digest, Rejection> Add(const codec::SignedTransaction& transaction,
                                              std::int64_t now = 0) {
    return pool_.Add(transaction, codec::EncodeSignedTransaction(transaction).size(), next_height_, now,
                     state_);
  }
  static RejectionCode CodeOf(const std::variant<crypto::Digest, Rejection>& result) {
    EXPECT_TRUE(std::holds_alternative<Rejection>(result));
    return std::get<Rejection>(result).code;
  }

  MempoolLimits limits_;
  Mempool pool_{std::string(kChain), crypto::SuiteId::kStd, limits_};
  exec::MemoryState state_;
  std::uint64_t next_height_ = 10;
  crypto::PrivateKey key_ = MakeKey(crypto::SuiteId::kStd, 21);
};

TEST_F(MempoolTest, AdmitsValidTransactionsAndReapsOldestFirst) {
  std::vector<crypto::Digest> ids;
  for (std::uint64_t nonce = 0; nonce < 5; ++nonce) {
    const auto result =
        Add(MakeSignedTransaction(key_, std::string(kChain), nonce, 100), static_cast<std::int64_t>(nonce));
    ASSERT_TRUE(std::holds_alternative<crypto::Digest>(result));
    ids.push_back(std::get<crypto::Digest>(result));
  }
  EXPECT_EQ(pool_.size(), 5u);
  const auto reaped = pool_.Reap(1 << 20, 3, next_height_);
  ASSERT_EQ(reaped.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(reaped[i]->id, ids[i]);
  // The byte limit is honoured as well.
  const std::size_t one = reaped[0]->encoded_size;
  EXPECT_EQ(pool_.Reap(2 * one + one / 2, 100, next_height_).size(), 2u);
}

TEST_F(MempoolTest, RejectsWithTheRightCode) {
  auto bad_signature = MakeSignedTransaction(key_, std::string(kChain), 1, 100);
  bad_signature.signature[10] ^= 1;
  EXPECT_EQ(CodeOf(Add(bad_signature)), RejectionCode::kBadSignature);
  EXPECT_EQ(CodeOf(Add(MakeSignedTransaction(key_, "other", 1, 100))), RejectionCode::kWrongChain);
  EXPECT_EQ(CodeOf(Add(MakeSignedTransaction(MakeKey(crypto::SuiteId::kSm, 1), std::string(kChain), 1, 100))),
            RejectionCode::kWrongScheme);
  EXPECT_EQ(CodeOf(Add(MakeSignedTransaction(key_, std::string(kChain), 1, 9))), RejectionCode::kExpired);
  EXPECT_EQ(CodeOf(Add(MakeSignedTransaction(key_, std::string(kChain), 1, 10 + 100'001))),
            RejectionCode::kExpiryTooFar);
  const auto transaction = MakeSignedTransaction(key_, std::string(kChain), 1, 100);
  ASSERT_TRUE(std::holds_alternative<crypto::Digest>(Add(transaction)));
  EXPECT_EQ(CodeOf(Add(transaction)), RejectionCode::kAlreadyPending);
  EXPECT_EQ(CodeOf(Add(MakeSignedTransaction(key_, std::string(kChain), 1, 100, 1, ToBytes("other")))),
            RejectionCode::kNonceReused);
  EXPECT_EQ(pool_.size(), 1u);
}

TEST_F(MempoolTest, CommittedNoncesAreRefused) {
  const auto transaction = MakeSignedTransaction(key_, std::string(kChain), 7, 100);
  // Commit it through the executor, as a block would.
  exec::Executor executor = exec::MakeNoteExecutor();
  const exec::TransactionToExecute input{&transaction, false};
  auto execution = executor.ExecuteBlock({kChain, crypto::SuiteId::kStd, 9, 1}, state_, std::span(&input, 1));
  ASSERT_TRUE(execution.ok());
  state_.Apply(execution->changes);
  EXPECT_EQ(CodeOf(Add(transaction)), RejectionCode::kAlreadyCommitted);
  EXPECT_EQ(CodeOf(Add(MakeSignedTransaction(key_, std::string(kChain), 7, 100, 1, ToBytes("x")))),
            RejectionCode::kNonceReused);
}

TEST_F(MempoolTest, FullPoolSaysSoAndAcceptsAgainAfterCommit) {
  MempoolLimits limits;
  limits.max_transactions = 3;
  Mempool pool(std::string(kChain), crypto::SuiteId::kStd, limits);
  std::vector<crypto::Digest> ids;
  for (std::uint64_t nonce = 0; nonce < 3; ++nonce) {
    const auto transaction = MakeSignedTransaction(key_, std::string(kChain), nonce, 100);
    const auto result = pool.Add(transaction, 200, 10, 0, state_);
    ids.push_back(std::get<crypto::Digest>(result));
  }
  const auto extra = MakeSignedTransaction(key_, std::string(kChain), 99, 100);
  const auto refused = pool.Add(extra, 200, 10, 0, state_);
  ASSERT_TRUE(std::holds_alternative<Rejection>(refused));
  EXPECT_EQ(std::get<Rejection>(refused).code, RejectionCode::kFull);
  EXPECT_EQ(RejectionCodeName(std::get<Rejection>(refused).code), "mempool_full");
  pool.RemoveCommitted(std::span(ids).first(1));
  EXPECT_TRUE(std::holds_alternative<crypto::Digest>(pool.Add(extra, 200, 10, 0, state_)));
}

TEST_F(MempoolTest, RateLimitPerAccountRefillsOverTime) {
  MempoolLimits limits;
  limits.account_burst = 3;
  limits.account_rate_per_second = 10;  // one token per 100 ms
  Mempool pool(std::string(kChain), crypto::SuiteId::kStd, limits);
  std::uint64_t nonce = 0;
  const auto add = [&](std::int64_t now) {
    const auto transaction = MakeSignedTransaction(key_, std::string(kChain), nonce++, 100);
    return pool.Add(transaction, 200, 10, now, state_);
  };
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(std::holds_alternative<crypto::Digest>(add(0)));
  EXPECT_EQ(std::get<Rejection>(add(0)).code, RejectionCode::kRateLimited);
  EXPECT_EQ(std::get<Rejection>(add(50)).code, RejectionCode::kRateLimited);
  EXPECT_TRUE(std::holds_alternative<crypto::Digest>(add(150)));
  // Another account is not affected.
  const auto other = MakeSignedTransaction(MakeKey(crypto::SuiteId::kStd, 22), std::string(kChain), 0, 100);
  EXPECT_TRUE(std::holds_alternative<crypto::Digest>(pool.Add(other, 200, 10, 150, state_)));
}

TEST_F(MempoolTest, ExpiredTransactionsAreReportedAndNeverReaped) {
  const auto soon = MakeSignedTransaction(key_, std::string(kChain), 1, 11);
  const auto later = MakeSignedTransaction(key_, std::string(kChain), 2, 50);
  const crypto::Digest soon_id = std::get<crypto::Digest>(Add(soon));
  Add(later);
  EXPECT_EQ(pool_.Reap(1 << 20, 100, 12).size(), 1u);
  EXPECT_EQ(pool_.RemoveExpired(12), std::vector<crypto::Digest>{soon_id});
  EXPECT_EQ(pool_.size(), 1u);
  EXPECT_EQ(pool_.Find(soon_id), nullptr);
}

TEST_F(MempoolTest, ExpiryIsTrackedThroughCommitsAndEvictions) {
  // Nonces 1..30 expire at heights 20, 21, 22 in turn; some are committed, one evicted by a rival.
  std::map<std::uint64_t, crypto::Digest> ids;
  for (std::uint64_t nonce = 1; nonce <= 30; ++nonce) {
    ids[nonce] =
        std::get<crypto::Digest>(Add(MakeSignedTransaction(key_, std::string(kChain), nonce, 20 + nonce % 3),
                                     static_cast<std::int64_t>(nonce)));
  }
  const std::vector<crypto::Digest> committed = {ids[3], ids[6], ids[4]};
  const Mempool::SenderNonce used{key_.public_key().key_id(), 9};
  pool_.RemoveCommitted(committed, std::span(&used, 1));
  // Before height 21: the nonces that are multiples of 3 (expiry 20), less 3, 6 and 9.
  std::vector<crypto::Digest> expected;
  for (std::uint64_t nonce : {12, 15, 18, 21, 24, 27, 30}) expected.push_back(ids[nonce]);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(pool_.RemoveExpired(21), expected);
  EXPECT_TRUE(pool_.RemoveExpired(21).empty());
  EXPECT_EQ(pool_.size(), 19u);
  // Before height 23: everything left (expiry 21 and 22).
  EXPECT_EQ(pool_.RemoveExpired(23).size(), 19u);
  EXPECT_EQ(pool_.size(), 0u);
  EXPECT_EQ(pool_.size_bytes(), 0u);
}

TEST_F(MempoolTest, CommittedNonceFromAnotherNodeEvictsThePendingRival) {
  const auto mine = MakeSignedTransaction(key_, std::string(kChain), 5, 100, 1, ToBytes("mine"));
  const crypto::Digest id = std::get<crypto::Digest>(Add(mine));
  const Mempool::SenderNonce used{key_.public_key().key_id(), 5};
  pool_.RemoveCommitted({}, std::span(&used, 1));
  EXPECT_EQ(pool_.Find(id), nullptr);
  EXPECT_EQ(pool_.size_bytes(), 0u);
}

// Senders come and go: a rate bucket that has refilled says no more than an absent one, so the
// pool does not keep one for every sender it has ever seen.
TEST_F(MempoolTest, IdleRateBucketsArePruned) {
  constexpr std::size_t kSenders = 2048;  // the second sweep runs when the map reaches this size
  for (std::size_t i = 0; i < kSenders; ++i) {
    const crypto::PrivateKey key = crypto::PrivateKey::Generate(crypto::SignatureScheme::kEd25519).value();
    ASSERT_TRUE(std::holds_alternative<crypto::Digest>(
        Add(MakeSignedTransaction(key, std::string(kChain), 1, 100), 0)));
  }
  EXPECT_EQ(pool_.rate_bucket_count(), kSenders);  // none idle yet: every bucket is one token short
  // Ten seconds later every one of them has refilled; the next new sender sweeps them away.
  ASSERT_TRUE(std::holds_alternative<crypto::Digest>(
      Add(MakeSignedTransaction(key_, std::string(kChain), 1, 100), 10'000)));
  EXPECT_EQ(pool_.rate_bucket_count(), 1u);
}

}  // namespace
}  // namespace rightchain::mempool
