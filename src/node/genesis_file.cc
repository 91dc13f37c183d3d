#include "node/genesis_file.h"

#include <nlohmann/json.hpp>
#include <set>

#include "exec/account.h"

namespace rightchain::node {
namespace {

using Json = nlohmann::json;

Status CheckKeys(const Json& object, std::string_view where, const std::set<std::string>& allowed) {
  if (!object.is_object()) return Status::InvalidArgument(std::string(where) + " must be an object");
  for (const auto& [key, value] : object.items()) {
    if (allowed.count(key) == 0)
      return Status::InvalidArgument(std::string(where) + ": unknown field '" + key + "'");
  }
  return Status::Ok();
}

template <typename Integer>
Result<Integer> GetInteger(const Json& object, const std::string& field, std::string_view where) {
  const auto found = object.find(field);
  if (found == object.end()) return Status::InvalidArgument(std::string(where) + "." + field + " is missing");
  if (!found->is_number_integer() && !found->is_number_unsigned()) {
    return Status::InvalidArgument(std::string(where) + "." + field + " must be an integer");
  }
  if (found->is_number_unsigned()) {
    const auto value = found->get<std::uint64_t>();
    if (value > static_cast<std::uint64_t>(std::numeric_limits<Integer>::max())) {
      return Status::InvalidArgument(std::string(where) + "." + field + " is too large");
    }
    return static_cast<Integer>(value);
  }
  const auto value = found->get<std::int64_t>();
  if (value < 0 ||
      static_cast<std::uint64_t>(value) > static_cast<std::uint64_t>(std::numeric_limits<Integer>::max())) {
    return Status::InvalidArgument(std::string(where) + "." + field + " is out of range");
  }
  return static_cast<Integer>(value);
}

Result<std::string> GetString(const Json& object, const std::string& field, std::string_view where) {
  const auto found = object.find(field);
  if (found == object.end() || !found->is_string()) {
    return Status::InvalidArgument(std::string(where) + "." + field + " must be a string");
  }
  return found->get<std::string>();
}

Json ParametersToJson(const exec::ChainParameters& p) {
  return Json{{"target_block_interval_ms", p.target_block_interval_milliseconds},
              {"propose_timeout_ms", p.propose_timeout_milliseconds},
              {"prevote_timeout_ms", p.prevote_timeout_milliseconds},
              {"precommit_timeout_ms", p.precommit_timeout_milliseconds},
              {"timeout_delta_ms", p.timeout_delta_milliseconds},
              {"precision_ms", p.precision_milliseconds},
              {"message_delay_ms", p.message_delay_milliseconds},
              {"max_block_bytes", p.max_block_bytes},
              {"max_block_transactions", p.max_block_transactions},
              {"create_empty_blocks", p.create_empty_blocks},
              {"heartbeat_interval_ms", p.heartbeat_interval_milliseconds}};
}

Status ParametersFromJson(const Json& json, exec::ChainParameters& p) {
  const std::set<std::string> fields = {
      "target_block_interval_ms", "propose_timeout_ms",  "prevote_timeout_ms",   "precommit_timeout_ms",
      "timeout_delta_ms",         "precision_ms",        "message_delay_ms",     "max_block_bytes",
      "max_block_transactions",   "create_empty_blocks", "heartbeat_interval_ms"};
  RC_RETURN_IF_ERROR(CheckKeys(json, "genesis.parameters", fields));
  const std::pair<const char*, std::uint32_t*> integers[] = {
      {"target_block_interval_ms", &p.target_block_interval_milliseconds},
      {"propose_timeout_ms", &p.propose_timeout_milliseconds},
      {"prevote_timeout_ms", &p.prevote_timeout_milliseconds},
      {"precommit_timeout_ms", &p.precommit_timeout_milliseconds},
      {"timeout_delta_ms", &p.timeout_delta_milliseconds},
      {"precision_ms", &p.precision_milliseconds},
      {"message_delay_ms", &p.message_delay_milliseconds},
      {"max_block_bytes", &p.max_block_bytes},
      {"max_block_transactions", &p.max_block_transactions},
      {"heartbeat_interval_ms", &p.heartbeat_interval_milliseconds},
  };
  for (const auto& [name, target] : integers) {
    if (!json.contains(name)) continue;
    RC_ASSIGN_OR_RETURN(*target, GetInteger<std::uint32_t>(json, name, "genesis.parameters"));
  }
  if (json.contains("create_empty_blocks")) {
    if (!json["create_empty_blocks"].is_boolean()) {
      return Status::InvalidArgument("genesis.parameters.create_empty_blocks must be true or false");
    }
    p.create_empty_blocks = json["create_empty_blocks"].get<bool>();
  }
  return Status::Ok();
}

// "accounts" is optional: a chain may start with no record authorities (notes only).
Status AccountsFromJson(const Json& json, std::vector<exec::GenesisAccount>& accounts) {
  if (!json.contains("accounts")) return Status::Ok();
  if (!json["accounts"].is_array()) return Status::InvalidArgument("genesis.accounts must be an array");
  if (json["accounts"].size() > exec::kMaxGenesisAccounts)
    return Status::InvalidArgument("genesis has too many accounts");
  for (const Json& entry : json["accounts"]) {
    RC_RETURN_IF_ERROR(CheckKeys(entry, "genesis.accounts[]", {"label", "kinds", "public_key"}));
    exec::GenesisAccount account;
    RC_ASSIGN_OR_RETURN(account.label, GetString(entry, "label", "genesis.accounts[]"));
    RC_ASSIGN_OR_RETURN(const std::string kinds, GetString(entry, "kinds", "genesis.accounts[]"));
    RC_ASSIGN_OR_RETURN(account.kinds, exec::ParseAccountKinds(kinds));
    RC_ASSIGN_OR_RETURN(const std::string key_hex, GetString(entry, "public_key", "genesis.accounts[]"));
    RC_ASSIGN_OR_RETURN(account.public_key, HexDecode(key_hex));
    accounts.push_back(std::move(account));
  }
  return Status::Ok();
}

}  // namespace

std::string GenesisToJson(const exec::Genesis& genesis) {
  Json members = Json::array();
  for (const exec::GenesisMember& member : genesis.members) {
    members.push_back({{"name", member.name},
                       {"role", std::string(exec::NodeRoleName(member.role))},
                       {"consensus_public_key", HexEncode(member.consensus_public_key)},
                       {"voting_power", member.voting_power}});
  }
  Json accounts = Json::array();
  for (const exec::GenesisAccount& account : genesis.accounts) {
    accounts.push_back({{"label", account.label},
                        {"kinds", exec::AccountKindsToString(account.kinds)},
                        {"public_key", HexEncode(account.public_key)}});
  }
  const Json json = {{"chain_id", genesis.chain_id},
                     {"suite", std::string(crypto::SuiteName(genesis.suite))},
                     {"genesis_time_ms", genesis.genesis_time_milliseconds},
                     {"members", members},
                     {"accounts", accounts},
                     {"parameters", ParametersToJson(genesis.parameters)}};
  return json.dump(2) + "\n";
}

Result<exec::Genesis> GenesisFromJson(std::string_view text) {
  const Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Status::InvalidArgument("genesis is not valid JSON");
  RC_RETURN_IF_ERROR(CheckKeys(
      json, "genesis", {"chain_id", "suite", "genesis_time_ms", "members", "accounts", "parameters"}));
  exec::Genesis genesis;
  RC_ASSIGN_OR_RETURN(genesis.chain_id, GetString(json, "chain_id", "genesis"));
  RC_ASSIGN_OR_RETURN(const std::string suite, GetString(json, "suite", "genesis"));
  RC_ASSIGN_OR_RETURN(genesis.suite, crypto::ParseSuiteName(suite));
  RC_ASSIGN_OR_RETURN(genesis.genesis_time_milliseconds,
                      GetInteger<std::int64_t>(json, "genesis_time_ms", "genesis"));
  if (!json.contains("members") || !json["members"].is_array()) {
    return Status::InvalidArgument("genesis.members must be an array");
  }
  if (json["members"].size() > exec::kMaxGenesisMembers)
    return Status::InvalidArgument("genesis has too many members");
  for (const Json& entry : json["members"]) {
    RC_RETURN_IF_ERROR(
        CheckKeys(entry, "genesis.members[]", {"name", "role", "consensus_public_key", "voting_power"}));
    exec::GenesisMember member;
    RC_ASSIGN_OR_RETURN(member.name, GetString(entry, "name", "genesis.members[]"));
    RC_ASSIGN_OR_RETURN(const std::string role,
                        GetString(entry, "role", "genesis.members[" + member.name + "]"));
    RC_ASSIGN_OR_RETURN(member.role, exec::ParseNodeRole(role));
    RC_ASSIGN_OR_RETURN(const std::string key_hex,
                        GetString(entry, "consensus_public_key", "genesis.members[]"));
    RC_ASSIGN_OR_RETURN(member.consensus_public_key, HexDecode(key_hex));
    RC_ASSIGN_OR_RETURN(member.voting_power,
                        GetInteger<std::uint64_t>(entry, "voting_power", "genesis.members[]"));
    genesis.members.push_back(std::move(member));
  }
  RC_RETURN_IF_ERROR(AccountsFromJson(json, genesis.accounts));
  if (json.contains("parameters"))
    RC_RETURN_IF_ERROR(ParametersFromJson(json["parameters"], genesis.parameters));
  RC_RETURN_IF_ERROR(exec::ValidateGenesis(genesis));
  return genesis;
}

Result<exec::Genesis> LoadGenesisFile(const std::filesystem::path& path) {
  RC_ASSIGN_OR_RETURN(const std::string text, ReadFile(path, 4u << 20));
  Result<exec::Genesis> genesis = GenesisFromJson(text);
  if (!genesis.ok()) return genesis.status().WithContext(path.string());
  return genesis;
}

}  // namespace rightchain::node
