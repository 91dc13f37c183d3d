// Where on the chain a time-stamped digest is recorded: carried in every time-stamp token as a
// non-critical TSTInfo extension, so that the token leads to the record and its proof bundle.
//
//   ChainPosition ::= SEQUENCE {
//     chainId        UTF8String,      -- the chain id (≤ 64 bytes)
//     height         INTEGER,         -- the block that committed the time-stamp record
//     transactionId  OCTET STRING,    -- the record's transaction id (32 bytes)
//     logIndex       INTEGER,         -- the transaction's index in the global log
//     recordId       INTEGER }        -- the time-stamp record's id
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/hash.h"

namespace rightchain::timestamp {

// Object identifiers under a UUID arc (ITU-T X.667, 2.25.<uuid as an integer>), which needs no
// registration: ".1" is the authority's policy, ".2" the chain-position extension.
inline constexpr std::string_view kRightchainArc = "2.25.261558164907408832822861512915612856592";
inline constexpr std::string_view kTimeStampPolicyOid = "2.25.261558164907408832822861512915612856592.1";
inline constexpr std::string_view kChainPositionOid = "2.25.261558164907408832822861512915612856592.2";

inline constexpr std::size_t kMaxChainIdSize = 64;

struct ChainPosition {
  std::string chain_id;
  std::uint64_t height = 0;
  crypto::Digest transaction_id{};
  std::uint64_t log_index = 0;
  std::uint64_t record_id = 0;
  friend bool operator==(const ChainPosition&, const ChainPosition&) = default;
};

Result<Bytes> EncodeChainPosition(const ChainPosition& position);  // DER
Result<ChainPosition> DecodeChainPosition(ByteView der);

}  // namespace rightchain::timestamp
