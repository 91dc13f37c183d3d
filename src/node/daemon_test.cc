// Four daemons in one process, talking mutual TLS over loopback and serving the HTTP API: the
// same parts as four rightchaind processes, without the process boundaries.
#include "node/daemon.h"
#include "base/file.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "crypto/private_key.h"
#include "exec/exec_test_util.h"
#include "node/genesis_file.h"
#include "node/node_core.h"
#include "node/testing/daemon_cluster.h"
#include "pki/authority.h"

namespace rightchain::node {
namespace {

using Json = nlohmann::json;

using testing::HttpExchange;

class DaemonClusterTest : public ::testing::Test {
 protected:
  static constexpr int kNodes = 4;

  void SetUp() override {
    char pattern[] = "/tmp/rightchain-daemons-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    directory_ = pattern;
    auto created = pki::CertificateAuthority::Create("Test Consortium CA", 30);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    authority_.emplace(std::move(created).value());
    const auto& authority = authority_;
    ASSERT_TRUE(authority->certificate().SaveFile((directory_ / "ca.crt").string()).ok());
    // The network's CRL, empty (CRL number 1): a node does not start without one.
    auto empty_list = authority->IssueRevocationList({}, 30);
    ASSERT_TRUE(empty_list.ok()) << empty_list.status().ToString();
    ASSERT_TRUE(empty_list->SaveFile((directory_ / "ca.crl").string()).ok());

    exec::Genesis genesis;
    genesis.chain_id = "daemon-test";
    genesis.suite = crypto::SuiteId::kStd;
    genesis.genesis_time_milliseconds = 1'000;
    genesis.parameters.target_block_interval_milliseconds = 200;
    genesis.parameters.heartbeat_interval_milliseconds = 1000;
    for (int i = 0; i < kNodes; ++i) {
      auto key = crypto::PrivateKey::Generate(crypto::SignatureScheme::kEd25519);
      ASSERT_TRUE(key.ok());
      exec::GenesisMember member;
      member.name = "node-" + std::to_string(i);
      member.role = i == 0 ? exec::NodeRole::kRegulatorConsensus : exec::NodeRole::kConsensus;
      const ByteView raw = key->public_key().raw();
      member.consensus_public_key.assign(raw.begin(), raw.end());
      member.voting_power = 10;
      genesis.members.push_back(member);

      const std::filesystem::path node_directory = directory_ / member.name;
      std::filesystem::create_directories(node_directory);
      ASSERT_TRUE(WriteFile(node_directory / "consensus-key.pass", "secret\n", 0600).ok());
      ASSERT_TRUE(WriteFile(node_directory / "consensus-key.pem", *key->ToPem("secret"), 0600).ok());
      auto issued = authority->IssueWithNewKey(pki::NodeCertificateProfile(member.name, 30));
      ASSERT_TRUE(issued.ok()) << issued.status().ToString();
      ASSERT_TRUE(issued->certificate.SaveFile((node_directory / "transport.crt").string()).ok());
      ASSERT_TRUE(issued->private_key.SaveFile((node_directory / "transport.key").string()).ok());
    }
    ASSERT_TRUE(WriteFile(directory_ / "genesis.json", GenesisToJson(genesis)).ok());
    // Transport ports: let the first daemon pick, then give each the next free ones it reports.
    for (int i = 0; i < kNodes; ++i) {
      NodeConfig config;
      config.name = "node-" + std::to_string(i);
      const std::filesystem::path node_directory = directory_ / config.name;
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
  }

  void TearDown() override {
    daemons_.clear();
    std::filesystem::remove_all(directory_);
  }

  // Starts every daemon; each dials the ones started before it (that is enough for a full mesh).
  void StartAll() {
    std::vector<PeerAddress> started;
    for (int i = 0; i < kNodes; ++i) {
      configs_[i].peers = started;
      auto daemon = Daemon::Start(configs_[i]);
      ASSERT_TRUE(daemon.ok()) << daemon.status().ToString();
      started.push_back({"127.0.0.1", (*daemon)->transport_port()});
      daemons_.push_back(std::move(daemon).value());
    }
  }

  Json Get(int node, const std::string& path) {
    const auto [status, body] = HttpExchange(daemons_[node]->api_port(), "GET", path);
    EXPECT_EQ(status, 200) << path << ": " << body;
    return Json::parse(body, nullptr, false);
  }

  template <typename Predicate>
  bool WaitFor(Predicate predicate, int seconds = 60) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      if (predicate()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  std::filesystem::path directory_;
  std::optional<pki::CertificateAuthority> authority_;
  std::vector<NodeConfig> configs_;
  std::vector<std::unique_ptr<Daemon>> daemons_;
};

TEST_F(DaemonClusterTest, TransactionSubmittedOverHttpCommitsOnEveryNode) {
  StartAll();
  ASSERT_TRUE(WaitFor([&] {
    for (int i = 0; i < kNodes; ++i) {
      if (Get(i, "/v1/status")["peers_connected"].get<int>() < kNodes - 1) return false;
    }
    return true;
  })) << "nodes did not connect";

  const auto key = exec::testing::MakeKey(crypto::SuiteId::kStd, 9);
  const auto transaction = exec::testing::MakeSignedTransaction(key, "daemon-test", 1, 1000);
  const Bytes encoded = codec::EncodeSignedTransaction(transaction);
  const auto [status, body] = HttpExchange(daemons_[2]->api_port(), "POST", "/v1/transactions",
                                           std::string(encoded.begin(), encoded.end()));
  ASSERT_EQ(status, 202) << body;
  const std::string id = Json::parse(body)["id"].get<std::string>();

  ASSERT_TRUE(WaitFor([&] {
    for (int i = 0; i < kNodes; ++i) {
      if (Get(i, "/v1/transactions/" + id)["status"] != "committed") return false;
    }
    return true;
  })) << "not committed everywhere";
  const Json committed = Get(0, "/v1/transactions/" + id);
  EXPECT_EQ(committed["receipt"]["status"], "ok");
  const std::uint64_t height = committed["height"].get<std::uint64_t>();
  const Json block = Get(0, "/v1/blocks/" + std::to_string(height));
  for (int i = 1; i < kNodes; ++i)
    EXPECT_EQ(Get(i, "/v1/blocks/" + std::to_string(height))["hash"], block["hash"]);

  // The same transaction again is refused, clearly.
  const auto [again_status, again_body] = HttpExchange(daemons_[1]->api_port(), "POST", "/v1/transactions",
                                                       std::string(encoded.begin(), encoded.end()));
  EXPECT_EQ(again_status, 409) << again_body;
  EXPECT_EQ(Json::parse(again_body)["code"], "already_committed");
  // Garbage is refused and changes nothing.
  const auto [garbage_status, garbage_body] =
      HttpExchange(daemons_[1]->api_port(), "POST", "/v1/transactions", "junk");
  EXPECT_EQ(garbage_status, 400) << garbage_body;
  EXPECT_EQ(Json::parse(garbage_body)["code"], "malformed");
  // A batch: one result per transaction, in order; the new one commits.
  const auto fresh = exec::testing::MakeSignedTransaction(key, "daemon-test", 2, 1000);
  const Bytes fresh_encoded = codec::EncodeSignedTransaction(fresh);
  Bytes forged =
      codec::EncodeSignedTransaction(exec::testing::MakeSignedTransaction(key, "daemon-test", 3, 1000));
  forged.back() ^= 1;  // the signature's last byte
  const Json batch{{"transactions", {HexEncode(encoded), HexEncode(fresh_encoded), "zz", HexEncode(forged)}}};
  const auto [batch_status, batch_body] = HttpExchange(
      daemons_[3]->api_port(), "POST", "/v1/transactions/batch", batch.dump(), "application/json");
  ASSERT_EQ(batch_status, 200) << batch_body;
  const Json results = Json::parse(batch_body)["results"];
  ASSERT_EQ(results.size(), 4u) << batch_body;
  EXPECT_EQ(results[0]["code"], "already_committed");
  EXPECT_EQ(results[1]["status"], "pending");
  EXPECT_EQ(results[2]["code"], "malformed");
  EXPECT_EQ(results[3]["code"], "bad_signature");
  const std::string fresh_id = results[1].value("id", "");
  EXPECT_TRUE(WaitFor([&] { return Get(0, "/v1/transactions/" + fresh_id)["status"] == "committed"; }));
  Json too_many{{"transactions", Json::array()}};
  for (int i = 0; i < 1001; ++i) too_many["transactions"].push_back("00");
  EXPECT_EQ(HttpExchange(daemons_[3]->api_port(), "POST", "/v1/transactions/batch", too_many.dump(),
                         "application/json")
                .first,
            400);
  // An inclusion proof is served for the transaction's leaf.
  const Json proof =
      Get(3, "/v1/log/inclusion?index=" + std::to_string(committed["log_index"].get<std::uint64_t>()));
  EXPECT_TRUE(proof.contains("proof"));
}

// Every path docs/api/openapi.yaml describes is served, and hostile requests are refused
// without harm: the document and the server cannot drift apart.
TEST_F(DaemonClusterTest, ServesEveryDocumentedPathAndRefusesHostileRequests) {
  StartAll();
  const auto document = ReadFile(std::filesystem::path(RIGHTCHAIN_SOURCE_DIR) / "docs/api/openapi.yaml");
  ASSERT_TRUE(document.ok()) << document.status().ToString();
  std::istringstream lines(*document);
  int paths = 0;
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("  /v1/") || line.back() != ':') continue;
    std::string path = line.substr(2, line.size() - 3);
    // Fill path parameters with plausible values.
    for (const auto& [parameter, value] : std::vector<std::pair<std::string, std::string>>{
             {"{id}", std::string(64, '0')}, {"{key_id}", std::string(64, '0')}, {"{height}", "latest"}}) {
      if (const std::size_t at = path.find(parameter); at != std::string::npos)
        path.replace(at, parameter.size(), value);
    }
    const std::string method =
        path == "/v1/transactions" || path == "/v1/transactions/batch" ? "POST" : "GET";
    const auto [status, body] = HttpExchange(daemons_[0]->api_port(), method, path);
    EXPECT_EQ(body.find("no such endpoint"), std::string::npos) << path << ": " << body;
    EXPECT_NE(status, 0) << path;
    ++paths;
  }
  EXPECT_GE(paths, 10);

