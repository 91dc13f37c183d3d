#include "exec/genesis.h"

#include <array>
#include <set>

#include "codec/reader.h"
#include "codec/utf8.h"
#include "codec/writer.h"
#include "crypto/public_key.h"
#include "exec/account.h"

namespace rightchain::exec {
namespace {

bool IsNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}
bool IsChainIdCharacter(char c) {
  return IsNameCharacter(c) || c == '.' || c == '_';
}

template <typename Predicate>
bool AllOf(std::string_view text, Predicate predicate) {
  for (const char c : text) {
    if (!predicate(c)) return false;
  }
  return true;
}

Status ValidateParameters(const ChainParameters& parameters) {
  const auto in_range = [](std::uint32_t value, std::uint32_t low, std::uint32_t high) {
    return value >= low && value <= high;
  };
  if (!in_range(parameters.target_block_interval_milliseconds, 100, 10'000)) {
    return Status::InvalidArgument(
        "genesis.parameters.target_block_interval_milliseconds must be 100..10000");
  }
  for (const std::uint32_t timeout :
       {parameters.propose_timeout_milliseconds, parameters.prevote_timeout_milliseconds,
        parameters.precommit_timeout_milliseconds}) {
    if (!in_range(timeout, 10, 600'000))
      return Status::InvalidArgument("genesis.parameters: timeouts must be 10..600000 ms");
  }
  if (parameters.timeout_delta_milliseconds > 600'000) {
    return Status::InvalidArgument("genesis.parameters.timeout_delta_milliseconds must be at most 600000");
  }
  if (!in_range(parameters.precision_milliseconds, 1, 60'000) ||
      !in_range(parameters.message_delay_milliseconds, 1, 600'000)) {
    return Status::InvalidArgument("genesis.parameters: precision and message delay out of range");
  }
  if (!in_range(parameters.max_block_bytes, 1024, kMaxBlockBytesCeiling)) {
    return Status::InvalidArgument("genesis.parameters.max_block_bytes must be 1 KiB..64 MiB");
  }
  if (!in_range(parameters.max_block_transactions, 1, 100'000)) {
    return Status::InvalidArgument("genesis.parameters.max_block_transactions must be 1..100000");
  }
  if (parameters.heartbeat_interval_milliseconds > 3'600'000) {
    return Status::InvalidArgument(
        "genesis.parameters.heartbeat_interval_milliseconds must be at most 3600000");
  }
  return Status::Ok();
}

void WriteParameters(codec::Writer& writer, const ChainParameters& parameters) {
  writer.WriteU32(parameters.target_block_interval_milliseconds);
  writer.WriteU32(parameters.propose_timeout_milliseconds);
  writer.WriteU32(parameters.prevote_timeout_milliseconds);
  writer.WriteU32(parameters.precommit_timeout_milliseconds);
  writer.WriteU32(parameters.timeout_delta_milliseconds);
  writer.WriteU32(parameters.precision_milliseconds);
  writer.WriteU32(parameters.message_delay_milliseconds);
  writer.WriteU32(parameters.max_block_bytes);
  writer.WriteU32(parameters.max_block_transactions);
  writer.WriteBool(parameters.create_empty_blocks);
  writer.WriteU32(parameters.heartbeat_interval_milliseconds);
}

Result<ChainParameters> ReadParameters(codec::Reader& reader) {
  ChainParameters parameters;
  RC_ASSIGN_OR_RETURN(parameters.target_block_interval_milliseconds,
                      reader.ReadU32("genesis.parameters.target_block_interval"));
  RC_ASSIGN_OR_RETURN(parameters.propose_timeout_milliseconds,
                      reader.ReadU32("genesis.parameters.propose_timeout"));
  RC_ASSIGN_OR_RETURN(parameters.prevote_timeout_milliseconds,
                      reader.ReadU32("genesis.parameters.prevote_timeout"));
  RC_ASSIGN_OR_RETURN(parameters.precommit_timeout_milliseconds,
                      reader.ReadU32("genesis.parameters.precommit_timeout"));
  RC_ASSIGN_OR_RETURN(parameters.timeout_delta_milliseconds,
                      reader.ReadU32("genesis.parameters.timeout_delta"));
  RC_ASSIGN_OR_RETURN(parameters.precision_milliseconds, reader.ReadU32("genesis.parameters.precision"));
  RC_ASSIGN_OR_RETURN(parameters.message_delay_milliseconds,
                      reader.ReadU32("genesis.parameters.message_delay"));
  RC_ASSIGN_OR_RETURN(parameters.max_block_bytes, reader.ReadU32("genesis.parameters.max_block_bytes"));
  RC_ASSIGN_OR_RETURN(parameters.max_block_transactions,
                      reader.ReadU32("genesis.parameters.max_block_transactions"));
  RC_ASSIGN_OR_RETURN(parameters.create_empty_blocks,
                      reader.ReadBool("genesis.parameters.create_empty_blocks"));
  RC_ASSIGN_OR_RETURN(parameters.heartbeat_interval_milliseconds,
                      reader.ReadU32("genesis.parameters.heartbeat_interval"));
  return parameters;
}

Status ValidateAccounts(const std::vector<GenesisAccount>& accounts, crypto::SignatureScheme scheme) {
  if (accounts.size() > kMaxGenesisAccounts) return Status::InvalidArgument("genesis has too many accounts");
  std::set<Bytes> keys;
  for (const GenesisAccount& account : accounts) {
    const std::string where = "genesis.accounts[" + account.label + "]";
    if (account.label.empty() || account.label.size() > kMaxGenesisAccountLabelSize ||
        !codec::IsValidUtf8(account.label)) {
      return Status::InvalidArgument("genesis account label must be 1..128 bytes of UTF-8");
    }
    if (account.kinds == 0 || (account.kinds & ~kAllAccountKinds) != 0)
      return Status::InvalidArgument(where + ": kinds must be a non-empty set of known kinds");
    if (!crypto::PublicKey::FromRaw(scheme, account.public_key).ok()) {
      return Status::InvalidArgument(where + ": key is not a valid " +
                                     std::string(crypto::SignatureSchemeName(scheme)) + " public key");
    }
    if (!keys.insert(account.public_key).second) return Status::InvalidArgument(where + ": duplicate key");
  }
  return Status::Ok();
}

}  // namespace

std::string_view NodeRoleName(NodeRole role) {
  switch (role) {
    case NodeRole::kRegulatorConsensus: return "regulator-consensus";
    case NodeRole::kConsensus: return "consensus";
    case NodeRole::kObserver: return "observer";
  }
  return "unknown";
}

Result<NodeRole> ParseNodeRole(std::string_view name) {
  for (const NodeRole role : {NodeRole::kRegulatorConsensus, NodeRole::kConsensus, NodeRole::kObserver}) {
    if (NodeRoleName(role) == name) return role;
  }
  return Status::InvalidArgument("unknown node role '" + std::string(name) +
                                 "' (expected regulator-consensus, consensus or observer)");
}

Status ValidateGenesis(const Genesis& genesis) {
  if (genesis.chain_id.empty() || genesis.chain_id.size() > 64 ||
      !AllOf(genesis.chain_id, IsChainIdCharacter)) {
    return Status::InvalidArgument("genesis.chain_id must be 1..64 characters of [a-z0-9._-]");
  }
  if (genesis.genesis_time_milliseconds < 0)
    return Status::InvalidArgument("genesis.genesis_time is negative");
  if (genesis.members.empty() || genesis.members.size() > kMaxGenesisMembers) {
    return Status::InvalidArgument("genesis.members must have 1.." + std::to_string(kMaxGenesisMembers) +
                                   " members");
  }
  const crypto::SignatureScheme scheme = crypto::GetSuite(genesis.suite).signature;
  std::set<std::string> names;
  std::set<Bytes> keys;
  std::size_t voters = 0;
  for (const GenesisMember& member : genesis.members) {
    const std::string where = "genesis.members[" + member.name + "]";
    if (member.name.empty() || member.name.size() > kMaxMemberNameSize ||
        !AllOf(member.name, IsNameCharacter)) {
      return Status::InvalidArgument("genesis member name '" + member.name +
                                     "' must be 1..64 characters of [a-z0-9-]");
    }
    if (!names.insert(member.name).second) return Status::InvalidArgument(where + ": duplicate name");
    if (!crypto::PublicKey::FromRaw(scheme, member.consensus_public_key).ok()) {
      return Status::InvalidArgument(where + ": consensus key is not a valid " +
                                     std::string(crypto::SignatureSchemeName(scheme)) + " public key");
    }
    if (!keys.insert(member.consensus_public_key).second)
      return Status::InvalidArgument(where + ": duplicate key");
    const bool observer = member.role == NodeRole::kObserver;
    if (observer && member.voting_power != 0)
      return Status::InvalidArgument(where + ": observers have no voting power");
    if (!observer && (member.voting_power == 0 || member.voting_power > kMaxMemberVotingPower)) {
      return Status::InvalidArgument(where + ": voting power must be 1..2^40");
    }
    if (!observer) ++voters;
  }
  if (voters == 0) return Status::InvalidArgument("genesis has no voting member");
  RC_RETURN_IF_ERROR(ValidateAccounts(genesis.accounts, scheme));
  return ValidateParameters(genesis.parameters);
}

Bytes EncodeGenesis(const Genesis& genesis) {
  const Status valid = ValidateGenesis(genesis);
  RC_ASSERT_MSG(valid.ok(), valid.ToString());
  codec::Writer writer;
  writer.WriteDomainTag(kGenesisDomainType);
  writer.WriteVersion(kGenesisVersion);
  writer.WriteText(genesis.chain_id, 64);
  writer.WriteEnum(genesis.suite);
  writer.WriteU64(static_cast<std::uint64_t>(genesis.genesis_time_milliseconds));
  writer.WriteSequence(genesis.members, kMaxGenesisMembers,
                       [](codec::Writer& out, const GenesisMember& member) {
                         out.WriteText(member.name, kMaxMemberNameSize);
                         out.WriteEnum(member.role);
                         out.WriteBytes(member.consensus_public_key, 65);
                         out.WriteU64(member.voting_power);
                       });
  writer.WriteSequence(genesis.accounts, kMaxGenesisAccounts,
                       [](codec::Writer& out, const GenesisAccount& account) {
                         out.WriteText(account.label, kMaxGenesisAccountLabelSize);
                         out.WriteU16(account.kinds);
                         out.WriteBytes(account.public_key, 65);
                       });
  WriteParameters(writer, genesis.parameters);
  return std::move(writer).Take();
}

Result<Genesis> DecodeGenesis(ByteView encoding) {
  codec::Reader reader(encoding);
  RC_RETURN_IF_ERROR(reader.ExpectDomainTag("genesis", kGenesisDomainType));
  static constexpr std::array<std::uint8_t, 1> kVersions = {kGenesisVersion};
  RC_RETURN_IF_ERROR(reader.ReadVersion("genesis.version", kVersions).status());
  Genesis genesis;
  RC_ASSIGN_OR_RETURN(const std::string_view chain_id, reader.ReadText("genesis.chain_id", 64));
  genesis.chain_id = std::string(chain_id);
  RC_ASSIGN_OR_RETURN(const std::uint8_t suite_byte, reader.ReadU8("genesis.suite"));
  RC_ASSIGN_OR_RETURN(genesis.suite, crypto::SuiteIdFromByte(suite_byte));
  RC_ASSIGN_OR_RETURN(const std::uint64_t time, reader.ReadU64("genesis.genesis_time"));
  genesis.genesis_time_milliseconds = static_cast<std::int64_t>(time);
  // Smallest member: name length 4 + 1 byte, role 1, key length 4 + 32, power 8.
  RC_ASSIGN_OR_RETURN(const std::size_t count, reader.ReadCount("genesis.members", kMaxGenesisMembers, 50));
  genesis.members.reserve(count);
  static constexpr std::array<NodeRole, 3> kRoles = {NodeRole::kRegulatorConsensus, NodeRole::kConsensus,
                                                     NodeRole::kObserver};
  for (std::size_t i = 0; i < count; ++i) {
    GenesisMember member;
    RC_ASSIGN_OR_RETURN(const std::string_view name,
                        reader.ReadText("genesis.member.name", kMaxMemberNameSize));
    member.name = std::string(name);
    RC_ASSIGN_OR_RETURN(member.role, reader.ReadEnum<NodeRole>("genesis.member.role", kRoles));
    RC_ASSIGN_OR_RETURN(const ByteView key, reader.ReadBytes("genesis.member.consensus_public_key", 65));
    member.consensus_public_key.assign(key.begin(), key.end());
    RC_ASSIGN_OR_RETURN(member.voting_power, reader.ReadU64("genesis.member.voting_power"));
    genesis.members.push_back(std::move(member));
  }
  // Smallest account: label length 4 + 1 byte, kinds 2, key length 4 + 32.
  RC_ASSIGN_OR_RETURN(const std::size_t account_count,
                      reader.ReadCount("genesis.accounts", kMaxGenesisAccounts, 43));
  genesis.accounts.reserve(account_count);
  for (std::size_t i = 0; i < account_count; ++i) {
    GenesisAccount account;
    RC_ASSIGN_OR_RETURN(const std::string_view label,
                        reader.ReadText("genesis.account.label", kMaxGenesisAccountLabelSize));
    account.label = std::string(label);
    RC_ASSIGN_OR_RETURN(account.kinds, reader.ReadU16("genesis.account.kinds"));
    RC_ASSIGN_OR_RETURN(const ByteView key, reader.ReadBytes("genesis.account.public_key", 65));
    account.public_key.assign(key.begin(), key.end());
    genesis.accounts.push_back(std::move(account));
  }
  RC_ASSIGN_OR_RETURN(genesis.parameters, ReadParameters(reader));
  RC_RETURN_IF_ERROR(reader.Finish("genesis"));
  if (genesis.genesis_time_milliseconds < 0)
    return Status::InvalidArgument("genesis.genesis_time out of range");
  RC_RETURN_IF_ERROR(ValidateGenesis(genesis));
  return genesis;
}

crypto::Digest GenesisHash(const Genesis& genesis) {
  return crypto::Hash(crypto::GetSuite(genesis.suite).hash, EncodeGenesis(genesis));
}

}  // namespace rightchain::exec
