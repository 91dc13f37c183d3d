// Reads arbitrary bytes as a stream of transport frames, as a connection's read loop does:
// every header is checked against the limit before its body is taken, every body is parsed.
#include <array>
#include <cstddef>
#include <cstdint>

#include "net/frame.h"

namespace {
constexpr std::size_t kFuzzMaxFrameSizeBytes = 64 * 1024;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  rightchain::ByteView input(data, size);
  while (input.size() >= rightchain::net::kFrameHeaderSize) {
    std::array<std::uint8_t, rightchain::net::kFrameHeaderSize> header{input[0], input[1], input[2],
                                                                       input[3]};
    input = input.subspan(rightchain::net::kFrameHeaderSize);
    auto length = rightchain::net::DecodeFrameLength(header, kFuzzMaxFrameSizeBytes);
    if (!length.ok()) return 0;  // the connection would be closed here
    RC_ASSERT(*length >= 1 && *length <= kFuzzMaxFrameSizeBytes);
    if (input.size() < *length) return 0;
    auto frame = rightchain::net::ParseFrame(input.first(*length));
    if (frame.ok() && (frame->kind == rightchain::net::FrameKind::kPing ||
                       frame->kind == rightchain::net::FrameKind::kPong)) {
      rightchain::Bytes echoed =
          rightchain::net::EncodeSequence(rightchain::net::DecodeSequence(frame->body));
      RC_ASSERT(rightchain::ByteView(echoed).size() == frame->body.size());
    }
    input = input.subspan(*length);
  }
  return 0;
}
