#include "proofs/bundle.h"

#include <nlohmann/json.hpp>
#include <set>

namespace rightchain::proofs {
namespace {

using Json = nlohmann::json;

Json DigestsJson(const std::vector<crypto::Digest>& digests) {
  Json array = Json::array();
  for (const crypto::Digest& digest : digests) array.push_back(HexEncode(digest));
  return array;
}

// Reads fields of one JSON object, remembering which it saw so that unknown ones are refused.
class FieldReader {
 public:
  FieldReader(const Json& object, std::string where) : object_(object), where_(std::move(where)) {}

  bool Has(const std::string& name) const { return object_.contains(name) && !object_[name].is_null(); }

  Result<std::string> String(const std::string& name) {
    seen_.insert(name);
    if (!object_.contains(name) || !object_[name].is_string()) return Missing(name, "a string");
    return object_[name].get<std::string>();
  }

  Result<std::uint64_t> Number(const std::string& name) {
    seen_.insert(name);
    if (!object_.contains(name) || !object_[name].is_number_unsigned())
      return Missing(name, "a non-negative integer");
    return object_[name].get<std::uint64_t>();
  }

  Result<Bytes> Hex(const std::string& name, std::size_t max_bytes) {
    RC_ASSIGN_OR_RETURN(const std::string text, String(name));
    if (text.size() > 2 * max_bytes) return Status::LimitExceeded(where_ + "." + name + " is too long");
    Result<Bytes> bytes = HexDecode(text);
    if (!bytes.ok()) return Status::InvalidArgument(where_ + "." + name + " is not hex");
    return bytes;
  }

  Result<std::vector<crypto::Digest>> Digests(const std::string& name) {
    seen_.insert(name);
    if (!object_.contains(name) || !object_[name].is_array()) return Missing(name, "an array of hashes");
    const Json& array = object_[name];
    if (array.size() > kMaxProofHashes)
      return Status::LimitExceeded(where_ + "." + name + " has too many hashes");
    std::vector<crypto::Digest> digests;
    for (const Json& entry : array) {
      if (!entry.is_string()) return Missing(name, "an array of hex hashes");
      const Result<Bytes> bytes = HexDecode(entry.get<std::string>());
      if (!bytes.ok() || bytes->size() != crypto::kDigestSize) {
        return Status::InvalidArgument(where_ + "." + name +
                                       " holds something that is not a 32-byte hex hash");
      }
      crypto::Digest digest;
      std::copy(bytes->begin(), bytes->end(), digest.begin());
      digests.push_back(digest);
    }
    return digests;
  }

  const Json* Object(const std::string& name) {
    seen_.insert(name);
    if (!Has(name) || !object_[name].is_object()) return nullptr;
    return &object_[name];
  }

  const Json* Array(const std::string& name) {
    seen_.insert(name);
    if (!object_.contains(name) || !object_[name].is_array()) return nullptr;
    return &object_[name];
  }

  void Skip(const std::string& name) { seen_.insert(name); }

  Status NoUnknownFields() const {
    for (const auto& [name, value] : object_.items()) {
      if (seen_.count(name) == 0)
        return Status::InvalidArgument(where_ + " has an unknown field \"" + name + "\"");
    }
    return Status::Ok();
  }

 private:
  Status Missing(const std::string& name, std::string_view what) const {
    return Status::InvalidArgument(where_ + "." + name + " must be " + std::string(what));
  }

