#include "consensus/messages.h"

#include <algorithm>

#include "crypto/domain.h"

namespace rightchain::consensus {
namespace {

// A private big-endian writer/reader; to be replaced by the codec module's Writer/Reader once it
// lands (the bytes are the same: fixed-width big-endian integers).
class ByteWriter {
 public:
  void U8(std::uint8_t value) { bytes_.push_back(value); }
  void U16(std::uint16_t value) { Fixed(value, 2); }
  void U32(std::uint32_t value) { Fixed(value, 4); }
  void U64(std::uint64_t value) { Fixed(value, 8); }
  void Raw(ByteView data) { bytes_.insert(bytes_.end(), data.begin(), data.end()); }
  Bytes Take() { return std::move(bytes_); }

 private:
  void Fixed(std::uint64_t value, int size) {
    for (int i = size - 1; i >= 0; --i) bytes_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
  }
  Bytes bytes_;
};

class ByteReader {
 public:
  explicit ByteReader(ByteView bytes) : bytes_(bytes) {}
  bool U8(std::uint8_t& value) {
    std::uint64_t wide = 0;
    if (!Fixed(wide, 1)) return false;
    value = static_cast<std::uint8_t>(wide);
    return true;
  }
  bool U16(std::uint16_t& value) {
    std::uint64_t wide = 0;
    if (!Fixed(wide, 2)) return false;
    value = static_cast<std::uint16_t>(wide);
    return true;
  }
  bool U32(std::uint32_t& value) {
    std::uint64_t wide = 0;
    if (!Fixed(wide, 4)) return false;
    value = static_cast<std::uint32_t>(wide);
    return true;
  }
  bool U64(std::uint64_t& value) { return Fixed(value, 8); }
  bool Raw(std::size_t size, std::uint8_t* out) {
    if (bytes_.size() - position_ < size) return false;
    std::copy_n(bytes_.begin() + static_cast<std::ptrdiff_t>(position_), size, out);
    position_ += size;
    return true;
  }
  bool AtEnd() const { return position_ == bytes_.size(); }

