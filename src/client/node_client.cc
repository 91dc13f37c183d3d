#include "client/node_client.h"

#include <nlohmann/json.hpp>

namespace rightchain::client {
namespace {

using Json = nlohmann::json;

Result<Json> ParseJson(std::string_view text, std::string_view what) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Status::Corruption(std::string(what) + ": response is not valid JSON");
  return json;
}

Result<const Json*> Field(const Json& object, std::string_view name, std::string_view what) {
  const auto it = object.find(name);
  if (it == object.end()) {
    return Status::Corruption(std::string(what) + ": missing field '" + std::string(name) + "'");
  }
  return &*it;
}

Result<std::string> TextField(const Json& object, std::string_view name, std::string_view what,
                              std::size_t max_size_bytes = kMaxTextFieldBytes) {
  RC_ASSIGN_OR_RETURN(const Json* value, Field(object, name, what));
  if (!value->is_string()) {
    return Status::Corruption(std::string(what) + ": field '" + std::string(name) + "' must be a string");
  }
  const auto& text = value->get_ref<const std::string&>();
  if (text.size() > max_size_bytes) {
    return Status::LimitExceeded(std::string(what) + ": field '" + std::string(name) + "' is too long");
  }
  return text;
}

Result<std::string> HexField(const Json& object, std::string_view name, std::string_view what) {
  RC_ASSIGN_OR_RETURN(std::string text, TextField(object, name, what, kMaxHexFieldBytes));
  if (!HexDecode(text).ok()) {
    return Status::Corruption(std::string(what) + ": field '" + std::string(name) + "' must be hex");
  }
  return text;
}

Result<std::uint64_t> NumberField(const Json& object, std::string_view name, std::string_view what) {
  RC_ASSIGN_OR_RETURN(const Json* value, Field(object, name, what));
  if (!value->is_number_unsigned()) {
    return Status::Corruption(std::string(what) + ": field '" + std::string(name) +
                              "' must be a non-negative integer");
  }
  return value->get<std::uint64_t>();
}

Result<bool> BoolField(const Json& object, std::string_view name, std::string_view what) {
  RC_ASSIGN_OR_RETURN(const Json* value, Field(object, name, what));
  if (!value->is_boolean()) {
    return Status::Corruption(std::string(what) + ": field '" + std::string(name) + "' must be a boolean");
  }
  return value->get<bool>();
}

Result<Json> ParseObject(std::string_view text, std::string_view what) {
  RC_ASSIGN_OR_RETURN(Json json, ParseJson(text, what));
  if (!json.is_object()) return Status::Corruption(std::string(what) + ": response must be a JSON object");
  return json;
}

ErrorCode CodeForHttpStatus(int status) {
  switch (status) {
    case 400: return ErrorCode::kInvalidArgument;
    case 403: return ErrorCode::kPermissionDenied;
    case 404: return ErrorCode::kNotFound;
    case 409: return ErrorCode::kAlreadyExists;
    case 413:
    case 429: return ErrorCode::kLimitExceeded;
    case 503: return ErrorCode::kUnavailable;
    default: return ErrorCode::kInternal;
  }
}

}  // namespace

Result<NodeStatus> ParseNodeStatus(std::string_view text) {
  constexpr std::string_view kWhat = "node status";
  RC_ASSIGN_OR_RETURN(const Json json, ParseObject(text, kWhat));
  NodeStatus status;
  RC_ASSIGN_OR_RETURN(status.chain_id, TextField(json, "chain_id", kWhat));
  if (json.contains("suite")) {
    RC_ASSIGN_OR_RETURN(status.suite, TextField(json, "suite", kWhat));
  }
  RC_ASSIGN_OR_RETURN(status.node, TextField(json, "node", kWhat));
  RC_ASSIGN_OR_RETURN(status.role, TextField(json, "role", kWhat));
  RC_ASSIGN_OR_RETURN(status.height, NumberField(json, "height", kWhat));
  RC_ASSIGN_OR_RETURN(status.block_hash, HexField(json, "block_hash", kWhat));
  RC_ASSIGN_OR_RETURN(status.log_size, NumberField(json, "log_size", kWhat));
  RC_ASSIGN_OR_RETURN(status.log_root, HexField(json, "log_root", kWhat));
  RC_ASSIGN_OR_RETURN(status.peers_connected, NumberField(json, "peers_connected", kWhat));
  RC_ASSIGN_OR_RETURN(status.validators, NumberField(json, "validators", kWhat));
  return status;
}

