// The rules of kinds 48 (propose) and 49 (approve): who may act, what a valid action is, when a
// proposal passes, and what passing changes (docs/governance.md).
#include <algorithm>

#include "base/assert.h"
#include "exec/governance.h"
#include "exec/governance_state.h"

namespace rightchain::exec {
namespace {

// Bounds of the parameters a proposal may set.
constexpr std::uint32_t kMinIntervalMilliseconds = 100;
constexpr std::uint32_t kMaxIntervalMilliseconds = 60'000;
constexpr std::uint32_t kMinBlockBytes = 64 * 1024;
constexpr std::uint32_t kMaxBlockTransactions = 100'000;
// Validators take their seat two heights after the deciding block (the consensus engine's rule).
constexpr std::uint64_t kValidatorChangeDelayHeights = 2;

TransactionOutcome Reject(ReceiptStatus status) {
  TransactionOutcome outcome;
  outcome.status = status;
  return outcome;
}

bool IsValidator(NodeRole role) {
  return role != NodeRole::kObserver;
}

// A role and power agree: validators have a positive power within the engine's bound,
// observers none.
bool RoleAndPowerAgree(NodeRole role, std::uint64_t power) {
  if (!IsValidator(role)) return power == 0;
  return power > 0 && power <= kMaxMemberVotingPower;
}

bool IsMemberName(std::string_view name) {
  if (name.empty() || name.size() > kMaxMemberNameSize) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

struct MemberEntry {
  crypto::KeyId key_id{};
  Member member;
};

Result<std::vector<MemberEntry>> LoadMemberEntries(const BlockContext& block, const StateReader& state) {
  RC_ASSIGN_OR_RETURN(const std::vector<Member> members, LoadMembers(state));
  std::vector<MemberEntry> entries;
  for (const Member& member : members) {
    RC_ASSIGN_OR_RETURN(const crypto::KeyId key_id, MemberKeyId(block.suite, member.public_key));
    entries.push_back({key_id, member});
  }
  return entries;
}

const MemberEntry* Find(const std::vector<MemberEntry>& entries, const crypto::KeyId& key_id) {
  const auto found = std::find_if(entries.begin(), entries.end(),
                                  [&](const MemberEntry& entry) { return entry.key_id == key_id; });
  return found == entries.end() ? nullptr : &*found;
}

// The member set after `action`, or the status that refuses the action against `entries`.
Result<std::vector<MemberEntry>> Apply(const BlockContext& block, std::vector<MemberEntry> entries,
                                       const ProposalAction& action, ReceiptStatus& refusal) {
  refusal = ReceiptStatus::kInvalidField;
  if (const auto* add = std::get_if<AddMember>(&action)) {
    if (!IsMemberName(add->name) || !RoleAndPowerAgree(add->role, add->voting_power)) return entries;
    const Result<crypto::KeyId> key_id = MemberKeyId(block.suite, add->public_key);
    if (!key_id.ok()) return entries;
    for (const MemberEntry& entry : entries) {
      if (entry.key_id == *key_id || entry.member.name == add->name) return entries;
    }
    entries.push_back({*key_id, {add->name, add->role, add->public_key, add->voting_power}});
  } else if (const auto* remove = std::get_if<RemoveMember>(&action)) {
    const auto erased =
        std::erase_if(entries, [&](const MemberEntry& entry) { return entry.key_id == remove->member; });
    if (erased == 0) return entries;
  } else if (const auto* change = std::get_if<ChangeRole>(&action)) {
    if (!RoleAndPowerAgree(change->role, change->voting_power)) return entries;
    const auto found = std::find_if(entries.begin(), entries.end(),
                                    [&](const MemberEntry& entry) { return entry.key_id == change->member; });
    if (found == entries.end()) return entries;
    found->member.role = change->role;
    found->member.voting_power = change->voting_power;
  } else {
    const auto& parameters = std::get<ChangeParameters>(action);
    const auto within = [](std::uint32_t value, std::uint32_t low, std::uint32_t high) {
      return value >= low && value <= high;
    };
    if (!within(parameters.target_block_interval_milliseconds, kMinIntervalMilliseconds,
                kMaxIntervalMilliseconds) ||
        !within(parameters.propose_timeout_milliseconds, kMinIntervalMilliseconds,
                kMaxIntervalMilliseconds) ||
        !within(parameters.prevote_timeout_milliseconds, kMinIntervalMilliseconds,
                kMaxIntervalMilliseconds) ||
        !within(parameters.precommit_timeout_milliseconds, kMinIntervalMilliseconds,
                kMaxIntervalMilliseconds) ||
        !within(parameters.max_block_bytes, kMinBlockBytes, kMaxBlockBytesCeiling) ||
        !within(parameters.max_block_transactions, 1, kMaxBlockTransactions)) {
      return entries;
    }
  }
  // A consortium keeps at least one validator.
  if (std::none_of(entries.begin(), entries.end(),
                   [](const MemberEntry& entry) { return entry.member.voting_power > 0; })) {
    return entries;
  }
  refusal = ReceiptStatus::kOk;
  return entries;
}

struct Tally {
  std::uint64_t approving_power = 0;
  std::uint64_t total_power = 0;
  bool regulator_approved = false;
  bool has_regulator = false;
  bool Passes() const {
    // Strictly more than 2/3, in integers: 3 × approving > 2 × total (powers ≤ 2^40 × 256).
    return 3 * approving_power > 2 * total_power && (regulator_approved || !has_regulator);
  }
};

Tally Count(const std::vector<MemberEntry>& entries, const Proposal& proposal) {
  Tally tally;
  for (const MemberEntry& entry : entries) {
    tally.total_power += entry.member.voting_power;
    const bool regulator =
        entry.member.role == NodeRole::kRegulatorConsensus && entry.member.voting_power > 0;
    tally.has_regulator = tally.has_regulator || regulator;
    if (std::find(proposal.approvals.begin(), proposal.approvals.end(), entry.key_id) ==
        proposal.approvals.end())
      continue;
    tally.approving_power += entry.member.voting_power;
    tally.regulator_approved = tally.regulator_approved || regulator;
  }
  return tally;
}

// Validator changes between two member sets: every key whose power differs.
std::vector<ValidatorChange> Differences(const std::vector<MemberEntry>& before,
                                         const std::vector<MemberEntry>& after) {
  std::vector<ValidatorChange> changes;
  for (const MemberEntry& entry : after) {
    const MemberEntry* old = Find(before, entry.key_id);
    const std::uint64_t old_power = old == nullptr ? 0 : old->member.voting_power;
    if (old_power != entry.member.voting_power)
      changes.push_back({entry.member.public_key, entry.member.voting_power});
  }
  for (const MemberEntry& entry : before) {
    if (Find(after, entry.key_id) == nullptr && entry.member.voting_power > 0) {
      changes.push_back({entry.member.public_key, 0});
    }
  }
  return changes;
}

// Records the approval state; executes the proposal when it passes.
Result<TransactionOutcome> Decide(const TransactionContext& context, const StateReader& state,
                                  const std::vector<MemberEntry>& entries, Proposal proposal,
                                  StateChanges changes) {
  const Tally tally = Count(entries, proposal);
  GovernanceResult result{proposal.id, ProposalStatus::kOpen, tally.approving_power, tally.total_power, {}};
  TransactionOutcome outcome;
  if (tally.Passes()) {
    ReceiptStatus refusal = ReceiptStatus::kOk;
    RC_ASSIGN_OR_RETURN(const std::vector<MemberEntry> after,
                        Apply(context.block, entries, proposal.payload.action, refusal));
    // The action was valid when proposed; the member set may have moved since.
    if (refusal != ReceiptStatus::kOk) return Reject(refusal);
    for (const MemberEntry& entry : entries) {
      if (Find(after, entry.key_id) == nullptr) DeleteMember(changes, entry.key_id);
    }
    for (const MemberEntry& entry : after) StoreMember(changes, entry.key_id, entry.member);
    if (const auto* parameters = std::get_if<ChangeParameters>(&proposal.payload.action)) {
      StoreChangedParameters(changes, *parameters);
    }
    RC_ASSIGN_OR_RETURN(const std::optional<std::uint64_t> latest, LatestValidatorSetSequence(state));
    if (!latest.has_value()) return Status::Corruption("no validator-set record in state");
    RC_ASSIGN_OR_RETURN(const std::optional<ValidatorSetRecord> previous,
                        LoadValidatorSetRecord(state, *latest));
    if (!previous.has_value()) return Status::Corruption("the latest validator-set record is missing");
    ValidatorSetRecord record;
    record.sequence = *latest + 1;
    record.previous_hash = ValidatorSetRecordHash(crypto::GetSuite(context.block.suite).hash, *previous);
    record.decided_height = context.block.height;
    record.effective_height = context.block.height + kValidatorChangeDelayHeights;
    record.proposal_id = proposal.id;
    for (const MemberEntry& entry : after) record.members.push_back(entry.member);
    std::sort(record.members.begin(), record.members.end(),
              [](const Member& a, const Member& b) { return a.name < b.name; });
    StoreValidatorSetRecord(changes, record);
    proposal.status = ProposalStatus::kExecuted;
    proposal.decided_height = context.block.height;
    result.status = ProposalStatus::kExecuted;
    result.validator_set_record = EncodeValidatorSetRecord(record);
    outcome.validator_changes = Differences(entries, after);
  }
  StoreProposal(changes, proposal);
  outcome.result = EncodeGovernanceResult(result);
  outcome.changes = std::move(changes);
  return outcome;
}

// The signer as a voting member, or nullptr.
const MemberEntry* Voter(const std::vector<MemberEntry>& entries, const TransactionContext& context) {
  const MemberEntry* entry = Find(entries, context.sender);
  return entry != nullptr && entry->member.voting_power > 0 ? entry : nullptr;
}

Result<TransactionOutcome> ProposeRule(const TransactionContext& context, const StateReader& state,
                                       const codec::Transaction& transaction) {
  RC_ASSIGN_OR_RETURN(const std::vector<MemberEntry> entries, LoadMemberEntries(context.block, state));
  if (Voter(entries, context) == nullptr) return Reject(ReceiptStatus::kNotAMember);
  const Result<ProposePayload> payload = DecodeProposePayload(transaction.payload);
  if (!payload.ok()) return Reject(ReceiptStatus::kMalformedPayload);
  if (payload->expiry_height < context.block.height ||
      payload->expiry_height - context.block.height > kMaxProposalLifetimeHeights) {
    return Reject(ReceiptStatus::kInvalidField);
  }
  ReceiptStatus refusal = ReceiptStatus::kOk;
  RC_RETURN_IF_ERROR(Apply(context.block, entries, payload->action, refusal).status());
  if (refusal != ReceiptStatus::kOk) return Reject(refusal);

  StateChanges changes;
  Proposal proposal;
  RC_ASSIGN_OR_RETURN(proposal.id, AllocateProposalId(state, changes));
  proposal.payload = *payload;
  proposal.proposer = context.sender;
  proposal.created_height = context.block.height;
  proposal.approvals = {context.sender};  // proposing is approving
  return Decide(context, OverlayState(state, changes), entries, std::move(proposal), std::move(changes));
}

Result<TransactionOutcome> ApproveRule(const TransactionContext& context, const StateReader& state,
                                       const codec::Transaction& transaction) {
  RC_ASSIGN_OR_RETURN(const std::vector<MemberEntry> entries, LoadMemberEntries(context.block, state));
  if (Voter(entries, context) == nullptr) return Reject(ReceiptStatus::kNotAMember);
  const Result<ApprovePayload> payload = DecodeApprovePayload(transaction.payload);
  if (!payload.ok()) return Reject(ReceiptStatus::kMalformedPayload);
  RC_ASSIGN_OR_RETURN(std::optional<Proposal> proposal, LoadProposal(state, payload->proposal_id));
  if (!proposal.has_value()) return Reject(ReceiptStatus::kUnknownProposal);
  if (proposal->status != ProposalStatus::kOpen || context.block.height > proposal->payload.expiry_height) {
    return Reject(ReceiptStatus::kProposalClosed);
  }
  if (std::find(proposal->approvals.begin(), proposal->approvals.end(), context.sender) !=
      proposal->approvals.end()) {
    return Reject(ReceiptStatus::kAlreadyApproved);
  }
  proposal->approvals.push_back(context.sender);
  return Decide(context, state, entries, std::move(*proposal), StateChanges());
}

}  // namespace

Result<bool> IsVotingMember(crypto::SuiteId suite, const StateReader& state, const crypto::KeyId& key_id) {
  RC_ASSIGN_OR_RETURN(const std::vector<Member> members, LoadMembers(state));
  for (const Member& member : members) {
    RC_ASSIGN_OR_RETURN(const crypto::KeyId member_key, MemberKeyId(suite, member.public_key));
    if (member_key == key_id) return member.voting_power > 0;
  }
  return false;
}

void RegisterGovernanceKinds(Executor& executor) {
  executor.RegisterKind(static_cast<std::uint16_t>(TransactionKind::kPropose), ProposeRule);
  executor.RegisterKind(static_cast<std::uint16_t>(TransactionKind::kApprove), ApproveRule);
}

}  // namespace rightchain::exec
