// The node API, /v1 (docs/api/openapi.yaml). Reads of the chain run on the API threads against
// the view of the latest commit (OnView); what needs the core's own state (mempool, peers,
// consensus) and every submission runs on the core thread (OnCore, PostTask).
#include <charconv>
#include <nlohmann/json.hpp>

#include "consensus/validator_set.h"
#include "crypto/public_key_cache.h"
#include "ledger/block.h"
#include "node/api_helpers.h"
#include "node/daemon_state.h"
#include "node/genesis_file.h"

namespace rightchain::node {
namespace {

using namespace api;  // NOLINT: this file is the API

Json HeaderJson(const ledger::BlockHeader& header, const crypto::Digest& hash) {
  return Json{{"hash", HexEncode(hash)},
              {"chain_id", header.chain_id},
              {"height", header.height},
              {"time_ms", header.time_milliseconds},
              {"previous_block_hash", HexEncode(header.previous_block_hash)},
              {"previous_commit_hash", HexEncode(header.previous_commit_hash)},
              {"transactions_root", HexEncode(header.transactions_root)},
              {"receipts_root", HexEncode(header.receipts_root)},
              {"log_size", header.log_size},
              {"log_root", HexEncode(header.log_root)},
              {"state_root", HexEncode(header.state_root)},
              {"validator_set_hash", HexEncode(header.validator_set_hash)},
              {"next_validator_set_hash", HexEncode(header.next_validator_set_hash)},
              {"proposer_key_id", HexEncode(header.proposer_key_id)}};
}

Json CertificateJson(const consensus::CommitCertificate& certificate) {
  Json signatures = Json::array();
  for (const consensus::Vote& vote : certificate.precommits) {
    signatures.push_back({{"validator", vote.validator}, {"signature", HexEncode(vote.signature)}});
  }
  return Json{{"height", certificate.height},
              {"round", certificate.round},
              {"block_hash", HexEncode(certificate.block_hash)},
              {"precommits", signatures},
              {"encoding", HexEncode(ledger::EncodeCommitCertificate(certificate))}};
}

Json DigestsJson(const std::vector<crypto::Digest>& digests) {
  Json array = Json::array();
  for (const auto& digest : digests) array.push_back(HexEncode(digest));
  return array;
}

http::Response Status(Daemon::State& state, NodeCore& core) {
  const ledger::ChainStore& store = core.store();
  const ledger::ChainHead& head = store.head();
  // A node governance has not admitted yet follows the chain as "joining".
  const std::optional<MemberIndex> self = core.member_index();
  const std::string role =
      self.has_value() ? std::string(exec::NodeRoleName(core.members().at(*self).role)) : "joining";
  return JsonResponse(
      200, Json{{"chain_id", state.genesis.chain_id},
                {"suite", std::string(crypto::SuiteName(state.genesis.suite))},
                {"node", state.config.name},
                {"role", role},
                {"height", head.height},
                {"block_hash", HexEncode(head.block_hash)},
                {"time_ms", head.time_milliseconds},
                {"log_size", store.log().size()},
                {"log_root", HexEncode(store.log().Root())},
                {"state_root", HexEncode(head.state_root)},
                {"mempool_size", core.mempool().size()},
                {"peers_connected", state.member_peers.size()},
                {"validators", core.validators().size()},
#ifdef RIGHTCHAIN_BENCH_UNSIGNED
                {"benchmark_build_without_signature_checks", true},
#endif
                // Where peers reach it (null when it listens on wildcards only).
                {"transport_address",
                 state.own_address.has_value() ? Json(FormatPeerAddress(*state.own_address)) : Json()}});
}

// At most this many transactions in one POST /v1/transactions/batch.
constexpr std::size_t kMaxBatchSubmission = 1000;
constexpr std::size_t kCachedSenderKeysPerThread = 1024;

// A submitted transaction decoded and its signature checked on the API thread, so that the core
// thread, which also runs consensus and execution, spends no time on it.
std::variant<NodeCore::VerifiedSubmission, mempool::Rejection> DecodeAndVerify(Bytes encoded) {
  Result<codec::SignedTransaction> transaction = codec::DecodeSignedTransaction(encoded);
  if (!transaction.ok())
    return mempool::Rejection{mempool::RejectionCode::kMalformed, transaction.status().message()};
  const codec::Transaction& body = transaction->transaction;
  // Each API thread keeps the senders' keys it parsed: a sender usually signs many transactions.
  thread_local crypto::PublicKeyCache sender_keys(kCachedSenderKeysPerThread);
  const Result<crypto::PublicKey> sender = sender_keys.Get(body.sender_scheme, body.sender_public_key);
  if (!sender.ok())
    return mempool::Rejection{mempool::RejectionCode::kBadSignature, sender.status().message()};
#ifndef RIGHTCHAIN_BENCH_UNSIGNED  // the ordering-path benchmark build (CMakeLists.txt) skips it
  if (const rightchain::Status verified =
          sender->Verify(codec::TransactionSigningBytes(body), transaction->signature);
      !verified.ok()) {
    return mempool::Rejection{mempool::RejectionCode::kBadSignature, verified.message()};
  }
#endif
  return NodeCore::VerifiedSubmission{std::move(transaction).value(), std::move(encoded)};
}

int RejectionHttpStatus(const mempool::Rejection& rejection) {
  switch (rejection.code) {
    case mempool::RejectionCode::kFull:
    case mempool::RejectionCode::kRateLimited: return 429;
    case mempool::RejectionCode::kAlreadyPending:
    case mempool::RejectionCode::kAlreadyCommitted: return 409;
    default: return 400;
  }
}

Json SubmissionJson(const std::variant<crypto::Digest, mempool::Rejection>& result) {
  if (const auto* rejection = std::get_if<mempool::Rejection>(&result)) {
    return Json{{"code", std::string(mempool::RejectionCodeName(rejection->code))},
                {"message", rejection->message}};
  }
  return Json{{"id", HexEncode(std::get<crypto::Digest>(result))}, {"status", "pending"}};
}

// POST /v1/transactions: the signed transaction's bytes, or {"transaction": "<hex>"}.
void SubmitTransaction(Daemon::State& state, http::Request& request, http::Responder respond) {
  Bytes encoded;
  if (request.Header("content-type").starts_with("application/json")) {
    const Json body = Json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("transaction") ||
        !body["transaction"].is_string()) {
      respond(http::ErrorResponse(400, "malformed",
                                  "expected {\"transaction\": \"<hex of the signed transaction>\"}"));
      return;
    }
    Result<Bytes> decoded = HexDecode(body["transaction"].get<std::string>());
    if (!decoded.ok()) {
      respond(http::ErrorResponse(400, "malformed", decoded.status().message()));
      return;
    }
    encoded = std::move(decoded).value();
  } else {
    encoded.assign(request.body.begin(), request.body.end());
  }
  auto checked = DecodeAndVerify(std::move(encoded));
  if (const auto* rejection = std::get_if<mempool::Rejection>(&checked)) {
    respond(http::ErrorResponse(RejectionHttpStatus(*rejection), mempool::RejectionCodeName(rejection->code),
                                rejection->message));
    return;
  }
  std::vector<NodeCore::VerifiedSubmission> submissions;
  submissions.push_back(std::move(std::get<NodeCore::VerifiedSubmission>(checked)));
  state.Post([respond, submissions = std::move(submissions)](NodeCore& core) mutable {
    const auto results = core.SubmitVerifiedTransactions(std::move(submissions), NowMilliseconds());
    if (const auto* rejection = std::get_if<mempool::Rejection>(&results.front())) {
      respond(http::ErrorResponse(RejectionHttpStatus(*rejection),
                                  mempool::RejectionCodeName(rejection->code), rejection->message));
      return;
    }
    respond(JsonResponse(202, SubmissionJson(results.front())));
  });
}

// POST /v1/transactions/batch: {"transactions": ["<hex>", …]} (at most 1,000); answers
// {"results": [{"id", "status": "pending"} | {"code", "message"}, …]} in the same order.
void SubmitTransactionBatch(Daemon::State& state, http::Request& request, http::Responder respond) {
  const Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("transactions") ||
      !body["transactions"].is_array() || body["transactions"].size() > kMaxBatchSubmission) {
    respond(http::ErrorResponse(
        400, "malformed",
        "expected {\"transactions\": [\"<hex of a signed transaction>\", …]} with at most " +
            std::to_string(kMaxBatchSubmission) + " entries"));
    return;
  }
  std::vector<std::variant<crypto::Digest, mempool::Rejection>> results(body["transactions"].size(),
                                                                        mempool::Rejection{});
  std::vector<NodeCore::VerifiedSubmission> submissions;
  std::vector<std::size_t> positions;  // of each submission in `results`
  for (std::size_t i = 0; i < body["transactions"].size(); ++i) {
    const Json& entry = body["transactions"][i];
    Result<Bytes> decoded = entry.is_string() ? HexDecode(entry.get<std::string>())
                                              : Result<Bytes>(Status::InvalidArgument("not a hex string"));
    if (!decoded.ok()) {
      results[i] = mempool::Rejection{mempool::RejectionCode::kMalformed, decoded.status().message()};
      continue;
    }
    auto checked = DecodeAndVerify(std::move(decoded).value());
    if (auto* rejection = std::get_if<mempool::Rejection>(&checked)) {
      results[i] = std::move(*rejection);
      continue;
    }
    submissions.push_back(std::move(std::get<NodeCore::VerifiedSubmission>(checked)));
    positions.push_back(i);
  }
  state.Post([respond, results = std::move(results), submissions = std::move(submissions),
              positions = std::move(positions)](NodeCore& core) mutable {
    auto admitted = core.SubmitVerifiedTransactions(std::move(submissions), NowMilliseconds());
    for (std::size_t i = 0; i < admitted.size(); ++i) results[positions[i]] = std::move(admitted[i]);
    Json array = Json::array();
    for (const auto& result : results) array.push_back(SubmissionJson(result));
    respond(JsonResponse(200, Json{{"results", array}}));
  });
}

