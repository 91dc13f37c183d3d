// The consortium as real rightchaind processes on loopback (label "integration"): agreement of
// validators and observer, crash and restart under load, loss of quorum, a foreign CA, a
// hostile member, address exchange, certificate revocation while running. Each test owns its offset in the
// loopback port slots of FreePortBase (21000-25999), which no other test uses.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "base/assert.h"
#include "base/file.h"
#include "cli/network.h"
#include "cli/process.h"
#include "cli/testing/consortium_processes.h"
#include "client/node_client.h"
#include "crypto/domain.h"
#include "crypto/private_key.h"
#include "net/transport.h"
#include "node/node_config.h"
#include "node/wire.h"
#include "pki/certificate.h"
#include "pki/private_key.h"

namespace rightchain::cli {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kBlockIntervalMilliseconds = 500;
constexpr auto kWaitLimit = std::chrono::seconds(60);

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds limit = kWaitLimit) {
  return testing::WaitUntil(done, limit);
}

using testing::RunResult;

RunResult RunCli(const std::string& arguments, const fs::path& scratch, const std::string& tag = "cli") {
  return testing::RunCli(RIGHTCHAIN_CLI_BINARY, arguments, scratch, tag);
}

using testing::FreePortBase;
using testing::ReadText;

class ConsortiumTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "rightchain-consortium-XXXXXX").string();
    const char* made = mkdtemp(pattern.data());
    RC_ASSERT(made != nullptr);
    scratch_ = made;
  }
  void TearDown() override {
    std::ostringstream ignored;
    for (const NetworkNode& node : extra_nodes_) {
      if (const std::optional<int> pid = RunningNodePid(node.directory)) kill(*pid, SIGKILL);
    }
    for (const fs::path& network : networks_) (void)NetDown(network, ignored);
    ReapChildren();
    if (!HasFailure()) {
      std::error_code error;
      fs::remove_all(scratch_, error);
    } else {
      std::cerr << "network folders (with node.log files) kept in " << scratch_ << "\n";
    }
  }

  // `net init` (and `net up`) of a fresh network on the ports of `port_offset` (see FreePortBase).
  std::vector<NetworkNode> StartNetwork(const std::string& name, crypto::SuiteId suite,
                                        std::size_t validators, std::size_t observers,
                                        std::uint16_t port_offset, bool up = true,
                                        const std::string& host = "127.0.0.1") {
    const std::uint16_t base_port = FreePortBase(port_offset);
    NetInitOptions init;
    init.directory = scratch_ / name;
    init.suite = suite;
    init.validators = validators;
    init.observers = observers;
    init.base_port = base_port;
    init.api_base_port = static_cast<std::uint16_t>(base_port + 50);
    init.block_interval_milliseconds = kBlockIntervalMilliseconds;
    init.host = host;
    std::ostringstream out;
    const Status initialized = InitNetwork(init, out);
    EXPECT_TRUE(initialized.ok()) << initialized.ToString();
    networks_.push_back(init.directory);
    if (up) {
      NetUpOptions options;
      options.directory = init.directory;
      options.rightchaind = RIGHTCHAIN_DAEMON_BINARY;
      options.timeout_seconds = 90;
      const Status started = NetUp(options, out);
      EXPECT_TRUE(started.ok()) << started.ToString();
    }
    Result<std::vector<NetworkNode>> nodes = LoadNetwork(init.directory);
    EXPECT_TRUE(nodes.ok()) << nodes.status().ToString();
    return nodes.ok() ? std::move(nodes).value() : std::vector<NetworkNode>{};
  }

  static std::optional<client::NodeStatus> StatusOf(const NetworkNode& node) {
    client::HttpRequestOptions options;
    options.timeout_milliseconds = 2000;
    Result<client::NodeStatus> status = client::NodeClient(node.api_url, options).GetStatus();
    if (!status.ok()) return std::nullopt;
    return std::move(status).value();
  }
  static std::uint64_t HeightOf(const NetworkNode& node) {
    const auto status = StatusOf(node);
    return status ? status->height : 0;
  }

  // SIGKILL to a node started by this process, and reaps it.
  static void KillNode(const NetworkNode& node) {
    const std::optional<int> pid = RunningNodePid(node.directory);
    ASSERT_TRUE(pid.has_value()) << node.name << " is not running";
    ASSERT_EQ(kill(*pid, SIGKILL), 0);
    waitpid(*pid, nullptr, 0);
    std::error_code ignored;
    fs::remove(node.directory / "rightchaind.pid", ignored);
  }
  static void RestartNode(const NetworkNode& node) {
    const Result<int> pid = StartNode(RIGHTCHAIN_DAEMON_BINARY, node);
    ASSERT_TRUE(pid.ok()) << pid.status().ToString();
  }
  static void ReapChildren() {
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  }

  // {block hash, log root} of `height` as `node` reports it.
  static std::pair<std::string, std::string> BlockAt(const NetworkNode& node, std::uint64_t height) {
    const Result<std::string> body = client::NodeClient(node.api_url).GetBlockJson(height);
    if (!body.ok()) return {"error: " + body.status().message(), ""};
    const Json json = Json::parse(*body, nullptr, false);
    if (json.is_discarded()) return {"unparsable", ""};
    return {json.value("hash", ""), json.value("log_root", "")};
  }

  // Every node reports the same block hash and log root at every height 1..through.
  static void ExpectSameChain(const std::vector<NetworkNode>& nodes, std::uint64_t through) {
    for (std::uint64_t height = 1; height <= through; ++height) {
      const auto reference = BlockAt(nodes[0], height);
      ASSERT_EQ(reference.first.size(), 64u) << "height " << height << ": " << reference.first;
      for (std::size_t i = 1; i < nodes.size(); ++i) {
        ASSERT_EQ(BlockAt(nodes[i], height), reference) << nodes[i].name << " at height " << height;
      }
    }
  }

  static std::string TransactionState(const NetworkNode& node, const std::string& id) {
    const Result<client::TransactionStatus> state = client::NodeClient(node.api_url).GetTransaction(id);
    return state.ok() ? state->status : "error: " + state.status().message();
  }

  fs::path scratch_;
  std::vector<fs::path> networks_;
  std::vector<NetworkNode> extra_nodes_;  // started outside a network folder: killed at the end
};

