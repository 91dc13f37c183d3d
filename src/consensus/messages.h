// Canonical bytes of consensus messages: the domain-tagged bytes that are signed, and the wire
// encoding (which the simulator and the network carry). Every integer is big-endian.
//
// Sign bytes of a vote:
//   DomainTag("rightchain/consensus/vote") | u8 chain id length | chain id | u8 type (1 prevote,
//   2 precommit) | u64 height | i32 round | u8 has_block (0 nil, 1 block) | [32-byte block hash]
//   | u32 validator index
// Sign bytes of a proposal:
//   DomainTag("rightchain/consensus/proposal") | u8 chain id length | chain id | u64 height |
//   i32 round | i32 pol_round | 32-byte block hash | i64 block time (ms) | u32 proposer index
// Wire form: u8 kind (1 proposal, 2 vote) | the fields above without tag and chain id |
//   u16 signature length | signature. Decoding is strict: no trailing bytes, bounded lengths.
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
