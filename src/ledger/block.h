// Blocks, their headers, commit certificates and log leaves in the canonical encoding.
// docs/ledger.md gives each layout byte for byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "codec/transaction.h"
#include "consensus/commit_certificate.h"
#include "crypto/hash.h"
#include "exec/receipt.h"

namespace rightchain::ledger {

inline constexpr std::uint32_t kProtocolVersion = 1;

inline constexpr std::string_view kBlockHeaderDomainType = "rightchain/block-header";
inline constexpr std::string_view kBlockDomainType = "rightchain/block";
inline constexpr std::string_view kCommitCertificateDomainType = "rightchain/commit-certificate";
inline constexpr std::string_view kLogLeafDomainType = "rightchain/log-leaf";
inline constexpr std::uint8_t kLedgerObjectVersion = 1;

inline constexpr std::size_t kMaxBlockTransactions = 100'000;
inline constexpr std::size_t kMaxBlockBytes = 64u << 20;
inline constexpr std::size_t kMaxCertificateSignatures = consensus::kMaxValidators;

struct BlockHeader {
  std::string chain_id;
  std::uint32_t protocol_version = kProtocolVersion;
  std::uint64_t height = 0;
  std::int64_t time_milliseconds = 0;     // consensus time (proposer-based timestamp)
  crypto::Digest previous_block_hash{};   // zeros at height 1
  crypto::Digest previous_commit_hash{};  // hash of the canonical certificate of height-1; zeros at 1
  crypto::Digest transactions_root{};     // RFC 6962 root over the signed transactions' encodings
  crypto::Digest receipts_root{};         // RFC 6962 root over the receipts' encodings
  std::uint64_t log_size = 0;             // global log size after this block
  crypto::Digest log_root{};              // global log root after this block
  // Placeholder until authenticated state exists: H(tag ‖ previous state root ‖ digest of this
  // block's state changes), a chain of change digests that any divergence breaks.
  crypto::Digest state_root{};
  crypto::Digest validator_set_hash{};       // validators of this height
  crypto::Digest next_validator_set_hash{};  // validators of height + 1
  crypto::Digest proposer_key_id{};          // the proposer's consensus key id
  friend bool operator==(const BlockHeader&, const BlockHeader&) = default;
};

struct Block {
  BlockHeader header;
  std::vector<codec::SignedTransaction> transactions;
  // The canonical commit certificate of height - 1 (absent at height 1).
  std::optional<consensus::CommitCertificate> last_commit;
  friend bool operator==(const Block&, const Block&) = default;
};

Bytes EncodeBlockHeader(const BlockHeader& header);
Result<BlockHeader> DecodeBlockHeader(ByteView encoding);
// A block's hash is the suite hash of its header's encoding.
crypto::Digest BlockHash(crypto::HashAlgorithm algorithm, const BlockHeader& header);

Bytes EncodeBlock(const Block& block);
Result<Block> DecodeBlock(ByteView encoding);

// Compact: height, round, block hash once, then (validator index, signature) per precommit;
// votes are rebuilt from these for verification.
Bytes EncodeCommitCertificate(const consensus::CommitCertificate& certificate);
Result<consensus::CommitCertificate> DecodeCommitCertificate(ByteView encoding);
crypto::Digest CommitCertificateHash(crypto::HashAlgorithm algorithm,
                                     const consensus::CommitCertificate& certificate);

// The global log's leaf for one transaction: the signed transaction and the chain's receipt for it,
// so that an inclusion proof shows what the chain decided, not only what was submitted.
struct LogLeaf {
  codec::SignedTransaction transaction;
  exec::Receipt receipt;
  friend bool operator==(const LogLeaf&, const LogLeaf&) = default;
};
Bytes EncodeLogLeaf(const LogLeaf& leaf);
Result<LogLeaf> DecodeLogLeaf(ByteView encoding);

}  // namespace rightchain::ledger
