#include "exec/records.h"

#include "base/assert.h"
#include "exec/account.h"
#include "exec/record_rules.h"

namespace rightchain::exec {

void RegisterRecordKinds(Executor& executor) {
  const auto add = [&executor](TransactionKind kind, KindHandler handler) {
    executor.RegisterKind(static_cast<std::uint16_t>(kind), std::move(handler));
  };
  add(TransactionKind::kCreateAccount, rules::CreateAccountRule);
  add(TransactionKind::kGrantKinds, rules::GrantKindsRule);
  add(TransactionKind::kWithdrawKinds, rules::WithdrawKindsRule);
  add(TransactionKind::kAttestIdentity, rules::AttestIdentityRule);
  add(TransactionKind::kRotateKey, rules::RotateKeyRule);
  add(TransactionKind::kRevokeKey, rules::RevokeKeyRule);
  add(TransactionKind::kRecoverKey, rules::RecoverKeyRule);
  add(TransactionKind::kRegisterWork, rules::RegisterWorkRule);
  add(TransactionKind::kIndexedBatch, rules::IndexedBatchRule);
  add(TransactionKind::kAnchorBatch, rules::AnchorBatchRule);
  add(TransactionKind::kEndorse, rules::EndorseRule);
  add(TransactionKind::kEvidence, rules::EvidenceRule);
  add(TransactionKind::kTimeStamp, rules::TimeStampRule);
}

StateChanges GenesisAccountChanges(const Genesis& genesis) {
  RC_ASSERT(ValidateGenesis(genesis).ok());
  const crypto::SignatureScheme scheme = crypto::GetSuite(genesis.suite).signature;
  StateChanges changes;
  for (const GenesisAccount& account : genesis.accounts) {
    CreateAccount(changes, scheme, account.public_key, account.kinds, account.label, /*height=*/0);
  }
  return changes;
}

}  // namespace rightchain::exec
