#include "exec/executor.h"

#include <algorithm>

#include "base/assert.h"
#include "exec/governance.h"
#include "exec/governance_state.h"
#include "exec/records.h"
#include "exec/state_keys.h"

namespace rightchain::exec {
namespace {

constexpr std::string_view kNoncePrefix = "nonce/";
constexpr std::string_view kExpiryPrefix = "expiry/";

Result<TransactionOutcome> ExecuteNote(const ExecutionLimits& limits, const codec::Transaction& transaction) {
  TransactionOutcome outcome;
  if (transaction.payload.size() > limits.max_note_size_bytes)
    outcome.status = ReceiptStatus::kPayloadTooLarge;
  return outcome;
}

}  // namespace

Bytes NonceKey(const crypto::KeyId& sender, std::uint64_t nonce) {
  Bytes key(kNoncePrefix.begin(), kNoncePrefix.end());
  key.insert(key.end(), sender.begin(), sender.end());
  AppendU64(key, nonce);
  return key;
}

Bytes ExpiryKey(std::uint64_t expiry_height, const crypto::KeyId& sender, std::uint64_t nonce) {
  Bytes key(kExpiryPrefix.begin(), kExpiryPrefix.end());
  AppendU64(key, expiry_height);
  key.insert(key.end(), sender.begin(), sender.end());
  AppendU64(key, nonce);
  return key;
}

Executor::Executor(ExecutionLimits limits) : limits_(limits) {}

void Executor::RegisterKind(std::uint16_t kind, KindHandler handler) {
  RC_ASSERT(handlers_.find(kind) == handlers_.end());
  handlers_.emplace(kind, std::move(handler));
}

Result<BlockExecution> Executor::ExecuteBlock(const BlockContext& block, const StateReader& state,
                                              std::span<const TransactionToExecute> transactions) const {
  RC_ASSERT(block.height >= 1);
  BlockExecution execution;
  if (block.height == 1) execution.changes.Merge(initial_state_);
  RC_RETURN_IF_ERROR(PruneExpiredNonces(block, state, execution.changes));
  execution.receipts.reserve(transactions.size());
  for (std::size_t index = 0; index < transactions.size(); ++index) {
    const OverlayState current(state, execution.changes);
    RC_ASSIGN_OR_RETURN(Receipt receipt, ExecuteTransaction(block, current, transactions[index],
                                                            static_cast<std::uint32_t>(index), execution));
    execution.receipts.push_back(std::move(receipt));
  }
  RC_ASSERT(execution.receipts.size() == transactions.size());
  return execution;
}

Result<Receipt> Executor::ExecuteTransaction(const BlockContext& block, const StateReader& state,
                                             const TransactionToExecute& input, std::uint32_t index,
                                             BlockExecution& execution) const {
  StateChanges& changes = execution.changes;
  RC_ASSERT(input.transaction != nullptr);
  const codec::Transaction& transaction = input.transaction->transaction;
  const crypto::Suite& suite = crypto::GetSuite(block.suite);
  Receipt receipt;
  receipt.transaction_id = codec::TransactionId(suite.hash, transaction);
  receipt.height = block.height;
  receipt.index_in_block = index;
  const auto reject = [&](ReceiptStatus status) -> Result<Receipt> {
    receipt.status = status;
    return receipt;
  };

  if (transaction.chain_id != block.chain_id) return reject(ReceiptStatus::kWrongChain);
  if (transaction.sender_scheme != suite.signature) return reject(ReceiptStatus::kWrongScheme);
  if (transaction.expiry_height < block.height) return reject(ReceiptStatus::kExpired);
  if (transaction.expiry_height - block.height > limits_.max_expiry_window_heights) {
    return reject(ReceiptStatus::kExpiryTooFar);
  }
  // A key whose signature was checked before parsed then; parsing it again (an OpenSSL object per
  // transaction) was a fifth of a loaded node's work. Either way the outcome is the same.
  const Result<crypto::KeyId> sender_id =
      crypto::ComputeKeyId(transaction.sender_scheme, transaction.sender_public_key);
  if (!sender_id.ok()) return reject(ReceiptStatus::kBadSignature);
  if (!input.signature_verified) {
    const Result<crypto::PublicKey> sender_key =
        crypto::PublicKey::FromRaw(transaction.sender_scheme, transaction.sender_public_key);
    if (!sender_key.ok()) return reject(ReceiptStatus::kBadSignature);
#ifndef RIGHTCHAIN_BENCH_UNSIGNED  // the ordering-path benchmark build (CMakeLists.txt) skips it
    const Status verified =
        sender_key->Verify(codec::TransactionSigningBytes(transaction), input.transaction->signature);
    if (!verified.ok()) return reject(ReceiptStatus::kBadSignature);
#endif
  }

  // Replay protection: a nonce is used once per sender while its transaction can still be valid.
  const crypto::KeyId& sender = *sender_id;
  const Bytes nonce_key = NonceKey(sender, transaction.nonce);
  RC_ASSIGN_OR_RETURN(const std::optional<Bytes> used, state.Get(nonce_key));
  if (used.has_value()) {
    if (used->size() != 8 + crypto::kDigestSize) return Status::Corruption("nonce record has the wrong size");
    const bool same_transaction = std::equal(used->begin() + 8, used->end(), receipt.transaction_id.begin());
    return reject(same_transaction ? ReceiptStatus::kDuplicate : ReceiptStatus::kNonceReused);
  }
  Bytes nonce_record;
  AppendU64(nonce_record, transaction.expiry_height);
  nonce_record.insert(nonce_record.end(), receipt.transaction_id.begin(), receipt.transaction_id.end());
  // The nonce is consumed whatever the kind's outcome: the signed transaction was decided.
  changes.Put(nonce_key, std::move(nonce_record));
  changes.Put(ExpiryKey(transaction.expiry_height, sender, transaction.nonce), Bytes());

  const auto handler = handlers_.find(transaction.kind);
  if (handler == handlers_.end()) return reject(ReceiptStatus::kUnknownKind);
  const TransactionContext context{block, receipt.transaction_id, sender, index};
  const OverlayState current(state, changes);
  RC_ASSIGN_OR_RETURN(TransactionOutcome outcome, handler->second(context, current, transaction));
  RC_ASSERT(outcome.result.size() <= kMaxReceiptResultSize);
  receipt.status = outcome.status;
  receipt.result = std::move(outcome.result);
  if (receipt.ok()) {
    changes.Merge(outcome.changes);
    execution.validator_changes.insert(execution.validator_changes.end(), outcome.validator_changes.begin(),
                                       outcome.validator_changes.end());
  }
  return receipt;
}

Status Executor::PruneExpiredNonces(const BlockContext& block, const StateReader& state,
                                    StateChanges& changes) const {
  // Entries whose expiry height is below this block's height can never match a valid
  // transaction again (it would be rejected as expired), so they are forgotten.
  Bytes begin(kExpiryPrefix.begin(), kExpiryPrefix.end());
  Bytes end = begin;
  AppendU64(end, block.height);
  std::size_t pruned = 0;
  Status malformed;
  RC_RETURN_IF_ERROR(state.Scan(begin, end, [&](ByteView key, ByteView) {
    if (key.size() != kExpiryPrefix.size() + 8 + crypto::kKeyIdSize + 8) {
      malformed = Status::Corruption("expiry record key has the wrong size");
      return false;
    }
    crypto::KeyId sender;
    std::copy_n(key.begin() + kExpiryPrefix.size() + 8, crypto::kKeyIdSize, sender.begin());
    const std::uint64_t nonce = ReadU64At(key, kExpiryPrefix.size() + 8 + crypto::kKeyIdSize);
    changes.Delete(Bytes(key.begin(), key.end()));
    changes.Delete(NonceKey(sender, nonce));
    return ++pruned < limits_.max_nonces_pruned_per_block;
  }));
  return malformed;
}

Executor MakeStandardExecutor(const Genesis& genesis, ExecutionLimits limits) {
  Executor executor = MakeNoteExecutor(limits);
  RegisterRecordKinds(executor);
  RegisterGovernanceKinds(executor);
  StateChanges initial = GenesisAccountChanges(genesis);
  initial.Merge(GenesisGovernanceChanges(genesis));
  executor.SetInitialState(std::move(initial));
  return executor;
}

Executor MakeNoteExecutor(ExecutionLimits limits) {
  Executor executor(limits);
  executor.RegisterKind(
      static_cast<std::uint16_t>(TransactionKind::kNote),
      [limits](const TransactionContext&, const StateReader&, const codec::Transaction& transaction) {
        return ExecuteNote(limits, transaction);
      });
  return executor;
}

}  // namespace rightchain::exec
