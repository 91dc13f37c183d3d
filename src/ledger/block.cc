#include "ledger/block.h"

#include <array>

#include "codec/reader.h"
#include "codec/writer.h"

namespace rightchain::ledger {
namespace {

constexpr std::array<std::uint8_t, 1> kVersions = {kLedgerObjectVersion};
constexpr std::size_t kMaxChainIdSize = 64;
// Smallest commit certificate encoding: tag, version, height, round, hash, count.
constexpr std::size_t kMinCommitCertificateSize =
    2 + kCommitCertificateDomainType.size() + 1 + 8 + 4 + 32 + 4;

void WriteHeader(codec::Writer& writer, const BlockHeader& header) {
  writer.WriteDomainTag(kBlockHeaderDomainType);
  writer.WriteVersion(kLedgerObjectVersion);
  writer.WriteText(header.chain_id, kMaxChainIdSize);
  writer.WriteU32(header.protocol_version);
  writer.WriteU64(header.height);
  writer.WriteU64(static_cast<std::uint64_t>(header.time_milliseconds));
  writer.WriteFixed(header.previous_block_hash);
  writer.WriteFixed(header.previous_commit_hash);
  writer.WriteFixed(header.transactions_root);
  writer.WriteFixed(header.receipts_root);
  writer.WriteU64(header.log_size);
  writer.WriteFixed(header.log_root);
  writer.WriteFixed(header.state_root);
  writer.WriteFixed(header.validator_set_hash);
  writer.WriteFixed(header.next_validator_set_hash);
  writer.WriteFixed(header.proposer_key_id);
}

Result<BlockHeader> ReadHeader(codec::Reader& reader) {
  RC_RETURN_IF_ERROR(reader.ExpectDomainTag("block_header", kBlockHeaderDomainType));
  RC_RETURN_IF_ERROR(reader.ReadVersion("block_header.version", kVersions).status());
  BlockHeader header;
  RC_ASSIGN_OR_RETURN(const std::string_view chain_id,
                      reader.ReadText("block_header.chain_id", kMaxChainIdSize));
  header.chain_id = std::string(chain_id);
  RC_ASSIGN_OR_RETURN(header.protocol_version, reader.ReadU32("block_header.protocol_version"));
  if (header.protocol_version != kProtocolVersion) {
    return Status::InvalidArgument("block_header.protocol_version: unsupported version " +
                                   std::to_string(header.protocol_version));
  }
  RC_ASSIGN_OR_RETURN(header.height, reader.ReadU64("block_header.height"));
  if (header.height == 0) return Status::InvalidArgument("block_header.height: must be at least 1");
  RC_ASSIGN_OR_RETURN(const std::uint64_t time, reader.ReadU64("block_header.time"));
  if (time > static_cast<std::uint64_t>(INT64_MAX))
    return Status::InvalidArgument("block_header.time: out of range");
  header.time_milliseconds = static_cast<std::int64_t>(time);
  RC_ASSIGN_OR_RETURN(header.previous_block_hash, reader.ReadArray<32>("block_header.previous_block_hash"));
  RC_ASSIGN_OR_RETURN(header.previous_commit_hash, reader.ReadArray<32>("block_header.previous_commit_hash"));
  RC_ASSIGN_OR_RETURN(header.transactions_root, reader.ReadArray<32>("block_header.transactions_root"));
  RC_ASSIGN_OR_RETURN(header.receipts_root, reader.ReadArray<32>("block_header.receipts_root"));
  RC_ASSIGN_OR_RETURN(header.log_size, reader.ReadU64("block_header.log_size"));
  RC_ASSIGN_OR_RETURN(header.log_root, reader.ReadArray<32>("block_header.log_root"));
  RC_ASSIGN_OR_RETURN(header.state_root, reader.ReadArray<32>("block_header.state_root"));
  RC_ASSIGN_OR_RETURN(header.validator_set_hash, reader.ReadArray<32>("block_header.validator_set_hash"));
  RC_ASSIGN_OR_RETURN(header.next_validator_set_hash,
                      reader.ReadArray<32>("block_header.next_validator_set_hash"));
  RC_ASSIGN_OR_RETURN(header.proposer_key_id, reader.ReadArray<32>("block_header.proposer_key_id"));
  return header;
}

void WriteCertificate(codec::Writer& writer, const consensus::CommitCertificate& certificate) {
  writer.WriteDomainTag(kCommitCertificateDomainType);
  writer.WriteVersion(kLedgerObjectVersion);
  writer.WriteU64(certificate.height);
  writer.WriteU32(static_cast<std::uint32_t>(certificate.round));
  writer.WriteFixed(certificate.block_hash);
  writer.WriteSequence(certificate.precommits, kMaxCertificateSignatures,
                       [](codec::Writer& out, const consensus::Vote& vote) {
                         out.WriteU32(vote.validator);
                         out.WriteBytes(vote.signature, consensus::kMaxSignatureSize);
                       });
}

Result<consensus::CommitCertificate> ReadCertificate(codec::Reader& reader) {
  RC_RETURN_IF_ERROR(reader.ExpectDomainTag("commit_certificate", kCommitCertificateDomainType));
  RC_RETURN_IF_ERROR(reader.ReadVersion("commit_certificate.version", kVersions).status());
  consensus::CommitCertificate certificate;
  RC_ASSIGN_OR_RETURN(certificate.height, reader.ReadU64("commit_certificate.height"));
  RC_ASSIGN_OR_RETURN(const std::uint32_t round, reader.ReadU32("commit_certificate.round"));
  if (round > static_cast<std::uint32_t>(consensus::kMaxRound)) {
    return Status::InvalidArgument("commit_certificate.round: out of range");
  }
  certificate.round = static_cast<consensus::Round>(round);
  RC_ASSIGN_OR_RETURN(certificate.block_hash, reader.ReadArray<32>("commit_certificate.block_hash"));
  RC_ASSIGN_OR_RETURN(const std::size_t count,
                      reader.ReadCount("commit_certificate.precommits", kMaxCertificateSignatures, 8));
  certificate.precommits.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    consensus::Vote vote;
    vote.type = consensus::VoteType::kPrecommit;
    vote.height = certificate.height;
    vote.round = certificate.round;
    vote.block_hash = certificate.block_hash;
    RC_ASSIGN_OR_RETURN(vote.validator, reader.ReadU32("commit_certificate.validator"));
    // Canonical: strictly increasing validator indexes, so each validator appears once.
    if (i > 0 && vote.validator <= certificate.precommits.back().validator) {
      return Status::InvalidArgument("commit_certificate.validator: indexes must strictly increase");
    }
    RC_ASSIGN_OR_RETURN(const ByteView signature,
                        reader.ReadBytes("commit_certificate.signature", consensus::kMaxSignatureSize));
    vote.signature.assign(signature.begin(), signature.end());
    certificate.precommits.push_back(std::move(vote));
  }
  return certificate;
}

}  // namespace

