// Executor: the deterministic state machine that applies a block's transactions to state.
// Pure: no clocks, randomness, threads or I/O; the block's time and height come in the context,
// state comes through a StateReader, and the result is receipts plus state changes that the node
// commits atomically with the block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "codec/transaction.h"
#include "crypto/public_key.h"
#include "crypto/suite.h"
#include "exec/genesis.h"
#include "exec/receipt.h"
#include "exec/state.h"

namespace rightchain::exec {

// Transaction kinds (codec::Transaction::kind). Wire values are stable.
enum class TransactionKind : std::uint16_t {
  kNote = 1,  // an opaque signed note: for tests and load
  // Accounts and identities (docs/records.md).
  kCreateAccount = 16,
  kGrantKinds = 17,
  kWithdrawKinds = 18,
  kAttestIdentity = 19,
  kRotateKey = 20,
  kRevokeKey = 21,
  kRecoverKey = 22,
  // Works and what refers to them.
  kRegisterWork = 32,
  kIndexedBatch = 33,
  kAnchorBatch = 34,
  kEndorse = 35,
  kEvidence = 36,
  kTimeStamp = 37,
  // Governance of the consortium (docs/governance.md), signed with a member's consensus key.
  kPropose = 48,
  kApprove = 49,
};

struct ExecutionLimits {
  // A transaction may name an expiry at most this many heights after the block that includes
  // it, which bounds how long its nonce must be remembered.
  std::uint64_t max_expiry_window_heights = 100'000;
  std::size_t max_note_size_bytes = 64 * 1024;
  // Used nonces pruned per block at most, so that pruning work per block is bounded.
  std::size_t max_nonces_pruned_per_block = 10'000;
};

struct BlockContext {
  std::string_view chain_id;
  crypto::SuiteId suite = crypto::SuiteId::kStd;
  std::uint64_t height = 0;
  std::int64_t time_milliseconds = 0;  // the block's consensus time
};

struct TransactionToExecute {
  const codec::SignedTransaction* transaction = nullptr;
  // True when the signature is known to be valid (checked on entry to the mempool, or the block
  // carries a verified commit certificate during replay): it is not verified again.
  bool signature_verified = false;
};

struct TransactionContext {
  const BlockContext& block;
  crypto::Digest transaction_id;
  crypto::KeyId sender;  // the key id of the sender's public key
  std::uint32_t index_in_block = 0;
};

// A change of a validator's voting power decided by a block (0 removes it; a new key adds it). The
// consensus engine applies the block's changes from height + 2.
struct ValidatorChange {
  Bytes public_key;
  std::uint64_t voting_power = 0;
  friend bool operator==(const ValidatorChange&, const ValidatorChange&) = default;
};

struct TransactionOutcome {
  ReceiptStatus status = ReceiptStatus::kOk;
  Bytes result;
  StateChanges changes;                            // applied only when status is kOk
  std::vector<ValidatorChange> validator_changes;  // likewise
};

// A kind's rules. Returns an error only when state cannot be read (not for a bad transaction,
// which gets a receipt status instead).
using KindHandler = std::function<Result<TransactionOutcome>(const TransactionContext&, const StateReader&,
                                                             const codec::Transaction&)>;

struct BlockExecution {
  std::vector<Receipt> receipts;  // one per transaction, in block order
  StateChanges changes;           // everything the block changes, including nonce bookkeeping
  std::vector<ValidatorChange> validator_changes;  // in transaction order
};

class Executor {
 public:
  explicit Executor(ExecutionLimits limits = {});

  void RegisterKind(std::uint16_t kind, KindHandler handler);
  // State that exists from the start (genesis accounts): applied before the transactions of the
  // block at height 1, so that it is committed with that block like any other change.
  void SetInitialState(StateChanges changes) { initial_state_ = std::move(changes); }
  const StateChanges& initial_state() const { return initial_state_; }
  const ExecutionLimits& limits() const { return limits_; }

  Result<BlockExecution> ExecuteBlock(const BlockContext& block, const StateReader& state,
                                      std::span<const TransactionToExecute> transactions) const;

 private:
  Result<Receipt> ExecuteTransaction(const BlockContext& block, const StateReader& state,
                                     const TransactionToExecute& input, std::uint32_t index,
                                     BlockExecution& execution) const;
  Status PruneExpiredNonces(const BlockContext& block, const StateReader& state, StateChanges& changes) const;

  ExecutionLimits limits_;
  std::map<std::uint16_t, KindHandler> handlers_;
  StateChanges initial_state_;
};

// An executor with every kind this build knows: notes, and the copyright records with the
// genesis accounts as initial state.
Executor MakeStandardExecutor(const Genesis& genesis, ExecutionLimits limits = {});
// Notes only, no initial state: for tests of the execution rules themselves.
Executor MakeNoteExecutor(ExecutionLimits limits = {});

// State keys of the replay protection (documented in docs/execution.md):
//   "nonce/"  ‖ sender key id [32] ‖ nonce u64  → expiry height u64 ‖ transaction id [32]
//   "expiry/" ‖ expiry height u64 ‖ sender key id [32] ‖ nonce u64 → (empty)
Bytes NonceKey(const crypto::KeyId& sender, std::uint64_t nonce);
Bytes ExpiryKey(std::uint64_t expiry_height, const crypto::KeyId& sender, std::uint64_t nonce);

}  // namespace rightchain::exec