Result<SubmittedTransaction> ParseSubmittedTransaction(std::string_view text) {
  constexpr std::string_view kWhat = "transaction submission";
  RC_ASSIGN_OR_RETURN(const Json json, ParseObject(text, kWhat));
  SubmittedTransaction submitted;
  RC_ASSIGN_OR_RETURN(submitted.id, HexField(json, "id", kWhat));
  RC_ASSIGN_OR_RETURN(submitted.status, TextField(json, "status", kWhat));
  return submitted;
}

Result<TransactionStatus> ParseTransactionStatus(std::string_view text) {
  constexpr std::string_view kWhat = "transaction status";
  RC_ASSIGN_OR_RETURN(const Json json, ParseObject(text, kWhat));
  TransactionStatus status;
  RC_ASSIGN_OR_RETURN(status.id, HexField(json, "id", kWhat));
  RC_ASSIGN_OR_RETURN(status.status, TextField(json, "status", kWhat));
  if (json.contains("height")) {
    RC_ASSIGN_OR_RETURN(status.height, NumberField(json, "height", kWhat));
  }
  if (json.contains("log_index")) {
    RC_ASSIGN_OR_RETURN(status.log_index, NumberField(json, "log_index", kWhat));
  }
  if (json.contains("receipt")) {
    const Json& receipt_json = json.at("receipt");
    if (!receipt_json.is_object())
      return Status::Corruption("transaction status: 'receipt' must be an object");
    TransactionReceipt receipt;
    RC_ASSIGN_OR_RETURN(receipt.status, TextField(receipt_json, "status", "transaction receipt"));
    RC_ASSIGN_OR_RETURN(receipt.result, HexField(receipt_json, "result", "transaction receipt"));
    status.receipt = std::move(receipt);
  }
  return status;
}

Result<LogInfo> ParseLogInfo(std::string_view text) {
  constexpr std::string_view kWhat = "log";
  RC_ASSIGN_OR_RETURN(const Json json, ParseObject(text, kWhat));
  LogInfo log;
  RC_ASSIGN_OR_RETURN(log.size, NumberField(json, "size", kWhat));
  RC_ASSIGN_OR_RETURN(log.root, HexField(json, "root", kWhat));
  return log;
}

Result<std::vector<PeerInfo>> ParsePeers(std::string_view text) {
  constexpr std::string_view kWhat = "peers";
  RC_ASSIGN_OR_RETURN(const Json json, ParseJson(text, kWhat));
  if (!json.is_array()) return Status::Corruption("peers: response must be a JSON array");
  if (json.size() > kMaxPeers) return Status::LimitExceeded("peers: more than " + std::to_string(kMaxPeers));
  std::vector<PeerInfo> peers;
  for (const Json& entry : json) {
    if (!entry.is_object()) return Status::Corruption("peers: every entry must be an object");
    PeerInfo peer;
    RC_ASSIGN_OR_RETURN(peer.name, TextField(entry, "name", kWhat));
    RC_ASSIGN_OR_RETURN(peer.address, TextField(entry, "address", kWhat));
    RC_ASSIGN_OR_RETURN(peer.connected, BoolField(entry, "connected", kWhat));
    // Fields a node may omit (not yet known, or an older node).
    if (entry.contains("id")) {
      RC_ASSIGN_OR_RETURN(peer.id, TextField(entry, "id", kWhat));
    }
    if (entry.contains("role")) {
      RC_ASSIGN_OR_RETURN(peer.role, TextField(entry, "role", kWhat));
    }
    if (entry.contains("height")) {
      RC_ASSIGN_OR_RETURN(peer.height, NumberField(entry, "height", kWhat));
    }
    if (entry.contains("last_seen_ms")) {
      RC_ASSIGN_OR_RETURN(peer.last_seen_ms, NumberField(entry, "last_seen_ms", kWhat));
    }
    if (entry.contains("rtt_us")) {
      RC_ASSIGN_OR_RETURN(peer.rtt_us, NumberField(entry, "rtt_us", kWhat));
    }
    if (entry.contains("protocol_violations")) {
      RC_ASSIGN_OR_RETURN(peer.protocol_violations, NumberField(entry, "protocol_violations", kWhat));
    }
    peers.push_back(std::move(peer));
  }
  return peers;
}

