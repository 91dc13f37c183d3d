// Internal to src/exec: the pieces shared by the account rules and the work rules.
#pragma once

#include <optional>

#include "codec/transaction.h"
#include "exec/account.h"
#include "exec/executor.h"
#include "exec/record_store.h"

namespace rightchain::exec::rules {

// The sender's account, or the status that rejects the transaction (unknown_account,
// key_not_current).
struct SenderAccount {
  ReceiptStatus status = ReceiptStatus::kOk;
  Account account;
  AccountKey key;
};
Result<SenderAccount> ResolveSender(const TransactionContext& context, const StateReader& state);

inline TransactionOutcome Reject(ReceiptStatus status) {
  TransactionOutcome outcome;
  outcome.status = status;
  return outcome;
}

inline bool HasAnyKind(const Account& account, AccountKinds kinds) {
  return (account.kinds & kinds) != 0;
}

// A record of `type` signed by the sender, with the next record id.
Result<Record> NewRecord(const TransactionContext& context, const StateReader& state, StateChanges& changes,
                         const SenderAccount& sender, RecordType type, const codec::Transaction& transaction);

// Handlers, one per kind.
Result<TransactionOutcome> CreateAccountRule(const TransactionContext&, const StateReader&,
                                             const codec::Transaction&);
Result<TransactionOutcome> GrantKindsRule(const TransactionContext&, const StateReader&,
                                          const codec::Transaction&);
Result<TransactionOutcome> WithdrawKindsRule(const TransactionContext&, const StateReader&,
                                             const codec::Transaction&);
Result<TransactionOutcome> AttestIdentityRule(const TransactionContext&, const StateReader&,
                                              const codec::Transaction&);
Result<TransactionOutcome> RotateKeyRule(const TransactionContext&, const StateReader&,
                                         const codec::Transaction&);
Result<TransactionOutcome> RevokeKeyRule(const TransactionContext&, const StateReader&,
                                         const codec::Transaction&);
Result<TransactionOutcome> RecoverKeyRule(const TransactionContext&, const StateReader&,
                                          const codec::Transaction&);
Result<TransactionOutcome> RegisterWorkRule(const TransactionContext&, const StateReader&,
                                            const codec::Transaction&);
Result<TransactionOutcome> IndexedBatchRule(const TransactionContext&, const StateReader&,
                                            const codec::Transaction&);
Result<TransactionOutcome> AnchorBatchRule(const TransactionContext&, const StateReader&,
                                           const codec::Transaction&);
Result<TransactionOutcome> EndorseRule(const TransactionContext&, const StateReader&,
                                       const codec::Transaction&);
Result<TransactionOutcome> EvidenceRule(const TransactionContext&, const StateReader&,
                                        const codec::Transaction&);
Result<TransactionOutcome> TimeStampRule(const TransactionContext&, const StateReader&,
                                         const codec::Transaction&);

}  // namespace rightchain::exec::rules
