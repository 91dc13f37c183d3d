#include "exec/executor.h"

#include <gtest/gtest.h>

#include "exec/exec_test_util.h"

namespace rightchain::exec {
namespace {

using testing::MakeKey;
using testing::MakeSignedTransaction;

constexpr std::string_view kChain = "test-chain";

class ExecutorTest : public ::testing::TestWithParam<crypto::SuiteId> {
 protected:
  crypto::SuiteId suite() const { return GetParam(); }
  BlockContext Block(std::uint64_t height) const {
    return BlockContext{kChain, suite(), height, 1'000'000 + 1000 * static_cast<std::int64_t>(height)};
  }

  // Executes one block against `state_` and applies its changes, as the node does on commit.
  BlockExecution Run(std::uint64_t height, const std::vector<codec::SignedTransaction>& transactions,
                     bool verified = false) {
    std::vector<TransactionToExecute> inputs;
    for (const auto& transaction : transactions) inputs.push_back({&transaction, verified});
    auto execution = executor_.ExecuteBlock(Block(height), state_, inputs);
    EXPECT_TRUE(execution.ok()) << execution.status().ToString();
    state_.Apply(execution->changes);
    return std::move(execution).value();
  }

  Executor executor_ = MakeNoteExecutor();
  MemoryState state_;
};

TEST_P(ExecutorTest, NoteCommitsWithReceipt) {
  const auto key = MakeKey(suite(), 7);
  const auto transaction = MakeSignedTransaction(key, std::string(kChain), 1, 10);
  const BlockExecution execution = Run(1, {transaction});
  ASSERT_EQ(execution.receipts.size(), 1u);
  const Receipt& receipt = execution.receipts[0];
  EXPECT_EQ(receipt.status, ReceiptStatus::kOk);
  EXPECT_EQ(receipt.height, 1u);
  EXPECT_EQ(receipt.index_in_block, 0u);
  EXPECT_EQ(receipt.transaction_id,
            codec::TransactionId(crypto::GetSuite(suite()).hash, transaction.transaction));
}

TEST_P(ExecutorTest, EachRejectionHasItsStatusAndChangesNothingButBookkeeping) {
  const auto key = MakeKey(suite(), 7);
  const crypto::SuiteId other_suite =
      suite() == crypto::SuiteId::kSm ? crypto::SuiteId::kStd : crypto::SuiteId::kSm;
  const auto foreign_key = MakeKey(other_suite, 7);

  auto bad_signature = MakeSignedTransaction(key, std::string(kChain), 5, 10);
  bad_signature.signature[0] ^= 1;
  const std::vector<std::pair<codec::SignedTransaction, ReceiptStatus>> cases = {
      {MakeSignedTransaction(key, "other-chain", 1, 10), ReceiptStatus::kWrongChain},
      {MakeSignedTransaction(foreign_key, std::string(kChain), 2, 10), ReceiptStatus::kWrongScheme},
      {MakeSignedTransaction(key, std::string(kChain), 3, 4), ReceiptStatus::kExpired},
      {MakeSignedTransaction(key, std::string(kChain), 4, 5 + 100'001), ReceiptStatus::kExpiryTooFar},
      {bad_signature, ReceiptStatus::kBadSignature},
      {MakeSignedTransaction(key, std::string(kChain), 6, 10, 999), ReceiptStatus::kUnknownKind},
      {MakeSignedTransaction(key, std::string(kChain), 7, 10, 1, Bytes(64 * 1024 + 1, 'x')),
       ReceiptStatus::kPayloadTooLarge},
  };
  std::vector<codec::SignedTransaction> transactions;
  for (const auto& [transaction, status] : cases) transactions.push_back(transaction);
  const BlockExecution execution = Run(5, transactions);
  ASSERT_EQ(execution.receipts.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(execution.receipts[i].status, cases[i].second)
        << i << ": " << ReceiptStatusName(execution.receipts[i].status);
    EXPECT_EQ(execution.receipts[i].index_in_block, i);
  }
  // Rejections before the signature check consume nothing; a correctly signed transaction of an
  // unknown kind or with an oversized payload consumed its nonce (it was decided).
  EXPECT_EQ(state_.size(), 4u);
}

TEST_P(ExecutorTest, ReplayedTransactionIsDuplicateAndReusedNonceIsRejected) {
  const auto key = MakeKey(suite(), 9);
  const auto first = MakeSignedTransaction(key, std::string(kChain), 42, 100);
  EXPECT_EQ(Run(1, {first}).receipts[0].status, ReceiptStatus::kOk);
  // The same transaction again (sent to several nodes, included twice): a duplicate.
  EXPECT_EQ(Run(2, {first}).receipts[0].status, ReceiptStatus::kDuplicate);
  // Another transaction with the same nonce: rejected.
  const auto other = MakeSignedTransaction(key, std::string(kChain), 42, 100, 1, ToBytes("different"));
  EXPECT_EQ(Run(3, {other}).receipts[0].status, ReceiptStatus::kNonceReused);
  // Within one block as well.
  const auto a = MakeSignedTransaction(key, std::string(kChain), 43, 100, 1, ToBytes("a"));
  const auto b = MakeSignedTransaction(key, std::string(kChain), 43, 100, 1, ToBytes("b"));
  const BlockExecution both = Run(4, {a, b});
  EXPECT_EQ(both.receipts[0].status, ReceiptStatus::kOk);
  EXPECT_EQ(both.receipts[1].status, ReceiptStatus::kNonceReused);
}

TEST_P(ExecutorTest, UsedNoncesArePrunedAfterExpiryAndReplayStaysImpossible) {
  const auto key = MakeKey(suite(), 3);
  const auto transaction = MakeSignedTransaction(key, std::string(kChain), 1, 3);
  EXPECT_EQ(Run(1, {transaction}).receipts[0].status, ReceiptStatus::kOk);
  EXPECT_EQ(state_.size(), 2u);  // nonce and expiry records
  Run(3, {});
  EXPECT_EQ(state_.size(), 2u);  // still valid at its expiry height
  Run(4, {});
  EXPECT_EQ(state_.size(), 0u);  // forgotten once it can no longer be valid
  EXPECT_EQ(Run(5, {transaction}).receipts[0].status, ReceiptStatus::kExpired);
}

TEST_P(ExecutorTest, PruningIsBoundedPerBlock) {
  ExecutionLimits limits;
  limits.max_nonces_pruned_per_block = 3;
  executor_ = MakeNoteExecutor(limits);
  const auto key = MakeKey(suite(), 4);
  std::vector<codec::SignedTransaction> transactions;
  for (std::uint64_t nonce = 0; nonce < 7; ++nonce) {
    transactions.push_back(MakeSignedTransaction(key, std::string(kChain), nonce, 1));
  }
  Run(1, transactions);
  EXPECT_EQ(state_.size(), 14u);
  Run(2, {});
  EXPECT_EQ(state_.size(), 8u);
  Run(3, {});
  EXPECT_EQ(state_.size(), 2u);
  Run(4, {});
  EXPECT_EQ(state_.size(), 0u);
}

TEST_P(ExecutorTest, VerifiedSignatureIsNotCheckedAgain) {
  const auto key = MakeKey(suite(), 5);
  auto transaction = MakeSignedTransaction(key, std::string(kChain), 1, 10);
  transaction.signature[3] ^= 0x40;
  // Flagged as verified (a certificate-backed replay), execution trusts the flag.
  EXPECT_EQ(Run(1, {transaction}, /*verified=*/true).receipts[0].status, ReceiptStatus::kOk);
}

TEST_P(ExecutorTest, ExecutionIsDeterministic) {
  const auto key = MakeKey(suite(), 6);
  std::vector<codec::SignedTransaction> transactions;
  for (std::uint64_t nonce = 0; nonce < 20; ++nonce) {
    transactions.push_back(MakeSignedTransaction(key, std::string(kChain), nonce % 15, 50));
  }
  std::vector<TransactionToExecute> inputs;
  for (const auto& transaction : transactions) inputs.push_back({&transaction, false});
  MemoryState empty;
  const auto first = executor_.ExecuteBlock(Block(1), empty, inputs);
  const auto second = executor_.ExecuteBlock(Block(1), empty, inputs);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->receipts, second->receipts);
  const auto hash = crypto::GetSuite(suite()).hash;
  EXPECT_EQ(first->changes.Digest(hash), second->changes.Digest(hash));
}

INSTANTIATE_TEST_SUITE_P(BothSuites, ExecutorTest,
                         ::testing::Values(crypto::SuiteId::kSm, crypto::SuiteId::kStd),
                         [](const auto& test_info) {
                           return std::string(crypto::SuiteName(test_info.param));
                         });

TEST(ReceiptTest, RoundTripsAndRejectsNonCanonical) {
  Receipt receipt;
  receipt.transaction_id.fill(0xab);
  receipt.height = 77;
  receipt.index_in_block = 3;
  receipt.status = ReceiptStatus::kNonceReused;
  receipt.result = ToBytes("id");
  const Bytes encoding = EncodeReceipt(receipt);
  EXPECT_EQ(*DecodeReceipt(encoding), receipt);
  Bytes trailing = encoding;
  trailing.push_back(0);
  EXPECT_FALSE(DecodeReceipt(trailing).ok());
  for (std::size_t size = 0; size < encoding.size(); ++size) {
    EXPECT_FALSE(DecodeReceipt(ByteView(encoding).first(size)).ok()) << size;
  }
  Bytes unknown_status = encoding;
  // status is the u16 before the result's u32 length and 2 bytes of result.
  unknown_status[encoding.size() - 2 - 4 - 1] = 0xff;
  EXPECT_FALSE(DecodeReceipt(unknown_status).ok());
}

}  // namespace
}  // namespace rightchain::exec