http::Response TransactionStatus(Daemon::State& state, const http::Request& request, NodeCore& core) {
  const Result<crypto::Digest> id = ParseDigest(request.path_parameters.at("id"));
  if (!id.ok()) return FromStatus(id.status());
  Json body{{"id", HexEncode(*id)}};
  const auto location = core.store().FindTransaction(*id);
  if (!location.ok()) return FromStatus(location.status());
  if (location->has_value()) {
    const auto leaf = core.store().LeafAt((*location)->log_index);
    if (!leaf.ok()) return FromStatus(leaf.status());
    body["status"] = "committed";
    body["height"] = (*location)->height;
    body["index_in_block"] = (*location)->index_in_block;
    body["log_index"] = (*location)->log_index;
    body["receipt"] = {{"status", std::string(exec::ReceiptStatusName(leaf->receipt.status))},
                       {"result", HexEncode(leaf->receipt.result)},
                       {"decoded", ReceiptResultJson(leaf->receipt.result)}};
  } else if (core.mempool().Find(*id) != nullptr) {
    body["status"] = "pending";
  } else if (state.expired.count(*id) != 0) {
    body["status"] = "expired";
  } else {
    body["status"] = "unknown";
  }
  return JsonResponse(200, body);
}

Result<std::uint64_t> HeightParameter(const http::Request& request, const ChainRead& read) {
  const std::string& text = request.path_parameters.at("height");
  if (text == "latest") return read.chain.head().height;
  return ParseNumber(text, "height");
}

