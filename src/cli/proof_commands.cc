// `rightchain trust`, `rightchain bundle` and `rightchain verify` (docs/proofs.md, docs/cli.md):
// fetch a chain's trust file, assemble a record's proof bundle, and check a bundle offline.
#include "cli/proof_commands.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "base/file.h"
#include "base/time_text.h"
#include "cli/chain_session.h"
#include "client/node_client.h"
#include "node/genesis_file.h"
#include "proofs/bundle.h"
#include "proofs/trust.h"
#include "proofs/verifier.h"

namespace rightchain::cli {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxVerifiedFileBytes = std::size_t{1} << 30;
constexpr std::size_t kMaxProofFileBytes = 16u << 20;

struct ProofCommandOptions {
  std::string trust_node_url = std::string(kDefaultNodeUrl);
  std::string trust_genesis;
  std::string trust_out;
  std::string bundle_node_url = std::string(kDefaultNodeUrl);
  std::string bundle_target;
  std::string bundle_batch_proof;
  std::string bundle_out;
  std::string verify_bundle;
  std::string verify_trust;
  std::string verify_file;
  std::string verify_genesis_hash;
  bool verify_json = false;
  bool verify_update_trust = false;
};

Status WriteOrPrint(const std::string& path, const std::string& text, std::ostream& out) {
  if (path.empty() || path == "-") {
    out << text;
    return Status::Ok();
  }
  return WriteFile(path, text, 0644);
}

Status Trust(const ProofCommandOptions& options, std::ostream& out) {
  std::string text;
  if (!options.trust_genesis.empty()) {
    RC_ASSIGN_OR_RETURN(const exec::Genesis genesis, node::LoadGenesisFile(options.trust_genesis));
    text = proofs::MakeTrustFile(genesis);
  } else {
    RC_ASSIGN_OR_RETURN(text, FetchTrustFile(options.trust_node_url));
  }
  RC_ASSIGN_OR_RETURN(const proofs::TrustAnchor anchor, proofs::ParseTrustFile(text));
  RC_RETURN_IF_ERROR(WriteOrPrint(options.trust_out, text, out));
  if (!options.trust_out.empty() && options.trust_out != "-") {
    out << "trust file " << options.trust_out << ": chain " << anchor.genesis.chain_id << ", "
        << anchor.validators.size() << " validators, genesis " << HexEncode(anchor.genesis_hash) << "\n"
        << "sha256 " << HexEncode(anchor.file_hash) << "\n";
  }
  return Status::Ok();
}

// Adds a platform's item proof (`register-batch` writes one per item) to a batch item's bundle.
Status AddBatchProof(proofs::Bundle& bundle, const std::string& path) {
  RC_ASSIGN_OR_RETURN(const std::string text, ReadFile(path, kMaxProofFileBytes));
  const Json json = Json::parse(text, nullptr, false);
  if (!json.is_object() || !json.contains("record") || !json["record"].is_string() ||
      !json.contains("item") || !json["item"].is_number_unsigned() || !json.contains("tree_size") ||
      !json["tree_size"].is_number_unsigned() || !json.contains("inclusion_proof") ||
      !json["inclusion_proof"].is_array()) {
    return Status::InvalidArgument(path + " is not an item proof written by register-batch");
  }
  if (!bundle.item.has_value() || json["item"].get<std::uint64_t>() != *bundle.item) {
    return Status::InvalidArgument(path + " is the proof of another item");
  }
  RC_ASSIGN_OR_RETURN(bundle.record, HexDecode(json["record"].get<std::string>()));
  proofs::BatchItemProof proof{*bundle.item, json["tree_size"].get<std::uint64_t>(), {}};
  for (const Json& hash : json["inclusion_proof"]) {
    if (!hash.is_string()) return Status::InvalidArgument(path + ": inclusion_proof holds a non-string");
    RC_ASSIGN_OR_RETURN(const Bytes bytes, HexDecode(hash.get<std::string>()));
    if (bytes.size() != crypto::kDigestSize)
      return Status::InvalidArgument(path + ": a proof hash is not 32 bytes");
    crypto::Digest digest;
    std::copy(bytes.begin(), bytes.end(), digest.begin());
    proof.inclusion_proof.push_back(digest);
  }
  bundle.batch_proof = std::move(proof);
  return Status::Ok();
}

Status MakeBundle(const ProofCommandOptions& options, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const proofs::Bundle bundle, FetchBundle(options.bundle_node_url, options.bundle_target,
                                                               options.bundle_batch_proof));
  return WriteOrPrint(options.bundle_out, proofs::EncodeBundleJson(bundle), out);
}

