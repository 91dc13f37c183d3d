// Daemons in one process, talking mutual TLS over loopback and serving the HTTP API (the parts of
// rightchaind processes without the process boundaries), for attack tests that need the real
// threads, transport and API. A member the test does not start can be played by the test itself:
// `MemberTransport` connects with that member's certificate and signed binding, as a hostile
// member's modified node would.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "base/file.h"
#include "crypto/domain.h"
#include "crypto/private_key.h"
#include "net/transport.h"
#include "node/daemon.h"
#include "node/genesis_file.h"
#include "pki/authority.h"

namespace rightchain::node::testing {

// A minimal HTTP/1.1 exchange over loopback (Connection: close): status and body; status 0 when
// the connection failed.
inline std::pair<int, std::string> HttpExchange(
    std::uint16_t port, const std::string& method, const std::string& path, const std::string& body = {},
    const std::string& content_type = "application/octet-stream") {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return {0, {}};
  }
  const std::string request = method + " " + path +
                              " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: " + content_type +
                              "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  (void)send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string response;
  char buffer[16384];
  for (ssize_t n; (n = recv(fd, buffer, sizeof buffer, 0)) > 0;)
    response.append(buffer, static_cast<std::size_t>(n));
  close(fd);
  if (response.size() < 12) return {0, {}};
  const std::size_t body_start = response.find("\r\n\r\n");
  return {std::stoi(response.substr(9, 3)),
          body_start == std::string::npos ? "" : response.substr(body_start + 4)};
}

// This process's resident set, in bytes (VmRSS of /proc/self/status).
inline std::size_t ResidentBytes() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // "VmRSS:  1234 kB"
  }
  return 0;
}

template <typename Predicate>
bool WaitFor(Predicate predicate, int seconds = 60) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

class DaemonCluster {
 public:
  // `members` equal-power validators named node-0, node-1, ...; `adjust` may change the genesis.
  explicit DaemonCluster(int members, const std::function<void(exec::Genesis&)>& adjust = {}) {
    char pattern[] = "/tmp/rightchain-daemons-XXXXXX";
    RC_ASSERT(mkdtemp(pattern) != nullptr);
    directory_ = pattern;
    authority_.emplace(pki::CertificateAuthority::Create("Test Consortium CA", 30).value());
    RC_ASSERT(authority_->certificate().SaveFile((directory_ / "ca.crt").string()).ok());
    // The network's CRL, empty (CRL number 1): a node does not start without one.
    auto empty_list = authority_->IssueRevocationList({}, 30);
    RC_ASSERT(empty_list.ok());
    RC_ASSERT(empty_list->SaveFile((directory_ / "ca.crl").string()).ok());
    genesis_.chain_id = "daemon-test";
    genesis_.suite = crypto::SuiteId::kStd;
    genesis_.genesis_time_milliseconds = 1'000;
    genesis_.parameters.target_block_interval_milliseconds = 200;
    genesis_.parameters.heartbeat_interval_milliseconds = 1000;
    for (int i = 0; i < members; ++i) {
      crypto::PrivateKey key = crypto::PrivateKey::Generate(crypto::SignatureScheme::kEd25519).value();
      exec::GenesisMember member;
      member.name = "node-" + std::to_string(i);
      member.role = i == 0 ? exec::NodeRole::kRegulatorConsensus : exec::NodeRole::kConsensus;
      const ByteView raw = key.public_key().raw();
      member.consensus_public_key.assign(raw.begin(), raw.end());
      member.voting_power = 10;
      genesis_.members.push_back(member);
      const std::filesystem::path node_directory = directory_ / member.name;
      std::filesystem::create_directories(node_directory);
      RC_ASSERT(WriteFile(node_directory / "consensus-key.pass", "secret\n", 0600).ok());
      RC_ASSERT(WriteFile(node_directory / "consensus-key.pem", *key.ToPem("secret"), 0600).ok());
      auto issued = authority_->IssueWithNewKey(pki::NodeCertificateProfile(member.name, 30)).value();
      RC_ASSERT(issued.certificate.SaveFile((node_directory / "transport.crt").string()).ok());
      RC_ASSERT(issued.private_key.SaveFile((node_directory / "transport.key").string()).ok());
      keys_.push_back(std::move(key));
      NodeConfig config;
      config.name = member.name;
      config.data_directory = node_directory / "data";
      config.genesis_file = directory_ / "genesis.json";
      config.consensus_key_file = node_directory / "consensus-key.pem";
      config.consensus_key_passphrase_file = node_directory / "consensus-key.pass";
      config.transport_certificate_file = node_directory / "transport.crt";
      config.transport_key_file = node_directory / "transport.key";
      config.ca_certificate_file = directory_ / "ca.crt";
      config.port = 0;
      config.api_port = 0;
      configs_.push_back(config);
    }
    if (adjust) adjust(genesis_);
    RC_ASSERT(WriteFile(directory_ / "genesis.json", GenesisToJson(genesis_)).ok());
    daemons_.resize(static_cast<std::size_t>(members));
  }
  ~DaemonCluster() {
    daemons_.clear();
    std::filesystem::remove_all(directory_);
  }
  DaemonCluster(const DaemonCluster&) = delete;
  DaemonCluster& operator=(const DaemonCluster&) = delete;