  // Hostile requests: bad ids, bad numbers, an oversized body; the node keeps serving.
  EXPECT_EQ(HttpExchange(daemons_[0]->api_port(), "GET", "/v1/transactions/zz").first, 400);
  EXPECT_EQ(HttpExchange(daemons_[0]->api_port(), "GET", "/v1/blocks/-1").first, 400);
  EXPECT_EQ(HttpExchange(daemons_[0]->api_port(), "GET", "/v1/blocks/99999999").first, 404);
  EXPECT_EQ(HttpExchange(daemons_[0]->api_port(), "GET", "/v1/log/inclusion?index=5&size=1").first, 400);
  EXPECT_EQ(
      HttpExchange(daemons_[0]->api_port(), "POST", "/v1/transactions", std::string(3u << 20, 'x')).first,
      413);
  EXPECT_EQ(HttpExchange(daemons_[0]->api_port(), "POST", "/v1/transactions", "{\"transaction\": 5}",
                         "application/json")
                .first,
            400);
  // Record queries: malformed ids and parameters are refused; unknown ones are not found.
  EXPECT_EQ(HttpExchange(daemons_[0]->api_port(), "GET", "/v1/records/abc").first, 400);
  EXPECT_EQ(HttpExchange(daemons_[0]->api_port(), "GET", "/v1/records/99").first, 404);
  EXPECT_EQ(HttpExchange(daemons_[0]->api_port(), "GET", "/v1/records/1?item=x").first, 400);
  EXPECT_EQ(HttpExchange(daemons_[0]->api_port(), "GET", "/v1/works?content_hash=zz").first, 400);
  EXPECT_EQ(HttpExchange(daemons_[0]->api_port(), "GET", "/v1/accounts/" + std::string(64, '0')).first, 404);
  EXPECT_EQ(HttpExchange(daemons_[0]->api_port(), "GET",
                         "/v1/accounts/" + std::string(64, '0') + "/records?limit=0")
                .first,
            400);
  EXPECT_EQ(Get(0, "/v1/status")["mempool_size"], 0);
}

// The network's ca.crl beside ca.crt is watched by default: a certificate revoked while the
// nodes run is cut off by every other node, and its holder cannot reconnect.
TEST_F(DaemonClusterTest, CertificateRevokedWhileRunningIsDisconnectedAndStaysOut) {
  StartAll();
  const auto connected = [&](int node) { return Get(node, "/v1/status")["peers_connected"].get<int>(); };
  ASSERT_TRUE(WaitFor([&] {
    for (int i = 0; i < kNodes; ++i) {
      if (connected(i) < kNodes - 1) return false;
    }
    return true;
  })) << "nodes did not connect";

  auto revoked = pki::Certificate::LoadFile(configs_[3].transport_certificate_file.string());
  ASSERT_TRUE(revoked.ok());
  auto list = authority_->IssueRevocationList({revoked->SerialHex()}, 30, 2);  // after the empty list
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_TRUE(list->SaveFile((directory_ / "ca.crl").string()).ok());

  ASSERT_TRUE(WaitFor([&] {
    return connected(0) == kNodes - 2 && connected(1) == kNodes - 2 && connected(2) == kNodes - 2 &&
           connected(3) == 0;
  })) << "node-3 was not cut off";
  // It keeps redialling and being redialled, and is refused each time.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(connected(3), 0);
  for (int i = 0; i < kNodes - 1; ++i) EXPECT_EQ(connected(i), kNodes - 2) << "node-" << i;
  const Json peers = Get(0, "/v1/peers");
  for (const Json& peer : peers) {
    if (peer.value("name", "") == "node-3") {
      EXPECT_FALSE(peer.value("connected", true)) << peer.dump();
    }
  }
}

// A member that gossips transactions with forged signatures (node-3's core takes them as checked,
// as a hostile host of its own API can make it) is charged for each: every other node disconnects
// it, and its peer table counts the protocol violation against node-3 only.
TEST_F(DaemonClusterTest, AMemberGossipingForgedTransactionsIsDisconnected) {
  StartAll();
  ASSERT_TRUE(WaitFor([&] {
    for (int i = 0; i < kNodes; ++i) {
      if (Get(i, "/v1/status")["peers_connected"].get<int>() < kNodes - 1) return false;
    }
    return true;
  })) << "nodes did not connect";
  const auto key = exec::testing::MakeKey(crypto::SuiteId::kStd, 11);
  std::vector<NodeCore::VerifiedSubmission> forged;
  for (std::uint64_t nonce = 0; nonce < 30; ++nonce) {
    codec::SignedTransaction transaction =
        exec::testing::MakeSignedTransaction(key, "daemon-test", nonce, 1000);
    transaction.signature[3] ^= 1;
    forged.push_back({transaction, codec::EncodeSignedTransaction(transaction)});
  }
  daemons_[3]->PostTask([forged](NodeCore& core) mutable {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    (void)core.SubmitVerifiedTransactions(std::move(forged), now.count());
  });
  // Protocol violations node `node` counted against each peer, by name.
  const auto violations = [&](int node) {
    std::map<std::string, std::uint64_t> counted;
    for (const Json& peer : Get(node, "/v1/peers"))
      counted[peer.value("name", "")] += peer.value("protocol_violations", std::uint64_t{0});
    return counted;
  };
  ASSERT_TRUE(WaitFor([&] {
    for (int i = 0; i < kNodes - 1; ++i) {
      if (violations(i)["node-3"] == 0) return false;
    }
    return true;
  })) << "node-0 counted "
      << violations(0)["node-3"] << " violations against node-3";
  for (int i = 0; i < kNodes - 1; ++i) {
    for (const auto& [name, count] : violations(i)) {
      if (name != "node-3") {
        EXPECT_EQ(count, 0u) << "node-" << i << " against " << name;
      }
    }
  }
}

TEST_F(DaemonClusterTest, MisconfiguredNodeRefusesToStartWithAClearError) {
  NodeConfig wrong_key = configs_[0];
  wrong_key.consensus_key_file = configs_[1].consensus_key_file;
  wrong_key.consensus_key_passphrase_file = configs_[1].consensus_key_passphrase_file;
  auto refused = Daemon::Start(wrong_key);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("is not the key the chain names for"), std::string::npos)
      << refused.status().ToString();

