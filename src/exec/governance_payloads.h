// What the governance transactions carry (docs/governance.md): a proposal to change the
// consortium's membership or parameters, and approvals of it. Signed with a member's consensus
// key; each payload has one canonical encoding.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/hash.h"
#include "crypto/public_key.h"
#include "exec/genesis.h"
#include "exec/receipt.h"

namespace rightchain::exec {

inline constexpr std::uint8_t kGovernancePayloadVersion = 1;
// A proposal is open for at most this many heights; approvals after its expiry are refused.
inline constexpr std::uint64_t kMaxProposalLifetimeHeights = 100'000;
inline constexpr std::size_t kMaxEvidenceSize = 16 * 1024;

// Admit a member: a validator (consensus or regulator-consensus, positive power) or an observer
// (power 0). Its name is the CN of its transport certificate.
struct AddMember {
  std::string name;
  NodeRole role = NodeRole::kConsensus;
  Bytes public_key;  // consensus key, raw, of the chain's scheme
  std::uint64_t voting_power = 0;
  friend bool operator==(const AddMember&, const AddMember&) = default;
};

// Remove a member. `evidence` optionally carries why: an equivocation (the consensus engine's
// duplicate-vote evidence, encoded) or the passive-exit report; it is recorded, not judged.
struct RemoveMember {
  crypto::KeyId member{};  // the key id of its consensus key
  Bytes evidence;
  friend bool operator==(const RemoveMember&, const RemoveMember&) = default;
};

// Change a member's role and power (a validator becomes an observer with power 0, and back).
struct ChangeRole {
  crypto::KeyId member{};
  NodeRole role = NodeRole::kConsensus;
  std::uint64_t voting_power = 0;
  friend bool operator==(const ChangeRole&, const ChangeRole&) = default;
};

// New values of the chain parameters that may change while running.
struct ChangeParameters {
  std::uint32_t target_block_interval_milliseconds = 0;
  std::uint32_t propose_timeout_milliseconds = 0;
  std::uint32_t prevote_timeout_milliseconds = 0;
  std::uint32_t precommit_timeout_milliseconds = 0;
  std::uint32_t max_block_bytes = 0;
  std::uint32_t max_block_transactions = 0;
  friend bool operator==(const ChangeParameters&, const ChangeParameters&) = default;
};

using ProposalAction = std::variant<AddMember, RemoveMember, ChangeRole, ChangeParameters>;
// Wire tags of the actions: 1 add member, 2 remove member, 3 change role, 4 change parameters.

struct ProposePayload {
  ProposalAction action;
  std::uint64_t expiry_height = 0;  // the last height at which an approval counts
  friend bool operator==(const ProposePayload&, const ProposePayload&) = default;
};

struct ApprovePayload {
  std::uint64_t proposal_id = 0;
  friend bool operator==(const ApprovePayload&, const ApprovePayload&) = default;
};

Bytes EncodePayload(const ProposePayload& payload);
Bytes EncodePayload(const ApprovePayload& payload);
Result<ProposePayload> DecodeProposePayload(ByteView encoding);
Result<ApprovePayload> DecodeApprovePayload(ByteView encoding);

std::string_view ProposalActionName(const ProposalAction& action);  // "add-member", …

}  // namespace rightchain::exec