Status ErrorFromResponse(const HttpResponse& response, std::string_view what) {
  std::string message = std::string(what) + ": node answered HTTP " + std::to_string(response.status);
  const Json json = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_discarded() && json.is_object()) {
    const auto code = json.find("code");
    const auto text = json.find("message");
    if (code != json.end() && code->is_string())
      message += " " + code->get<std::string>().substr(0, kMaxTextFieldBytes);
    if (text != json.end() && text->is_string())
      message += ": " + text->get<std::string>().substr(0, kMaxTextFieldBytes);
  }
  return Status(CodeForHttpStatus(response.status), std::move(message));
}

NodeClient::NodeClient(std::string base_url, HttpRequestOptions options)
    : base_url_(std::move(base_url)), options_(options) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Result<std::string> NodeClient::GetBody(std::string_view path) const {
  RC_ASSIGN_OR_RETURN(HttpResponse response, Get(base_url_ + std::string(path), options_));
  if (response.status < 200 || response.status > 299)
    return ErrorFromResponse(response, "GET " + std::string(path));
  return std::move(response.body);
}

Result<NodeStatus> NodeClient::GetStatus() const {
  RC_ASSIGN_OR_RETURN(const std::string body, GetBody("/v1/status"));
  return ParseNodeStatus(body);
}

Result<SubmittedTransaction> NodeClient::SubmitTransaction(ByteView signed_transaction) const {
  RC_ASSIGN_OR_RETURN(
      const HttpResponse response,
      Post(base_url_ + "/v1/transactions", "application/octet-stream", AsText(signed_transaction), options_));
  if (response.status < 200 || response.status > 299)
    return ErrorFromResponse(response, "POST /v1/transactions");
  return ParseSubmittedTransaction(response.body);
}

Result<std::vector<Result<SubmittedTransaction>>> NodeClient::SubmitTransactions(
    const std::vector<ByteView>& signed_transactions) const {
  Json request{{"transactions", Json::array()}};
  for (const ByteView transaction : signed_transactions)
    request["transactions"].push_back(HexEncode(transaction));
  RC_ASSIGN_OR_RETURN(const HttpResponse response, Post(base_url_ + "/v1/transactions/batch",
                                                        "application/json", request.dump(), options_));
  if (response.status < 200 || response.status > 299)
    return ErrorFromResponse(response, "POST /v1/transactions/batch");
  const Json body = Json::parse(response.body, nullptr, false);
  if (!body.is_object() || !body.contains("results") || !body["results"].is_array() ||
      body["results"].size() != signed_transactions.size()) {
    return Status::Corruption(
        "POST /v1/transactions/batch: the node's answer is not one result per transaction");
  }
  std::vector<Result<SubmittedTransaction>> results;
  for (const Json& entry : body["results"]) {
    if (!entry.is_object())
      return Status::Corruption("POST /v1/transactions/batch: a result is not an object");
    if (entry.contains("id") && entry["id"].is_string()) {
      results.push_back(SubmittedTransaction{entry["id"].get<std::string>(), entry.value("status", "")});
      continue;
    }
    const std::string code = entry.value("code", "");
    const std::string message = "HTTP 4xx " + code + ": " + entry.value("message", "");
    results.push_back(code == "already_pending" || code == "already_committed"
                          ? Status::AlreadyExists(message)
                          : Status::InvalidArgument(message));
  }
  return results;
}

Result<TransactionStatus> NodeClient::GetTransaction(std::string_view id_hex) const {
  if (id_hex.empty() || id_hex.size() > kMaxHexFieldBytes || !HexDecode(id_hex).ok()) {
    return Status::InvalidArgument("transaction id must be hex");
  }
  RC_ASSIGN_OR_RETURN(const std::string body, GetBody("/v1/transactions/" + std::string(id_hex)));
  return ParseTransactionStatus(body);
}

Result<std::string> NodeClient::GetBlockJson(std::optional<std::uint64_t> height) const {
  return GetBody("/v1/blocks/" + (height ? std::to_string(*height) : std::string("latest")));
}

Result<LogInfo> NodeClient::GetLog() const {
  RC_ASSIGN_OR_RETURN(const std::string body, GetBody("/v1/log"));
  return ParseLogInfo(body);
}

Result<std::vector<PeerInfo>> NodeClient::GetPeers() const {
  RC_ASSIGN_OR_RETURN(const std::string body, GetBody("/v1/peers"));
  return ParsePeers(body);
}

}  // namespace rightchain::client