Json VerificationJson(const proofs::Verification& verification, const proofs::TrustAnchor& trust) {
  const proofs::VerifiedRecord& record = verification.record;
  Json conflicts = Json::array();
  for (const exec::Conflict& conflict : record.conflicts) {
    conflicts.push_back({{"prior_record_id", conflict.prior_record_id},
                         {"prior_item", conflict.prior_item},
                         {"prior_time_ms", conflict.prior_time_milliseconds}});
  }
  Json json{{"verified", verification.ok()},
            {"check", std::string(proofs::CheckName(verification.failed))},
            {"message", verification.message},
            {"trust_file_sha256", HexEncode(trust.file_hash)},
            {"genesis_hash", HexEncode(trust.genesis_hash)},
            {"validator_set", record.validator_set},
            {"followed_validator_sets", record.followed_validator_sets},
            {"record_id", record.record_id},
            {"item", record.item.has_value() ? Json(*record.item) : Json()},
            {"type", record.type},
            {"indexed", record.indexed},
            {"height", record.height},
            {"block_time_ms", record.block_time_milliseconds},
            {"log_index", record.log_index},
            {"log_size", record.log_size},
            {"signers", record.signers},
            {"signed_voting_power", record.signed_voting_power},
            {"total_voting_power", record.total_voting_power},
            {"conflicts", conflicts}};
  if (record.work.has_value()) {
    json["title"] = record.work->title;
    json["content_hash"] = HexEncode(record.work->content_hash);
  }
  return json;
}

void PrintVerification(const proofs::Verification& verification, const proofs::TrustAnchor& trust,
                       std::ostream& out) {
  const proofs::VerifiedRecord& record = verification.record;
  if (!verification.ok()) {
    out << "NOT VERIFIED: " << proofs::CheckName(verification.failed) << ": " << verification.message << "\n";
    return;
  }
  out << "VERIFIED " << record.type << " record " << record.record_id;
  if (record.item.has_value()) out << " item " << *record.item;
  out << "\n";
  if (record.work.has_value()) {
    out << "  title         " << record.work->title << "\n"
        << "  content hash  " << HexEncode(record.work->content_hash) << "\n";
  }
  out << "  block         height " << record.height << ", time " << IsoUtcTime(record.block_time_milliseconds)
      << "\n"
      << "  log           entry " << record.log_index << " of " << record.log_size << "\n"
      << "  signed by     " << record.signers.size() << " validators holding " << record.signed_voting_power
      << " of " << record.total_voting_power << " voting power\n"
      << "  trust file    sha256 " << HexEncode(trust.file_hash) << ", genesis "
      << HexEncode(trust.genesis_hash) << "\n";
  if (record.followed_validator_sets > 0) {
    out << "  validators    set " << record.validator_set << ", followed from the trust file through "
        << record.followed_validator_sets
        << " newer validator-set records the bundle carries (the trust file is older than the bundle)\n";
  }
  if (!record.indexed)
    out << "  note          an anchor-only batch item: the chain never saw it, so conflicts are unknown\n";
  for (const exec::Conflict& conflict : record.conflicts) {
    out << "  CONFLICT      the same content was registered before by another account: record "
        << conflict.prior_record_id
        << (conflict.prior_item != 0 ? ":" + std::to_string(conflict.prior_item) : "") << " at "
        << IsoUtcTime(conflict.prior_time_milliseconds) << "\n";
  }
}

// Keeps the newer validator-set records a verified bundle carried: the trust file is rewritten
// with them, so that a later checkpoint signed by a set they show replaced is refused.
Status UpdateTrustFile(const std::string& path, proofs::TrustAnchor trust, const proofs::Bundle& bundle,
                       std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const std::size_t followed, proofs::FollowValidatorSets(trust, bundle.validator_sets));
  const std::string text = proofs::MakeTrustFile(trust);
  RC_RETURN_IF_ERROR(WriteFile(path, text, 0644));
  out << "trust file " << path << " updated with " << followed << " validator-set records: sha256 "
      << HexEncode(crypto::Hash(crypto::HashAlgorithm::kSha256, AsBytes(text))) << "\n";
  return Status::Ok();
}

