#include "proofs/trust.h"

#include <nlohmann/json.hpp>

#include "base/assert.h"

namespace rightchain::proofs {
namespace {

using Json = nlohmann::json;

Result<std::string> StringField(const Json& json, std::string_view name) {
  const auto found = json.find(std::string(name));
  if (found == json.end() || !found->is_string()) {
    return Status::InvalidArgument("trust file: \"" + std::string(name) + "\" must be a string");
  }
  return found->get<std::string>();
}

}  // namespace

std::string CheckpointKeyName(std::string_view chain_id, std::string_view member_name) {
  return std::string(chain_id) + "/" + std::string(member_name);
}

std::string MakeTrustFile(const exec::Genesis& genesis) {
  const Json json{{"format", std::string(kTrustFormat)},
                  {"chain_id", genesis.chain_id},
                  {"suite", std::string(crypto::SuiteName(genesis.suite))},
                  {"genesis_hash", HexEncode(exec::GenesisHash(genesis))},
                  {"genesis", HexEncode(exec::EncodeGenesis(genesis))}};
  return json.dump(2) + "\n";
}

TrustAnchor TrustAnchorFromGenesis(const exec::Genesis& genesis) {
  RC_ASSERT(exec::ValidateGenesis(genesis).ok());
  TrustAnchor anchor;
  anchor.genesis = genesis;
  anchor.genesis_hash = exec::GenesisHash(genesis);
  const crypto::SignatureScheme scheme = crypto::GetSuite(genesis.suite).signature;
  for (const exec::GenesisMember& member : genesis.members) {
    if (member.voting_power == 0) continue;
    Result<crypto::PublicKey> key = crypto::PublicKey::FromRaw(scheme, member.consensus_public_key);
    RC_ASSERT(key.ok());  // ValidateGenesis checked every key
    anchor.validators.push_back(
        {CheckpointKeyName(genesis.chain_id, member.name), *key, member.voting_power});
    anchor.total_voting_power += member.voting_power;
  }
  const std::string file = MakeTrustFile(genesis);
  anchor.file_hash = crypto::Hash(crypto::HashAlgorithm::kSha256, AsBytes(file));
  return anchor;
}

Result<TrustAnchor> ParseTrustFile(std::string_view text) {
  if (text.size() > kMaxTrustFileSize) return Status::LimitExceeded("a trust file is at most 4 MiB");
  const Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object())
    return Status::InvalidArgument("the trust file is not a JSON object");
  RC_ASSIGN_OR_RETURN(const std::string format, StringField(json, "format"));
  if (format != kTrustFormat) return Status::InvalidArgument("unknown trust file format '" + format + "'");
  RC_ASSIGN_OR_RETURN(const std::string genesis_hex, StringField(json, "genesis"));
  RC_ASSIGN_OR_RETURN(const Bytes genesis_bytes, HexDecode(genesis_hex));
  Result<exec::Genesis> genesis = exec::DecodeGenesis(genesis_bytes);
  if (!genesis.ok()) return genesis.status().WithContext("trust file genesis");
  RC_ASSIGN_OR_RETURN(const std::string chain_id, StringField(json, "chain_id"));
  RC_ASSIGN_OR_RETURN(const std::string suite, StringField(json, "suite"));
  RC_ASSIGN_OR_RETURN(const std::string genesis_hash, StringField(json, "genesis_hash"));
  if (chain_id != genesis->chain_id || suite != crypto::SuiteName(genesis->suite) ||
      genesis_hash != HexEncode(exec::GenesisHash(*genesis))) {
    return Status::InvalidArgument(
        "the trust file's chain id, suite or genesis hash disagree with its genesis");
  }
  TrustAnchor anchor = TrustAnchorFromGenesis(*genesis);
  anchor.file_hash = crypto::Hash(crypto::HashAlgorithm::kSha256, AsBytes(text));
  return anchor;
}

std::vector<NoteKey> TrustedNoteKeys(const TrustAnchor& anchor) {
  std::vector<NoteKey> keys;
  for (const TrustedValidator& validator : anchor.validators)
    keys.push_back({validator.key_name, validator.key});
  return keys;
}

}  // namespace rightchain::proofs
