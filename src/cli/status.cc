#include "cli/status.h"

#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

namespace rightchain::cli {
namespace {

constexpr std::size_t kShortHashChars = 16;

std::string Short(const std::string& hex) {
  return hex.size() <= kShortHashChars ? hex : hex.substr(0, kShortHashChars);
}

}  // namespace

std::vector<NodeReport> CollectStatus(const std::vector<NetworkNode>& nodes, bool with_peers) {
  client::HttpRequestOptions options;
  options.timeout_milliseconds = kStatusTimeoutMilliseconds;
  std::vector<NodeReport> reports;
  for (const NetworkNode& node : nodes) {
    NodeReport report;
    report.name = node.name;
    report.role = std::string(exec::NodeRoleName(node.role));
    report.api_url = node.api_url;
    Result<client::NodeStatus> status = client::NodeClient(node.api_url, options).GetStatus();
    if (status.ok()) {
      report.status = std::move(status).value();
      if (with_peers) {
        Result<std::vector<client::PeerInfo>> peers = client::NodeClient(node.api_url, options).GetPeers();
        if (peers.ok()) report.peers = std::move(peers).value();
      }
    } else {
      report.error = status.status().message();
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

void PrintStatusTable(const std::vector<NodeReport>& reports, std::ostream& out) {
  std::size_t name_width = 4;
  for (const NodeReport& report : reports) name_width = std::max(name_width, report.name.size());
  const auto row = [&](const std::string& name, const std::string& role, const std::string& height,
                       const std::string& block, const std::string& log_size, const std::string& log_root,
                       const std::string& peers, const std::string& api) {
    out << std::left << std::setw(static_cast<int>(name_width) + 2) << name << std::setw(21) << role
        << std::setw(9) << height << std::setw(kShortHashChars + 2) << block << std::setw(10) << log_size
        << std::setw(kShortHashChars + 2) << log_root << std::setw(7) << peers << api << "\n";
  };
  row("NODE", "ROLE", "HEIGHT", "BLOCK", "LOG SIZE", "LOG ROOT", "PEERS", "API");
  for (const NodeReport& report : reports) {
    if (!report.status) {
      row(report.name, report.role, "down", "-", "-", "-", "-", report.api_url);
      continue;
    }
    const client::NodeStatus& status = *report.status;
    row(report.name, report.role, std::to_string(status.height), Short(status.block_hash),
        std::to_string(status.log_size), Short(status.log_root), std::to_string(status.peers_connected),
        report.api_url);
  }
}

void PrintStatusJson(const std::vector<NodeReport>& reports, std::ostream& out) {
  nlohmann::json array = nlohmann::json::array();
  for (const NodeReport& report : reports) {
    nlohmann::json entry = {{"name", report.name},
                            {"role", report.role},
                            {"api_url", report.api_url},
                            {"up", report.status.has_value()}};
    if (report.status) {
      const client::NodeStatus& status = *report.status;
      entry["chain_id"] = status.chain_id;
      entry["height"] = status.height;
      entry["block_hash"] = status.block_hash;
      entry["log_size"] = status.log_size;
      entry["log_root"] = status.log_root;
      entry["peers_connected"] = status.peers_connected;
      entry["validators"] = status.validators;
      if (!report.peers.empty()) {
        nlohmann::json peers = nlohmann::json::array();
        for (const client::PeerInfo& peer : report.peers) {
          nlohmann::json item = {
              {"id", peer.id},           {"name", peer.name},           {"role", peer.role},
              {"address", peer.address}, {"connected", peer.connected}, {"last_seen_ms", peer.last_seen_ms}};
          if (peer.height) item["height"] = *peer.height;
          if (peer.rtt_us) item["rtt_us"] = *peer.rtt_us;
          peers.push_back(std::move(item));
        }
        entry["peers"] = std::move(peers);
      }
    } else {
      entry["error"] = report.error;
    }
    array.push_back(std::move(entry));
  }
  // Invalid UTF-8 from a node's error text is replaced rather than thrown.
  out << array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

void PrintPeerTables(const std::vector<NodeReport>& reports, std::int64_t now_unix_ms, std::ostream& out) {
  for (const NodeReport& report : reports) {
    if (!report.status) continue;
    out << "\n" << report.name << " peers:\n";
    const auto row = [&](const std::string& name, const std::string& role, const std::string& height,
                         const std::string& connected, const std::string& seen, const std::string& rtt,
                         const std::string& address) {
      out << "  " << std::left << std::setw(10) << name << std::setw(21) << role << std::setw(9) << height
          << std::setw(11) << connected << std::setw(11) << seen << std::setw(10) << rtt << address << "\n";
    };
    row("PEER", "ROLE", "HEIGHT", "CONNECTED", "SEEN", "RTT", "ADDRESS");
    for (const client::PeerInfo& peer : report.peers) {
      std::ostringstream seen;
      if (peer.last_seen_ms == 0) {
        seen << "never";
      } else {
        const std::int64_t ago =
            std::max<std::int64_t>(0, now_unix_ms - static_cast<std::int64_t>(peer.last_seen_ms));
        seen << std::fixed << std::setprecision(1) << static_cast<double>(ago) / 1000 << " s ago";
      }
      std::ostringstream rtt;
      if (peer.rtt_us) {
        rtt << std::fixed << std::setprecision(2) << static_cast<double>(*peer.rtt_us) / 1000 << " ms";
      } else {
        rtt << "-";
      }
      row(peer.name.empty() ? "?" : peer.name, peer.role.empty() ? "-" : peer.role,
          peer.height ? std::to_string(*peer.height) : "-", peer.connected ? "yes" : "no", seen.str(),
          rtt.str(), peer.address);
    }
  }
}

}  // namespace rightchain::cli