http::Response BlockAt(const http::Request& request, const ChainRead& read) {
  const Result<std::uint64_t> height = HeightParameter(request, read);
  if (!height.ok()) return FromStatus(height.status());
  const auto block = read.chain.BlockAt(*height);
  if (!block.ok()) return FromStatus(block.status());
  if (!block->has_value())
    return http::ErrorResponse(404, "not_found", "no block at height " + std::to_string(*height));
  const crypto::HashAlgorithm algorithm = read.chain.algorithm();
  Json body = HeaderJson((*block)->header, ledger::BlockHash(algorithm, (*block)->header));
  std::vector<crypto::Digest> ids;
  for (const auto& transaction : (*block)->transactions)
    ids.push_back(codec::TransactionId(algorithm, transaction.transaction));
  body["transactions"] = DigestsJson(ids);
  if ((*block)->last_commit.has_value()) body["last_commit"] = CertificateJson(*(*block)->last_commit);
  return JsonResponse(200, body);
}

http::Response CertificateAt(const http::Request& request, const ChainRead& read) {
  const Result<std::uint64_t> height = HeightParameter(request, read);
  if (!height.ok()) return FromStatus(height.status());
  const auto certificate = read.chain.CertificateAt(*height);
  if (!certificate.ok()) return FromStatus(certificate.status());
  if (!certificate->has_value()) {
    return http::ErrorResponse(404, "not_found", "no certificate at height " + std::to_string(*height));
  }
  return JsonResponse(200, CertificateJson(**certificate));
}

