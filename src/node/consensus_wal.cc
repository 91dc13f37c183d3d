#include "node/consensus_wal.h"

#include <algorithm>

#include <array>

#include "codec/reader.h"
#include "codec/writer.h"
#include "consensus/messages.h"
#include "ledger/block.h"

namespace rightchain::node {
namespace {

constexpr std::string_view kWalDomainType = "rightchain/consensus-wal";
constexpr std::uint8_t kWalVersion = 1;
constexpr std::size_t kMaxOwnMessages = consensus::kMaxOwnMessagesPerHeight;
constexpr std::size_t kMaxSignBytes = 1024;
constexpr std::size_t kMaxCertificateBytes = 1 << 20;

void WriteRound(codec::Writer& writer, consensus::Round round) {
  RC_ASSERT(round >= consensus::kNoRound);
  writer.WriteU32(static_cast<std::uint32_t>(round + 1));
}

Result<consensus::Round> ReadRound(codec::Reader& reader, std::string_view field) {
  RC_ASSIGN_OR_RETURN(const std::uint32_t shifted, reader.ReadU32(field));
  if (shifted > static_cast<std::uint32_t>(consensus::kMaxRound) + 1) {
    return Status::InvalidArgument(std::string(field) + ": round out of range");
  }
  return static_cast<consensus::Round>(shifted) - 1;
}

void WriteMessage(codec::Writer& writer, const consensus::Message& message) {
  writer.WriteBytes(consensus::EncodeMessage(message), consensus::kMaxMessageSize);
}

Result<consensus::Message> ReadMessage(codec::Reader& reader, std::string_view field) {
  RC_ASSIGN_OR_RETURN(const ByteView bytes, reader.ReadBytes(field, consensus::kMaxMessageSize));
  return consensus::DecodeMessage(bytes);
}

Result<consensus::Proposal> ReadProposal(codec::Reader& reader, std::string_view field) {
  RC_ASSIGN_OR_RETURN(consensus::Message message, ReadMessage(reader, field));
  if (!std::holds_alternative<consensus::Proposal>(message)) {
    return Status::InvalidArgument(std::string(field) + ": not a proposal");
  }
  return std::get<consensus::Proposal>(std::move(message));
}

}  // namespace

Bytes EncodeDurableState(const consensus::DurableState& state) {
  codec::Writer writer;
  writer.WriteDomainTag(kWalDomainType);
  writer.WriteVersion(kWalVersion);
  writer.WriteU64(state.height);
  WriteRound(writer, state.round);
  writer.WriteEnum(state.step);
  writer.WriteOptional(state.locked,
                       [](codec::Writer& out, const consensus::Proposal& p) { WriteMessage(out, p); });
  WriteRound(writer, state.locked_round);
  writer.WriteOptional(state.valid,
                       [](codec::Writer& out, const consensus::Proposal& p) { WriteMessage(out, p); });
  WriteRound(writer, state.valid_round);
  for (const consensus::LaneState& lane : state.signer.lanes) {
    writer.WriteBool(lane.has_signed);
    writer.WriteU64(lane.position.height);
    WriteRound(writer, lane.position.round);
    writer.WriteU8(lane.position.step);
    writer.WriteBytes(lane.sign_bytes, kMaxSignBytes);
    writer.WriteBytes(lane.signature, consensus::kMaxSignatureSize);
  }
  // A height that goes through many rounds (a long partition) signs more messages than the record
  // holds: only the latest are kept. They are for re-sending after a restart; older rounds' votes
  // are never signed again either way (the signer lanes above guard it).
  const std::size_t kept = std::min(state.own_messages.size(), kMaxOwnMessages);
  const std::vector<consensus::Message> latest(state.own_messages.end() - static_cast<std::ptrdiff_t>(kept),
                                               state.own_messages.end());
  writer.WriteSequence(latest, kMaxOwnMessages, WriteMessage);
  writer.WriteOptional(state.last_decision, [](codec::Writer& out, const consensus::Decision& decision) {
    WriteMessage(out, decision.proposal);
    out.WriteU64(decision.height);
    WriteRound(out, decision.round);
    out.WriteFixed(decision.block_hash);
    out.WriteU64(static_cast<std::uint64_t>(decision.block_time));
    out.WriteBytes(ledger::EncodeCommitCertificate(decision.certificate), kMaxCertificateBytes);
  });
  return std::move(writer).Take();
}

Result<consensus::DurableState> DecodeDurableState(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(reader.ExpectDomainTag("consensus_wal", kWalDomainType));
  static constexpr std::array<std::uint8_t, 1> kVersions = {kWalVersion};
  RC_RETURN_IF_ERROR(reader.ReadVersion("consensus_wal.version", kVersions).status());
  consensus::DurableState state;
  RC_ASSIGN_OR_RETURN(state.height, reader.ReadU64("consensus_wal.height"));
  RC_ASSIGN_OR_RETURN(state.round, ReadRound(reader, "consensus_wal.round"));
  static constexpr std::array<consensus::Step, 3> kSteps = {
      consensus::Step::kPropose, consensus::Step::kPrevote, consensus::Step::kPrecommit};
  RC_ASSIGN_OR_RETURN(state.step, reader.ReadEnum<consensus::Step>("consensus_wal.step", kSteps));
  RC_ASSIGN_OR_RETURN(state.locked,
                      reader.ReadOptional<consensus::Proposal>("consensus_wal.locked", [](codec::Reader& in) {
                        return ReadProposal(in, "consensus_wal.locked");
                      }));
  RC_ASSIGN_OR_RETURN(state.locked_round, ReadRound(reader, "consensus_wal.locked_round"));
  RC_ASSIGN_OR_RETURN(state.valid,
                      reader.ReadOptional<consensus::Proposal>("consensus_wal.valid", [](codec::Reader& in) {
                        return ReadProposal(in, "consensus_wal.valid");
                      }));
  RC_ASSIGN_OR_RETURN(state.valid_round, ReadRound(reader, "consensus_wal.valid_round"));
  for (consensus::LaneState& lane : state.signer.lanes) {
    RC_ASSIGN_OR_RETURN(lane.has_signed, reader.ReadBool("consensus_wal.lane.has_signed"));
    RC_ASSIGN_OR_RETURN(lane.position.height, reader.ReadU64("consensus_wal.lane.height"));
    RC_ASSIGN_OR_RETURN(lane.position.round, ReadRound(reader, "consensus_wal.lane.round"));
    RC_ASSIGN_OR_RETURN(lane.position.step, reader.ReadU8("consensus_wal.lane.step"));
    RC_ASSIGN_OR_RETURN(const ByteView sign_bytes,
                        reader.ReadBytes("consensus_wal.lane.sign_bytes", kMaxSignBytes));
    lane.sign_bytes.assign(sign_bytes.begin(), sign_bytes.end());
    RC_ASSIGN_OR_RETURN(const ByteView signature,
                        reader.ReadBytes("consensus_wal.lane.signature", consensus::kMaxSignatureSize));
    lane.signature.assign(signature.begin(), signature.end());
  }
  RC_ASSIGN_OR_RETURN(state.own_messages,
                      reader.ReadSequence<consensus::Message>(
                          "consensus_wal.own_messages", kMaxOwnMessages, 5,
                          [](codec::Reader& in) { return ReadMessage(in, "consensus_wal.own_message"); }));
  RC_ASSIGN_OR_RETURN(
      state.last_decision,
      reader.ReadOptional<consensus::Decision>(
          "consensus_wal.last_decision", [](codec::Reader& in) -> Result<consensus::Decision> {
            consensus::Decision decision;
            RC_ASSIGN_OR_RETURN(decision.proposal, ReadProposal(in, "consensus_wal.decision.proposal"));
            RC_ASSIGN_OR_RETURN(decision.height, in.ReadU64("consensus_wal.decision.height"));
            RC_ASSIGN_OR_RETURN(decision.round, ReadRound(in, "consensus_wal.decision.round"));
            RC_ASSIGN_OR_RETURN(decision.block_hash, in.ReadArray<32>("consensus_wal.decision.block_hash"));
            RC_ASSIGN_OR_RETURN(const std::uint64_t time, in.ReadU64("consensus_wal.decision.block_time"));
            decision.block_time = static_cast<consensus::TimeMilliseconds>(time);
            RC_ASSIGN_OR_RETURN(const ByteView certificate,
                                in.ReadBytes("consensus_wal.decision.certificate", kMaxCertificateBytes));
            RC_ASSIGN_OR_RETURN(decision.certificate, ledger::DecodeCommitCertificate(certificate));
            return decision;
          }));
  RC_RETURN_IF_ERROR(reader.Finish("consensus_wal"));
  return state;
}

}  // namespace rightchain::node
