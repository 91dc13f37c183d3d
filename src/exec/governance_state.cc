#include "exec/governance_state.h"

#include <algorithm>
#include <array>

#include "codec/reader.h"
#include "codec/transaction.h"
#include "codec/writer.h"
#include "exec/state_keys.h"

namespace rightchain::exec {
namespace {

constexpr std::string_view kMemberPrefix = "member/";
constexpr std::string_view kProposalPrefix = "proposal/";
constexpr std::string_view kNextProposalIdKey = "proposal-next-id";
constexpr std::string_view kValidatorSetPrefix = "validator-set/";
constexpr std::string_view kValidatorSetLatestKey = "validator-set-latest";
constexpr std::string_view kChainParametersKey = "chain-parameters";
constexpr std::string_view kValidatorSetDomainType = "rightchain/validator-set";
constexpr std::string_view kMemberDomainType = "rightchain/member";
constexpr std::string_view kProposalDomainType = "rightchain/proposal";
constexpr std::string_view kGovernanceResultDomainType = "rightchain/governance-result";
constexpr std::uint8_t kVersion = 1;
constexpr std::array<std::uint8_t, 1> kVersions = {kVersion};
constexpr std::array<NodeRole, 3> kRoles = {NodeRole::kRegulatorConsensus, NodeRole::kConsensus,
                                            NodeRole::kObserver};
constexpr std::array<ProposalStatus, 2> kStatuses = {ProposalStatus::kOpen, ProposalStatus::kExecuted};
// A member's smallest encoding: empty name, role, empty key, power.
constexpr std::size_t kMinMemberSize = 4 + 1 + 4 + 8;

// Every stored object starts with its domain tag and version 1.
codec::Writer StartEncoding(std::string_view domain_type) {
  codec::Writer writer;
  writer.WriteDomainTag(domain_type);
  writer.WriteVersion(kVersion);
  return writer;
}

Status ExpectHeader(codec::Reader& reader, std::string_view object, std::string_view domain_type) {
  RC_RETURN_IF_ERROR(reader.ExpectDomainTag(std::string(object) + ".tag", domain_type));
  return reader.ReadVersion(std::string(object) + ".version", kVersions).status();
}

Bytes KeyWithId(std::string_view prefix, const crypto::KeyId& id) {
  Bytes key = StateKeyPrefix(prefix);
  AppendArray(key, id);
  return key;
}

Bytes KeyWithNumber(std::string_view prefix, std::uint64_t number) {
  Bytes key = StateKeyPrefix(prefix);
  AppendU64(key, number);
  return key;
}

void WriteMember(codec::Writer& writer, const Member& member) {
  writer.WriteText(member.name, kMaxMemberNameSize);
  writer.WriteEnum(member.role);
  writer.WriteBytes(member.public_key, codec::kMaxPublicKeySize);
  writer.WriteU64(member.voting_power);
}

Result<Member> ReadMember(codec::Reader& reader) {
  Member member;
  RC_ASSIGN_OR_RETURN(const std::string_view name, reader.ReadText("member.name", kMaxMemberNameSize));
  member.name = std::string(name);
  RC_ASSIGN_OR_RETURN(member.role, reader.ReadEnum<NodeRole>("member.role", kRoles));
  RC_ASSIGN_OR_RETURN(const ByteView key, reader.ReadBytes("member.public_key", codec::kMaxPublicKeySize));
  member.public_key.assign(key.begin(), key.end());
  RC_ASSIGN_OR_RETURN(member.voting_power, reader.ReadU64("member.voting_power"));
  return member;
}

Bytes EncodeMember(const Member& member) {
  codec::Writer writer = StartEncoding(kMemberDomainType);
  WriteMember(writer, member);
  return std::move(writer).Take();
}

Result<Member> DecodeMember(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectHeader(reader, "member", kMemberDomainType));
  RC_ASSIGN_OR_RETURN(Member member, ReadMember(reader));
  RC_RETURN_IF_ERROR(reader.Finish("member"));
  return member;
}

Bytes EncodeProposal(const Proposal& proposal) {
  codec::Writer writer = StartEncoding(kProposalDomainType);
  writer.WriteU64(proposal.id);
  writer.WriteBytes(EncodePayload(proposal.payload), codec::kMaxPayloadSize);
  writer.WriteFixed(proposal.proposer);
  writer.WriteU64(proposal.created_height);
  writer.WriteEnum(proposal.status);
  writer.WriteU64(proposal.decided_height);
  writer.WriteSequence(proposal.approvals, kMaxGenesisMembers,
                       [](codec::Writer& out, const crypto::KeyId& id) { out.WriteFixed(id); });
  return std::move(writer).Take();
}

Result<Proposal> DecodeProposal(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectHeader(reader, "proposal", kProposalDomainType));
  Proposal proposal;
  RC_ASSIGN_OR_RETURN(proposal.id, reader.ReadU64("proposal.id"));
  RC_ASSIGN_OR_RETURN(const ByteView payload, reader.ReadBytes("proposal.payload", codec::kMaxPayloadSize));
  RC_ASSIGN_OR_RETURN(proposal.payload, DecodeProposePayload(payload));
  RC_ASSIGN_OR_RETURN(proposal.proposer, reader.ReadArray<crypto::kKeyIdSize>("proposal.proposer"));
  RC_ASSIGN_OR_RETURN(proposal.created_height, reader.ReadU64("proposal.created_height"));
  RC_ASSIGN_OR_RETURN(proposal.status, reader.ReadEnum<ProposalStatus>("proposal.status", kStatuses));
  RC_ASSIGN_OR_RETURN(proposal.decided_height, reader.ReadU64("proposal.decided_height"));
  RC_ASSIGN_OR_RETURN(proposal.approvals, reader.ReadSequence<crypto::KeyId>(
                                              "proposal.approvals", kMaxGenesisMembers, crypto::kKeyIdSize,
                                              [](codec::Reader& in) {
                                                return in.ReadArray<crypto::kKeyIdSize>("proposal.approval");
                                              }));
  RC_RETURN_IF_ERROR(reader.Finish("proposal"));
  return proposal;
}