// Exit status for `verify`: OK when verified; kVerificationFailed (exit 1) naming the check.
Status Verify(const ProofCommandOptions& options, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const std::string trust_text,
                      ReadFile(options.verify_trust, proofs::kMaxTrustFileSize));
  const Result<proofs::TrustAnchor> trust = proofs::ParseTrustFile(trust_text);
  if (!trust.ok()) return Status::VerificationFailed("unknown_trust_anchor: " + trust.status().message());
  RC_ASSIGN_OR_RETURN(const std::string bundle_text, ReadFile(options.verify_bundle, proofs::kMaxBundleSize));
  const Result<proofs::Bundle> bundle = proofs::ParseBundleJson(bundle_text);
  if (!bundle.ok()) return Status::VerificationFailed("bundle: " + bundle.status().message());
  std::optional<std::string> file;
  if (!options.verify_file.empty()) {
    RC_ASSIGN_OR_RETURN(file, ReadFile(options.verify_file, kMaxVerifiedFileBytes));
  }
  proofs::Verification verification;
  if (!options.verify_genesis_hash.empty()) {
    const Result<Bytes> pinned = HexDecode(options.verify_genesis_hash);
    if (!pinned.ok() || pinned->size() != crypto::kDigestSize)
      return Status::InvalidArgument("--genesis-hash must be 64 hex digits");
    crypto::Digest digest;
    std::copy(pinned->begin(), pinned->end(), digest.begin());
    verification = proofs::CheckPinnedGenesis(*trust, digest);
  }
  if (verification.ok()) {
    verification = proofs::VerifyBundle(
        *bundle, *trust, file.has_value() ? std::optional<ByteView>(AsBytes(*file)) : std::nullopt);
  }
  if (options.verify_json) {
    out << VerificationJson(verification, *trust).dump(2) << "\n";
  } else {
    PrintVerification(verification, *trust, out);
  }
  if (!verification.ok()) {
    return Status::VerificationFailed(std::string(proofs::CheckName(verification.failed)) + ": " +
                                      verification.message);
  }
  if (options.verify_update_trust && verification.record.followed_validator_sets > 0) {
    return UpdateTrustFile(options.verify_trust, *trust, *bundle, options.verify_json ? std::cerr : out);
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> FetchTrustFile(const std::string& node_url) {
  const client::NodeClient node(node_url);
  RC_ASSIGN_OR_RETURN(std::string text, node.GetJsonText("/v1/trust"));
  RC_RETURN_IF_ERROR(proofs::ParseTrustFile(text).status());
  return text;
}

Result<proofs::Bundle> FetchBundle(const std::string& node_url, const std::string& target,
                                   const std::string& batch_proof_path) {
  const std::size_t colon = target.find(':');
  const std::string id = target.substr(0, colon);
  std::string path = "/v1/bundles/" + id;
  if (colon != std::string::npos) path += "?item=" + target.substr(colon + 1);
  const client::NodeClient node(node_url);
  RC_ASSIGN_OR_RETURN(const std::string text, node.GetJsonText(path));
  RC_ASSIGN_OR_RETURN(proofs::Bundle bundle, proofs::ParseBundleJson(text));
  if (bundle.item.has_value()) {
    if (batch_proof_path.empty()) {
      return Status::InvalidArgument(
          "a batch item's bundle needs the platform's item proof: --batch-proof FILE");
    }
    RC_RETURN_IF_ERROR(AddBatchProof(bundle, batch_proof_path));
  }
  return bundle;
}

std::shared_ptr<void> AddProofCommands(CLI::App& app, std::optional<Status>& outcome) {
  auto options = std::make_shared<ProofCommandOptions>();
  ProofCommandOptions& o = *options;

  CLI::App* trust = app.add_subcommand(
      "trust",
      "write this chain's trust file (genesis and its validator-set records) for offline verification");
  trust->add_option("--genesis", o.trust_genesis, "make it from this genesis.json (default: ask --node)");
  trust->add_option("--node", o.trust_node_url, "the node's API URL")->capture_default_str();
  trust->add_option("--out", o.trust_out, "output file (default: stdout)");
  trust->callback([&outcome, &o] { outcome = Trust(o, std::cout); });

  CLI::App* bundle = app.add_subcommand("bundle", "fetch a record's self-contained proof bundle");
  bundle->add_option("id", o.bundle_target, "record id, or ID:ITEM for a batch item")->required();
  bundle->add_option("--batch-proof", o.bundle_batch_proof, "a batch item's proof file from register-batch");
  bundle->add_option("--node", o.bundle_node_url, "the node's API URL")->capture_default_str();
  bundle->add_option("--out", o.bundle_out, "output file (default: stdout)");
  bundle->callback([&outcome, &o] { outcome = MakeBundle(o, std::cout); });

  CLI::App* verify = app.add_subcommand("verify", "check a proof bundle offline against a trust file");
  verify->add_option("--bundle", o.verify_bundle, "the bundle")->required();
  verify->add_option("--trust", o.verify_trust, "the trust file")->required();
  verify->add_option("--file", o.verify_file,
                     "the registered file, evidence manifest or time-stamped file (refused for a record that "
                     "holds no file's hash)");
  verify->add_option("--genesis-hash", o.verify_genesis_hash,
                     "refuse unless the trust file's genesis has this hash (the one a certificate prints)");
  verify->add_flag("--json", o.verify_json, "print the result as JSON");
  verify->add_flag("--update-trust", o.verify_update_trust,
                   "keep the newer validator-set records a verified bundle carries: rewrite the trust file "
                   "with them");
  verify->callback([&outcome, &o] { outcome = Verify(o, std::cout); });
  return options;
}

}  // namespace rightchain::cli