  // Starts the daemons of `members`; each dials those started before it (a full mesh).
  void Start(const std::vector<int>& members) {
    std::vector<PeerAddress> started;
    for (const int i : members) {
      configs_[i].peers = started;
      daemons_[i] = Daemon::Start(configs_[i]).value();
      started.push_back({"127.0.0.1", daemons_[i]->transport_port()});
    }
  }
  void Stop(int member) { daemons_[member].reset(); }
  Daemon& daemon(int member) { return *daemons_[member]; }
  const exec::Genesis& genesis() const { return genesis_; }

  nlohmann::json Get(int member, const std::string& path) {
    const auto [status, body] = HttpExchange(daemons_[member]->api_port(), "GET", path);
    if (status != 200) return nlohmann::json();
    return nlohmann::json::parse(body, nullptr, false);
  }
  std::uint64_t Height(int member) {
    const nlohmann::json status = Get(member, "/v1/status");
    return status.is_object() ? status.value("height", std::uint64_t{0}) : 0;
  }

  // A transport that speaks as `member` (its certificate, key and consensus-key binding), for a
  // test that plays that member. `configure` may change its settings before it starts.
  std::unique_ptr<net::Transport> MemberTransport(
      int member, const std::function<void(net::TransportConfig&)>& configure = {}) {
    const NodeConfig& config = configs_[member];
    pki::Certificate certificate = pki::Certificate::LoadFile(config.transport_certificate_file).value();
    // As the daemon binds it: DomainTag ‖ u8 length ‖ chain id ‖ certificate fingerprint.
    Bytes message = crypto::DomainTag("rightchain/transport-binding");
    message.push_back(static_cast<std::uint8_t>(genesis_.chain_id.size()));
    message.insert(message.end(), genesis_.chain_id.begin(), genesis_.chain_id.end());
    const Bytes fingerprint = HexDecode(certificate.FingerprintHex()).value();
    message.insert(message.end(), fingerprint.begin(), fingerprint.end());
    const crypto::Signature binding = keys_[member].Sign(message).value();
    net::TransportConfig transport{std::move(certificate),
                                   pki::PrivateKey::LoadFile(config.transport_key_file).value(),
                                   authority_->certificate()};
    transport.make_hello = [binding](const net::PeerIdentity&) {
      return Bytes(binding.begin(), binding.end());
    };
    transport.max_frame_size_bytes = 8u << 20;
    transport.send_queue_limit_bytes = 16u << 20;
    if (configure) configure(transport);
    return net::Transport::Start(std::move(transport)).value();
  }

 private:
  std::filesystem::path directory_;
  std::optional<pki::CertificateAuthority> authority_;
  exec::Genesis genesis_;
  std::vector<crypto::PrivateKey> keys_;
  std::vector<NodeConfig> configs_;
  std::vector<std::unique_ptr<Daemon>> daemons_;
};

}  // namespace rightchain::node::testing