Bytes EncodeBlockHeader(const BlockHeader& header) {
  codec::Writer writer(400);
  WriteHeader(writer, header);
  return std::move(writer).Take();
}

Result<BlockHeader> DecodeBlockHeader(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_ASSIGN_OR_RETURN(BlockHeader header, ReadHeader(reader));
  RC_RETURN_IF_ERROR(reader.Finish("block_header"));
  return header;
}

crypto::Digest BlockHash(crypto::HashAlgorithm algorithm, const BlockHeader& header) {
  return crypto::Hash(algorithm, EncodeBlockHeader(header));
}

Bytes EncodeBlock(const Block& block) {
  codec::Writer writer;
  writer.WriteDomainTag(kBlockDomainType);
  writer.WriteVersion(kLedgerObjectVersion);
  WriteHeader(writer, block.header);
  writer.WriteSequence(block.transactions, kMaxBlockTransactions,
                       [](codec::Writer& out, const codec::SignedTransaction& transaction) {
                         codec::WriteSignedTransaction(out, transaction);
                       });
  writer.WriteOptional(block.last_commit, WriteCertificate);
  RC_ASSERT(writer.size() <= kMaxBlockBytes);
  return std::move(writer).Take();
}

Result<Block> DecodeBlock(ByteView encoding) {
  if (encoding.size() > kMaxBlockBytes) return Status::LimitExceeded("block exceeds the maximum block size");
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(reader.ExpectDomainTag("block", kBlockDomainType));
  RC_RETURN_IF_ERROR(reader.ReadVersion("block.version", kVersions).status());
  Block block;
  RC_ASSIGN_OR_RETURN(block.header, ReadHeader(reader));
  RC_ASSIGN_OR_RETURN(block.transactions, reader.ReadSequence<codec::SignedTransaction>(
                                              "block.transactions", kMaxBlockTransactions,
                                              codec::kMinSignedTransactionEncodedSize, [](codec::Reader& in) {
                                                return codec::ReadSignedTransaction(in);
                                              }));
  RC_ASSIGN_OR_RETURN(block.last_commit,
                      reader.ReadOptional<consensus::CommitCertificate>(
                          "block.last_commit", [](codec::Reader& in) { return ReadCertificate(in); }));
  RC_RETURN_IF_ERROR(reader.Finish("block"));
  if (block.last_commit.has_value() != (block.header.height > 1)) {
    return Status::InvalidArgument("block.last_commit: required above height 1 and absent at height 1");
  }
  if (block.last_commit.has_value() && block.last_commit->height + 1 != block.header.height) {
    return Status::InvalidArgument("block.last_commit: certificate is not for the previous height");
  }
  return block;
}

Bytes EncodeCommitCertificate(const consensus::CommitCertificate& certificate) {
  codec::Writer writer(kMinCommitCertificateSize + certificate.precommits.size() * 72);
  WriteCertificate(writer, certificate);
  return std::move(writer).Take();
}

Result<consensus::CommitCertificate> DecodeCommitCertificate(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_ASSIGN_OR_RETURN(consensus::CommitCertificate certificate, ReadCertificate(reader));
  RC_RETURN_IF_ERROR(reader.Finish("commit_certificate"));
  return certificate;
}

crypto::Digest CommitCertificateHash(crypto::HashAlgorithm algorithm,
                                     const consensus::CommitCertificate& certificate) {
  return crypto::Hash(algorithm, EncodeCommitCertificate(certificate));
}

Bytes EncodeLogLeaf(const LogLeaf& leaf) {
  codec::Writer writer;
  writer.WriteDomainTag(kLogLeafDomainType);
  writer.WriteVersion(kLedgerObjectVersion);
  codec::WriteSignedTransaction(writer, leaf.transaction);
  exec::WriteReceipt(writer, leaf.receipt);
  return std::move(writer).Take();
}

Result<LogLeaf> DecodeLogLeaf(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(reader.ExpectDomainTag("log_leaf", kLogLeafDomainType));
  RC_RETURN_IF_ERROR(reader.ReadVersion("log_leaf.version", kVersions).status());
  LogLeaf leaf;
  RC_ASSIGN_OR_RETURN(leaf.transaction, codec::ReadSignedTransaction(reader));
  RC_ASSIGN_OR_RETURN(leaf.receipt, exec::ReadReceipt(reader));
  RC_RETURN_IF_ERROR(reader.Finish("log_leaf"));
  return leaf;
}

}  // namespace rightchain::ledger
