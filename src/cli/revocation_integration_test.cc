// Certificate revocation against real rightchaind processes on loopback (label "integration"):
// a node does not start without the consortium's CRL, and an older CA-signed CRL written over the
// current one (an outsider with write access to the file, a stale copy restored by an operator,
// a replayed download) does not un-revoke a certificate — neither while the nodes run nor after a
// restart. Ports: the loopback slots of FreePortBase at offsets 160 and 180 (21000-25999, each
// network uses base..base+9 and base+50..base+59), which no other test uses.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "base/assert.h"
#include "cli/network.h"
#include "cli/process.h"
#include "cli/testing/consortium_processes.h"
#include "client/node_client.h"
#include "pki/authority.h"
#include "pki/revocation_list.h"

namespace rightchain::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr auto kWaitLimit = std::chrono::seconds(90);

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds limit = kWaitLimit) {
  return testing::WaitUntil(done, limit);
}

using testing::RunResult;

RunResult RunCli(const std::string& arguments, const fs::path& scratch, const std::string& tag = "cli") {
  return testing::RunCli(RIGHTCHAIN_CLI_BINARY, arguments, scratch, tag);
}

using testing::FreePortBase;
using testing::ReadText;

// How often `needle` occurs in `text` from `from` on.
std::size_t Count(const std::string& text, const std::string& needle, std::size_t from = 0) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle, from); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

class RevocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "rightchain-revocation-XXXXXX").string();
    const char* made = mkdtemp(pattern.data());
    RC_ASSERT(made != nullptr);
    scratch_ = made;
    network_ = scratch_ / "net";
  }
  void TearDown() override {
    std::ostringstream ignored;
    (void)NetDown(network_, ignored);
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    if (!HasFailure()) {
      std::error_code error;
      fs::remove_all(scratch_, error);
    } else {
      std::cerr << "network folder (with node.log files) kept in " << scratch_ << "\n";
    }
  }

  void InitNetwork(std::size_t validators, std::size_t observers, std::uint16_t port_offset) {
    const std::uint16_t base_port = FreePortBase(port_offset);
    NetInitOptions init;
    init.directory = network_;
    init.suite = crypto::SuiteId::kStd;
    init.validators = validators;
    init.observers = observers;
    init.base_port = base_port;
    init.api_base_port = static_cast<std::uint16_t>(base_port + 50);
    init.block_interval_milliseconds = 500;
    std::ostringstream out;
    const Status initialized = cli::InitNetwork(init, out);
    ASSERT_TRUE(initialized.ok()) << initialized.ToString();
  }

  Status Up() {
    NetUpOptions options;
    options.directory = network_;
    options.rightchaind = RIGHTCHAIN_DAEMON_BINARY;
    options.timeout_seconds = 90;
    std::ostringstream out;
    return NetUp(options, out);
  }

  std::vector<NetworkNode> Nodes() const {
    Result<std::vector<NetworkNode>> nodes = LoadNetwork(network_);
    EXPECT_TRUE(nodes.ok()) << nodes.status().ToString();
    return nodes.ok() ? std::move(nodes).value() : std::vector<NetworkNode>{};
  }

  // The names of the peers `node` reports connected; nothing when its API does not answer.
  static std::optional<std::set<std::string>> ConnectedPeers(const NetworkNode& node) {
    client::HttpRequestOptions options;
    options.timeout_milliseconds = 2000;
    const auto peers = client::NodeClient(node.api_url, options).GetPeers();
    if (!peers.ok()) return std::nullopt;
    std::set<std::string> connected;
    for (const client::PeerInfo& peer : *peers) {
      if (peer.connected) connected.insert(peer.name);
    }
    return connected;
  }

  // A CRL signed by the network's own CA that revokes nothing: an old list, numbered `number`.
  pki::RevocationList OlderCaSignedList(std::uint64_t number) const {
    Result<pki::CertificateAuthority> authority =
        pki::CertificateAuthority::LoadFiles((network_ / "ca.crt").string(), (network_ / "ca.key").string());
    RC_ASSERT_MSG(authority.ok(), authority.status().ToString());
    Result<pki::RevocationList> list =
        authority->IssueRevocationList({}, kRevocationListValidityDays, number);
    RC_ASSERT_MSG(list.ok(), list.status().ToString());
    return std::move(list).value();
  }

  fs::path scratch_;
  fs::path network_;
};

