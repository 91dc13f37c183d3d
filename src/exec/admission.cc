#include "exec/admission.h"

#include "exec/account.h"
#include "exec/executor.h"
#include "exec/governance.h"
#include "exec/record_payloads.h"
#include "exec/sponsorship.h"

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
    case TransactionKind::kCreateAccount: return kPlatformKind | kAuthorityKinds;  // the sponsors
    default: return 0;
  }
}

bool IsAccountKind(std::uint16_t kind) {
  switch (static_cast<TransactionKind>(kind)) {
    case TransactionKind::kCreateAccount:
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

// As ResolveSender (account_rules.cc) followed by the kind's role check.
struct Sender {
  ReceiptStatus status = ReceiptStatus::kOk;
  Account account;
};
Result<Sender> ResolveSender(const StateReader& state, TransactionKind kind, const crypto::KeyId& sender) {
  RC_ASSIGN_OR_RETURN(const std::optional<AccountKey> key, LoadAccountKey(state, sender));
  if (!key.has_value()) return Sender{ReceiptStatus::kUnknownAccount, {}};
  if (key->status != KeyStatus::kCurrent) return Sender{ReceiptStatus::kKeyNotCurrent, {}};
  RC_ASSIGN_OR_RETURN(const std::optional<Account> account, LoadAccount(state, key->account));
  if (!account.has_value()) return Status::Corruption("a key names a missing account");
  const AccountKinds required = RequiredKinds(kind);
  if (required != 0 && (account->kinds & required) == 0) return Sender{ReceiptStatus::kMissingRole, *account};
  return Sender{ReceiptStatus::kOk, *account};
}

// As the create-account rule, but for the new key's proof of possession (a signature check, left
// to execution): declared kinds only, a key that has no account, a sponsor within its day's quota.
Result<ReceiptStatus> CreationStatus(const StateReader& state, const codec::Transaction& transaction,
                                     const Account& sponsor, std::int64_t time_milliseconds) {
  const Result<CreateAccountPayload> payload = DecodeCreateAccountPayload(transaction.payload);
  if (!payload.ok()) return ReceiptStatus::kOk;  // execution's malformed_payload, on a sponsor's quota
  const bool valid_kinds = payload->kinds != 0 && (payload->kinds & ~kAllAccountKinds) == 0;
  if (valid_kinds && (payload->kinds & ~kSelfDeclaredKinds) != 0) return ReceiptStatus::kMissingRole;
  const Result<crypto::KeyId> new_key =
      crypto::ComputeKeyId(transaction.sender_scheme, payload->new_key.public_key);
  if (new_key.ok()) {
    RC_ASSIGN_OR_RETURN(const std::optional<AccountKey> existing, LoadAccountKey(state, *new_key));
    if (existing.has_value()) return ReceiptStatus::kAccountExists;
  }
  RC_ASSIGN_OR_RETURN(const std::uint32_t sponsored,
                      LoadSponsoredCount(state, sponsor.id, QuotaDay(time_milliseconds)));
  return sponsored >= kMaxSponsoredAccountsPerDay ? ReceiptStatus::kQuotaExceeded : ReceiptStatus::kOk;
}

}  // namespace

Result<ReceiptStatus> AdmissionStatus(crypto::SuiteId suite, const StateReader& state,
                                      const codec::Transaction& transaction, const crypto::KeyId& sender,
                                      std::int64_t time_milliseconds) {
  const auto kind = static_cast<TransactionKind>(transaction.kind);
  if (kind == TransactionKind::kNote) return ReceiptStatus::kOk;
  if (kind == TransactionKind::kPropose || kind == TransactionKind::kApprove) {
    RC_ASSIGN_OR_RETURN(const bool voting, IsVotingMember(suite, state, sender));
    return voting ? ReceiptStatus::kOk : ReceiptStatus::kNotAMember;
  }
  if (!IsAccountKind(transaction.kind)) return ReceiptStatus::kUnknownKind;
  RC_ASSIGN_OR_RETURN(const Sender resolved, ResolveSender(state, kind, sender));
  if (resolved.status != ReceiptStatus::kOk || kind != TransactionKind::kCreateAccount)
    return resolved.status;
  return CreationStatus(state, transaction, resolved.account, time_milliseconds);
}

}  // namespace rightchain::exec
