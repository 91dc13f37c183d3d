#include "node/wire.h"

namespace rightchain::node {

Bytes EncodeWire(WireType type, ByteView payload) {
  RC_ASSERT(payload.size() + 1 <= kMaxWireMessageSize);
  Bytes frame;
  frame.reserve(1 + payload.size());
  frame.push_back(static_cast<std::uint8_t>(type));
  frame.insert(frame.end(), payload.begin(), payload.end());
  return frame;
}

Result<WireMessage> DecodeWire(ByteView frame) {
  if (frame.empty()) return Status::InvalidArgument("empty peer message");
  if (frame.size() > kMaxWireMessageSize) return Status::LimitExceeded("peer message too large");
  const std::uint8_t type = frame[0];
  if (type < static_cast<std::uint8_t>(WireType::kConsensus) ||
      type > static_cast<std::uint8_t>(WireType::kBlockResponse)) {
    return Status::InvalidArgument("unknown peer message type " + std::to_string(type));
  }
  return WireMessage{static_cast<WireType>(type), frame.subspan(1)};
}

Bytes EncodeU64(std::uint64_t value) {
  Bytes bytes(8);
  for (int i = 7; i >= 0; --i, value >>= 8)
    bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(value);
  return bytes;
}

Result<std::uint64_t> DecodeU64(ByteView bytes) {
  if (bytes.size() != 8) return Status::InvalidArgument("expected 8 bytes");
  std::uint64_t value = 0;
  for (const std::uint8_t byte : bytes) value = value << 8 | byte;
  return value;
}

}  // namespace rightchain::node