Result<std::uint64_t> DecodeU64Value(ByteView value) {
  if (value.size() != 8) return Status::Corruption("expected 8 bytes");
  return ReadU64At(value, 0);
}

}  // namespace

std::string_view ProposalStatusName(ProposalStatus status) {
  switch (status) {
    case ProposalStatus::kOpen: return "open";
    case ProposalStatus::kExecuted: return "executed";
  }
  return "unknown";
}

Bytes EncodeValidatorSetRecord(const ValidatorSetRecord& record) {
  codec::Writer writer = StartEncoding(kValidatorSetDomainType);
  writer.WriteU64(record.sequence);
  writer.WriteFixed(record.previous_hash);
  writer.WriteU64(record.decided_height);
  writer.WriteU64(record.effective_height);
  writer.WriteU64(record.proposal_id);
  writer.WriteSequence(record.members, kMaxGenesisMembers, WriteMember);
  return std::move(writer).Take();
}

Result<ValidatorSetRecord> DecodeValidatorSetRecord(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectHeader(reader, "validator_set", kValidatorSetDomainType));
  ValidatorSetRecord record;
  RC_ASSIGN_OR_RETURN(record.sequence, reader.ReadU64("validator_set.sequence"));
  RC_ASSIGN_OR_RETURN(record.previous_hash,
                      reader.ReadArray<crypto::kDigestSize>("validator_set.previous_hash"));
  RC_ASSIGN_OR_RETURN(record.decided_height, reader.ReadU64("validator_set.decided_height"));
  RC_ASSIGN_OR_RETURN(record.effective_height, reader.ReadU64("validator_set.effective_height"));
  RC_ASSIGN_OR_RETURN(record.proposal_id, reader.ReadU64("validator_set.proposal_id"));
  RC_ASSIGN_OR_RETURN(record.members, reader.ReadSequence<Member>("validator_set.members", kMaxGenesisMembers,
                                                                  kMinMemberSize, ReadMember));
  RC_RETURN_IF_ERROR(reader.Finish("validator_set"));
  return record;
}