http::Response LogInclusion(const http::Request& request, const ChainRead& read) {
  const Result<std::uint64_t> index = ParseNumber(request.QueryParameter("index"), "index");
  if (!index.ok()) return FromStatus(index.status());
  std::uint64_t size = read.chain.log().size();
  if (!request.QueryParameter("size").empty()) {
    const Result<std::uint64_t> requested = ParseNumber(request.QueryParameter("size"), "size");
    if (!requested.ok()) return FromStatus(requested.status());
    size = *requested;
  }
  const auto proof = read.chain.log().InclusionProof(*index, size);
  if (!proof.ok()) return FromStatus(proof.status());
  const auto leaf = read.chain.LeafAt(*index);
  if (!leaf.ok()) return FromStatus(leaf.status());
  const auto root = read.chain.log().RootAt(size);
  if (!root.ok()) return FromStatus(root.status());
  return JsonResponse(200, Json{{"index", *index},
                                {"size", size},
                                {"root", HexEncode(*root)},
                                {"leaf", HexEncode(ledger::EncodeLogLeaf(*leaf))},
                                {"proof", DigestsJson(*proof)}});
}

http::Response LogConsistency(const http::Request& request, const ChainRead& read) {
  const Result<std::uint64_t> first = ParseNumber(request.QueryParameter("first"), "first");
  const Result<std::uint64_t> second = ParseNumber(request.QueryParameter("second"), "second");
  if (!first.ok()) return FromStatus(first.status());
  if (!second.ok()) return FromStatus(second.status());
  const auto proof = read.chain.log().ConsistencyProof(*first, *second);
  if (!proof.ok()) return FromStatus(proof.status());
  return JsonResponse(200, Json{{"first", *first}, {"second", *second}, {"proof", DigestsJson(*proof)}});
}

// The transport's peer table joined with what the members said of themselves: role from the
// genesis, height from their latest status message.
http::Response Peers(Daemon::State& state, NodeCore& core) {
  Json peers = Json::array();
  for (const net::PeerSnapshot& peer : state.transport->Peers()) {
    Json entry{{"id", peer.id},
               {"name", peer.common_name},
               {"address", peer.address},
               {"direction", peer.direction == net::Direction::kInbound ? "inbound" : "outbound"},
               {"connected", peer.connected},
               {"last_seen_ms", peer.last_seen_unix_milliseconds},
               {"bytes_received", peer.bytes_received},
               {"bytes_sent", peer.bytes_sent},
               {"messages_dropped", peer.messages_dropped},
               {"protocol_violations", peer.protocol_violations}};
    if (peer.round_trip_microseconds.has_value()) entry["rtt_us"] = *peer.round_trip_microseconds;
    if (const std::optional<MemberIndex> member = core.members().FindByName(peer.common_name)) {
      entry["role"] = std::string(exec::NodeRoleName(core.members().at(*member).role));
      const auto height = core.peer_heights().find(*member);
      if (height != core.peer_heights().end()) entry["height"] = height->second;
    }
    peers.push_back(std::move(entry));
  }
  return JsonResponse(200, peers);
}

}  // namespace

