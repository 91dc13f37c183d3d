// RFC 3161 time-stamp requests (TimeStampReq, §2.4.1): what a client sends to a node's
// time-stamping authority. Parsing checks everything the authority relies on and says, as an RFC
// 3161 failure, why a request is refused; making one is what `rightchain timestamp` sends.
#pragma once

#include <cstddef>
#include <string>
#include <variant>

#include "base/bytes.h"
#include "base/status.h"
#include "exec/record_payloads.h"

namespace rightchain::timestamp {

// A request is about 60–100 bytes, more with extensions; anything above this is refused unread.
inline constexpr std::size_t kMaxRequestSize = 4096;
// RFC 3161 suggests 64-bit nonces; clients use up to 160 bits.
inline constexpr std::size_t kMaxNonceSize = 32;

struct TimeStampRequest {
  exec::TimeStampHash hash = exec::TimeStampHash::kSha256;
  Bytes digest;                        // the message imprint's hashedMessage
  Bytes nonce;                         // big-endian magnitude; empty: none
  bool certificate_requested = false;  // certReq: include the authority's certificate
  std::string policy;                  // requested policy OID (dotted); empty: any
  friend bool operator==(const TimeStampRequest&, const TimeStampRequest&) = default;
};

// PKIFailureInfo bits (RFC 3161 §2.4.2).
enum class FailureInfo : int {
  kBadAlgorithm = 0,
  kBadRequest = 2,
  kBadDataFormat = 5,
  kTimeNotAvailable = 14,
  kUnacceptedPolicy = 15,
  kUnacceptedExtension = 16,
  kAddInfoNotAvailable = 17,
  kSystemFailure = 25,
};

// Why a request is not granted, as the reply will say it.
struct Refusal {
  FailureInfo failure = FailureInfo::kSystemFailure;
  std::string message;
};

// Accepts version 1 requests whose imprint uses SHA-256, SHA-384, SHA-512 or SM3 with a digest of
// that size, and no critical extension.
std::variant<TimeStampRequest, Refusal> ParseTimeStampRequest(ByteView der);
Result<Bytes> EncodeTimeStampRequest(const TimeStampRequest& request);

}  // namespace rightchain::timestamp