// --- a. 5 validators + 1 observer: everything sent anywhere commits everywhere, one chain ---

class AgreementTest : public ConsortiumTest, public ::testing::WithParamInterface<crypto::SuiteId> {};

TEST_P(AgreementTest, TransactionsSentToEachNodeCommitOnAllWithIdenticalBlocksAndLogRoots) {
  const bool sm = GetParam() == crypto::SuiteId::kSm;
  const std::vector<NetworkNode> nodes = StartNetwork("net", GetParam(), 5, 1, sm ? 100 : 0);
  ASSERT_EQ(nodes.size(), 6u);
  ASSERT_EQ(nodes[5].role, exec::NodeRole::kObserver);

  std::vector<std::string> ids;
  for (const NetworkNode& node : nodes) {
    const RunResult result =
        RunCli("note --node " + node.api_url + " 'note sent to " + node.name + "'", scratch_);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    ids.push_back(result.out.substr(0, result.out.find('\n')));
    ASSERT_EQ(ids.back().size(), 64u) << result.out;
  }
  for (const std::string& id : ids) {
    for (const NetworkNode& node : nodes) {
      EXPECT_TRUE(WaitUntil([&] { return TransactionState(node, id) == "committed"; }))
          << id << " on " << node.name << ": " << TransactionState(node, id);
    }
  }

  // rightchain load on a healthy network: every transaction it sends (to all six nodes, the
  // observer included) commits, and its report adds up.
  const RunResult load =
      RunCli("load --dir " + (scratch_ / "net").string() + " --rate 20 --seconds 3 --json", scratch_, "load");
  ASSERT_EQ(load.exit_code, 0) << load.err;
  const Json report = Json::parse(load.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << load.out;
  EXPECT_EQ(report.at("submitted").get<std::uint64_t>(), 60u) << load.out;
  EXPECT_EQ(report.at("committed").get<std::uint64_t>(), 60u) << load.out;
  EXPECT_EQ(report.at("rejected").get<std::uint64_t>() + report.at("expired").get<std::uint64_t>() +
                report.at("lost").get<std::uint64_t>(),
            0u)
      << load.out;
  const Json& latency = report.at("latency_ms");
  EXPECT_GT(latency.at("p50").get<double>(), 0) << load.out;
  EXPECT_LE(latency.at("p50").get<double>(), latency.at("p99").get<double>()) << load.out;
  EXPECT_LE(latency.at("p99").get<double>(), latency.at("max").get<double>()) << load.out;

  std::uint64_t common_height = UINT64_MAX;
  for (const NetworkNode& node : nodes) common_height = std::min(common_height, HeightOf(node));
  ASSERT_GE(common_height, 1u);
  ExpectSameChain(nodes, common_height);
}

INSTANTIATE_TEST_SUITE_P(Suites, AgreementTest,
                         ::testing::Values(crypto::SuiteId::kStd, crypto::SuiteId::kSm),
                         [](const auto& suite) { return std::string(crypto::SuiteName(suite.param)); });

// --- IPv6: a network whose nodes dial each other and serve the API on ::1 only ---

TEST_F(ConsortiumTest, ANetworkOnIpv6LoopbackCommitsEverywhere) {
  const std::vector<NetworkNode> nodes = StartNetwork("net6", crypto::SuiteId::kStd, 4, 0, 800, true, "::1");
  ASSERT_EQ(nodes.size(), 4u);
  for (const NetworkNode& node : nodes) {
    EXPECT_EQ(node.api_url.rfind("http://[::1]:", 0), 0u) << node.api_url;
    for (const auto& peer : node.config.peers) EXPECT_EQ(peer.host, "::1");
  }
  std::vector<std::string> ids;
  for (const NetworkNode& node : nodes) {
    const RunResult result =
        RunCli("note --node " + node.api_url + " 'over IPv6 to " + node.name + "'", scratch_);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    ids.push_back(result.out.substr(0, result.out.find('\n')));
  }
  for (const std::string& id : ids) {
    for (const NetworkNode& node : nodes) {
      EXPECT_TRUE(WaitUntil([&] { return TransactionState(node, id) == "committed"; }))
          << id << " on " << node.name << ": " << TransactionState(node, id);
    }
  }
  // The links themselves are IPv6: every connected peer's address is [::1]:port.
  for (const NetworkNode& node : nodes) {
    const auto peers = client::NodeClient(node.api_url).GetPeers();
    ASSERT_TRUE(peers.ok()) << peers.status().ToString();
    std::size_t connected = 0;
    for (const client::PeerInfo& peer : *peers) {
      if (!peer.connected) continue;
      ++connected;
      EXPECT_EQ(peer.address.rfind("[::1]:", 0), 0u)
          << node.name << " ↔ " << peer.name << " at " << peer.address;
    }
    EXPECT_EQ(connected, 3u) << node.name;
  }
}

// --- b. a validator killed repeatedly under load: no committed transaction lost, no fork ---

TEST_F(ConsortiumTest, ValidatorKilledRepeatedlyUnderLoadCatchesUpWithoutLossOrFork) {
  const std::vector<NetworkNode> nodes = StartNetwork("net", crypto::SuiteId::kStd, 4, 0, 200);
  ASSERT_EQ(nodes.size(), 4u);
  const NetworkNode& victim = nodes[2];
  const fs::path ids_file = scratch_ / "committed.txt";

  RunResult load;
  std::thread load_thread([&] {
    load =
        RunCli("load --dir " + (scratch_ / "net").string() +
                   " --rate 20 --seconds 20 --expiry-heights 60 --wait-seconds 40 --json --committed-ids " +
                   ids_file.string(),
               scratch_, "load");
  });
  for (int round = 0; round < 3; ++round) {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    const std::uint64_t before = HeightOf(nodes[0]);
    KillNode(victim);
    // Commits continue on the three others.
    EXPECT_TRUE(WaitUntil([&] { return HeightOf(nodes[0]) >= before + 3; }))
        << "round " << round << ": stuck at " << HeightOf(nodes[0]);
    RestartNode(victim);
  }
  load_thread.join();
  ASSERT_EQ(load.exit_code, 0) << load.err;
  const Json report = Json::parse(load.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << load.out;
  const std::uint64_t committed = report.at("committed").get<std::uint64_t>();
  EXPECT_GT(committed, 0u) << load.out;
  EXPECT_EQ(committed + report.at("rejected").get<std::uint64_t>() +
                report.at("expired").get<std::uint64_t>() + report.at("lost").get<std::uint64_t>(),
            report.at("submitted").get<std::uint64_t>())
      << load.out;

  // The victim catches up with the others.
  const std::uint64_t target = HeightOf(nodes[0]);
  ASSERT_TRUE(WaitUntil([&] { return HeightOf(victim) >= target; }))
      << victim.name << " at " << HeightOf(victim) << ", others at " << target;

  // Every transaction the load tool saw committed is committed on every node, at the same height.
  std::ifstream lines(ids_file);
  std::size_t checked = 0;
  for (std::string id, height; lines >> id >> height; ++checked) {
    for (const NetworkNode& node : nodes) {
      const Result<client::TransactionStatus> state = client::NodeClient(node.api_url).GetTransaction(id);
      ASSERT_TRUE(state.ok()) << state.status().ToString();
      ASSERT_EQ(state->status, "committed") << id << " on " << node.name;
      ASSERT_EQ(state->height, std::optional<std::uint64_t>(std::stoull(height)))
          << id << " on " << node.name;
    }
  }
  EXPECT_EQ(checked, committed);
  std::uint64_t common_height = UINT64_MAX;
  for (const NetworkNode& node : nodes) common_height = std::min(common_height, HeightOf(node));
  ExpectSameChain(nodes, common_height);
}

// --- c. two of four validators down: no commits; one returns: commits resume ---

TEST_F(ConsortiumTest, TwoOfFourValidatorsDownStopsCommitsAndOneReturningResumesThem) {
  const std::vector<NetworkNode> nodes = StartNetwork("net", crypto::SuiteId::kSm, 4, 0, 300);
  ASSERT_EQ(nodes.size(), 4u);
  ASSERT_TRUE(WaitUntil([&] { return HeightOf(nodes[0]) >= 2; }));
  KillNode(nodes[2]);
  KillNode(nodes[3]);
  // A block already voted on may still land; then nothing for many block intervals.
  std::this_thread::sleep_for(std::chrono::milliseconds(4 * kBlockIntervalMilliseconds));
  const std::uint64_t stalled = std::max(HeightOf(nodes[0]), HeightOf(nodes[1]));
  std::this_thread::sleep_for(std::chrono::milliseconds(8 * kBlockIntervalMilliseconds));
  EXPECT_EQ(HeightOf(nodes[0]), stalled);
  EXPECT_EQ(HeightOf(nodes[1]), stalled);

  RestartNode(nodes[2]);
  EXPECT_TRUE(WaitUntil([&] { return HeightOf(nodes[0]) > stalled && HeightOf(nodes[2]) > stalled; }))
      << "node-0 at " << HeightOf(nodes[0]) << ", node-2 at " << HeightOf(nodes[2]) << ", stalled at "
      << stalled;
}

// --- d. a node whose certificate comes from another CA is refused ---

// Completes a TLS 1.3 handshake to 127.0.0.1:`port` as a client that trusts any server and
// presents `certificate_file`, then reads until the server closes. Returns the client's local
// port (how the server names the connection in its log).
std::optional<std::uint16_t> PresentCertificate(std::uint16_t port, const fs::path& certificate_file,
                                                const fs::path& key_file) {
  const int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
  if (socket_fd < 0) return std::nullopt;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(socket_fd);
    return std::nullopt;
  }
  sockaddr_in local{};
  socklen_t local_size = sizeof(local);
  getsockname(socket_fd, reinterpret_cast<sockaddr*>(&local), &local_size);
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(context, TLS1_3_VERSION);
  SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nullptr);
  const bool loaded =
      SSL_CTX_use_certificate_file(context, certificate_file.c_str(), SSL_FILETYPE_PEM) == 1 &&
      SSL_CTX_use_PrivateKey_file(context, key_file.c_str(), SSL_FILETYPE_PEM) == 1;
  SSL* ssl = SSL_new(context);
  SSL_set_fd(ssl, socket_fd);
  if (loaded && SSL_connect(ssl) == 1) {
    char buffer[256];
    while (SSL_read(ssl, buffer, sizeof(buffer)) > 0) {  // the server's hello never comes
    }
  }
  SSL_free(ssl);
  SSL_CTX_free(context);
  close(socket_fd);
  if (!loaded) return std::nullopt;
  return ntohs(local.sin_port);
}

