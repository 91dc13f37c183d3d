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

http::Response GetBundle(const http::Request& request, const ChainRead& read) {
  const Result<std::uint64_t> id = ParseNumber(request.path_parameters.at("id"), "record id");
  if (!id.ok()) return FromStatus(id.status());
  const Result<std::optional<std::uint32_t>> item = ItemParameter(request);
  if (!item.ok()) return FromStatus(item.status());
  const std::shared_ptr<const MemberTable> members = read.state.Members();
  const Result<proofs::Bundle> bundle =
      BundleOf(ChainReadContext{read.chain, read.state.genesis, *members}, *id, *item);
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
