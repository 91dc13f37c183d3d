#include "exec/admission.h"

#include "exec/account.h"
#include "exec/executor.h"
#include "exec/governance.h"
#include "exec/record_payloads.h"

namespace rightchain::exec {
namespace {

// The account kinds a kind's handler requires of its sender before reading the payload (0: any
// account). Kinds whose role depends on the payload (grant and withdraw of authority kinds, a
// person registering a work it does not own) keep that part of the check at execution.
AccountKinds RequiredKinds(TransactionKind kind) {
  switch (kind) {
    case TransactionKind::kGrantKinds:
    case TransactionKind::kWithdrawKinds:
    case TransactionKind::kAttestIdentity:
    case TransactionKind::kRevokeKey:
    case TransactionKind::kRecoverKey:
    case TransactionKind::kEndorse: return kAuthorityKinds;
    case TransactionKind::kIndexedBatch:
    case TransactionKind::kAnchorBatch: return kPlatformKind;
    default: return 0;
  }
}

bool IsAccountKind(std::uint16_t kind) {
  switch (static_cast<TransactionKind>(kind)) {
    case TransactionKind::kGrantKinds:
    case TransactionKind::kWithdrawKinds:
    case TransactionKind::kAttestIdentity:
    case TransactionKind::kRotateKey:
    case TransactionKind::kRevokeKey:
    case TransactionKind::kRecoverKey:
    case TransactionKind::kRegisterWork:
    case TransactionKind::kIndexedBatch:
    case TransactionKind::kAnchorBatch:
    case TransactionKind::kEndorse:
    case TransactionKind::kEvidence:
    case TransactionKind::kTimeStamp: return true;
    default: return false;
  }
}

// As the create-account rule: self-declared kinds only, and a key that has no account yet.
Result<ReceiptStatus> CreationStatus(const StateReader& state, const codec::Transaction& transaction,
                                     const crypto::KeyId& sender) {
  const Result<CreateAccountPayload> payload = DecodeCreateAccountPayload(transaction.payload);
  const bool valid_kinds = payload.ok() && payload->kinds != 0 && (payload->kinds & ~kAllAccountKinds) == 0;
  if (valid_kinds && (payload->kinds & ~kSelfDeclaredKinds) != 0) return ReceiptStatus::kMissingRole;
  RC_ASSIGN_OR_RETURN(const std::optional<AccountKey> existing, LoadAccountKey(state, sender));
  return existing.has_value() ? ReceiptStatus::kAccountExists : ReceiptStatus::kOk;
}

// As ResolveSender (account_rules.cc) followed by the kind's role check.
Result<ReceiptStatus> SenderStatus(const StateReader& state, TransactionKind kind,
                                   const crypto::KeyId& sender) {
  RC_ASSIGN_OR_RETURN(const std::optional<AccountKey> key, LoadAccountKey(state, sender));
  if (!key.has_value()) return ReceiptStatus::kUnknownAccount;
  if (key->status != KeyStatus::kCurrent) return ReceiptStatus::kKeyNotCurrent;
  RC_ASSIGN_OR_RETURN(const std::optional<Account> account, LoadAccount(state, key->account));
  if (!account.has_value()) return Status::Corruption("a key names a missing account");
  const AccountKinds required = RequiredKinds(kind);
  if (required != 0 && (account->kinds & required) == 0) return ReceiptStatus::kMissingRole;
  return ReceiptStatus::kOk;
}

}  // namespace

Result<ReceiptStatus> AdmissionStatus(crypto::SuiteId suite, const StateReader& state,
                                      const codec::Transaction& transaction, const crypto::KeyId& sender) {
  const auto kind = static_cast<TransactionKind>(transaction.kind);
  if (kind == TransactionKind::kNote) return ReceiptStatus::kOk;
  if (kind == TransactionKind::kCreateAccount) return CreationStatus(state, transaction, sender);
  if (kind == TransactionKind::kPropose || kind == TransactionKind::kApprove) {
    RC_ASSIGN_OR_RETURN(const bool voting, IsVotingMember(suite, state, sender));
    return voting ? ReceiptStatus::kOk : ReceiptStatus::kNotAMember;
  }
  if (!IsAccountKind(transaction.kind)) return ReceiptStatus::kUnknownKind;
  return SenderStatus(state, kind, sender);
}

}  // namespace rightchain::exec