crypto::Digest ValidatorSetRecordHash(crypto::HashAlgorithm algorithm, const ValidatorSetRecord& record) {
  return crypto::Hash(algorithm, EncodeValidatorSetRecord(record));
}

ValidatorSetRecord GenesisValidatorSetRecord(const Genesis& genesis) {
  ValidatorSetRecord record;
  for (const GenesisMember& member : genesis.members) {
    record.members.push_back({member.name, member.role, member.consensus_public_key, member.voting_power});
  }
  std::sort(record.members.begin(), record.members.end(),
            [](const Member& a, const Member& b) { return a.name < b.name; });
  return record;
}

Bytes EncodeGovernanceResult(const GovernanceResult& result) {
  codec::Writer writer = StartEncoding(kGovernanceResultDomainType);
  writer.WriteU64(result.proposal_id);
  writer.WriteEnum(result.status);
  writer.WriteU64(result.approving_power);
  writer.WriteU64(result.total_power);
  writer.WriteBytes(result.validator_set_record, kMaxReceiptResultSize);
  return std::move(writer).Take();
}

Result<GovernanceResult> DecodeGovernanceResult(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectHeader(reader, "governance_result", kGovernanceResultDomainType));
  GovernanceResult result;
  RC_ASSIGN_OR_RETURN(result.proposal_id, reader.ReadU64("governance_result.proposal_id"));
  RC_ASSIGN_OR_RETURN(result.status, reader.ReadEnum<ProposalStatus>("governance_result.status", kStatuses));
  RC_ASSIGN_OR_RETURN(result.approving_power, reader.ReadU64("governance_result.approving_power"));
  RC_ASSIGN_OR_RETURN(result.total_power, reader.ReadU64("governance_result.total_power"));
  RC_ASSIGN_OR_RETURN(const ByteView record,
                      reader.ReadBytes("governance_result.validator_set_record", kMaxReceiptResultSize));
  result.validator_set_record.assign(record.begin(), record.end());
  RC_RETURN_IF_ERROR(reader.Finish("governance_result"));
  return result;
}

Result<std::vector<Member>> LoadMembers(const StateReader& state) {
  const Bytes prefix = StateKeyPrefix(kMemberPrefix);
  std::vector<Member> members;
  Status malformed;
  RC_RETURN_IF_ERROR(state.Scan(prefix, PrefixEnd(prefix), [&](ByteView, ByteView value) {
    Result<Member> member = DecodeMember(value);
    if (!member.ok()) {
      malformed = Status::Corruption("stored member: " + member.status().message());
      return false;
    }
    members.push_back(std::move(member).value());
    return members.size() <= kMaxGenesisMembers;
  }));
  RC_RETURN_IF_ERROR(malformed);
  std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) { return a.name < b.name; });
  return members;
}

Result<std::optional<Member>> LoadMember(const StateReader& state, const crypto::KeyId& member) {
  return LoadDecoded<Member>(state, KeyWithId(kMemberPrefix, member), DecodeMember, "member");
}

Result<std::optional<Proposal>> LoadProposal(const StateReader& state, std::uint64_t id) {
  return LoadDecoded<Proposal>(state, KeyWithNumber(kProposalPrefix, id), DecodeProposal, "proposal");
}