TEST_F(ConsortiumTest, NodeWithCertificateOfAnotherCaIsRefused) {
  const std::vector<NetworkNode> nodes = StartNetwork("net", crypto::SuiteId::kStd, 4, 0, 400);
  ASSERT_EQ(nodes.size(), 4u);
  // A second consortium with the same chain id and member names but its own CA; its node-1
  // (the name of a real member of the first) dials every node of the first network.
  std::vector<NetworkNode> foreign_network = StartNetwork("foreign", crypto::SuiteId::kStd, 4, 0, 420, false);
  ASSERT_EQ(foreign_network.size(), 4u);
  NetworkNode foreign = foreign_network[1];
  foreign.config.peers.clear();
  for (const NetworkNode& node : nodes) foreign.config.peers.push_back({"127.0.0.1", node.config.port});
  ASSERT_TRUE(WriteFile(foreign.directory / "node.toml",
                        node::NodeConfigToToml(foreign.config, foreign.directory), 0644)
                  .ok());
  RestartNode(foreign);
  const Result<pki::Certificate> foreign_certificate =
      pki::Certificate::LoadFile(foreign.config.transport_certificate_file.string());
  ASSERT_TRUE(foreign_certificate.ok());
  const std::string foreign_id = foreign_certificate->FingerprintHex();
  std::set<std::string> member_ids;
  for (const NetworkNode& node : nodes) {
    const auto certificate = pki::Certificate::LoadFile(node.config.transport_certificate_file.string());
    ASSERT_TRUE(certificate.ok());
    member_ids.insert(certificate->FingerprintHex());
  }

  // Its dials fail at the TLS handshake, repeatedly, while the first network commits on.
  ASSERT_TRUE(WaitUntil([&] { return StatusOf(foreign).has_value(); }));
  const std::uint64_t first_height = HeightOf(nodes[0]);
  EXPECT_TRUE(WaitUntil([&] {
    return ReadText(foreign.directory / "node.log").find("(wrong CA)") != std::string::npos &&
           HeightOf(nodes[0]) >= first_height + 4;
  }));
  // A client that trusts anything and presents the foreign certificate: the node itself
  // refuses it (the foreign node above already gives up when it sees the first network's CA).
  const std::optional<std::uint16_t> client_port = PresentCertificate(
      nodes[0].config.port, foreign.config.transport_certificate_file, foreign.config.transport_key_file);
  ASSERT_TRUE(client_port.has_value());
  const std::string refusal = "connection with 127.0.0.1:" + std::to_string(*client_port) + " failed";
  EXPECT_TRUE(WaitUntil([&] {
    return ReadText(nodes[0].directory / "node.log").find(refusal) != std::string::npos;
  })) << refusal;
  const auto foreign_status = StatusOf(foreign);
  ASSERT_TRUE(foreign_status.has_value());
  EXPECT_EQ(foreign_status->height, 0u);
  EXPECT_EQ(foreign_status->peers_connected, 0u);
  const auto foreign_peers = client::NodeClient(foreign.api_url).GetPeers();
  ASSERT_TRUE(foreign_peers.ok());
  for (const client::PeerInfo& peer : *foreign_peers) EXPECT_FALSE(peer.connected) << peer.address;

  for (const NetworkNode& node : nodes) {
    const auto peers = client::NodeClient(node.api_url).GetPeers();
    ASSERT_TRUE(peers.ok()) << peers.status().ToString();
    for (const client::PeerInfo& peer : *peers) {
      EXPECT_NE(peer.id, foreign_id) << node.name;
      if (peer.connected) {
        EXPECT_TRUE(member_ids.contains(peer.id)) << node.name << " lists " << peer.id;
      }
    }
    // Connected peers are logged with their certificate's fingerprint: never the foreign one.
    const std::string log = ReadText(node.directory / "node.log");
    EXPECT_EQ(log.find(foreign_id), std::string::npos) << node.name << " logged the foreign certificate";
  }
  const std::string log = ReadText(nodes[0].directory / "node.log");
  const std::string refused_line =
      log.substr(log.find(refusal), log.find('\n', log.find(refusal)) - log.find(refusal));
  EXPECT_NE(refused_line.find("certificate"), std::string::npos) << refused_line;
}

