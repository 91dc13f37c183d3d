// libFuzzer target: RFC 3161 requests as a node's time-stamping endpoint receives them from the
// network, and the chain-position extension as a client reads it from a token.
// Properties: parsing never crashes, never asserts and never allocates beyond the request's
// limit; an accepted request re-encodes to a request that parses to the same values; an accepted
// chain position re-encodes and decodes to the same values.
#include <cstddef>
#include <cstdint>
#include <variant>

#include "base/assert.h"
#include "timestamp/chain_position.h"
#include "timestamp/time_stamp_request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rightchain;  // NOLINT: a fuzz target
  const ByteView input(data, size);
  const auto parsed = timestamp::ParseTimeStampRequest(input);
  if (const auto* request = std::get_if<timestamp::TimeStampRequest>(&parsed)) {
    const Result<Bytes> encoded = timestamp::EncodeTimeStampRequest(*request);
    RC_ASSERT(encoded.ok());
    const auto again = timestamp::ParseTimeStampRequest(*encoded);
    RC_ASSERT(std::holds_alternative<timestamp::TimeStampRequest>(again));
    RC_ASSERT(std::get<timestamp::TimeStampRequest>(again) == *request);
  }
  const Result<timestamp::ChainPosition> position = timestamp::DecodeChainPosition(input);
  if (position.ok() && !position->chain_id.empty()) {
    const Result<Bytes> encoded = timestamp::EncodeChainPosition(*position);
    RC_ASSERT(encoded.ok());
    RC_ASSERT(timestamp::DecodeChainPosition(*encoded).value() == *position);
  }
  return 0;
}
