// FaultNetwork: a consortium of real rightchaind processes, each in its own Linux network
// namespace, for fault tests and the network soak (docs/network.md, "Fault tests").
//
//   node i (namespace <prefix>-i)                     operator (namespace <prefix>-m)
//     lo: 10.77.0.(i+1)  transport address              lo: 10.78.0.254
//     lo: 10.78.0.(i+1)  API address                    n<i>: veth to node i's "mgmt"
//     p<j>: veth to node j, route 10.77.0.(j+1)/32
//     mgmt: veth to the operator, route 10.78.0.254/32
//
// Every pair of nodes has a veth link of its own (a full mesh) and no other route to each other,
// so taking a link down cuts exactly that pair: a partition is a set of links down. The
// operator's namespace reaches every node's API over a link that faults never touch, and is
// where a test (or `rightchain load`) talks HTTP from.
//
// With ingress proxies, node i listens on 127.0.0.1 only and a net::FaultProxy in its namespace
// takes the transport address and forwards to it: every connection between two nodes passes
// through exactly one proxy (the callee's), and a fault plan on it delays both directions.
//
// Namespaces are named <prefix> = "rcf<pid>" so that concurrent runs never collide; leftovers of
// a run whose process is gone are removed (their processes killed) by the next Create. Node
// processes get SIGKILL when the thread that started them exits (PR_SET_PDEATHSIG), so a crashed
// test leaves no node behind: start nodes from a long-lived thread (the test's or main thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "cli/network.h"
#include "client/node_client.h"
#include "crypto/suite.h"
#include "net/fault_proxy.h"

namespace rightchain::cli::testing {

inline constexpr std::uint16_t kFaultNetworkTransportPort = 26600;
inline constexpr std::uint16_t kFaultNetworkProxiedNodePort = 26601;  // behind an ingress proxy
inline constexpr std::uint16_t kFaultNetworkApiPort = 8600;
inline constexpr std::size_t kMaxFaultNetworkNodes = 16;

// Runs `command` through the shell; fails with its combined output when it exits non-zero.
Status RunShell(const std::string& command);
// Runs `task` on a thread that has joined the network namespace `name` (sockets it opens, and
// threads it starts, live there) and waits for it.
Status RunInNetworkNamespace(const std::string& name, const std::function<void()>& task);

struct FaultNetworkOptions {
  std::filesystem::path directory;  // the network folder (`net init` layout)
  std::filesystem::path rightchaind;
  crypto::SuiteId suite = crypto::SuiteId::kStd;
  std::size_t validators = 4;
  std::size_t observers = 0;
  std::uint32_t block_interval_milliseconds = 500;
  bool ingress_proxies = false;
};

// One committed block as the API shows it.
struct BlockView {
  std::string hash;
  std::string log_root;
  std::string proposer_key_id;
};

class FaultNetwork {
 public:
  // Creates the namespaces and links and the network folder (keys, genesis, node configs). Fails
  // with a clear message when namespaces cannot be made (not root, no iproute2).
  static Result<std::unique_ptr<FaultNetwork>> Create(const FaultNetworkOptions& options);
  // Kills every node, stops the proxies and deletes the namespaces.
  ~FaultNetwork();
  FaultNetwork(const FaultNetwork&) = delete;
  FaultNetwork& operator=(const FaultNetwork&) = delete;

  std::size_t size() const { return nodes_.size(); }
  const NetworkNode& node(std::size_t index) const { return nodes_[index]; }
  const std::string& operator_namespace() const { return operator_namespace_; }
  std::string node_namespace(std::size_t index) const;

  // Processes.
  Status StartNode(std::size_t index);
  Status StartAll();
  Status KillNode(std::size_t index);    // SIGKILL, reaped
  Status PauseNode(std::size_t index);   // SIGSTOP
  Status ResumeNode(std::size_t index);  // SIGCONT
  bool running(std::size_t index) const { return pids_[index] > 0; }

  // Links (both ends).
  Status CutLink(std::size_t a, std::size_t b);
  Status HealLink(std::size_t a, std::size_t b);
  Status Isolate(std::size_t index);
  // Cuts every link between nodes of different groups (every node must be in one group).
  Status Partition(const std::vector<std::set<std::size_t>>& groups);
  Status HealAllLinks();
  std::size_t links_down() const;

  // Ingress proxies (with `ingress_proxies` only).
  Status SetProxyPlan(std::size_t index, const net::FaultPlan& plan);
  std::uint64_t proxy_connections(std::size_t index) const;

  // The operator's view: HTTP from the operator namespace.
  Result<client::NodeStatus> GetStatus(std::size_t index) const;
  std::uint64_t HeightOf(std::size_t index) const;  // 0 when unreachable
  Result<BlockView> Block(std::size_t index, std::uint64_t height) const;
  Result<client::TransactionStatus> Transaction(std::size_t index, const std::string& id) const;
  // Signs a note with a fresh key and submits it to node `index`; returns its id.
  Result<std::string> SubmitNote(std::size_t index, const std::string& text) const;
  // The member index of the node whose consensus key id is `key_id_hex`.
  std::optional<std::size_t> MemberOfKeyId(const std::string& key_id_hex) const;
  // Runs a shell command line in the operator namespace.
  Status RunInOperatorNamespace(const std::string& command) const;

 private:
  FaultNetwork() = default;
  Status BuildTopology();
  Status WriteConfigs();
  Status StartProxies();
  Status SetLink(std::size_t a, std::size_t b, bool up);
  void Teardown();

  FaultNetworkOptions options_;
  std::string prefix_;
  std::string operator_namespace_;
  std::vector<std::string> namespaces_made_;
  std::vector<NetworkNode> nodes_;
  std::vector<int> pids_;
  std::vector<std::vector<bool>> link_up_;
  std::vector<std::unique_ptr<net::FaultProxy>> proxies_;
  std::vector<std::string> key_ids_;  // member index → consensus key id (hex)
};

// Polls `done` every 100 ms until it holds or `limit` passes.
bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds limit);

}  // namespace rightchain::cli::testing
