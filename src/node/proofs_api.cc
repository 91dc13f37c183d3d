// The proof routes of the node API (docs/proofs.md): the latest and any stored co-signed
// checkpoint as plain text, the proof bundle of a record, and the trust file of this chain.
#include <cstdio>

#include "exec/governance_state.h"
#include "exec/record_store.h"
#include "ledger/block.h"
#include "node/api_helpers.h"
#include "node/trust_file.h"
#include "proofs/bundle.h"
#include "proofs/checkpoint.h"
#include "proofs/signed_note.h"
#include "proofs/trust.h"

namespace rightchain::node::api {
namespace {

http::Response TextResponse(std::string body) {
  http::Response response;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(body);
  return response;
}

http::Response LatestCheckpoint(const http::Request&, const ChainRead& read) {
  const auto height = NodeCore::LatestCheckpointHeight(read.chain);
  if (!height.ok()) return FromStatus(height.status());
  if (!height->has_value()) return http::ErrorResponse(404, "not_found", "no final checkpoint yet");
  const auto note = NodeCore::CheckpointAt(read.chain, **height);
  if (!note.ok()) return FromStatus(note.status());
  if (!note->has_value()) return http::ErrorResponse(500, "internal", "the latest checkpoint is missing");
  return TextResponse(**note);
}

http::Response CheckpointAtHeight(const http::Request& request, const ChainRead& read) {
  const Result<std::uint64_t> height = ParseNumber(request.path_parameters.at("height"), "height");
  if (!height.ok()) return FromStatus(height.status());
  const auto note = NodeCore::CheckpointAt(read.chain, *height);
  if (!note.ok()) return FromStatus(note.status());
  if (!note->has_value()) {
    return http::ErrorResponse(404, "not_found",
                               "this node holds no final checkpoint of height " + std::to_string(*height));
  }
  return TextResponse(**note);
}

// The signers of a checkpoint note, with the keys the chain's members hold (for reading only: the
// verifier takes keys from the trust file).
std::vector<proofs::BundleSigner> SignersOf(const std::string& note_text, const ChainRead& read) {
  std::vector<proofs::BundleSigner> signers;
  const Result<proofs::SignedNote> note = proofs::ParseSignedNote(note_text);
  if (!note.ok()) return signers;
  const exec::Genesis& genesis = read.state.genesis;
  const std::shared_ptr<const MemberTable> members = read.state.Members();
  const crypto::SignatureScheme scheme = crypto::GetSuite(genesis.suite).signature;
  for (const proofs::NoteSignature& signature : note->signatures) {
    for (const TableMember& member : members->members()) {
      if (proofs::CheckpointKeyName(genesis.chain_id, member.name) != signature.key_name) continue;
      const Result<crypto::PublicKey> key = crypto::PublicKey::FromRaw(scheme, member.consensus_public_key);
      if (!key.ok() || proofs::NoteKeyId(signature.key_name, *key) != signature.key_id) continue;
      char key_id[9];
      std::snprintf(key_id, sizeof(key_id), "%08x", signature.key_id);
      signers.push_back({signature.key_name, member.consensus_public_key, key_id});
    }
  }
  return signers;
}

// Everything the node knows for the bundle of record `id`: for a batch item, the item's record and
// batch proof come from the platform that registered the batch (`rightchain bundle --batch-proof`).
Result<proofs::Bundle> AssembleBundle(const ChainRead& read, std::uint64_t id,
                                      std::optional<std::uint32_t> item) {
  const ledger::ChainView& store = read.chain;
  RC_ASSIGN_OR_RETURN(const std::optional<exec::Record> record, exec::LoadRecord(store.state(), id));
  if (!record.has_value()) return Status::NotFound("no record " + std::to_string(id));
  const bool batch =
      record->type == exec::RecordType::kIndexedBatch || record->type == exec::RecordType::kAnchorBatch;
  if (record->type == exec::RecordType::kAttestation) {
    return Status::InvalidArgument(
        "identity attestations are checked with the attesting authority, not by bundle");
  }
  if (batch != item.has_value()) {
    return Status::InvalidArgument(batch ? "a batch's bundle is per item: add ?item=N"
                                         : "only a batch has items");
  }
  RC_ASSIGN_OR_RETURN(const std::optional<ledger::TransactionLocation> location,
                      store.FindTransaction(record->transaction_id));
  if (!location.has_value()) return Status::Corruption("the record's transaction is not in the log");
  RC_ASSIGN_OR_RETURN(const std::optional<ledger::Block> block, store.BlockAt(location->height));
  if (!block.has_value()) return Status::Corruption("the record's block is missing");
  RC_ASSIGN_OR_RETURN(const std::optional<std::string> checkpoint,
                      NodeCore::CheckpointAt(read.chain, location->height));
  if (!checkpoint.has_value()) {
    return Status::NotFound("this node holds no final checkpoint of height " +
                            std::to_string(location->height) + " yet; ask another node or retry");
  }
  proofs::Bundle bundle;
  bundle.chain_id = read.state.genesis.chain_id;
  bundle.suite = read.state.genesis.suite;
  bundle.record_id = id;
  bundle.item = item;
  if (!batch) bundle.record = record->body;
  RC_ASSIGN_OR_RETURN(const ledger::LogLeaf leaf, store.LeafAt(location->log_index));
  bundle.log_leaf = ledger::EncodeLogLeaf(leaf);
  bundle.log_index = location->log_index;
  RC_ASSIGN_OR_RETURN(bundle.inclusion_proof,
                      store.log().InclusionProof(location->log_index, block->header.log_size));
  bundle.block_header = ledger::EncodeBlockHeader(block->header);
  bundle.checkpoint = *checkpoint;
  bundle.signers = SignersOf(*checkpoint, read);
  return bundle;
}

http::Response GetBundle(const http::Request& request, const ChainRead& read) {
  const Result<std::uint64_t> id = ParseNumber(request.path_parameters.at("id"), "record id");
  if (!id.ok()) return FromStatus(id.status());
  const Result<std::optional<std::uint32_t>> item = ItemParameter(request);
  if (!item.ok()) return FromStatus(item.status());
  const Result<proofs::Bundle> bundle = AssembleBundle(read, *id, *item);
  if (!bundle.ok()) return FromStatus(bundle.status());
  http::Response response;
  response.body = proofs::EncodeBundleJson(*bundle);
  return response;
}

}  // namespace

void AddProofRoutes(http::Router& router, Daemon::State& state) {
  OnView(router, state, "GET", "/v1/checkpoint", LatestCheckpoint);
  OnView(router, state, "GET", "/v1/checkpoints/{height}", CheckpointAtHeight);
  OnView(router, state, "GET", "/v1/bundles/{id}", GetBundle);
  // The trust file: genesis and every validator-set record since, each with its proof.
  OnCore(router, state, "GET", "/v1/trust", [](const http::Request&, NodeCore& core) {
    Result<std::string> trust = TrustFileOf(core);
    if (!trust.ok()) return FromStatus(trust.status());
    http::Response response;
    response.body = std::move(trust).value();
    return response;
  });
  AddTimeStampRoutes(router, state);
}

// RFC 3161 over HTTP (§3.4): POST application/timestamp-query, answered with
// application/timestamp-reply once the digest's time-stamp record is committed.
void AddTimeStampRoutes(http::Router& router, Daemon::State& state) {
  router.Add(
      "POST", "/v1/timestamp", http::Handler([&state](http::Request& request, http::Responder respond) {
        if (request.Header("content-type") != "application/timestamp-query") {
          return respond(http::ErrorResponse(415, "unsupported_media_type",
                                             "send a DER TimeStampReq as application/timestamp-query"));
        }
        state.Post([&state, body = std::move(request.body), respond](NodeCore& core) {
          if (state.time_stamps == nullptr) {
            const Result<Bytes> refusal = timestamp::TimeStampAuthority::Refuse(
                {timestamp::FailureInfo::kSystemFailure, "this node offers no time-stamping authority"});
            return respond(refusal.ok() ? TimeStampReply(503, *refusal) : FromStatus(refusal.status()));
          }
          state.time_stamps->Handle(AsBytes(body), respond, core, NowMilliseconds());
        });
      }));
  OnCore(router, state, "GET", "/v1/timestamp/certificate", [&state](const http::Request&, NodeCore&) {
    if (state.time_stamps == nullptr) {
      return http::ErrorResponse(404, "not_found", "this node offers no time-stamping authority");
    }
    http::Response response;
    response.content_type = "application/pem-certificate-chain";
    response.body = state.time_stamps->authority().certificate().ToPem();
    return response;
  });
}

}  // namespace rightchain::node::api
