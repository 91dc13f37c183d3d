// Rules of the account transactions: create, grant and withdraw kinds, attest identity, rotate,
// revoke and recover keys (docs/records.md, "Accounts").
#include "base/assert.h"
#include "crypto/public_key.h"
#include "exec/record_payloads.h"
#include "exec/record_rules.h"
#include "exec/sponsorship.h"

namespace rightchain::exec::rules {
namespace {

TransactionOutcome AccountOutcome(const Account& account, StateChanges changes) {
  TransactionOutcome outcome;
  outcome.result = EncodeAccountResult({account.id, account.kinds, account.current_key});
  outcome.changes = std::move(changes);
  return outcome;
}

// Authorities grant platform, reviewer, person and organisation; only a regulator grants (or
// withdraws) an authority kind.
bool MayChangeKinds(const Account& sender, AccountKinds kinds) {
  if ((kinds & kAuthorityKinds) != 0) return HasAnyKind(sender, kRegulatorKind);
  return HasAnyKind(sender, kAuthorityKinds);
}

// A new key of the chain's scheme, owned by nobody yet, that signed its proof of possession.
Result<ReceiptStatus> CheckNewKey(const TransactionContext& context, const StateReader& state,
                                  const codec::Transaction& transaction, const AccountId& account,
                                  const NewKey& new_key) {
  const Result<crypto::PublicKey> key =
      crypto::PublicKey::FromRaw(transaction.sender_scheme, new_key.public_key);
  if (!key.ok()) return ReceiptStatus::kInvalidField;
  RC_ASSIGN_OR_RETURN(const std::optional<AccountKey> owner, LoadAccountKey(state, key->key_id()));
  if (owner.has_value()) return ReceiptStatus::kAccountExists;
  const Bytes message = KeyProofMessage(context.block.chain_id, account, new_key.public_key);
  if (!key->Verify(message, new_key.proof).ok()) return ReceiptStatus::kBadKeyProof;
  return ReceiptStatus::kOk;
}

// The subject of an authority's revocation or recovery, with its current key if it has one.
struct Subject {
  ReceiptStatus status = ReceiptStatus::kOk;
  Account account;
  std::optional<AccountKey> current_key;
};

Result<Subject> ResolveSubjectForAuthority(const StateReader& state, const SenderAccount& sender,
                                           const AccountId& subject_id) {
  Subject subject;
  if (!HasAnyKind(sender.account, kAuthorityKinds)) {
    subject.status = ReceiptStatus::kMissingRole;
    return subject;
  }
  RC_ASSIGN_OR_RETURN(const std::optional<Account> account, LoadAccount(state, subject_id));
  if (!account.has_value()) {
    subject.status = ReceiptStatus::kUnknownAccount;
    return subject;
  }
  subject.account = *account;
  if (subject_id == sender.account.id) {
    subject.status = ReceiptStatus::kInvalidField;  // an authority cannot vouch for itself
    return subject;
  }
  RC_ASSIGN_OR_RETURN(const bool attested, HasAttestation(state, subject_id, sender.account.id));
  if (!attested) {
    subject.status = ReceiptStatus::kNoAttestation;
    return subject;
  }
  if (account->current_key.has_value()) {
    RC_ASSIGN_OR_RETURN(subject.current_key, LoadAccountKey(state, *account->current_key));
    if (!subject.current_key.has_value()) return Status::Corruption("account's current key is missing");
  }
  return subject;
}

}  // namespace

Result<SenderAccount> ResolveSender(const TransactionContext& context, const StateReader& state) {
  SenderAccount sender;
  RC_ASSIGN_OR_RETURN(const std::optional<AccountKey> key, LoadAccountKey(state, context.sender));
  if (!key.has_value()) {
    sender.status = ReceiptStatus::kUnknownAccount;
    return sender;
  }
  if (key->status != KeyStatus::kCurrent) {
    sender.status = ReceiptStatus::kKeyNotCurrent;
    return sender;
  }
  RC_ASSIGN_OR_RETURN(const std::optional<Account> account, LoadAccount(state, key->account));
  if (!account.has_value()) return Status::Corruption("a key names a missing account");
  sender.account = *account;
  sender.key = *key;
  return sender;
}

// Signed by the sponsor, for the holder of the new key (who proved possession of it).
Result<TransactionOutcome> CreateAccountRule(const TransactionContext& context, const StateReader& state,
                                             const codec::Transaction& transaction) {
  RC_ASSIGN_OR_RETURN(const SenderAccount sponsor, ResolveSender(context, state));
  if (sponsor.status != ReceiptStatus::kOk) return Reject(sponsor.status);
  if (!MaySponsor(sponsor.account)) return Reject(ReceiptStatus::kMissingRole);
  const Result<CreateAccountPayload> payload = DecodeCreateAccountPayload(transaction.payload);
  if (!payload.ok()) return Reject(ReceiptStatus::kMalformedPayload);
  if (payload->label.size() > kMaxAccountLabelSize) return Reject(ReceiptStatus::kFieldTooLarge);
  if (payload->kinds == 0 || (payload->kinds & ~kAllAccountKinds) != 0)
    return Reject(ReceiptStatus::kInvalidField);
  if ((payload->kinds & ~kSelfDeclaredKinds) != 0) return Reject(ReceiptStatus::kMissingRole);
  const Result<crypto::KeyId> account_id =
      crypto::ComputeKeyId(transaction.sender_scheme, payload->new_key.public_key);
  if (!account_id.ok()) return Reject(ReceiptStatus::kInvalidField);
  RC_ASSIGN_OR_RETURN(const ReceiptStatus key_status,
                      CheckNewKey(context, state, transaction, *account_id, payload->new_key));
  if (key_status != ReceiptStatus::kOk) return Reject(key_status);
  const std::uint64_t day = QuotaDay(context.block.time_milliseconds);
  RC_ASSIGN_OR_RETURN(const std::uint32_t sponsored, LoadSponsoredCount(state, sponsor.account.id, day));
  if (sponsored >= kMaxSponsoredAccountsPerDay) return Reject(ReceiptStatus::kQuotaExceeded);
  StateChanges changes;
  const Account account = CreateAccount(changes, transaction.sender_scheme, payload->new_key.public_key,
                                        payload->kinds, payload->label, context.block.height);
  PutSponsoredCount(changes, sponsor.account.id, day, sponsored + 1);
  return AccountOutcome(account, std::move(changes));
}

namespace {

Result<TransactionOutcome> ChangeKinds(const TransactionContext& context, const StateReader& state,
                                       const codec::Transaction& transaction, bool grant) {
  RC_ASSIGN_OR_RETURN(const SenderAccount sender, ResolveSender(context, state));
  if (sender.status != ReceiptStatus::kOk) return Reject(sender.status);
  const Result<ChangeKindsPayload> payload = DecodeChangeKindsPayload(transaction.payload);
  if (!payload.ok()) return Reject(ReceiptStatus::kMalformedPayload);
  if (payload->kinds == 0 || (payload->kinds & ~kAllAccountKinds) != 0)
    return Reject(ReceiptStatus::kInvalidField);
  if (!MayChangeKinds(sender.account, payload->kinds)) return Reject(ReceiptStatus::kMissingRole);
  // Nobody changes their own kinds: a regulator cannot lock itself out by mistake, nor promote itself.
  if (payload->account == sender.account.id) return Reject(ReceiptStatus::kInvalidField);
  RC_ASSIGN_OR_RETURN(std::optional<Account> target, LoadAccount(state, payload->account));
  if (!target.has_value()) return Reject(ReceiptStatus::kUnknownAccount);
  target->kinds = grant ? (target->kinds | payload->kinds) : (target->kinds & ~payload->kinds);
  StateChanges changes;
  changes.Put(AccountStateKey(target->id), EncodeAccount(*target));
  return AccountOutcome(*target, std::move(changes));
}

}  // namespace

Result<TransactionOutcome> GrantKindsRule(const TransactionContext& context, const StateReader& state,
                                          const codec::Transaction& transaction) {
  return ChangeKinds(context, state, transaction, /*grant=*/true);
}

Result<TransactionOutcome> WithdrawKindsRule(const TransactionContext& context, const StateReader& state,
                                             const codec::Transaction& transaction) {
  return ChangeKinds(context, state, transaction, /*grant=*/false);
}

Result<TransactionOutcome> AttestIdentityRule(const TransactionContext& context, const StateReader& state,
                                              const codec::Transaction& transaction) {
  RC_ASSIGN_OR_RETURN(const SenderAccount sender, ResolveSender(context, state));
  if (sender.status != ReceiptStatus::kOk) return Reject(sender.status);
  const Result<AttestIdentityPayload> payload = DecodeAttestIdentityPayload(transaction.payload);
  if (!payload.ok()) return Reject(ReceiptStatus::kMalformedPayload);
  if (!HasAnyKind(sender.account, kAuthorityKinds)) return Reject(ReceiptStatus::kMissingRole);
  RC_ASSIGN_OR_RETURN(const std::optional<Account> subject, LoadAccount(state, payload->subject));
  if (!subject.has_value()) return Reject(ReceiptStatus::kUnknownAccount);
  TransactionOutcome outcome;
  RC_ASSIGN_OR_RETURN(const Record record, NewRecord(context, state, outcome.changes, sender,
                                                     RecordType::kAttestation, transaction));
  IndexAttestation(outcome.changes, payload->subject, sender.account.id,
                   static_cast<std::uint8_t>(payload->attribute), record.id);
  outcome.result = EncodeRecordResult({record.id, {}});
  return outcome;
}

Result<TransactionOutcome> RotateKeyRule(const TransactionContext& context, const StateReader& state,
                                         const codec::Transaction& transaction) {
  RC_ASSIGN_OR_RETURN(const SenderAccount sender, ResolveSender(context, state));
  if (sender.status != ReceiptStatus::kOk) return Reject(sender.status);
  const Result<RotateKeyPayload> payload = DecodeRotateKeyPayload(transaction.payload);
  if (!payload.ok()) return Reject(ReceiptStatus::kMalformedPayload);
  RC_ASSIGN_OR_RETURN(const ReceiptStatus key_status,
                      CheckNewKey(context, state, transaction, sender.account.id, payload->new_key));
  if (key_status != ReceiptStatus::kOk) return Reject(key_status);
  Account account = sender.account;
  StateChanges changes;
  ReplaceAccountKey(changes, account, sender.key, KeyStatus::kRotated, transaction.sender_scheme,
                    payload->new_key.public_key, context.block.height);
  return AccountOutcome(account, std::move(changes));
}

Result<TransactionOutcome> RevokeKeyRule(const TransactionContext& context, const StateReader& state,
                                         const codec::Transaction& transaction) {
  RC_ASSIGN_OR_RETURN(const SenderAccount sender, ResolveSender(context, state));
  if (sender.status != ReceiptStatus::kOk) return Reject(sender.status);
  const Result<RevokeKeyPayload> payload = DecodeRevokeKeyPayload(transaction.payload);
  if (!payload.ok()) return Reject(ReceiptStatus::kMalformedPayload);
  RC_ASSIGN_OR_RETURN(Subject subject, ResolveSubjectForAuthority(state, sender, payload->subject));
  if (subject.status != ReceiptStatus::kOk) return Reject(subject.status);
  if (!subject.current_key.has_value()) return Reject(ReceiptStatus::kInvalidField);  // already revoked
  StateChanges changes;
  RevokeAccountKey(changes, subject.account, *subject.current_key, context.block.height);
  return AccountOutcome(subject.account, std::move(changes));
}

Result<TransactionOutcome> RecoverKeyRule(const TransactionContext& context, const StateReader& state,
                                          const codec::Transaction& transaction) {
  RC_ASSIGN_OR_RETURN(const SenderAccount sender, ResolveSender(context, state));
  if (sender.status != ReceiptStatus::kOk) return Reject(sender.status);
  const Result<RecoverKeyPayload> payload = DecodeRecoverKeyPayload(transaction.payload);
  if (!payload.ok()) return Reject(ReceiptStatus::kMalformedPayload);
  RC_ASSIGN_OR_RETURN(Subject subject, ResolveSubjectForAuthority(state, sender, payload->subject));
  if (subject.status != ReceiptStatus::kOk) return Reject(subject.status);
  RC_ASSIGN_OR_RETURN(const ReceiptStatus key_status,
                      CheckNewKey(context, state, transaction, subject.account.id, payload->new_key));
  if (key_status != ReceiptStatus::kOk) return Reject(key_status);
  StateChanges changes;
  ReplaceAccountKey(changes, subject.account, subject.current_key, KeyStatus::kRevoked,
                    transaction.sender_scheme, payload->new_key.public_key, context.block.height);
  return AccountOutcome(subject.account, std::move(changes));
}

}  // namespace rightchain::exec::rules
