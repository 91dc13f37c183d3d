// Messages between nodes: one type byte, then the payload. Every payload is itself a canonical
// object (consensus message, signed transaction, block, certificate), decoded strictly.
#pragma once

#include <cstdint>
#include <variant>

#include "base/bytes.h"
#include "base/status.h"

namespace rightchain::node {

enum class WireType : std::uint8_t {
  kConsensus = 1,      // a consensus message (consensus::EncodeMessage)
  kTransaction = 2,    // a signed transaction, gossiped
  kBlock = 3,          // a proposed block's body (the proposal carries only its hash)
  kStatus = 4,         // u64 committed height: lets peers notice that they are behind
  kBlockRequest = 5,   // u64 height wanted
  kBlockResponse = 6,  // u32 block length ‖ block ‖ certificate of that height
};

inline constexpr std::size_t kMaxWireMessageSize = 72u << 20;  // a maximal block plus its certificate

struct WireMessage {
  WireType type = WireType::kStatus;
  ByteView payload;  // a view into the frame
};

Bytes EncodeWire(WireType type, ByteView payload);
Result<WireMessage> DecodeWire(ByteView frame);

Bytes EncodeU64(std::uint64_t value);
Result<std::uint64_t> DecodeU64(ByteView bytes);

}  // namespace rightchain::node
