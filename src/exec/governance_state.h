// The consortium's membership in state, its proposals, and the chain of validator-set records
// (docs/governance.md). Every change of the member set produces a record naming the whole new set
// and the hash of the record before it, back to the genesis record (sequence 0): a verifier holding
// genesis follows the chain to the current set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/hash.h"
#include "crypto/public_key.h"
#include "exec/genesis.h"
#include "exec/governance_payloads.h"
#include "exec/state.h"

namespace rightchain::exec {

struct Member {
  std::string name;
  NodeRole role = NodeRole::kConsensus;
  Bytes public_key;                // consensus key, raw
  std::uint64_t voting_power = 0;  // 0 for observers
  friend bool operator==(const Member&, const Member&) = default;
};

enum class ProposalStatus : std::uint8_t { kOpen = 1, kExecuted = 2 };
std::string_view ProposalStatusName(ProposalStatus status);

struct Proposal {
  std::uint64_t id = 0;
  ProposePayload payload;
  crypto::KeyId proposer{};
  std::uint64_t created_height = 0;
  ProposalStatus status = ProposalStatus::kOpen;
  std::uint64_t decided_height = 0;      // when executed
  std::vector<crypto::KeyId> approvals;  // members' key ids, in the order they approved
  friend bool operator==(const Proposal&, const Proposal&) = default;
};

struct ValidatorSetRecord {
  std::uint64_t sequence = 0;          // 0: genesis
  crypto::Digest previous_hash{};      // the hash of record sequence - 1; zero for genesis
  std::uint64_t decided_height = 0;    // the block whose transaction decided the change (0: genesis)
  std::uint64_t effective_height = 0;  // the first height the new validators vote on (decided + 2)
  std::uint64_t proposal_id = 0;       // 0 for genesis
  std::vector<Member> members;         // every member after the change, by name
  friend bool operator==(const ValidatorSetRecord&, const ValidatorSetRecord&) = default;
};

// DomainTag("rightchain/validator-set") ‖ version 1 ‖ sequence u64 ‖ previous hash [32]
// ‖ decided height u64 ‖ effective height u64 ‖ proposal id u64
// ‖ sequence(text(name) ‖ role u8 ‖ bytes(public key) ‖ voting power u64)
Bytes EncodeValidatorSetRecord(const ValidatorSetRecord& record);
Result<ValidatorSetRecord> DecodeValidatorSetRecord(ByteView encoding);
crypto::Digest ValidatorSetRecordHash(crypto::HashAlgorithm algorithm, const ValidatorSetRecord& record);
ValidatorSetRecord GenesisValidatorSetRecord(const Genesis& genesis);

// The receipt result of governance transactions.
struct GovernanceResult {
  std::uint64_t proposal_id = 0;
  ProposalStatus status = ProposalStatus::kOpen;
  std::uint64_t approving_power = 0;
  std::uint64_t total_power = 0;
  Bytes validator_set_record;  // the new record's encoding when this transaction executed the proposal
  friend bool operator==(const GovernanceResult&, const GovernanceResult&) = default;
};
Bytes EncodeGovernanceResult(const GovernanceResult& result);
Result<GovernanceResult> DecodeGovernanceResult(ByteView encoding);

// --- state ---------------------------------------------------------------------------------

// Members keyed by their consensus key's id, for `scheme`.
Result<std::vector<Member>> LoadMembers(const StateReader& state);  // by name
Result<std::optional<Member>> LoadMember(const StateReader& state, const crypto::KeyId& member);
Result<std::optional<Proposal>> LoadProposal(const StateReader& state, std::uint64_t id);
// Proposals with ids above `after_id`, ascending, at most `limit`.
Result<std::vector<Proposal>> LoadProposals(const StateReader& state, std::uint64_t after_id,
                                            std::size_t limit);
Result<std::optional<ValidatorSetRecord>> LoadValidatorSetRecord(const StateReader& state,
                                                                 std::uint64_t sequence);
Result<std::optional<std::uint64_t>> LatestValidatorSetSequence(const StateReader& state);
// The chain parameters a governance proposal set last, if any (genesis's otherwise).
Result<std::optional<ChangeParameters>> LoadChangedParameters(const StateReader& state);

// --- writing (execution) -------------------------------------------------------------------
Result<crypto::KeyId> MemberKeyId(crypto::SuiteId suite, ByteView public_key);
void StoreMember(StateChanges& changes, const crypto::KeyId& key_id, const Member& member);
void DeleteMember(StateChanges& changes, const crypto::KeyId& key_id);
Result<std::uint64_t> AllocateProposalId(const StateReader& state, StateChanges& changes);
void StoreProposal(StateChanges& changes, const Proposal& proposal);
void StoreValidatorSetRecord(StateChanges& changes, const ValidatorSetRecord& record);
void StoreChangedParameters(StateChanges& changes, const ChangeParameters& parameters);

// Genesis members and the genesis validator-set record, as state of the first block.
StateChanges GenesisGovernanceChanges(const Genesis& genesis);

}  // namespace rightchain::exec
