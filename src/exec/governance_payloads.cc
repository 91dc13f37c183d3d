#include "exec/governance_payloads.h"

#include <array>

#include "codec/reader.h"
#include "codec/transaction.h"
#include "codec/writer.h"

namespace rightchain::exec {
namespace {

constexpr std::array<NodeRole, 3> kRoles = {NodeRole::kRegulatorConsensus, NodeRole::kConsensus,
                                            NodeRole::kObserver};
enum class ActionTag : std::uint8_t {
  kAddMember = 1,
  kRemoveMember = 2,
  kChangeRole = 3,
  kChangeParameters = 4
};
constexpr std::array<ActionTag, 4> kActionTags = {ActionTag::kAddMember, ActionTag::kRemoveMember,
                                                  ActionTag::kChangeRole, ActionTag::kChangeParameters};

void WriteAction(codec::Writer& writer, const ProposalAction& action) {
  if (const auto* add = std::get_if<AddMember>(&action)) {
    writer.WriteEnum(ActionTag::kAddMember);
    writer.WriteText(add->name, kMaxMemberNameSize);
    writer.WriteEnum(add->role);
    writer.WriteBytes(add->public_key, codec::kMaxPublicKeySize);
    writer.WriteU64(add->voting_power);
  } else if (const auto* remove = std::get_if<RemoveMember>(&action)) {
    writer.WriteEnum(ActionTag::kRemoveMember);
    writer.WriteFixed(remove->member);
    writer.WriteBytes(remove->evidence, kMaxEvidenceSize);
  } else if (const auto* change = std::get_if<ChangeRole>(&action)) {
    writer.WriteEnum(ActionTag::kChangeRole);
    writer.WriteFixed(change->member);
    writer.WriteEnum(change->role);
    writer.WriteU64(change->voting_power);
  } else {
    const auto& parameters = std::get<ChangeParameters>(action);
    writer.WriteEnum(ActionTag::kChangeParameters);
    writer.WriteU32(parameters.target_block_interval_milliseconds);
    writer.WriteU32(parameters.propose_timeout_milliseconds);
    writer.WriteU32(parameters.prevote_timeout_milliseconds);
    writer.WriteU32(parameters.precommit_timeout_milliseconds);
    writer.WriteU32(parameters.max_block_bytes);
    writer.WriteU32(parameters.max_block_transactions);
  }
}

Result<ProposalAction> ReadAction(codec::Reader& reader) {
  RC_ASSIGN_OR_RETURN(const ActionTag tag, reader.ReadEnum<ActionTag>("proposal.action", kActionTags));
  switch (tag) {
    case ActionTag::kAddMember: {
      AddMember add;
      RC_ASSIGN_OR_RETURN(const std::string_view name,
                          reader.ReadText("add_member.name", kMaxMemberNameSize));
      add.name = std::string(name);
      RC_ASSIGN_OR_RETURN(add.role, reader.ReadEnum<NodeRole>("add_member.role", kRoles));
      RC_ASSIGN_OR_RETURN(const ByteView key,
                          reader.ReadBytes("add_member.public_key", codec::kMaxPublicKeySize));
      add.public_key.assign(key.begin(), key.end());
      RC_ASSIGN_OR_RETURN(add.voting_power, reader.ReadU64("add_member.voting_power"));
      return ProposalAction(std::move(add));
    }
    case ActionTag::kRemoveMember: {
      RemoveMember remove;
      RC_ASSIGN_OR_RETURN(remove.member, reader.ReadArray<crypto::kKeyIdSize>("remove_member.member"));
      RC_ASSIGN_OR_RETURN(const ByteView evidence,
                          reader.ReadBytes("remove_member.evidence", kMaxEvidenceSize));
      remove.evidence.assign(evidence.begin(), evidence.end());
      return ProposalAction(std::move(remove));
    }
    case ActionTag::kChangeRole: {
      ChangeRole change;
      RC_ASSIGN_OR_RETURN(change.member, reader.ReadArray<crypto::kKeyIdSize>("change_role.member"));
      RC_ASSIGN_OR_RETURN(change.role, reader.ReadEnum<NodeRole>("change_role.role", kRoles));
      RC_ASSIGN_OR_RETURN(change.voting_power, reader.ReadU64("change_role.voting_power"));
      return ProposalAction(change);
    }
    case ActionTag::kChangeParameters: {
      ChangeParameters parameters;
      RC_ASSIGN_OR_RETURN(parameters.target_block_interval_milliseconds,
                          reader.ReadU32("parameters.interval"));
      RC_ASSIGN_OR_RETURN(parameters.propose_timeout_milliseconds, reader.ReadU32("parameters.propose"));
      RC_ASSIGN_OR_RETURN(parameters.prevote_timeout_milliseconds, reader.ReadU32("parameters.prevote"));
      RC_ASSIGN_OR_RETURN(parameters.precommit_timeout_milliseconds, reader.ReadU32("parameters.precommit"));
      RC_ASSIGN_OR_RETURN(parameters.max_block_bytes, reader.ReadU32("parameters.max_block_bytes"));
      RC_ASSIGN_OR_RETURN(parameters.max_block_transactions,
                          reader.ReadU32("parameters.max_block_transactions"));
      return ProposalAction(parameters);
    }
  }
  return Status::InvalidArgument("unknown proposal action");
}

Status ExpectVersion(codec::Reader& reader, std::string_view object) {
  static constexpr std::array<std::uint8_t, 1> kVersions = {kGovernancePayloadVersion};
  return reader.ReadVersion(std::string(object) + ".version", kVersions).status();
}

}  // namespace

Bytes EncodePayload(const ProposePayload& payload) {
  codec::Writer writer;
  writer.WriteVersion(kGovernancePayloadVersion);
  WriteAction(writer, payload.action);
  writer.WriteU64(payload.expiry_height);
  return std::move(writer).Take();
}

Bytes EncodePayload(const ApprovePayload& payload) {
  codec::Writer writer;
  writer.WriteVersion(kGovernancePayloadVersion);
  writer.WriteU64(payload.proposal_id);
  return std::move(writer).Take();
}

Result<ProposePayload> DecodeProposePayload(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectVersion(reader, "propose"));
  ProposePayload payload;
  RC_ASSIGN_OR_RETURN(payload.action, ReadAction(reader));
  RC_ASSIGN_OR_RETURN(payload.expiry_height, reader.ReadU64("propose.expiry_height"));
  RC_RETURN_IF_ERROR(reader.Finish("propose"));
  return payload;
}

Result<ApprovePayload> DecodeApprovePayload(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(ExpectVersion(reader, "approve"));
  ApprovePayload payload;
  RC_ASSIGN_OR_RETURN(payload.proposal_id, reader.ReadU64("approve.proposal_id"));
  RC_RETURN_IF_ERROR(reader.Finish("approve"));
  return payload;
}

std::string_view ProposalActionName(const ProposalAction& action) {
  if (std::holds_alternative<AddMember>(action)) return "add-member";
  if (std::holds_alternative<RemoveMember>(action)) return "remove-member";
  if (std::holds_alternative<ChangeRole>(action)) return "change-role";
  return "change-parameters";
}

}  // namespace rightchain::exec