// --- peer address exchange: a member configured with one peer meets all of them ---

TEST_F(ConsortiumTest, MembersLearnEachOthersAddressesFromTheirPeers) {
  std::vector<NetworkNode> nodes = StartNetwork("net", crypto::SuiteId::kStd, 4, 0, 600, false);
  ASSERT_EQ(nodes.size(), 4u);
  // node-3 knows only node-0, and nobody knows node-3.
  for (NetworkNode& node : nodes) {
    std::vector<node::PeerAddress> peers;
    for (const node::PeerAddress& peer : node.config.peers) {
      const bool to_node_3 = peer.port == nodes[3].config.port;
      const bool from_node_3_to_others = node.name == "node-3" && peer.port != nodes[0].config.port;
      if (!to_node_3 && !from_node_3_to_others) peers.push_back(peer);
    }
    node.config.peers = peers;
    ASSERT_TRUE(
        WriteFile(node.directory / "node.toml", node::NodeConfigToToml(node.config, node.directory), 0644)
            .ok());
  }
  ASSERT_EQ(nodes[3].config.peers.size(), 1u);
  for (const NetworkNode& node : nodes) RestartNode(node);

  const auto connected_to = [](const NetworkNode& node, const std::string& name) {
    const auto peers = client::NodeClient(node.api_url).GetPeers();
    if (!peers.ok()) return false;
    for (const client::PeerInfo& peer : *peers) {
      if (peer.name == name && peer.connected) return true;
    }
    return false;
  };
  for (const char* name : {"node-0", "node-1", "node-2"}) {
    EXPECT_TRUE(WaitUntil([&] { return connected_to(nodes[3], name); })) << "node-3 never met " << name;
  }
  EXPECT_TRUE(
      WaitUntil([&] { return connected_to(nodes[1], "node-3") && connected_to(nodes[2], "node-3"); }));
  // Neither side of node-3 ↔ node-1 and node-3 ↔ node-2 was configured with the other, so one of
  // them dialled an address it learned from a peer (which one wins the race varies).
  const std::string log_of_3 = ReadText(nodes[3].directory / "node.log");
  for (const std::size_t other : {1u, 2u}) {
    const std::string dialled_by_3 = "dialling " + nodes[other].name + " at 127.0.0.1:";
    const bool learned =
        log_of_3.find(dialled_by_3) != std::string::npos ||
        ReadText(nodes[other].directory / "node.log").find("dialling node-3 at 127.0.0.1:") !=
            std::string::npos;
    EXPECT_TRUE(learned) << "no learned-address dial between node-3 and " << nodes[other].name;
  }
  EXPECT_TRUE(WaitUntil([&] { return HeightOf(nodes[3]) >= 2; }));
}

// --- e. a member sending malformed, oversized and unsolicited frames ---

