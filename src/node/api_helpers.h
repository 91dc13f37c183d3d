// Internal to the node's API files: JSON responses, errors as {code, message, details}, parsing
// of path and query parameters, and running a handler on the core thread.
#pragma once

#include <charconv>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/hash.h"
#include "http/router.h"
#include "node/daemon_state.h"

namespace rightchain::node::api {

using Json = nlohmann::json;

inline http::Response JsonResponse(int status, const Json& body) {
  http::Response response;
  response.status = status;
  response.body = body.dump();
  return response;
}

inline http::Response FromStatus(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kInvalidArgument: return http::ErrorResponse(400, "invalid_argument", status.message());
    case ErrorCode::kNotFound: return http::ErrorResponse(404, "not_found", status.message());
    case ErrorCode::kLimitExceeded: return http::ErrorResponse(413, "limit_exceeded", status.message());
    default: return http::ErrorResponse(500, std::string(ErrorCodeName(status.code())), status.message());
  }
}

inline Result<std::uint64_t> ParseNumber(std::string_view text, std::string_view what) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument(std::string(what) + " must be a decimal number");
  }
  return value;
}

// 64 hex digits: a digest, a transaction id, a key id or an account id.
inline Result<crypto::Digest> ParseDigest(std::string_view hex, std::string_view what = "id") {
  if (hex.size() != 64) return Status::InvalidArgument(std::string(what) + " must be 64 hex digits");
  RC_ASSIGN_OR_RETURN(const Bytes bytes, HexDecode(hex));
  crypto::Digest digest;
  std::copy(bytes.begin(), bytes.end(), digest.begin());
  return digest;
}

// The optional `?item=N` of a batch item (empty when absent).
inline Result<std::optional<std::uint32_t>> ItemParameter(const http::Request& request) {
  if (request.QueryParameter("item").empty()) return std::optional<std::uint32_t>();
  RC_ASSIGN_OR_RETURN(const std::uint64_t item, ParseNumber(request.QueryParameter("item"), "item"));
  if (item > UINT32_MAX) return Status::InvalidArgument("item is out of range");
  return std::optional<std::uint32_t>(static_cast<std::uint32_t>(item));
}

// What a read handler off the core thread sees: the chain as of the latest commit, and the
// daemon's parts that never change or are published whole (genesis, configuration, Members()).
struct ChainRead {
  const ledger::ChainView& chain;
  const Daemon::State& state;
};

// Registers `pattern` with a handler that runs `work` on the API thread against the view of the
// latest commit: a read neither waits for the core thread nor delays it (consensus runs there).
inline void OnView(http::Router& router, Daemon::State& state, std::string method, std::string pattern,
                   std::function<http::Response(const http::Request&, const ChainRead&)> work) {
  router.Add(std::move(method), std::move(pattern),
             http::Handler([&state, work = std::move(work)](http::Request& request, http::Responder respond) {
               const std::shared_ptr<const ledger::ChainView> view = state.store->View();
               respond(work(request, ChainRead{*view, state}));
             }));
}

// Registers `pattern` with a handler that runs `work` on the core thread.
inline void OnCore(http::Router& router, Daemon::State& state, std::string method, std::string pattern,
                   std::function<http::Response(const http::Request&, NodeCore&)> work) {
  router.Add(std::move(method), std::move(pattern),
             http::Handler([&state, work = std::move(work)](http::Request& request, http::Responder respond) {
               state.Post([request, respond, work](NodeCore& core) { respond(work(request, core)); });
             }));
}

// The copyright-record routes (records_api.cc).
void AddRecordRoutes(http::Router& router, Daemon::State& state);
// The proof routes (proofs_api.cc): checkpoints, bundles, the trust file, and the RFC 3161
// time-stamping routes.
void AddProofRoutes(http::Router& router, Daemon::State& state);
void AddTimeStampRoutes(http::Router& router, Daemon::State& state);
// The governance routes (governance_api.cc): members, proposals, validator-set records.
void AddGovernanceRoutes(http::Router& router, Daemon::State& state);
// A receipt's result decoded for people: record id and conflicts, or account and kinds; hex
// otherwise.
Json ReceiptResultJson(ByteView result);

}  // namespace rightchain::node::api
