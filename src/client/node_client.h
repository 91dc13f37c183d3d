// A typed client of one node's HTTP API (docs/cli.md lists the endpoints). JSON bodies are
// parsed strictly into plain structs; an API error body {"code","message","details"} comes back
// as a Status carrying the node's code and message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "client/http_client.h"

namespace rightchain::client {

// Limits on what a node may send back (bytes of one JSON string field, entries of a list).
inline constexpr std::size_t kMaxTextFieldBytes = 1024;
// A receipt's result is at most 256 KiB (an indexed batch's conflicts): 512 Ki hex digits.
inline constexpr std::size_t kMaxHexFieldBytes = 512 * 1024;
inline constexpr std::size_t kMaxPeers = 1024;

// GET /v1/status
struct NodeStatus {
  std::string chain_id;
  std::string suite;  // "sm" or "std"; empty from a node that does not say
  std::string node;   // member name
  std::string role;   // "regulator-consensus", "consensus", "observer"
  std::uint64_t height = 0;
  std::string block_hash;  // hex
  std::uint64_t log_size = 0;
  std::string log_root;  // hex
  std::uint64_t peers_connected = 0;
  std::uint64_t validators = 0;
};

// POST /v1/transactions
struct SubmittedTransaction {
  std::string id;      // hex
  std::string status;  // "pending"
};

struct TransactionReceipt {
  std::string status;
  std::string result;  // hex
};

// GET /v1/transactions/{id}
struct TransactionStatus {
  std::string id;
  std::string status;  // "pending", "committed", "expired", "unknown"
  std::optional<std::uint64_t> height;
  std::optional<std::uint64_t> log_index;
  std::optional<TransactionReceipt> receipt;
};

// GET /v1/log
struct LogInfo {
  std::uint64_t size = 0;
  std::string root;  // hex
};

// GET /v1/peers
struct PeerInfo {
  std::string id;  // hex fingerprint of its transport certificate; empty: never reached
  std::string name;
  std::string role;  // from the genesis; empty when the name is not a member
  std::string address;
  bool connected = false;
  std::optional<std::uint64_t> height;  // from its latest status message
  std::uint64_t last_seen_ms = 0;       // Unix milliseconds; 0: never
  std::optional<std::uint64_t> rtt_us;  // once measured
  std::uint64_t protocol_violations = 0;
};

// Parsers of the bodies above (exposed for tests and tools that fetch bodies themselves).
Result<NodeStatus> ParseNodeStatus(std::string_view json);
Result<SubmittedTransaction> ParseSubmittedTransaction(std::string_view json);
Result<TransactionStatus> ParseTransactionStatus(std::string_view json);
Result<LogInfo> ParseLogInfo(std::string_view json);
Result<std::vector<PeerInfo>> ParsePeers(std::string_view json);
// The Status for a non-2xx response: the node's {"code","message"} when the body has them,
// mapped to an ErrorCode by HTTP status (400 invalid argument, 404 not found, 409 already
// exists, 413/429 limit exceeded, 503 unavailable, others internal).
Status ErrorFromResponse(const HttpResponse& response, std::string_view what);

class NodeClient {
 public:
  // `base_url` like "http://127.0.0.1:8600" (no trailing path).
  explicit NodeClient(std::string base_url, HttpRequestOptions options = {});

  const std::string& base_url() const { return base_url_; }

  Result<NodeStatus> GetStatus() const;
  // Posts a SignedTransaction's binary encoding.
  Result<SubmittedTransaction> SubmitTransaction(ByteView signed_transaction) const;
  // POST /v1/transactions/batch (at most 1,000): one outcome per transaction, in order: its id, or
  // the node's rejection as an error ("HTTP 409 already_pending: …" style, as SubmitTransaction's).
  Result<std::vector<Result<SubmittedTransaction>>> SubmitTransactions(
      const std::vector<ByteView>& signed_transactions) const;
  Result<TransactionStatus> GetTransaction(std::string_view id_hex) const;
  // The block's JSON text as the node sends it; no height means "latest".
  Result<std::string> GetBlockJson(std::optional<std::uint64_t> height) const;
  Result<LogInfo> GetLog() const;
  Result<std::vector<PeerInfo>> GetPeers() const;
  // Any GET path of the API ("/v1/records/7"): the body's text, an error for a non-2xx status.
  Result<std::string> GetJsonText(std::string_view path) const { return GetBody(path); }

 private:
  // GET base_url + path; a non-2xx status becomes an error.
  Result<std::string> GetBody(std::string_view path) const;

  std::string base_url_;
  HttpRequestOptions options_;
};

}  // namespace rightchain::client
