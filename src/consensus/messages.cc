#include "consensus/messages.h"

#include <climits>
#include <optional>
#include <string>

#include "codec/reader.h"
#include "codec/writer.h"

namespace rightchain::consensus {
namespace {

constexpr std::uint8_t kKindProposal = 1;
constexpr std::uint8_t kKindVote = 2;
constexpr std::uint64_t kMaxBlockTime = static_cast<std::uint64_t>(INT64_MAX);

void WriteVoteFields(codec::Writer& writer, const Vote& vote) {
  writer.WriteEnum(vote.type);
  writer.WriteU64(vote.height);
  writer.WriteU32(static_cast<std::uint32_t>(vote.round));
  writer.WriteOptional(vote.block_hash, [](codec::Writer& w, const BlockHash& hash) { w.WriteFixed(hash); });
  writer.WriteU32(vote.validator);
}

void WriteProposalFields(codec::Writer& writer, const Proposal& proposal) {
  RC_ASSERT(proposal.block_time >= 0);
  writer.WriteU64(proposal.height);
  writer.WriteU32(static_cast<std::uint32_t>(proposal.round));
  const std::optional<std::uint32_t> pol_round =
      proposal.pol_round == kNoRound ? std::nullopt : std::optional<std::uint32_t>(proposal.pol_round);
  writer.WriteOptional(pol_round, [](codec::Writer& w, std::uint32_t round) { w.WriteU32(round); });
  writer.WriteFixed(proposal.block_hash);
  writer.WriteU64(static_cast<std::uint64_t>(proposal.block_time));
  writer.WriteU32(proposal.proposer);
}

Result<Round> ReadRound(codec::Reader& reader, std::string_view field) {
  RC_ASSIGN_OR_RETURN(const std::uint32_t round, reader.ReadU32(field));
  if (round > static_cast<std::uint32_t>(kMaxRound)) return reader.Fail(field, "round out of range");
  return static_cast<Round>(round);
}

Result<Bytes> ReadSignature(codec::Reader& reader, std::string_view field) {
  RC_ASSIGN_OR_RETURN(const ByteView signature, reader.ReadBytes(field, kMaxSignatureSize));
  return Bytes(signature.begin(), signature.end());
}

Result<Message> DecodeVote(codec::Reader& reader) {
  static constexpr VoteType kTypes[] = {VoteType::kPrevote, VoteType::kPrecommit};
  Vote vote;
  RC_ASSIGN_OR_RETURN(vote.type, reader.ReadEnum<VoteType>("vote.type", kTypes));
  RC_ASSIGN_OR_RETURN(vote.height, reader.ReadU64("vote.height"));
  RC_ASSIGN_OR_RETURN(vote.round, ReadRound(reader, "vote.round"));
  RC_ASSIGN_OR_RETURN(vote.block_hash,
                      reader.ReadOptional<BlockHash>("vote.block_hash", [](codec::Reader& r) {
                        return r.ReadArray<crypto::kDigestSize>("vote.block_hash");
                      }));
  RC_ASSIGN_OR_RETURN(vote.validator, reader.ReadU32("vote.validator"));
  RC_ASSIGN_OR_RETURN(vote.signature, ReadSignature(reader, "vote.signature"));
  RC_RETURN_IF_ERROR(reader.Finish("vote"));
  return Message(std::move(vote));
}

Result<Message> DecodeProposal(codec::Reader& reader) {
  Proposal proposal;
  RC_ASSIGN_OR_RETURN(proposal.height, reader.ReadU64("proposal.height"));
  RC_ASSIGN_OR_RETURN(proposal.round, ReadRound(reader, "proposal.round"));
  RC_ASSIGN_OR_RETURN(const std::optional<Round> pol_round,
                      reader.ReadOptional<Round>("proposal.pol_round", [](codec::Reader& r) {
                        return ReadRound(r, "proposal.pol_round");
                      }));
  proposal.pol_round = pol_round.value_or(kNoRound);
  if (proposal.pol_round >= proposal.round) return reader.Fail("proposal.pol_round", "not below the round");
  RC_ASSIGN_OR_RETURN(proposal.block_hash, reader.ReadArray<crypto::kDigestSize>("proposal.block_hash"));
  RC_ASSIGN_OR_RETURN(const std::uint64_t block_time, reader.ReadU64("proposal.block_time"));
  if (block_time > kMaxBlockTime) return reader.Fail("proposal.block_time", "out of range");
  proposal.block_time = static_cast<TimeMilliseconds>(block_time);
  RC_ASSIGN_OR_RETURN(proposal.proposer, reader.ReadU32("proposal.proposer"));
  RC_ASSIGN_OR_RETURN(proposal.signature, ReadSignature(reader, "proposal.signature"));
  RC_RETURN_IF_ERROR(reader.Finish("proposal"));
  return Message(std::move(proposal));
}

}  // namespace

Bytes VoteSignBytes(std::string_view chain_id, const Vote& vote) {
  codec::Writer writer(128);
  writer.WriteDomainTag(kVoteDomain);
  writer.WriteText(chain_id, kMaxChainIdSize);
  WriteVoteFields(writer, vote);
  return std::move(writer).Take();
}

Bytes ProposalSignBytes(std::string_view chain_id, const Proposal& proposal) {
  codec::Writer writer(160);
  writer.WriteDomainTag(kProposalDomain);
  writer.WriteText(chain_id, kMaxChainIdSize);
  WriteProposalFields(writer, proposal);
  return std::move(writer).Take();
}

Bytes EncodeMessage(const Message& message) {
  codec::Writer writer(160);
  if (const auto* proposal = std::get_if<Proposal>(&message)) {
    writer.WriteU8(kKindProposal);
    WriteProposalFields(writer, *proposal);
    writer.WriteBytes(proposal->signature, kMaxSignatureSize);
  } else {
    const Vote& vote = std::get<Vote>(message);
    writer.WriteU8(kKindVote);
    WriteVoteFields(writer, vote);
    writer.WriteBytes(vote.signature, kMaxSignatureSize);
  }
  return std::move(writer).Take();
}

Result<Message> DecodeMessage(ByteView bytes) {
  if (bytes.size() > kMaxMessageSize) return Status::LimitExceeded("consensus message too large");
  codec::Reader reader(bytes);
  RC_ASSIGN_OR_RETURN(const std::uint8_t kind, reader.ReadU8("message.kind"));
  if (kind == kKindProposal) return DecodeProposal(reader);
  if (kind == kKindVote) return DecodeVote(reader);
  return Status::InvalidArgument("message.kind: unknown kind " + std::to_string(kind));
}

}  // namespace rightchain::consensus
