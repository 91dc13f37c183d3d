#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/keygen.h"
#include "cli/load.h"
#include "cli/network.h"
#include "cli/process.h"
#include "cli/status.h"
#include "crypto/private_key.h"
#include "http/server.h"
#include "node/genesis_file.h"
#include "pki/private_key.h"
#include "pki/verify.h"

namespace rightchain::cli {
namespace {

namespace fs = std::filesystem;

class TempDirectory {
 public:
  TempDirectory() {
    std::string pattern = (fs::path(::testing::TempDir()) / "rightchain-cli-XXXXXX").string();
    const char* made = mkdtemp(pattern.data());
    RC_ASSERT(made != nullptr);
    path_ = made;
  }
  ~TempDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string ReadText(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

void WriteExecutable(const fs::path& path, const std::string& script) {
  std::ofstream(path) << script;
  fs::permissions(path, fs::perms::owner_all);
}

unsigned FileMode(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 0777;
}

class NetInitTest : public ::testing::TestWithParam<crypto::SuiteId> {};

TEST_P(NetInitTest, CreatesAConsistentNetwork) {
  TempDirectory temp;
  NetInitOptions options;
  options.directory = temp.path() / "net";
  options.suite = GetParam();
  std::ostringstream out;
  const Status status = InitNetwork(options, out);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_NE(out.str().find("node-5  observer             port 26605"), std::string::npos) << out.str();

  auto genesis = node::LoadGenesisFile(options.directory / "genesis.json");
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  EXPECT_EQ(genesis->chain_id, "rightchain-local");
  EXPECT_EQ(genesis->suite, GetParam());
  EXPECT_GT(genesis->genesis_time_milliseconds, 0);
  EXPECT_EQ(genesis->parameters.target_block_interval_milliseconds, 1000u);
  EXPECT_FALSE(genesis->parameters.create_empty_blocks);
  EXPECT_EQ(genesis->parameters.heartbeat_interval_milliseconds, 2000u);
  ASSERT_EQ(genesis->members.size(), 6u);
  EXPECT_EQ(genesis->members[0].role, exec::NodeRole::kRegulatorConsensus);
  for (std::size_t i = 1; i < 5; ++i) EXPECT_EQ(genesis->members[i].role, exec::NodeRole::kConsensus);
  EXPECT_EQ(genesis->members[5].role, exec::NodeRole::kObserver);
  EXPECT_EQ(genesis->members[5].voting_power, 0u);
  EXPECT_EQ(genesis->members[0].voting_power, kValidatorVotingPower);

  auto ca = pki::Certificate::LoadFile((options.directory / "ca.crt").string());
  ASSERT_TRUE(ca.ok()) << ca.status().ToString();
  EXPECT_TRUE(ca->IsCertificateAuthority());
  EXPECT_EQ(FileMode(options.directory / "ca.key"), 0600u);

  std::set<std::uint16_t> ports;
  for (std::size_t i = 0; i < 6; ++i) {
    const std::string name = "node-" + std::to_string(i);
    const fs::path node_directory = options.directory / name;
    auto config = node::LoadNodeConfig(node_directory / "node.toml");
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    EXPECT_EQ(config->name, name);
    EXPECT_EQ(genesis->members[i].name, name);
    EXPECT_EQ(config->genesis_file, options.directory / "genesis.json");
    EXPECT_EQ(config->data_directory, node_directory / "data");
    EXPECT_EQ(config->port, 26600 + i);
    EXPECT_EQ(config->api_port, 8600 + i);
    EXPECT_EQ(config->peers.size(), 5u);
    for (const auto& peer : config->peers) EXPECT_NE(peer.port, config->port);
    EXPECT_EQ(config->listen_addresses, (std::vector<std::string>{"127.0.0.1", "::1"}));
    ports.insert(config->port);
    ports.insert(config->api_port);

    // The transport certificate chains to the CA, names the member, and matches its key.
    auto certificate = pki::Certificate::LoadFile(config->transport_certificate_file.string());
    ASSERT_TRUE(certificate.ok()) << certificate.status().ToString();
    EXPECT_TRUE(pki::VerifyCertificate(*certificate, *ca).ok());
    EXPECT_EQ(certificate->SubjectCommonName(), name);
    EXPECT_TRUE(certificate->AllowsTlsClientAndServer());
    auto transport_key = pki::PrivateKey::LoadFile(config->transport_key_file.string());
    ASSERT_TRUE(transport_key.ok()) << transport_key.status().ToString();
    EXPECT_TRUE(transport_key->CheckMatches(*certificate).ok());
    EXPECT_EQ(FileMode(config->transport_key_file), 0600u);

    // The consensus key loads with its passphrase and is the genesis member's key.
    auto passphrase = ReadPassphraseFile(config->consensus_key_passphrase_file);
    ASSERT_TRUE(passphrase.ok()) << passphrase.status().ToString();
    EXPECT_EQ(FileMode(config->consensus_key_passphrase_file), 0600u);
    EXPECT_EQ(FileMode(config->consensus_key_file), 0600u);
    const std::string pem = ReadText(config->consensus_key_file);
    EXPECT_NE(pem.find("ENCRYPTED PRIVATE KEY"), std::string::npos);
    auto key = crypto::PrivateKey::FromPem(pem, *passphrase);
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    EXPECT_EQ(key->scheme(), crypto::GetSuite(GetParam()).signature);
    const ByteView raw = key->public_key().raw();
    EXPECT_EQ(Bytes(raw.begin(), raw.end()), genesis->members[i].consensus_public_key);
    EXPECT_FALSE(crypto::PrivateKey::FromPem(pem, "wrong passphrase").ok());
  }
  EXPECT_EQ(ports.size(), 12u);

  // What net up / status read back.
  auto nodes = LoadNetwork(options.directory);
  ASSERT_TRUE(nodes.ok()) << nodes.status().ToString();
  ASSERT_EQ(nodes->size(), 6u);
  EXPECT_EQ((*nodes)[0].role, exec::NodeRole::kRegulatorConsensus);
  EXPECT_EQ((*nodes)[5].role, exec::NodeRole::kObserver);
  EXPECT_EQ((*nodes)[3].api_url, "http://127.0.0.1:8603");
}

INSTANTIATE_TEST_SUITE_P(Suites, NetInitTest, ::testing::Values(crypto::SuiteId::kSm, crypto::SuiteId::kStd),
                         [](const auto& suite_info) {
                           return std::string(crypto::SuiteName(suite_info.param));
                         });

TEST(NetInitOptionsTest, HonoursCountsPortsAndChainId) {
  TempDirectory temp;
  NetInitOptions options;
  options.directory = temp.path();  // exists and is empty: accepted
  options.validators = 4;
  options.observers = 0;
  options.suite = crypto::SuiteId::kStd;
  options.chain_id = "test-chain";
  options.base_port = 30000;
  options.api_base_port = 31000;
  options.block_interval_milliseconds = 500;
  std::ostringstream out;
  ASSERT_TRUE(InitNetwork(options, out).ok());
  auto genesis = node::LoadGenesisFile(temp.path() / "genesis.json");
  ASSERT_TRUE(genesis.ok());
  EXPECT_EQ(genesis->chain_id, "test-chain");
  EXPECT_EQ(genesis->members.size(), 4u);
  EXPECT_EQ(genesis->parameters.target_block_interval_milliseconds, 500u);
  auto config = node::LoadNodeConfig(temp.path() / "node-3" / "node.toml");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->port, 30003);
  EXPECT_EQ(config->api_port, 31003);
  EXPECT_FALSE(fs::exists(temp.path() / "node-4"));
}

TEST(NetInitOptionsTest, RejectsBadOptions) {
  NetInitOptions options;
  options.directory = "unused";
  EXPECT_TRUE(ValidateNetInitOptions(options).ok());
  const auto rejects = [](NetInitOptions bad, std::string_view expected) {
    const Status status = ValidateNetInitOptions(bad);
    EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument) << expected;
    EXPECT_NE(status.message().find(expected), std::string::npos) << status.message();
  };
  NetInitOptions bad = options;
  bad.validators = 0;
  rejects(bad, "--validators");
  bad = options;
  bad.validators = 60;
  bad.observers = 5;
  rejects(bad, "at most 64");
  bad = options;
  bad.base_port = 65533;
  rejects(bad, "--base-port");
  bad = options;
  bad.api_base_port = 26603;
  rejects(bad, "overlap");
  bad = options;
  bad.chain_id = "Upper Case";
  rejects(bad, "--chain-id");
  bad = options;
  bad.block_interval_milliseconds = 50;
  rejects(bad, "--block-interval-ms");
}

TEST(NetInitTest, RefusesNonEmptyDirectoryUnlessForced) {
  TempDirectory temp;
  std::ofstream(temp.path() / "something") << "x";
  NetInitOptions options;
  options.directory = temp.path();
  options.validators = 1;
  options.observers = 0;
  std::ostringstream out;
  const Status refused = InitNetwork(options, out);
  EXPECT_EQ(refused.code(), ErrorCode::kAlreadyExists);
  EXPECT_NE(refused.message().find("--force"), std::string::npos);
  EXPECT_FALSE(fs::exists(temp.path() / "genesis.json"));

  options.force = true;
  ASSERT_TRUE(InitNetwork(options, out).ok());
  const std::string first_genesis = ReadText(temp.path() / "genesis.json");
  // A second forced init replaces the network (new keys) and drops node folders it no longer has.
  fs::create_directories(temp.path() / "node-7");
  ASSERT_TRUE(InitNetwork(options, out).ok());
  EXPECT_NE(ReadText(temp.path() / "genesis.json"), first_genesis);
  EXPECT_FALSE(fs::exists(temp.path() / "node-7"));
  EXPECT_TRUE(fs::exists(temp.path() / "something"));  // files net init does not own are kept
}

TEST(KeygenTest, RoundTripWithGeneratedAndGivenPassphrase) {
  TempDirectory temp;
  for (const crypto::SuiteId suite : {crypto::SuiteId::kSm, crypto::SuiteId::kStd}) {
    KeygenOptions options;
    options.suite = suite;
    options.out = temp.path() / (std::string(crypto::SuiteName(suite)) + ".pem");
    std::ostringstream out;
    ASSERT_TRUE(Keygen(options, out).ok());
    const fs::path pass = options.out.string() + ".pass";
    EXPECT_EQ(FileMode(pass), 0600u);
    EXPECT_EQ(FileMode(options.out), 0600u);
    auto passphrase = ReadPassphraseFile(pass);
    ASSERT_TRUE(passphrase.ok());
    auto key = crypto::PrivateKey::FromPem(ReadText(options.out), *passphrase);
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    EXPECT_EQ(key->scheme(), crypto::GetSuite(suite).signature);
    auto public_key = crypto::PublicKey::FromPem(ReadText(options.out.string() + ".pub"));
    ASSERT_TRUE(public_key.ok()) << public_key.status().ToString();
    EXPECT_EQ(*public_key, key->public_key());
    EXPECT_NE(out.str().find(HexEncode(key->public_key().raw())), std::string::npos) << out.str();
    EXPECT_NE(out.str().find(HexEncode(key->public_key().key_id())), std::string::npos) << out.str();

    // Never overwrites.
    EXPECT_EQ(Keygen(options, out).code(), ErrorCode::kAlreadyExists);
  }

  std::ofstream(temp.path() / "given.pass") << "correct horse battery staple\n";
  KeygenOptions options;
  options.suite = crypto::SuiteId::kStd;
  options.out = temp.path() / "given.pem";
  options.passphrase_file = temp.path() / "given.pass";
  std::ostringstream out;
  ASSERT_TRUE(Keygen(options, out).ok());
  EXPECT_FALSE(fs::exists(temp.path() / "given.pem.pass"));
  EXPECT_TRUE(crypto::PrivateKey::FromPem(ReadText(options.out), "correct horse battery staple").ok());

  std::ofstream(temp.path() / "empty.pass") << "\n";
  options.out = temp.path() / "other.pem";
  options.passphrase_file = temp.path() / "empty.pass";
  EXPECT_EQ(Keygen(options, out).code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(options.out));
}

constexpr std::string_view kCannedStatus =
    R"({"chain_id":"rightchain-local","node":"node-0","role":"regulator-consensus","height":12,)"
    R"("block_hash":"0123456789abcdef0123456789abcdef","log_size":7,"log_root":"fedcba9876543210fedcba9876543210",)"
    R"("peers_connected":1,"validators":2})";

std::unique_ptr<http::Server> StartCannedNode() {
  http::Router router;
  router.Add("GET", "/v1/status", [](const http::Request&) {
    http::Response response;
    response.body = std::string(kCannedStatus);
    return response;
  });
  auto server = http::Server::Start({}, std::move(router));
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  return server.ok() ? std::move(server).value() : nullptr;
}

// A network of `validators` nodes whose node-0 API port is `api_base_port`.
void InitSmallNetwork(const fs::path& directory, std::size_t validators, std::uint16_t api_base_port) {
  NetInitOptions options;
  options.directory = directory;
  options.validators = validators;
  options.observers = 0;
  options.suite = crypto::SuiteId::kStd;
  // Transport ports away from the API ports (which may be any port the system picked).
  options.base_port = api_base_port >= 30000 ? 20000 : 40000;
  options.api_base_port = api_base_port;
  std::ostringstream out;
  const Status status = InitNetwork(options, out);
  ASSERT_TRUE(status.ok()) << status.ToString();
}

TEST(StatusTest, ReportsLiveNodesAndMarksOthersDown) {
  TempDirectory temp;
  const auto server = StartCannedNode();
  ASSERT_NE(server, nullptr);
  ASSERT_NO_FATAL_FAILURE(InitSmallNetwork(temp.path(), 2, server->port()));
  // node-1's API port is the next one; make sure nothing answers there.
  auto nodes = LoadNetwork(temp.path());
  ASSERT_TRUE(nodes.ok()) << nodes.status().ToString();
  (*nodes)[1].api_url = "http://127.0.0.1:1";

  const std::vector<NodeReport> reports = CollectStatus(*nodes);
  ASSERT_EQ(reports.size(), 2u);
  ASSERT_TRUE(reports[0].status.has_value()) << reports[0].error;
  EXPECT_EQ(reports[0].status->height, 12u);
  EXPECT_FALSE(reports[1].status.has_value());
  EXPECT_NE(reports[1].error.find("127.0.0.1:1"), std::string::npos) << reports[1].error;

  std::ostringstream table;
  PrintStatusTable(reports, table);
  EXPECT_NE(table.str().find("node-0  regulator-consensus  12"), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("0123456789abcdef "), std::string::npos) << table.str();
  EXPECT_NE(table.str().find("down"), std::string::npos) << table.str();

  std::ostringstream json;
  PrintStatusJson(reports, json);
  EXPECT_NE(json.str().find("\"height\": 12"), std::string::npos) << json.str();
  EXPECT_NE(json.str().find("\"up\": false"), std::string::npos) << json.str();
  EXPECT_NE(json.str().find("\"block_hash\": \"0123456789abcdef0123456789abcdef\""), std::string::npos);
}

TEST(StatusTest, PeerTablesShowRoleHeightLastSeenAndRoundTrip) {
  NodeReport report;
  report.name = "node-0";
  report.status = client::NodeStatus{};
  client::PeerInfo peer;
  peer.name = "node-1";
  peer.role = "consensus";
  peer.connected = true;
  peer.height = 41;
  peer.last_seen_ms = 1'000'000;
  peer.rtt_us = 250;
  report.peers.push_back(peer);
  client::PeerInfo never;
  never.address = "127.0.0.1:26602";
  report.peers.push_back(never);
  std::ostringstream out;
  PrintPeerTables({report}, 1'001'500, out);
  EXPECT_NE(out.str().find("node-0 peers:"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("node-1    consensus            41       yes        1.5 s ago  0.25 ms"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("never"), std::string::npos) << out.str();
  std::ostringstream json;
  PrintStatusJson({report}, json);
  EXPECT_NE(json.str().find("\"height\": 41"), std::string::npos) << json.str();
  EXPECT_NE(json.str().find("\"rtt_us\": 250"), std::string::npos) << json.str();
}

TEST(NetUpTest, ReportsANodeThatExitsWithItsLog) {
  TempDirectory temp;
  ASSERT_NO_FATAL_FAILURE(InitSmallNetwork(temp.path() / "net", 1, 41000));
  const fs::path daemon = temp.path() / "rightchaind";
  WriteExecutable(daemon, "#!/bin/sh\necho \"config error: bad thing in $2\"\nexit 3\n");
  NetUpOptions options;
  options.directory = temp.path() / "net";
  options.rightchaind = daemon.string();
  options.timeout_seconds = 30;
  std::ostringstream out;
  const Status status = NetUp(options, out);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("node-0 exited with status 3"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("config error: bad thing in"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("node-0/node.toml"), std::string::npos) << status.message();
  EXPECT_FALSE(RunningNodePid(options.directory / "node-0").has_value());
}

TEST(NetUpTest, StartsWaitsForBlocksAndNetDownStops) {
  TempDirectory temp;
  const auto server = StartCannedNode();  // stands in for node-0's API
  ASSERT_NE(server, nullptr);
  ASSERT_NO_FATAL_FAILURE(InitSmallNetwork(temp.path() / "net", 1, server->port()));
  const fs::path daemon = temp.path() / "rightchaind";
  WriteExecutable(daemon, "#!/bin/sh\nsleep 300\n");
  NetUpOptions options;
  options.directory = temp.path() / "net";
  options.rightchaind = daemon.string();
  options.timeout_seconds = 30;
  std::ostringstream out;
  const Status status = NetUp(options, out);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_NE(out.str().find("started node-0"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("node-0  regulator-consensus  http://127.0.0.1:" + std::to_string(server->port())),
            std::string::npos)
      << out.str();
  const auto pid = RunningNodePid(options.directory / "node-0");
  ASSERT_TRUE(pid.has_value());

  // A second net up starts nothing new.
  std::ostringstream again;
  ASSERT_TRUE(NetUp(options, again).ok());
  EXPECT_NE(again.str().find("node-0 already running"), std::string::npos) << again.str();

  std::ostringstream down;
  ASSERT_TRUE(NetDown(options.directory, down).ok());
  EXPECT_NE(down.str().find("stopped node-0 (pid " + std::to_string(*pid)), std::string::npos) << down.str();
  EXPECT_FALSE(RunningNodePid(options.directory / "node-0").has_value());
  EXPECT_FALSE(fs::exists(options.directory / "node-0" / "rightchaind.pid"));
  std::ostringstream idle;
  ASSERT_TRUE(NetDown(options.directory, idle).ok());
  EXPECT_NE(idle.str().find("node-0 was not running"), std::string::npos);
}

TEST(NetUpTest, TimesOutNamingTheSilentNodes) {
  TempDirectory temp;
  ASSERT_NO_FATAL_FAILURE(InitSmallNetwork(temp.path() / "net", 2, 41100));
  const fs::path daemon = temp.path() / "rightchaind";
  WriteExecutable(daemon, "#!/bin/sh\necho waiting for peers\nsleep 300\n");
  NetUpOptions options;
  options.directory = temp.path() / "net";
  options.rightchaind = daemon.string();
  options.timeout_seconds = 1;
  std::ostringstream out;
  const Status status = NetUp(options, out);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("timed out"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("node-0:"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("node-1:"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("waiting for peers"), std::string::npos) << status.message();
  std::ostringstream down;
  ASSERT_TRUE(NetDown(options.directory, down).ok());
  EXPECT_NE(down.str().find("stopped node-1"), std::string::npos) << down.str();
}

TEST(NetUpTest, BadConfigurationIsAClearError) {
  TempDirectory temp;
  ASSERT_NO_FATAL_FAILURE(InitSmallNetwork(temp.path(), 1, 41200));
  std::ofstream(temp.path() / "node-0" / "node.toml", std::ios::app) << "[surprise]\nkey = 1\n";
  const auto nodes = LoadNetwork(temp.path());
  ASSERT_FALSE(nodes.ok());
  EXPECT_NE(nodes.status().message().find("node-0/node.toml"), std::string::npos) << nodes.status().message();
  EXPECT_NE(nodes.status().message().find("surprise"), std::string::npos) << nodes.status().message();

  TempDirectory empty;
  const auto none = LoadNetwork(empty.path());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("net init"), std::string::npos);
  NetUpOptions options;
  options.directory = temp.path();
  options.rightchaind = (temp.path() / "missing").string();
  std::ostringstream out;
  EXPECT_EQ(FindRightchaind(options.rightchaind).status().code(), ErrorCode::kNotFound);
}

// The binary: exit codes and the "rightchain: " prefix.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

TEST(LoadOptionsTest, RejectsBadOptions) {
  LoadOptions options;
  options.directory = "net";
  EXPECT_TRUE(ValidateLoadOptions(options).ok());
  LoadOptions bad = options;
  bad.rate_per_second = 0;
  EXPECT_FALSE(ValidateLoadOptions(bad).ok());
  bad = options;
  bad.seconds = 0;
  EXPECT_FALSE(ValidateLoadOptions(bad).ok());
  bad = options;
  bad.rate_per_second = kMaxLoadRatePerSecond;
  bad.seconds = 11;  // over kMaxLoadTransactions in all
  EXPECT_EQ(ValidateLoadOptions(bad).code(), ErrorCode::kInvalidArgument);
  bad = options;
  bad.accounts = 0;
  EXPECT_FALSE(ValidateLoadOptions(bad).ok());
  bad = options;
  bad.submitters = kMaxLoadSubmitters + 1;
  EXPECT_FALSE(ValidateLoadOptions(bad).ok());
  bad = options;
  bad.expiry_heights = 0;
  EXPECT_FALSE(ValidateLoadOptions(bad).ok());
  bad = options;
  bad.batch_size = 0;
  EXPECT_FALSE(ValidateLoadOptions(bad).ok());
  bad.batch_size = 1001;  // the node takes at most 1,000 per batch
  EXPECT_FALSE(ValidateLoadOptions(bad).ok());
  bad.batch_size = 1000;
  EXPECT_TRUE(ValidateLoadOptions(bad).ok());
}

TEST(LoadReportTest, PrintsEveryOutcomeAndPercentiles) {
  LoadReport report;
  report.submitted = 10;
  report.committed = 7;
  report.rejected = 2;
  report.rejection_reasons["HTTP 429 mempool_full"] = 2;
  report.lost = 1;
  report.latency_p50_milliseconds = 500;
  report.latency_p99_milliseconds = 900;
  std::ostringstream text;
  PrintLoadReport(report, text);
  EXPECT_NE(text.str().find("committed  7"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("HTTP 429 mempool_full: 2"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("lost       1"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("p50 500.0 ms"), std::string::npos) << text.str();
  std::ostringstream json;
  PrintLoadReportJson(report, json);
  EXPECT_NE(json.str().find("\"p99\": 900"), std::string::npos) << json.str();
  EXPECT_NE(json.str().find("\"rejected\": 2"), std::string::npos) << json.str();
}

RunResult RunCli(const std::string& arguments, const fs::path& scratch) {
  const fs::path out = scratch / "stdout.txt";
  const fs::path err = scratch / "stderr.txt";
  const std::string command =
      std::string(RIGHTCHAIN_CLI_BINARY) + " " + arguments + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(command.c_str());
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadText(out);
  result.err = ReadText(err);
  return result;
}

TEST(CliBinaryTest, ExitCodesAndMessages) {
  TempDirectory temp;
  const std::string net = (temp.path() / "net").string();
  RunResult result = RunCli("", temp.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err.rfind("rightchain: ", 0), 0u) << result.err;

  result = RunCli("net init --dir " + net + " --suite rsa", temp.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("rightchain: --suite must be sm or std"), std::string::npos) << result.err;

  result = RunCli("net init --dir " + net + " --suite std --validators 0", temp.path());
  EXPECT_EQ(result.exit_code, 2);
  result = RunCli("net init --dir " + net + " --suite std --base-port 70000", temp.path());
  EXPECT_EQ(result.exit_code, 2);

  result = RunCli("net init --dir " + net +
                      " --suite std --validators 2 --observers 0 --base-port 42000 "
                      "--api-base-port 42100",
                  temp.path());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("node-1"), std::string::npos);

  result = RunCli("net init --dir " + net + " --suite std", temp.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("rightchain: directory"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("not empty"), std::string::npos) << result.err;

  result = RunCli("status --dir " + net + " --json", temp.path());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("\"up\": false"), std::string::npos) << result.out;

  result = RunCli("status --dir " + (temp.path() / "nothing").string(), temp.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("does not exist"), std::string::npos) << result.err;

  result = RunCli("load --dir " + net + " --rate 0 --seconds 1", temp.path());
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--rate must be between"), std::string::npos) << result.err;
  result = RunCli("load --dir " + net + " --rate 10 --seconds 1", temp.path());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("no node answers"), std::string::npos) << result.err;

  result = RunCli("keygen --suite sm --out " + (temp.path() / "k.pem").string(), temp.path());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("key id:"), std::string::npos);
  result = RunCli("keygen --suite sm --out " + (temp.path() / "k.pem").string(), temp.path());
  EXPECT_EQ(result.exit_code, 1);
}

// `verify --genesis-hash` pins the genesis a certificate prints: the golden std bundle verifies
// with its trust file and that trust file's genesis hash, and any other hash refuses the trust
// file before the bundle is looked at (a trust file is self-certifying: it cannot vouch for
// itself being the consortium's). The golden files are src/proofs/testdata's.
TEST(CliBinaryTest, VerifyPinsTheGenesisHash) {
  TempDirectory temp;
  const fs::path testdata = fs::path(RIGHTCHAIN_SOURCE_DIR) / "src/proofs/testdata";
  const std::string verify = "verify --bundle " + (testdata / "work.bundle.std.json").string() + " --trust " +
                             (testdata / "trust.std.json").string() + " --file " +
                             (testdata / "poem.txt").string();
  const std::string genesis_hash =
      nlohmann::json::parse(ReadText(testdata / "trust.std.json"))["genesis_hash"].get<std::string>();
  RunResult result = RunCli(verify + " --genesis-hash " + genesis_hash, temp.path());
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("genesis " + genesis_hash), std::string::npos) << result.out;

  std::string other = genesis_hash;
  other[0] = other[0] == '0' ? '1' : '0';
  result = RunCli(verify + " --genesis-hash " + other, temp.path());
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("NOT VERIFIED: genesis_hash"), std::string::npos) << result.out;
  result = RunCli(verify + " --genesis-hash 1234", temp.path());
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("--genesis-hash must be 64 hex digits"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace rightchain::cli
