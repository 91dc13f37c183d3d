// `rightchain status`: each node's view of the chain, from its API.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "cli/network.h"
#include "client/node_client.h"

namespace rightchain::cli {

inline constexpr std::uint32_t kStatusTimeoutMilliseconds = 2000;

struct NodeReport {
  std::string name;
  std::string role;  // from the genesis
  std::string api_url;
  std::optional<client::NodeStatus> status;  // empty: the node did not answer
  std::string error;                         // why, when it did not
  std::vector<client::PeerInfo> peers;       // with `with_peers`, from /v1/peers
};

std::vector<NodeReport> CollectStatus(const std::vector<NetworkNode>& nodes, bool with_peers = false);
void PrintStatusTable(const std::vector<NodeReport>& reports, std::ostream& out);
void PrintStatusJson(const std::vector<NodeReport>& reports, std::ostream& out);
// Each answering node's peer table: role, height, connected, last seen (relative to `now_unix_ms`), RTT.
void PrintPeerTables(const std::vector<NodeReport>& reports, std::int64_t now_unix_ms, std::ostream& out);

}  // namespace rightchain::cli
