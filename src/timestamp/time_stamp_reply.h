// The client's side of RFC 3161: checking a TimeStampResp against the request it answers and the
// consortium CA, as `rightchain timestamp` does before it saves a reply (and as `openssl ts
// -verify` would).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.h"
#include "base/status.h"
#include "pki/certificate.h"
#include "timestamp/chain_position.h"
#include "timestamp/time_stamp_request.h"

namespace rightchain::timestamp {

// A reply is a token of a few KiB (more with certificates); anything above this is refused.
inline constexpr std::size_t kMaxReplySize = 64 * 1024;

struct CheckedTimeStamp {
  std::int64_t time_milliseconds = 0;  // genTime
  std::string serial_hex;
  std::string policy;          // dotted OID
  std::string authority_name;  // the TSA name's common name
  std::optional<ChainPosition> position;
};

// Verifies that `reply` grants `request` (same imprint, nonce and version), that its signature
// verifies with a certificate chaining to `authority` whose extended key usage is timeStamping,
// and reads what it says. A refusal comes back as an error carrying the authority's message.
Result<CheckedTimeStamp> CheckTimeStampReply(ByteView reply, const TimeStampRequest& request,
                                             const pki::Certificate& authority);

}  // namespace rightchain::timestamp