// The hello a member sends: its consensus key's signature binding its transport certificate
// (docs/network.md): DomainTag("rightchain/transport-binding") ‖ u8 len ‖ chain id ‖ fingerprint.
Result<Bytes> MemberHello(const NetworkNode& node, const std::string& chain_id,
                          const pki::Certificate& certificate) {
  RC_ASSIGN_OR_RETURN(std::string passphrase, ReadFile(node.config.consensus_key_passphrase_file, 4096));
  passphrase = passphrase.substr(0, passphrase.find_last_not_of("\r\n") + 1);
  RC_ASSIGN_OR_RETURN(const std::string pem, ReadFile(node.config.consensus_key_file, 64 * 1024));
  RC_ASSIGN_OR_RETURN(const crypto::PrivateKey key, crypto::PrivateKey::FromPem(pem, passphrase));
  Bytes message = crypto::DomainTag("rightchain/transport-binding");
  message.push_back(static_cast<std::uint8_t>(chain_id.size()));
  message.insert(message.end(), chain_id.begin(), chain_id.end());
  const pki::Fingerprint fingerprint = certificate.GetFingerprint();
  message.insert(message.end(), fingerprint.begin(), fingerprint.end());
  RC_ASSIGN_OR_RETURN(const crypto::Signature signature, key.Sign(message));
  return Bytes(signature.begin(), signature.end());
}