Result<std::vector<Proposal>> LoadProposals(const StateReader& state, std::uint64_t after_id,
                                            std::size_t limit) {
  std::vector<Proposal> proposals;
  if (limit == 0 || after_id == UINT64_MAX) return proposals;
  const Bytes prefix = StateKeyPrefix(kProposalPrefix);
  Status malformed;
  RC_RETURN_IF_ERROR(state.Scan(
      KeyWithNumber(kProposalPrefix, after_id + 1), PrefixEnd(prefix), [&](ByteView, ByteView value) {
        Result<Proposal> proposal = DecodeProposal(value);
        if (!proposal.ok()) {
          malformed = Status::Corruption("stored proposal: " + proposal.status().message());
          return false;
        }
        proposals.push_back(std::move(proposal).value());
        return proposals.size() < limit;
      }));
  RC_RETURN_IF_ERROR(malformed);
  return proposals;
}

Result<std::optional<ValidatorSetRecord>> LoadValidatorSetRecord(const StateReader& state,
                                                                 std::uint64_t sequence) {
  return LoadDecoded<ValidatorSetRecord>(state, KeyWithNumber(kValidatorSetPrefix, sequence),
                                         DecodeValidatorSetRecord, "validator-set record");
}

Result<std::optional<std::uint64_t>> LatestValidatorSetSequence(const StateReader& state) {
  return LoadDecoded<std::uint64_t>(state, StateKeyPrefix(kValidatorSetLatestKey), DecodeU64Value,
                                    "latest validator-set sequence");
}

Result<std::optional<ChangeParameters>> LoadChangedParameters(const StateReader& state) {
  const auto decode = [](ByteView value) -> Result<ChangeParameters> {
    RC_ASSIGN_OR_RETURN(const ProposePayload payload, DecodeProposePayload(value));
    if (!std::holds_alternative<ChangeParameters>(payload.action))
      return Status::Corruption("not parameters");
    return std::get<ChangeParameters>(payload.action);
  };
  return LoadDecoded<ChangeParameters>(state, StateKeyPrefix(kChainParametersKey), decode,
                                       "chain parameters");
}

Result<crypto::KeyId> MemberKeyId(crypto::SuiteId suite, ByteView public_key) {
  return crypto::ComputeKeyId(crypto::GetSuite(suite).signature, public_key);
}

void StoreMember(StateChanges& changes, const crypto::KeyId& key_id, const Member& member) {
  changes.Put(KeyWithId(kMemberPrefix, key_id), EncodeMember(member));
}

void DeleteMember(StateChanges& changes, const crypto::KeyId& key_id) {
  changes.Delete(KeyWithId(kMemberPrefix, key_id));
}

Result<std::uint64_t> AllocateProposalId(const StateReader& state, StateChanges& changes) {
  return AllocateSequentialId(state, changes, kNextProposalIdKey);
}

void StoreProposal(StateChanges& changes, const Proposal& proposal) {
  changes.Put(KeyWithNumber(kProposalPrefix, proposal.id), EncodeProposal(proposal));
}

void StoreValidatorSetRecord(StateChanges& changes, const ValidatorSetRecord& record) {
  changes.Put(KeyWithNumber(kValidatorSetPrefix, record.sequence), EncodeValidatorSetRecord(record));
  Bytes latest;
  AppendU64(latest, record.sequence);
  changes.Put(StateKeyPrefix(kValidatorSetLatestKey), std::move(latest));
}

void StoreChangedParameters(StateChanges& changes, const ChangeParameters& parameters) {
  // Stored as the proposal payload that set them (expiry 0): one encoding for both.
  changes.Put(StateKeyPrefix(kChainParametersKey), EncodePayload(ProposePayload{parameters, 0}));
}

StateChanges GenesisGovernanceChanges(const Genesis& genesis) {
  StateChanges changes;
  for (const GenesisMember& member : genesis.members) {
    const Result<crypto::KeyId> key_id = MemberKeyId(genesis.suite, member.consensus_public_key);
    RC_ASSERT(key_id.ok());  // a valid genesis holds valid keys
    StoreMember(changes, *key_id,
                {member.name, member.role, member.consensus_public_key, member.voting_power});
  }
  StoreValidatorSetRecord(changes, GenesisValidatorSetRecord(genesis));
  return changes;
}

}  // namespace rightchain::exec
