// Messages between nodes: one type byte, then the payload. Every payload is itself a canonical
// object (consensus message, signed transaction, block, certificate), decoded strictly.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "consensus/types.h"
#include "exec/genesis.h"
#include "ledger/block.h"
#include "proofs/signed_note.h"

namespace rightchain::node {

enum class WireType : std::uint8_t {
  kConsensus = 1,            // a consensus message (consensus::EncodeMessage)
  kTransaction = 2,          // a signed transaction, gossiped
  kBlock = 3,                // a proposed block's body (the proposal carries only its hash)
  kStatus = 4,               // u64 committed height: lets peers notice that they are behind
  kBlockRequest = 5,         // u64 height wanted
  kBlockResponse = 6,        // u64 block length ‖ block ‖ certificate of that height
  kPeerAddresses = 7,        // member transport addresses, see EncodePeerAddresses (handled by the host)
  kCheckpointSignature = 8,  // u64 height ‖ the sender's 64-byte signature on that height's checkpoint
  kCheckpointRequest = 9,    // u64 height: the final co-signed checkpoint of that height, please
  kCheckpointResponse = 10,  // u64 height ‖ the final checkpoint as a signed note
  kTransactionBatch = 11,    // signed transactions gossiped together, see EncodeTransactionBatch
};

// The largest peer message, type byte included. Every node's transport carries messages up to this
// size, whatever the governed max_block_bytes (genesis and governance cap it at
// exec::kMaxBlockBytesCeiling), so a block of any height, proposed or served to a syncing node,
// always fits a frame; the static_asserts below keep every message within it.
inline constexpr std::size_t kMaxWireMessageSize = 72u << 20;

// A commit certificate's encoding at its largest: tag, version, height, round, block hash, count and
// kMaxCertificateSignatures × (u32 validator ‖ u32 length ‖ signature).
inline constexpr std::size_t kMaxCertificateEncodedSize =
    2 + ledger::kCommitCertificateDomainType.size() + 1 + 8 + 4 + 32 + 4 +
    ledger::kMaxCertificateSignatures * (4 + 4 + consensus::kMaxSignatureSize);
// Every message a node sends fits kMaxWireMessageSize (type byte included):
// a block response, the largest: u64 length ‖ block ‖ certificate.
inline constexpr std::size_t kMaxBlockResponseSize =
    1 + 8 + ledger::kMaxBlockBytes + kMaxCertificateEncodedSize;
static_assert(kMaxBlockResponseSize <= kMaxWireMessageSize,
              "a maximal block response must fit a peer message");
// A proposer keeps its block within max_block_bytes, which genesis and governance keep within the
// ceiling, so every block decodes and fits a block response.
static_assert(exec::kMaxBlockBytesCeiling <= ledger::kMaxBlockBytes);
// A checkpoint response: u64 height ‖ a signed note.
static_assert(1 + 8 + proofs::kMaxNoteSize <= kMaxWireMessageSize);

struct WireMessage {
  WireType type = WireType::kStatus;
  ByteView payload;  // a view into the frame
};

Bytes EncodeWire(WireType type, ByteView payload);
Result<WireMessage> DecodeWire(ByteView frame);

// Where a member listens for peers, as the member announced it (or a peer relayed it).
struct MemberAddress {
  std::string name;  // genesis member name
  std::string host;  // IPv4, IPv6 (no brackets) or a host name
  std::uint16_t port = 0;
  friend bool operator==(const MemberAddress&, const MemberAddress&) = default;
};
inline constexpr std::size_t kMaxPeerAddresses = 255;
inline constexpr std::size_t kMaxAddressFieldBytes = 255;

// u8 count ‖ count × (u8 name length ‖ name ‖ u8 host length ‖ host ‖ u16 port, big-endian).
// Precondition: at most kMaxPeerAddresses entries, fields at most kMaxAddressFieldBytes.
Bytes EncodePeerAddresses(const std::vector<MemberAddress>& addresses);
// Strict: exact length, non-empty fields, hosts as IsPeerHost (node_config.h) says, port not 0.
Result<std::vector<MemberAddress>> DecodePeerAddresses(ByteView payload);

// A batch of gossiped transactions (peer message 11, docs/node.md), read and written as canonical objects
// are: u32 count ‖ count × (u32 length ‖ signed transaction), each entry at most a signed transaction's
// maximum. One frame for a client's batch instead of one per transaction: each frame costs a TLS record, a
// system call on both sides and a task on the receiver's core thread.
inline constexpr std::size_t kMaxTransactionBatch = 1000;  // as a client's batch submission
// A sender keeps its batches' entries to this many bytes (a signed transaction is at most about
// 1 MiB, so any one fits); a receiver needs no such limit beyond the frame's.
inline constexpr std::size_t kMaxTransactionBatchBytes = 8u << 20;
// The largest batch a sender makes: type byte, count, and the entries with their lengths.
static_assert(1 + 4 + kMaxTransactionBatchBytes + 4 * kMaxTransactionBatch <= kMaxWireMessageSize);
// Precondition: 1..kMaxTransactionBatch transactions.
Bytes EncodeTransactionBatch(const std::vector<ByteView>& transactions);
// Strict: count 1..kMaxTransactionBatch, no empty or overrunning entry, no trailing bytes. The
// views point into `payload`; each entry still has to be decoded as a signed transaction.
Result<std::vector<ByteView>> DecodeTransactionBatch(ByteView payload);

Bytes EncodeU64(std::uint64_t value);
Result<std::uint64_t> DecodeU64(ByteView bytes);

}  // namespace rightchain::node
