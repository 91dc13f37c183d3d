// Canonical bytes of consensus messages, in the codec's canonical encoding (docs/encoding.md:
// big-endian integers, u32-length-prefixed bytes and text, 00/01 optionals):
//   vote sign bytes:     DomainTag("rightchain/consensus/vote") | text chain_id | u8 type (1 prevote,
//                        2 precommit) | u64 height | u32 round | optional<[32]> block hash (absent =
//                        nil) | u32 validator index
//   proposal sign bytes: DomainTag("rightchain/consensus/proposal") | text chain_id | u64 height |
//                        u32 round | optional<u32> pol_round (absent = -1) | [32] block hash |
//                        u64 block time (ms) | u32 proposer index
//   wire form:           u8 kind (1 proposal, 2 vote) | the fields after chain_id | bytes signature
// Decoding is strict: no trailing bytes, bounded lengths, rounds at most kMaxRound.
#pragma once

#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "consensus/types.h"

namespace rightchain::consensus {

inline constexpr std::string_view kVoteDomain = "rightchain/consensus/vote";
inline constexpr std::string_view kProposalDomain = "rightchain/consensus/proposal";
inline constexpr std::size_t kMaxChainIdSize = 64;
inline constexpr std::size_t kMaxMessageSize = 256;

Bytes VoteSignBytes(std::string_view chain_id, const Vote& vote);
Bytes ProposalSignBytes(std::string_view chain_id, const Proposal& proposal);

Bytes EncodeMessage(const Message& message);
Result<Message> DecodeMessage(ByteView bytes);

}  // namespace rightchain::consensus