  NodeConfig missing = configs_[0];
  missing.genesis_file = directory_ / "absent.json";
  refused = Daemon::Start(missing);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("absent.json"), std::string::npos) << refused.status().ToString();

  NodeConfig no_crl = configs_[0];
  no_crl.crl_file = directory_ / "absent.crl";
  refused = Daemon::Start(no_crl);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("absent.crl does not exist"), std::string::npos)
      << refused.status().ToString();

  // Without a configured CRL the network's ca.crl beside ca.crt is required just the same.
  NodeConfig default_crl_absent = configs_[0];
  std::filesystem::create_directories(directory_ / "elsewhere");
  std::filesystem::copy_file(directory_ / "ca.crt", directory_ / "elsewhere" / "ca.crt");
  default_crl_absent.ca_certificate_file = directory_ / "elsewhere" / "ca.crt";
  refused = Daemon::Start(default_crl_absent);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(
      refused.status().message().find((directory_ / "elsewhere" / "ca.crl").string() + " does not exist"),
      std::string::npos)
      << refused.status().ToString();

  NodeConfig mismatched = configs_[0];
  mismatched.transport_key_file = configs_[1].transport_key_file;
  refused = Daemon::Start(mismatched);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("does not match"), std::string::npos)
      << refused.status().ToString();

  auto first = Daemon::Start(configs_[0]);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  NodeConfig port_taken = configs_[1];
  port_taken.api_port = (*first)->api_port();
  refused = Daemon::Start(port_taken);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("cannot listen"), std::string::npos)
      << refused.status().ToString();
}

}  // namespace
}  // namespace rightchain::node