  const Json& object_;
  std::string where_;
  std::set<std::string> seen_;
};

Result<BatchItemProof> ParseBatchProof(const Json& json) {
  FieldReader fields(json, "bundle.batch_proof");
  BatchItemProof proof;
  RC_ASSIGN_OR_RETURN(proof.leaf_index, fields.Number("leaf_index"));
  RC_ASSIGN_OR_RETURN(proof.tree_size, fields.Number("tree_size"));
  RC_ASSIGN_OR_RETURN(proof.inclusion_proof, fields.Digests("inclusion_proof"));
  RC_RETURN_IF_ERROR(fields.NoUnknownFields());
  return proof;
}

Result<std::vector<BundleSigner>> ParseSigners(const Json* array) {
  if (array == nullptr) return Status::InvalidArgument("bundle.signers must be an array");
  if (array->size() > kMaxBundleSigners) return Status::LimitExceeded("bundle.signers has too many entries");
  std::vector<BundleSigner> signers;
  for (const Json& entry : *array) {
    if (!entry.is_object())
      return Status::InvalidArgument("bundle.signers holds something that is not an object");
    FieldReader fields(entry, "bundle.signers[]");
    BundleSigner signer;
    RC_ASSIGN_OR_RETURN(signer.name, fields.String("name"));
    RC_ASSIGN_OR_RETURN(signer.public_key, fields.Hex("public_key", 65));
    RC_ASSIGN_OR_RETURN(signer.key_id, fields.String("key_id"));
    RC_RETURN_IF_ERROR(fields.NoUnknownFields());
    signers.push_back(std::move(signer));
  }
  return signers;
}

Result<std::vector<ValidatorSetProof>> ParseValidatorSets(const Json* array) {
  if (array == nullptr) return Status::InvalidArgument("bundle.validator_sets must be an array");
  if (array->size() > kMaxTrustedValidatorSets)
    return Status::LimitExceeded("bundle.validator_sets has too many entries");
  std::vector<ValidatorSetProof> proofs;
  for (const Json& entry : *array) {
    if (!entry.is_object())
      return Status::InvalidArgument("bundle.validator_sets holds something that is not an object");
    FieldReader fields(entry, "bundle.validator_sets[]");
    ValidatorSetProof proof;
    RC_ASSIGN_OR_RETURN(proof.record, fields.Hex("record", 1u << 20));
    RC_ASSIGN_OR_RETURN(proof.log_index, fields.Number("log_index"));
    RC_ASSIGN_OR_RETURN(proof.log_leaf, fields.Hex("log_leaf", 2u << 20));
    RC_ASSIGN_OR_RETURN(proof.inclusion_proof, fields.Digests("inclusion_proof"));
    RC_ASSIGN_OR_RETURN(proof.checkpoint, fields.String("checkpoint"));
    RC_RETURN_IF_ERROR(fields.NoUnknownFields());
    proofs.push_back(std::move(proof));
  }
  return proofs;
}

Result<NewerCheckpoint> ParseNewer(const Json& json) {
  FieldReader fields(json, "bundle.newer_checkpoint");
  NewerCheckpoint newer;
  RC_ASSIGN_OR_RETURN(newer.checkpoint, fields.String("checkpoint"));
  RC_ASSIGN_OR_RETURN(newer.consistency_proof, fields.Digests("consistency_proof"));
  RC_RETURN_IF_ERROR(fields.NoUnknownFields());
  return newer;
}

}  // namespace

std::string EncodeBundleJson(const Bundle& bundle) {
  Json signers = Json::array();
  for (const BundleSigner& signer : bundle.signers) {
    signers.push_back(
        {{"name", signer.name}, {"public_key", HexEncode(signer.public_key)}, {"key_id", signer.key_id}});
  }
  const bool with_sets = !bundle.validator_sets.empty();
  Json json{{"format", std::string(with_sets ? kBundleFormatWithValidatorSets : kBundleFormat)},
            {"chain_id", bundle.chain_id},
            {"suite", std::string(crypto::SuiteName(bundle.suite))},
            {"record_id", bundle.record_id},
            {"item", bundle.item.has_value() ? Json(*bundle.item) : Json(nullptr)},
            {"record", HexEncode(bundle.record)},
            {"batch_proof", nullptr},
            {"log_leaf", HexEncode(bundle.log_leaf)},
            {"log_index", bundle.log_index},
            {"inclusion_proof", DigestsJson(bundle.inclusion_proof)},
            {"block_header", HexEncode(bundle.block_header)},
            {"checkpoint", bundle.checkpoint},
            {"signers", signers},
            {"newer_checkpoint", nullptr}};
  if (bundle.batch_proof.has_value()) {
    json["batch_proof"] = {{"leaf_index", bundle.batch_proof->leaf_index},
                           {"tree_size", bundle.batch_proof->tree_size},
                           {"inclusion_proof", DigestsJson(bundle.batch_proof->inclusion_proof)}};
  }
  if (bundle.newer.has_value()) {
    json["newer_checkpoint"] = {{"checkpoint", bundle.newer->checkpoint},
                                {"consistency_proof", DigestsJson(bundle.newer->consistency_proof)}};
  }
  if (with_sets) {
    Json sets = Json::array();
    for (const ValidatorSetProof& proof : bundle.validator_sets) {
      sets.push_back({{"record", HexEncode(proof.record)},
                      {"log_index", proof.log_index},
                      {"log_leaf", HexEncode(proof.log_leaf)},
                      {"inclusion_proof", DigestsJson(proof.inclusion_proof)},
                      {"checkpoint", proof.checkpoint}});
    }
    json["validator_sets"] = sets;
  }
  return json.dump(2) + "\n";
}

Result<Bundle> ParseBundleJson(std::string_view text) {
  if (text.size() > kMaxBundleSize) return Status::LimitExceeded("a bundle is at most 8 MiB");
  const Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object())
    return Status::InvalidArgument("the bundle is not a JSON object");
  FieldReader fields(json, "bundle");
  RC_ASSIGN_OR_RETURN(const std::string format, fields.String("format"));
  const bool with_sets = format == kBundleFormatWithValidatorSets;
  if (format != kBundleFormat && !with_sets)
    return Status::InvalidArgument("unknown bundle format '" + format + "'");
  Bundle bundle;
  RC_ASSIGN_OR_RETURN(bundle.chain_id, fields.String("chain_id"));
  RC_ASSIGN_OR_RETURN(const std::string suite, fields.String("suite"));
  RC_ASSIGN_OR_RETURN(bundle.suite, crypto::ParseSuiteName(suite));
  RC_ASSIGN_OR_RETURN(bundle.record_id, fields.Number("record_id"));
  if (fields.Has("item")) {
    RC_ASSIGN_OR_RETURN(const std::uint64_t item, fields.Number("item"));
    if (item > UINT32_MAX) return Status::InvalidArgument("bundle.item is out of range");
    bundle.item = static_cast<std::uint32_t>(item);
  } else {
    fields.Skip("item");
  }
  RC_ASSIGN_OR_RETURN(bundle.record, fields.Hex("record", 1u << 20));
  if (const Json* batch = fields.Object("batch_proof"); batch != nullptr) {
    RC_ASSIGN_OR_RETURN(bundle.batch_proof, ParseBatchProof(*batch));
  }
  RC_ASSIGN_OR_RETURN(bundle.log_leaf, fields.Hex("log_leaf", 2u << 20));
  RC_ASSIGN_OR_RETURN(bundle.log_index, fields.Number("log_index"));
  RC_ASSIGN_OR_RETURN(bundle.inclusion_proof, fields.Digests("inclusion_proof"));
  RC_ASSIGN_OR_RETURN(bundle.block_header, fields.Hex("block_header", 4096));
  RC_ASSIGN_OR_RETURN(bundle.checkpoint, fields.String("checkpoint"));
  RC_ASSIGN_OR_RETURN(bundle.signers, ParseSigners(fields.Array("signers")));
  if (const Json* newer = fields.Object("newer_checkpoint"); newer != nullptr) {
    RC_ASSIGN_OR_RETURN(bundle.newer, ParseNewer(*newer));
  }
  if (with_sets) {
    RC_ASSIGN_OR_RETURN(bundle.validator_sets, ParseValidatorSets(fields.Array("validator_sets")));
    if (bundle.validator_sets.empty())
      return Status::InvalidArgument("a format-2 bundle carries at least one validator-set record");
  }
  RC_RETURN_IF_ERROR(fields.NoUnknownFields());
  return bundle;
}

}  // namespace rightchain::proofs