// The CA revokes the observer's certificate and every node cuts it off. Then an older list signed
// by the same CA, one that does not list the observer, replaces ca.crl. Each node refuses it and
// says why; the observer stays cut off, and a validator restarted with the older file still keeps
// the newer list in force.
TEST_F(RevocationTest, AnOlderCaSignedListDoesNotUnrevokeACertificate) {
  InitNetwork(3, 1, 160);
  const Status up = Up();
  ASSERT_TRUE(up.ok()) << up.ToString();
  const std::vector<NetworkNode> nodes = Nodes();
  ASSERT_EQ(nodes.size(), 4u);
  const NetworkNode& observer = nodes[3];
  const std::vector<NetworkNode> validators(nodes.begin(), nodes.begin() + 3);
  const auto connected_to_observer = [&](const NetworkNode& node) {
    const auto peers = ConnectedPeers(node);
    return !peers.has_value() || peers->count(observer.name) > 0;
  };
  ASSERT_TRUE(WaitUntil([&] {
    for (const NetworkNode& node : validators) {
      if (!connected_to_observer(node)) return false;
    }
    return true;
  })) << "the validators did not connect to the observer";

  const RunResult revoked =
      RunCli("ca revoke --dir " + network_.string() + " --name " + observer.name, scratch_);
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  ASSERT_TRUE(WaitUntil([&] {
    for (const NetworkNode& node : validators) {
      if (connected_to_observer(node)) return false;
    }
    return true;
  })) << "the observer was not cut off";

  // The rollback: a CA-signed list with a lower CRL number, without the observer.
  Result<pki::RevocationList> current = pki::RevocationList::LoadFile((network_ / "ca.crl").string());
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  ASSERT_TRUE(current->Number().has_value());
  std::vector<std::size_t> log_offsets;
  for (const NetworkNode& node : validators)
    log_offsets.push_back(ReadText(node.directory / "node.log").size());
  ASSERT_TRUE(OlderCaSignedList(*current->Number() - 1).SaveFile((network_ / "ca.crl").string()).ok());

  // Each validator reads the file (refusing or, before the fix, reloading it); after that, a
  // connection with the observer is either refused again or, before the fix, made.
  for (std::size_t i = 0; i < validators.size(); ++i) {
    const fs::path log_file = validators[i].directory / "node.log";
    std::size_t decided_at = std::string::npos;
    ASSERT_TRUE(WaitUntil([&] {
      const std::string log = ReadText(log_file);
      const std::size_t refused = log.find("refused, the previous one stays in force", log_offsets[i]);
      const std::size_t reloaded = log.find(" reloaded: CRL number", log_offsets[i]);
      decided_at = std::min(refused, reloaded);
      return decided_at != std::string::npos;
    })) << validators[i].name
        << " did not look at the new ca.crl";
    ASSERT_TRUE(WaitUntil([&] {
      const std::string log = ReadText(log_file);
      return Count(log, "certificate revoked", decided_at) > 0 || connected_to_observer(validators[i]);
    })) << validators[i].name
        << " neither refused nor accepted the observer again";
    const std::string log = ReadText(log_file).substr(log_offsets[i]);
    EXPECT_NE(log.find("not higher than"), std::string::npos) << validators[i].name << " log:\n" << log;
    EXPECT_EQ(log.find(" reloaded: CRL number"), std::string::npos) << validators[i].name << " log:\n" << log;
    EXPECT_FALSE(connected_to_observer(validators[i]))
        << validators[i].name << " accepted the observer again after an older CRL was written";
  }

  // A restart with the older file in place: the list the node accepted before stays in force.
  const NetworkNode& restarted = validators[1];
  const std::optional<int> pid = RunningNodePid(restarted.directory);
  ASSERT_TRUE(pid.has_value());
  ASSERT_EQ(kill(*pid, SIGKILL), 0);
  waitpid(*pid, nullptr, 0);
  std::error_code ignored;
  fs::remove(restarted.directory / "rightchaind.pid", ignored);
  const std::size_t restart_offset = ReadText(restarted.directory / "node.log").size();
  ASSERT_TRUE(StartNode(RIGHTCHAIN_DAEMON_BINARY, restarted).ok());
  ASSERT_TRUE(WaitUntil([&] {
    const auto peers = ConnectedPeers(restarted);
    return peers.has_value() && peers->count(validators[0].name) > 0 && peers->count(validators[2].name) > 0;
  })) << "the restarted validator did not reconnect";
  ASSERT_TRUE(WaitUntil([&] {
    return Count(ReadText(restarted.directory / "node.log"), "certificate revoked", restart_offset) > 0 ||
           connected_to_observer(restarted);
  })) << "the restarted validator neither refused nor accepted the observer";
  const std::string log = ReadText(restarted.directory / "node.log").substr(restart_offset);
  EXPECT_NE(log.find("the kept list stays in force"), std::string::npos) << log;
  EXPECT_FALSE(connected_to_observer(restarted)) << "the restarted validator accepted the observer";
}

// Without the CRL file no revocation would be checked at all: the node refuses to start and
// names the file.
TEST_F(RevocationTest, ANodeWithoutItsCrlFileRefusesToStart) {
  InitNetwork(1, 0, 180);
  const fs::path crl_file = network_ / "ca.crl";
  EXPECT_TRUE(fs::exists(crl_file)) << "net init wrote no CRL";
  std::error_code ignored;
  fs::remove(crl_file, ignored);
  const Status up = Up();
  ASSERT_FALSE(up.ok()) << "a node started without " << crl_file.string();
  EXPECT_NE(up.message().find(crl_file.string() + " does not exist"), std::string::npos) << up.ToString();
  EXPECT_FALSE(RunningNodePid(network_ / "node-0").has_value());
}

}  // namespace
}  // namespace rightchain::cli
