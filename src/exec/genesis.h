// Genesis: the consortium's founding document. Its hash is the root of trust: every verifier
// starts from it (and from the signed validator-set changes that follow it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/hash.h"
#include "crypto/suite.h"

namespace rightchain::exec {

// Node roles (white paper §3.2): regulators vote and administer membership; consensus nodes vote;
// observers sync and verify everything but do not vote.
enum class NodeRole : std::uint8_t {
  kRegulatorConsensus = 1,
  kConsensus = 2,
  kObserver = 3,
};
std::string_view NodeRoleName(NodeRole role);  // "regulator-consensus", "consensus", "observer"
Result<NodeRole> ParseNodeRole(std::string_view name);

// A validator's voting power is 1..2^40 (the consensus engine's bound); an observer's is 0.
inline constexpr std::uint64_t kMaxMemberVotingPower = std::uint64_t{1} << 40;

struct GenesisMember {
  std::string name;  // unique, [a-z0-9-], at most 64 bytes: also the transport certificate's CN
  NodeRole role = NodeRole::kConsensus;
  Bytes consensus_public_key;      // raw key of the chain's signature scheme
  std::uint64_t voting_power = 0;  // 0 for observers, positive for voters
  friend bool operator==(const GenesisMember&, const GenesisMember&) = default;
};

// An account that exists from the start: the first authorities (a regulator at least), who then
// grant kinds to everyone else by transaction (docs/records.md). Kinds are AccountKind bits.
struct GenesisAccount {
  std::string label;        // public label, 1..128 bytes of UTF-8
  std::uint16_t kinds = 0;  // AccountKind bits (exec/account.h)
  Bytes public_key;         // raw key of the chain's signature scheme
  friend bool operator==(const GenesisAccount&, const GenesisAccount&) = default;
};

// The largest max_block_bytes a genesis or a governance proposal may set. Every node's transport
// carries peer messages up to a fixed size chosen for this ceiling (a block response: the largest
// block plus its commit certificate, node/wire.h), so no governed value can outgrow the frames.
inline constexpr std::uint32_t kMaxBlockBytesCeiling = 64u << 20;

struct ChainParameters {
  std::uint32_t target_block_interval_milliseconds = 1000;
  std::uint32_t propose_timeout_milliseconds = 1000;
  std::uint32_t prevote_timeout_milliseconds = 1000;
  std::uint32_t precommit_timeout_milliseconds = 1000;
  std::uint32_t timeout_delta_milliseconds = 500;
  std::uint32_t precision_milliseconds = 500;
  std::uint32_t message_delay_milliseconds = 2000;
  std::uint32_t max_block_bytes = 4u << 20;
  std::uint32_t max_block_transactions = 10'000;
  bool create_empty_blocks = false;
  std::uint32_t heartbeat_interval_milliseconds = 10'000;
  friend bool operator==(const ChainParameters&, const ChainParameters&) = default;
};

struct Genesis {
  std::string chain_id;  // [a-z0-9._-], at most 64 bytes
  crypto::SuiteId suite = crypto::SuiteId::kStd;
  std::int64_t genesis_time_milliseconds = 0;  // Unix time; the first block's time is later
  std::vector<GenesisMember> members;
  std::vector<GenesisAccount> accounts;
  ChainParameters parameters;
  friend bool operator==(const Genesis&, const Genesis&) = default;
};

inline constexpr std::string_view kGenesisDomainType = "rightchain/genesis";
inline constexpr std::uint8_t kGenesisVersion = 2;  // 2 added accounts
inline constexpr std::size_t kMaxGenesisMembers = 256;
inline constexpr std::size_t kMaxMemberNameSize = 64;
inline constexpr std::size_t kMaxGenesisAccounts = 256;
inline constexpr std::size_t kMaxGenesisAccountLabelSize = 128;

// Every rule a genesis must satisfy: names unique and well-formed, keys of the suite's scheme and
// unique, voters with positive power and observers with none, at least one voter, parameters in
// range (block interval 100 ms … 10 s); accounts with labels, known kinds and distinct keys of the
// suite's scheme.
Status ValidateGenesis(const Genesis& genesis);

Bytes EncodeGenesis(const Genesis& genesis);  // asserts ValidateGenesis
Result<Genesis> DecodeGenesis(ByteView encoding);
// The suite hash of the canonical encoding.
crypto::Digest GenesisHash(const Genesis& genesis);

}  // namespace rightchain::exec
