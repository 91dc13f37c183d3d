#include "net/frame.h"

#include <limits>
#include <string>

namespace rightchain::net {

Bytes EncodeFrame(FrameKind kind, ByteView body) {
  RC_ASSERT(body.size() < std::numeric_limits<std::uint32_t>::max());
  const auto length = static_cast<std::uint32_t>(kFrameKindSize + body.size());
  Bytes frame;
  frame.reserve(kFrameHeaderSize + length);
  for (int shift = 24; shift >= 0; shift -= 8) frame.push_back(static_cast<std::uint8_t>(length >> shift));
  frame.push_back(static_cast<std::uint8_t>(kind));
  frame.insert(frame.end(), body.begin(), body.end());
  return frame;
}

Result<std::uint32_t> DecodeFrameLength(const std::array<std::uint8_t, kFrameHeaderSize>& header,
                                        std::size_t max_frame_size_bytes) {
  std::uint32_t length = 0;
  for (std::uint8_t byte : header) length = (length << 8) | byte;
  if (length == 0) return Status::Corruption("empty frame (no kind byte)");
  if (length > max_frame_size_bytes) {
    return Status::LimitExceeded("frame of " + std::to_string(length) + " bytes exceeds the limit of " +
                                 std::to_string(max_frame_size_bytes) + " bytes");
  }
  return length;
}

Result<FrameView> ParseFrame(ByteView contents) {
  if (contents.empty()) return Status::Corruption("empty frame (no kind byte)");
  const std::uint8_t kind = contents[0];
  ByteView body = contents.subspan(kFrameKindSize);
  switch (static_cast<FrameKind>(kind)) {
    case FrameKind::kHello:
    case FrameKind::kMessage: return FrameView{static_cast<FrameKind>(kind), body};
    case FrameKind::kPing:
    case FrameKind::kPong:
      if (body.size() != kPingBodySize) {
        return Status::Corruption("ping/pong body of " + std::to_string(body.size()) + " bytes, expected 8");
      }
      return FrameView{static_cast<FrameKind>(kind), body};
  }
  return Status::Corruption("unknown frame kind " + std::to_string(kind));
}

Bytes EncodeSequence(std::uint64_t sequence) {
  Bytes bytes;
  for (int shift = 56; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(sequence >> shift));
  return bytes;
}

std::uint64_t DecodeSequence(ByteView body) {
  RC_ASSERT(body.size() == kPingBodySize);
  std::uint64_t sequence = 0;
  for (std::uint8_t byte : body) sequence = (sequence << 8) | byte;
  return sequence;
}

}  // namespace rightchain::net