TEST_F(ConsortiumTest, HostileMemberFramesAreRefusedAndTheNodeKeepsCommitting) {
  // node-3 does not run: this test speaks with its identity.
  std::vector<NetworkNode> nodes = StartNetwork("net", crypto::SuiteId::kStd, 4, 0, 500, false);
  ASSERT_EQ(nodes.size(), 4u);
  for (std::size_t i = 0; i < 3; ++i) RestartNode(nodes[i]);
  ASSERT_TRUE(WaitUntil([&] { return HeightOf(nodes[0]) >= 1; }));
  const NetworkNode& target = nodes[0];
  const NetworkNode& impostor = nodes[3];
  const auto status = StatusOf(target);
  ASSERT_TRUE(status.has_value());

  Result<pki::Certificate> certificate =
      pki::Certificate::LoadFile(impostor.config.transport_certificate_file.string());
  Result<pki::PrivateKey> key = pki::PrivateKey::LoadFile(impostor.config.transport_key_file.string());
  Result<pki::Certificate> authority =
      pki::Certificate::LoadFile(impostor.config.ca_certificate_file.string());
  ASSERT_TRUE(certificate.ok() && key.ok() && authority.ok());
  const Result<Bytes> hello = MemberHello(impostor, status->chain_id, *certificate);
  ASSERT_TRUE(hello.ok()) << hello.status().ToString();

  std::mutex mutex;
  std::set<net::PeerId> connected;
  std::atomic<int> disconnects{0};
  net::TransportConfig config{std::move(certificate).value(), std::move(key).value(),
                              std::move(authority).value()};
  // Lets this side send what the node must refuse: a frame over the largest peer message.
  config.max_frame_size_bytes = node::kMaxWireMessageSize + (1u << 20);
  config.send_queue_limit_bytes = 2 * config.max_frame_size_bytes;
  config.make_hello = [&](const net::PeerIdentity&) { return *hello; };
  config.on_peer_connected = [&](const net::PeerIdentity& peer, net::Direction) {
    std::lock_guard lock(mutex);
    connected.insert(peer.id);
  };
  config.on_peer_disconnected = [&](const net::PeerId& peer, const Status&) {
    std::lock_guard lock(mutex);
    connected.erase(peer);
    ++disconnects;
  };
  config.on_message = [](const net::PeerId&, ByteView) {};
  Result<std::unique_ptr<net::Transport>> transport = net::Transport::Start(std::move(config));
  ASSERT_TRUE(transport.ok()) << transport.status().ToString();
  (*transport)->AddPeer("127.0.0.1", target.config.port);
  net::PeerId peer;
  ASSERT_TRUE(WaitUntil([&] {
    std::lock_guard lock(mutex);
    if (connected.empty()) return false;
    peer = *connected.begin();
    return true;
  }));

  const auto connected_peer = [&]() -> std::optional<net::PeerId> {
    std::lock_guard lock(mutex);
    if (connected.empty()) return std::nullopt;
    return *connected.begin();
  };
  // Sends while connected (the node may hang up part-way).
  const auto send = [&](const Bytes& frame) { (void)(*transport)->Send(peer, frame); };
  const Bytes junk(300, 0xab);
  send({});                                                            // empty message
  send({0x77, 1, 2, 3});                                               // unknown type
  send(node::EncodeWire(node::WireType::kConsensus, junk));            // not a consensus message
  send(node::EncodeWire(node::WireType::kTransaction, junk));          // not a transaction
  send(node::EncodeWire(node::WireType::kBlock, junk));                // not a block
  send(node::EncodeWire(node::WireType::kBlockResponse, junk));        // unsolicited and malformed
  send(node::EncodeWire(node::WireType::kBlockRequest, Bytes{1, 2}));  // short height
  send(node::EncodeWire(node::WireType::kBlockRequest, node::EncodeU64(UINT64_MAX)));  // no such block
  send(node::EncodeWire(node::WireType::kStatus, Bytes{9}));                           // short height
  // A flood of refused frames exhausts the member's budget: the node hangs up and counts it.
  for (int i = 0; i < 500; ++i) send(node::EncodeWire(node::WireType::kConsensus, junk));
  EXPECT_TRUE(WaitUntil([&] { return disconnects.load() >= 1; }))
      << "the flooding member was not disconnected";
  const auto violations = [&] {
    const auto peers = client::NodeClient(target.api_url).GetPeers();
    std::uint64_t count = 0;
    if (peers.ok()) {
      for (const client::PeerInfo& entry : *peers)
        count += entry.name == impostor.name ? entry.protocol_violations : 0;
    }
    return count;
  };
  EXPECT_GE(violations(), 1u);
  EXPECT_NE(ReadText(target.directory / "node.log").find("too many refused messages"), std::string::npos);

  // The node keeps serving its API and committing with the other two validators.
  const std::uint64_t before = HeightOf(target);
  EXPECT_TRUE(WaitUntil([&] { return HeightOf(target) >= before + 3; })) << "stuck at " << HeightOf(target);

  // Reconnected (this side redials), it claims an absurd height: the node does not stall.
  ASSERT_TRUE(WaitUntil([&] { return connected_peer().has_value(); }));
  peer = *connected_peer();
  send(node::EncodeWire(node::WireType::kStatus, node::EncodeU64(UINT64_MAX)));
  const std::uint64_t lied_at = HeightOf(target);
  EXPECT_TRUE(WaitUntil([&] { return HeightOf(target) >= lied_at + 3; })) << "stuck at " << HeightOf(target);

  // A frame over the node's limit: it disconnects this side before reading the body.
  ASSERT_TRUE(WaitUntil([&] { return connected_peer().has_value(); }));
  peer = *connected_peer();
  const int disconnects_before = disconnects.load();
  const std::uint64_t violations_before = violations();
  send(Bytes(node::kMaxWireMessageSize + 1, 0x02));
  EXPECT_TRUE(WaitUntil([&] { return disconnects.load() > disconnects_before; }));
  EXPECT_GT(violations(), violations_before);
  (*transport)->Stop();

  // A raw connection that speaks no TLS at all.
  const int raw = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(raw, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(target.config.port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(raw, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    const std::string garbage(64 * 1024, 'G');
    [[maybe_unused]] const ssize_t written = write(raw, garbage.data(), garbage.size());
  }
  close(raw);

  const std::uint64_t after = HeightOf(target);
  EXPECT_TRUE(WaitUntil([&] { return HeightOf(target) >= after + 2; })) << "stuck at " << HeightOf(target);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_TRUE(StatusOf(nodes[i]).has_value()) << nodes[i].name;
}

// --- certificate revocation while running: `rightchain ca revoke` and the nodes' CRL reload ---

// No node lists `member` as a connected peer, and `member` lists no connected peer.
bool CutOff(const std::vector<NetworkNode>& nodes, const NetworkNode& member) {
  for (const NetworkNode& node : nodes) {
    const auto peers = client::NodeClient(node.api_url).GetPeers();
    if (!peers.ok()) return false;
    for (const client::PeerInfo& peer : *peers) {
      if (peer.connected && (node.name == member.name || peer.name == member.name)) return false;
    }
  }
  return true;
}

// Every node lists every other as a connected peer.
bool FullyConnected(const std::vector<NetworkNode>& nodes) {
  for (const NetworkNode& node : nodes) {
    const auto peers = client::NodeClient(node.api_url).GetPeers();
    if (!peers.ok()) return false;
    std::set<std::string> connected;
    for (const client::PeerInfo& peer : *peers) {
      if (peer.connected) connected.insert(peer.name);
    }
    if (connected.size() != nodes.size() - 1) return false;
  }
  return true;
}

TEST_F(ConsortiumTest, RevokedCertificateIsCutOffWithinFiveSecondsAndValidatorsNeedForce) {
  const std::vector<NetworkNode> nodes = StartNetwork("net", crypto::SuiteId::kStd, 4, 1, 700);
  ASSERT_EQ(nodes.size(), 5u);
  const fs::path network = networks_.back();
  const NetworkNode& observer = nodes[4];
  ASSERT_EQ(observer.role, exec::NodeRole::kObserver);
  ASSERT_TRUE(WaitUntil([&] { return FullyConnected(nodes); })) << "the network did not connect";

  // The observer's certificate: no warning, and every node cuts it off within 5 s.
  const RunResult revoke_observer =
      RunCli("ca revoke --dir " + network.string() + " --name node-4", scratch_);
  ASSERT_EQ(revoke_observer.exit_code, 0) << revoke_observer.err;
  EXPECT_EQ(revoke_observer.err.find("warning"), std::string::npos) << revoke_observer.err;
  EXPECT_TRUE(WaitUntil([&] { return CutOff(nodes, observer); }, std::chrono::seconds(5)))
      << "node-4 still connected 5 s after its certificate was revoked";
  ASSERT_TRUE(WaitUntil([&] { return CutOff(nodes, observer); }));

  // It stays refused, inbound and outbound: the validators commit, the observer's height stops.
  const std::uint64_t observer_height = HeightOf(observer);
  const std::uint64_t validator_height = HeightOf(nodes[0]);
  EXPECT_TRUE(WaitUntil([&] { return HeightOf(nodes[0]) >= validator_height + 3; }))
      << "validators stuck at " << HeightOf(nodes[0]);
  EXPECT_TRUE(CutOff(nodes, observer));
  EXPECT_EQ(HeightOf(observer), observer_height);
  bool refused_in_a_log = false;
  for (std::size_t i = 0; i < 4; ++i) {
    const std::string log = ReadText(nodes[i].directory / "node.log");
    refused_in_a_log = refused_in_a_log || log.find("revoked") != std::string::npos;
  }
  EXPECT_TRUE(refused_in_a_log) << "no validator logged a revoked certificate";

  // A validator's certificate: the warning, and nothing changes without --force.
  const RunResult refused = RunCli("ca revoke --dir " + network.string() + " --name node-3", scratch_);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("lowers the quorum's margin"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("without --force"), std::string::npos) << refused.err;
  const std::vector<NetworkNode> validators(nodes.begin(), nodes.begin() + 4);
  std::this_thread::sleep_for(std::chrono::seconds(2));  // two reload periods: nothing to reload
  EXPECT_TRUE(FullyConnected(validators));

  // With --force it is revoked like any other, and the remaining 30 of 40 voting power commit.
  const RunResult forced = RunCli("ca revoke --dir " + network.string() + " --name node-3 --force", scratch_);
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_NE(forced.err.find("lowers the quorum's margin"), std::string::npos) << forced.err;
  EXPECT_TRUE(WaitUntil([&] { return CutOff(validators, nodes[3]); }, std::chrono::seconds(5)))
      << "node-3 still connected 5 s after its certificate was revoked";
  ASSERT_TRUE(WaitUntil([&] { return CutOff(validators, nodes[3]); }));
  const std::uint64_t height = HeightOf(nodes[0]);
  EXPECT_TRUE(WaitUntil([&] { return HeightOf(nodes[0]) >= height + 3; }))
      << "stuck at " << HeightOf(nodes[0]);
  EXPECT_TRUE(CutOff(validators, nodes[3]));
}

// --- governance: a node joins by `node join`, is admitted, votes; a validator is removed ------

class GovernanceTest : public ConsortiumTest, public ::testing::WithParamInterface<crypto::SuiteId> {
 protected:
  Json CliJson(const std::string& arguments) {
    const RunResult result = RunCli(arguments, scratch_);
    EXPECT_EQ(result.exit_code, 0) << arguments << "\n" << result.out << result.err;
    const Json json = Json::parse(result.out, nullptr, false);
    return json.is_discarded() ? Json::object() : json;
  }
  static Json GetJson(const NetworkNode& node, const std::string& path) {
    const Result<std::string> body = client::NodeClient(node.api_url).GetJsonText(path);
    if (!body.ok()) return Json();
    const Json json = Json::parse(*body, nullptr, false);
    return json.is_discarded() ? Json() : json;
  }
  // The node's view of `name` in /v1/validators (null when it does not list it).
  static Json ValidatorEntry(const NetworkNode& node, const std::string& name) {
    const Json validators = GetJson(node, "/v1/validators");
    if (!validators.is_array()) return Json();
    for (const Json& entry : validators) {
      if (entry.value("name", "") == name) return entry;
    }
    return Json();
  }
};

TEST_P(GovernanceTest, ANewNodeJoinsIsAdmittedAndVotesAndARemovedValidatorIsCutOff) {
  const bool sm = GetParam() == crypto::SuiteId::kSm;
  const std::vector<NetworkNode> nodes = StartNetwork("net", GetParam(), 4, 0, sm ? 920 : 900);
  ASSERT_EQ(nodes.size(), 4u);
  const fs::path network = networks_.back();
  const auto key_of = [&](const NetworkNode& node) {
    return " --key " + (node.directory / "consensus-key.pem").string();
  };

  // Prepare the newcomer from a member's API, certify its transport key, start it.
  const fs::path joining_directory = scratch_ / "node-new";
  const std::uint16_t port = static_cast<std::uint16_t>(nodes[0].config.port + 8);
  const std::uint16_t api_port = static_cast<std::uint16_t>(nodes[0].config.api_port + 8);
  RunResult result = RunCli("node join --dir " + joining_directory.string() + " --from " + nodes[0].api_url +
                                " --name node-new --ca " + (network / "ca.crt").string() + " --port " +
                                std::to_string(port) + " --api-port " + std::to_string(api_port),
                            scratch_);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("gov propose add-member"), std::string::npos) << result.out;
  result = RunCli("ca issue --dir " + network.string() + " --name node-new --csr " +
                      (joining_directory / "transport.csr").string() + " --out " + joining_directory.string(),
                  scratch_);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::string config_text = ReadText(joining_directory / "node.toml");
  Result<node::NodeConfig> config = node::ParseNodeConfig(config_text, joining_directory);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  const NetworkNode newcomer{"node-new", joining_directory, *config, exec::NodeRole::kConsensus,
                             "http://127.0.0.1:" + std::to_string(api_port)};
  extra_nodes_.push_back(newcomer);
  RestartNode(newcomer);
  ASSERT_TRUE(WaitUntil([&] { return StatusOf(newcomer).has_value(); }))
      << "the newcomer's API did not come up";
  // Not a member yet: the members refuse it, so it cannot sync.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(GetJson(newcomer, "/v1/status").value("role", ""), "joining");
  EXPECT_EQ(HeightOf(newcomer), 0u);

  // node-1 proposes, node-0 (the regulator) approves: 20 of 40, still open; node-2: executed.
  Json receipt = CliJson("gov propose add-member --json --request " +
                         (joining_directory / "join-request.json").string() + " --role consensus --power 10" +
                         key_of(nodes[1]) + " --node " + nodes[1].api_url);
  EXPECT_EQ(receipt.value("status", ""), "open") << receipt.dump();
  const std::uint64_t proposal = receipt.value("proposal_id", std::uint64_t{0});
  receipt = CliJson("gov approve " + std::to_string(proposal) + " --json" + key_of(nodes[0]) + " --node " +
                    nodes[0].api_url);
  EXPECT_EQ(receipt.value("status", ""), "open") << receipt.dump();
  EXPECT_EQ(receipt.value("approving_power", 0), 20);
  receipt = CliJson("gov approve " + std::to_string(proposal) + " --json" + key_of(nodes[2]) + " --node " +
                    nodes[2].api_url);
  ASSERT_EQ(receipt.value("status", ""), "executed") << receipt.dump();
  EXPECT_EQ(receipt.value("validator_set_sequence", 0), 1);
  const std::uint64_t effective = receipt.value("effective_height", std::uint64_t{0});

  // It syncs from genesis, and votes from the effective height on.
  ASSERT_TRUE(WaitUntil([&] {
    const Json status = GetJson(newcomer, "/v1/status");
    return status.value("role", "") == "consensus" && status.value("validators", 0) == 5 &&
           HeightOf(newcomer) + 2 >= HeightOf(nodes[0]);
  })) << "the newcomer did not catch up: "
      << GetJson(newcomer, "/v1/status").dump();
  ASSERT_TRUE(WaitUntil([&] {
    const Json entry = ValidatorEntry(nodes[0], "node-new");
    return entry.is_object() && entry.value("voting", false) &&
           entry.value("last_signed_height", std::uint64_t{0}) > effective;
  })) << ValidatorEntry(nodes[0], "node-new").dump();
  result = RunCli("gov list --node " + nodes[3].api_url, scratch_);
  EXPECT_NE(result.out.find("node-new"), std::string::npos) << result.out;
  // The CA knows it is a validator now (genesis does not): revoking needs --force.
  result = RunCli("ca revoke --dir " + network.string() + " --name node-new --certificate " +
                      (joining_directory / "transport.crt").string(),
                  scratch_);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.err.find("is a current validator (voting power 10 of 50)"), std::string::npos)
      << result.err;

  // Remove node-3: four of five must approve (node-0, then node-1, node-2 and the newcomer).
  receipt = CliJson("gov propose remove-member --json --member node-3" + key_of(nodes[0]) + " --node " +
                    nodes[0].api_url);
  const std::uint64_t removal = receipt.value("proposal_id", std::uint64_t{0});
  for (const NetworkNode* approver : {&nodes[1], &nodes[2], &newcomer}) {
    receipt = CliJson("gov approve " + std::to_string(removal) + " --json" + key_of(*approver) + " --node " +
                      approver->api_url);
  }
  ASSERT_EQ(receipt.value("status", ""), "executed") << receipt.dump();
  ASSERT_TRUE(WaitUntil([&] { return GetJson(nodes[0], "/v1/status").value("validators", 0) == 4; }));
  // The members disconnect node-3 and refuse it from then on.
  EXPECT_TRUE(WaitUntil([&] {
    const auto status = StatusOf(nodes[3]);
    return status.has_value() && status->peers_connected == 0;
  })) << "node-3 is still connected";
  // Without node-3, and with node-2 down too, the remaining three of four validators commit.
  KillNode(nodes[2]);
  const std::uint64_t height = HeightOf(nodes[0]);
  EXPECT_TRUE(WaitUntil([&] { return HeightOf(nodes[0]) >= height + 3 && HeightOf(newcomer) >= height + 3; }))
      << "stuck at " << HeightOf(nodes[0]);

  // A parameter change reaches every running node.
  receipt = CliJson("gov propose change-parameters --json --block-interval-ms 300" + key_of(nodes[0]) +
                    " --node " + nodes[0].api_url);
  const std::uint64_t change = receipt.value("proposal_id", std::uint64_t{0});
  for (const NetworkNode* approver : {&nodes[1], &newcomer}) {
    receipt = CliJson("gov approve " + std::to_string(change) + " --json" + key_of(*approver) + " --node " +
                      approver->api_url);
  }
  ASSERT_EQ(receipt.value("status", ""), "executed") << receipt.dump();
  for (const NetworkNode* node : {&nodes[0], &nodes[1], &newcomer}) {
    EXPECT_TRUE(WaitUntil([&] {
      return GetJson(*node, "/v1/governance")["parameters"].value("target_block_interval_ms", 0) == 300;
    })) << node->name;
  }
  const std::uint64_t through = std::min({HeightOf(nodes[0]), HeightOf(nodes[1]), HeightOf(newcomer)});
  ExpectSameChain({nodes[0], nodes[1], newcomer}, through);

  // A work registered now is signed for by node-0, node-1 and the newcomer: the node's trust file
  // (genesis and the three records) verifies its bundle; genesis's alone does not.
  const fs::path alice = scratch_ / "alice.key";
  ASSERT_EQ(
      RunCli("keygen --suite " + std::string(crypto::SuiteName(GetParam())) + " --out " + alice.string(),
             scratch_)
          .exit_code,
      0);
  CliJson("account create --json --label alice --node " + nodes[0].api_url + " --key " + alice.string() +
          " --sponsor-key " + (network / "accounts" / "sponsor.key").string());
  const fs::path poem = scratch_ / "poem.txt";
  ASSERT_TRUE(WriteFile(poem, "a poem written after the consortium changed\n", 0644).ok());
  const std::uint64_t record =
      CliJson("register " + poem.string() + " --json --node " + nodes[0].api_url + " --key " + alice.string())
          .value("record_id", std::uint64_t{0});
  ASSERT_GE(record, 1u);
  const fs::path bundle = scratch_ / "poem.bundle.json";
  ASSERT_TRUE(WaitUntil([&] {
    return RunCli("bundle " + std::to_string(record) + " --node " + nodes[0].api_url + " --out " +
                      bundle.string(),
                  scratch_)
               .exit_code == 0;
  }));
  const fs::path trust = scratch_ / "trust.json";
  result = RunCli("trust --node " + newcomer.api_url + " --out " + trust.string(), scratch_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Json::parse(ReadText(trust))["validator_sets"].size(), 3u);
  result = RunCli(
      "verify --json --bundle " + bundle.string() + " --trust " + trust.string() + " --file " + poem.string(),
      scratch_);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("node-new"), std::string::npos) << result.out;
  const fs::path genesis_trust = scratch_ / "genesis-trust.json";
  ASSERT_EQ(
      RunCli("trust --genesis " + (network / "genesis.json").string() + " --out " + genesis_trust.string(),
             scratch_)
          .exit_code,
      0);
  // The genesis-only trust file follows the validator-set records the bundle carries; without
  // them (a format-1 bundle) it cannot know the new members and refuses the bundle.
  Json stripped = Json::parse(ReadText(bundle));
  stripped.erase("validator_sets");
  stripped["format"] = "rightchain-bundle/1";
  const fs::path old_bundle = scratch_ / "poem.bundle.v1.json";
  ASSERT_TRUE(WriteFile(old_bundle, stripped.dump(2) + "\n", 0644).ok());
  result = RunCli("verify --bundle " + old_bundle.string() + " --trust " + genesis_trust.string(), scratch_);
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.out.find("NOT VERIFIED"), std::string::npos) << result.out;
  result = RunCli("verify --update-trust --bundle " + bundle.string() + " --trust " + genesis_trust.string(),
                  scratch_);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("followed from the trust file through 3 newer validator-set records"),
            std::string::npos)
      << result.out;
  // Kept: the updated file holds the records the nodes serve (each node's copy of a deciding
  // checkpoint may carry other signatures), and the old bundle verifies with it.
  const Json updated = Json::parse(ReadText(genesis_trust));
  const Json served = Json::parse(ReadText(trust));
  ASSERT_EQ(updated["validator_sets"].size(), served["validator_sets"].size());
  for (std::size_t i = 0; i < served["validator_sets"].size(); ++i)
    EXPECT_EQ(updated["validator_sets"][i]["record"], served["validator_sets"][i]["record"]) << i;
  result = RunCli("verify --bundle " + old_bundle.string() + " --trust " + genesis_trust.string(), scratch_);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

INSTANTIATE_TEST_SUITE_P(Suites, GovernanceTest,
                         ::testing::Values(crypto::SuiteId::kStd, crypto::SuiteId::kSm),
                         [](const auto& info) { return std::string(crypto::SuiteName(info.param)); });

}  // namespace
}  // namespace rightchain::cli