 private:
  bool Fixed(std::uint64_t& value, std::size_t size) {
    if (bytes_.size() - position_ < size) return false;
    value = 0;
    for (std::size_t i = 0; i < size; ++i) value = (value << 8) | bytes_[position_ + i];
    position_ += size;
    return true;
  }
  ByteView bytes_;
  std::size_t position_ = 0;
};

constexpr std::uint8_t kKindProposal = 1;
constexpr std::uint8_t kKindVote = 2;

void WriteChainId(ByteWriter& writer, std::string_view chain_id) {
  RC_ASSERT(chain_id.size() <= kMaxChainIdSize);
  writer.U8(static_cast<std::uint8_t>(chain_id.size()));
  writer.Raw(AsBytes(chain_id));
}

void WriteVoteFields(ByteWriter& writer, const Vote& vote) {
  writer.U8(static_cast<std::uint8_t>(vote.type));
  writer.U64(vote.height);
  writer.U32(static_cast<std::uint32_t>(vote.round));
  writer.U8(vote.block_hash ? 1 : 0);
  if (vote.block_hash) writer.Raw(*vote.block_hash);
  writer.U32(vote.validator);
}

void WriteProposalFields(ByteWriter& writer, const Proposal& proposal) {
  writer.U64(proposal.height);
  writer.U32(static_cast<std::uint32_t>(proposal.round));
  writer.U32(static_cast<std::uint32_t>(proposal.pol_round));
  writer.Raw(proposal.block_hash);
  writer.U64(static_cast<std::uint64_t>(proposal.block_time));
  writer.U32(proposal.proposer);
}

Status ReadSignature(ByteReader& reader, Bytes& signature) {
  std::uint16_t size = 0;
  if (!reader.U16(size)) return Status::InvalidArgument("consensus message: truncated signature length");
  if (size > kMaxSignatureSize) return Status::LimitExceeded("consensus message: signature too long");
  signature.resize(size);
  if (!reader.Raw(size, signature.data()))
    return Status::InvalidArgument("consensus message: truncated signature");
  return Status::Ok();
}

Status CheckRound(std::uint32_t raw, bool allow_none) {
  const auto round = static_cast<Round>(raw);
  if (round > kMaxRound || round < (allow_none ? kNoRound : 0)) {
    return Status::InvalidArgument("consensus message: round out of range");
  }
  return Status::Ok();
}

Result<Message> DecodeVote(ByteReader& reader) {
  Vote vote;
  std::uint8_t type = 0, has_block = 0;
  std::uint32_t round = 0;
  if (!reader.U8(type) || !reader.U64(vote.height) || !reader.U32(round) || !reader.U8(has_block)) {
    return Status::InvalidArgument("vote: truncated");
  }
  if (type != 1 && type != 2) return Status::InvalidArgument("vote: unknown type");
  if (has_block > 1) return Status::InvalidArgument("vote: bad block flag");
  RC_RETURN_IF_ERROR(CheckRound(round, false));
  vote.type = static_cast<VoteType>(type);
  vote.round = static_cast<Round>(round);
  if (has_block == 1) {
    BlockHash hash{};
    if (!reader.Raw(hash.size(), hash.data())) return Status::InvalidArgument("vote: truncated hash");
    vote.block_hash = hash;
  }
  if (!reader.U32(vote.validator)) return Status::InvalidArgument("vote: truncated validator");
  RC_RETURN_IF_ERROR(ReadSignature(reader, vote.signature));
  return Message(std::move(vote));
}

Result<Message> DecodeProposal(ByteReader& reader) {
  Proposal proposal;
  std::uint32_t round = 0, pol_round = 0;
  std::uint64_t block_time = 0;
  if (!reader.U64(proposal.height) || !reader.U32(round) || !reader.U32(pol_round) ||
      !reader.Raw(proposal.block_hash.size(), proposal.block_hash.data()) || !reader.U64(block_time) ||
      !reader.U32(proposal.proposer)) {
    return Status::InvalidArgument("proposal: truncated");
  }
  RC_RETURN_IF_ERROR(CheckRound(round, false));
  RC_RETURN_IF_ERROR(CheckRound(pol_round, true));
  proposal.round = static_cast<Round>(round);
  proposal.pol_round = static_cast<Round>(pol_round);
  if (proposal.pol_round >= proposal.round)
    return Status::InvalidArgument("proposal: pol_round not below round");
  proposal.block_time = static_cast<TimeMilliseconds>(block_time);
  RC_RETURN_IF_ERROR(ReadSignature(reader, proposal.signature));
  return Message(std::move(proposal));
}

}  // namespace

Bytes VoteSignBytes(std::string_view chain_id, const Vote& vote) {
  ByteWriter writer;
  writer.Raw(crypto::DomainTag(kVoteDomain));
  WriteChainId(writer, chain_id);
  WriteVoteFields(writer, vote);
  return writer.Take();
}

Bytes ProposalSignBytes(std::string_view chain_id, const Proposal& proposal) {
  ByteWriter writer;
  writer.Raw(crypto::DomainTag(kProposalDomain));
  WriteChainId(writer, chain_id);
  WriteProposalFields(writer, proposal);
  return writer.Take();
}

Bytes EncodeMessage(const Message& message) {
  ByteWriter writer;
  const Bytes* signature = nullptr;
  if (const auto* proposal = std::get_if<Proposal>(&message)) {
    writer.U8(kKindProposal);
    WriteProposalFields(writer, *proposal);
    signature = &proposal->signature;
  } else {
    const Vote& vote = std::get<Vote>(message);
    writer.U8(kKindVote);
    WriteVoteFields(writer, vote);
    signature = &vote.signature;
  }
  RC_ASSERT(signature->size() <= kMaxSignatureSize);
  writer.U16(static_cast<std::uint16_t>(signature->size()));
  writer.Raw(*signature);
  return writer.Take();
}

Result<Message> DecodeMessage(ByteView bytes) {
  if (bytes.size() > kMaxMessageSize) return Status::LimitExceeded("consensus message too large");
  ByteReader reader(bytes);
  std::uint8_t kind = 0;
  if (!reader.U8(kind)) return Status::InvalidArgument("consensus message: empty");
  Result<Message> decoded = Status::InvalidArgument("consensus message: unknown kind");
  if (kind == kKindProposal) decoded = DecodeProposal(reader);
  if (kind == kKindVote) decoded = DecodeVote(reader);
  if (!decoded.ok()) return decoded;
  if (!reader.AtEnd()) return Status::InvalidArgument("consensus message: trailing bytes");
  return decoded;
}

}  // namespace rightchain::consensus
