// The wire format inside the TLS channel (see docs/network.md):
//
//   frame = length:u32 big-endian || kind:u8 || body
//
// `length` counts kind and body, so it is at least 1 and at most the configured maximum
// frame size. Kinds: hello (the first frame each side sends, application-supplied), message
// (application payload), ping and pong (8-byte sequence number, for liveness and round-trip time).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "base/bytes.h"
#include "base/status.h"

namespace rightchain::net {

inline constexpr std::size_t kFrameHeaderSize = 4;
inline constexpr std::size_t kFrameKindSize = 1;
inline constexpr std::size_t kDefaultMaxFrameSizeBytes = 4 * 1024 * 1024;
inline constexpr std::size_t kPingBodySize = 8;

enum class FrameKind : std::uint8_t {
  kHello = 1,
  kMessage = 2,
  kPing = 3,
  kPong = 4,
};

// Header and kind followed by `body`. Precondition: kind byte + body fit a u32.
Bytes EncodeFrame(FrameKind kind, ByteView body);

// The frame length announced by a header, checked against `max_frame_size_bytes` before
// anything is allocated: kLimitExceeded when larger, kCorruption when zero.
Result<std::uint32_t> DecodeFrameLength(const std::array<std::uint8_t, kFrameHeaderSize>& header,
                                        std::size_t max_frame_size_bytes);

struct FrameView {
  FrameKind kind;
  ByteView body;
};
// Splits a frame's contents (what follows the header) into kind and body; kCorruption on an
// unknown kind or a ping/pong body that is not 8 bytes.
Result<FrameView> ParseFrame(ByteView contents);

Bytes EncodeSequence(std::uint64_t sequence);  // 8 bytes big-endian
std::uint64_t DecodeSequence(ByteView body);   // precondition: body.size() == kPingBodySize

}  // namespace rightchain::net