http::Router MakeApiRouter(Daemon::State& state) {
  http::Router router;
  OnCore(router, state, "GET", "/v1/status",
         [&state](const http::Request&, NodeCore& core) { return Status(state, core); });
  router.Add("POST", "/v1/transactions", [&state](http::Request& request, http::Responder respond) {
    SubmitTransaction(state, request, std::move(respond));
  });
  router.Add("POST", "/v1/transactions/batch", [&state](http::Request& request, http::Responder respond) {
    SubmitTransactionBatch(state, request, std::move(respond));
  });
  // The genesis file, for a node joining the consortium (its hash is printed to be compared with
  // what the members publish).
  router.Add("GET", "/v1/genesis", [&state](http::Request&, http::Responder respond) {
    http::Response response;
    response.status = 200;
    response.content_type = "application/json";
    response.body = GenesisToJson(state.genesis);
    respond(std::move(response));
  });
  OnCore(router, state, "GET", "/v1/transactions/{id}",
         [&state](const http::Request& request, NodeCore& core) {
           return TransactionStatus(state, request, core);
         });
  OnView(router, state, "GET", "/v1/blocks/{height}", BlockAt);
  OnView(router, state, "GET", "/v1/certificates/{height}", CertificateAt);
  OnView(router, state, "GET", "/v1/log", [](const http::Request&, const ChainRead& read) {
    return JsonResponse(
        200, Json{{"size", read.chain.log().size()}, {"root", HexEncode(read.chain.log().Root())}});
  });
  OnView(router, state, "GET", "/v1/log/inclusion", LogInclusion);
  OnView(router, state, "GET", "/v1/log/consistency", LogConsistency);
  OnCore(router, state, "GET", "/v1/validators", [](const http::Request&, NodeCore& core) {
    const std::map<MemberIndex, ValidatorActivity> activities = core.ValidatorActivities();
    Json validators = Json::array();
    // Every current member, and whether it votes at the height being decided (a change takes
    // effect two heights after the block that decided it).
    for (MemberIndex index = 0; index < core.members().size(); ++index) {
      const TableMember& member = core.members().at(index);
      const bool voting = core.validators().IndexOf(member.consensus_public_key).has_value();
      if (!member.current && !voting) continue;
      Json entry{{"name", member.name},
                 {"role", std::string(exec::NodeRoleName(member.role))},
                 {"consensus_public_key", HexEncode(member.consensus_public_key)},
                 {"voting_power", member.voting_power},
                 {"voting", voting}};
      if (const auto activity = activities.find(index); activity != activities.end()) {
        entry["last_signed_height"] = activity->second.last_signed_height;
        entry["last_proposed_height"] = activity->second.last_proposed_height;
        entry["missed_heights"] = activity->second.missed_heights;
        entry["passive"] = activity->second.passive;
      }
      validators.push_back(std::move(entry));
    }
    return JsonResponse(200, validators);
  });
  OnCore(router, state, "GET", "/v1/evidence", [](const http::Request&, NodeCore& core) {
    Json reports = Json::array();
    for (const EquivocationReport& report : core.equivocations()) {
      reports.push_back({{"validator", core.members().at(report.member).name},
                         {"height", report.height},
                         {"round", report.round},
                         {"evidence", HexEncode(report.evidence)}});
    }
    return JsonResponse(200, reports);
  });
  OnCore(router, state, "GET", "/v1/peers",
         [&state](const http::Request&, NodeCore& core) { return Peers(state, core); });
  AddRecordRoutes(router, state);
  AddProofRoutes(router, state);
  AddGovernanceRoutes(router, state);
  return router;
}

}  // namespace rightchain::node
