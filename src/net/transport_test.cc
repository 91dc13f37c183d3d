// Real TLS on loopback: certificates are made by pki in a temporary directory at test time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "net/transport.h"
#include "pki/authority.h"

namespace rightchain::net {
namespace {

using ::testing::HasSubstr;
namespace asio = boost::asio;

// Generous: sanitizer builds on a busy two-core machine are slow. Waiting ends as soon as the
// condition holds, so the bound never slows a passing test.
constexpr auto kWaitTimeout = std::chrono::seconds(30);

class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "rightchain-net-XXXXXX").string();
    RC_ASSERT(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TemporaryDirectory() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

struct NodeCredentials {
  pki::Certificate certificate;
  pki::PrivateKey private_key;
};

// Everything a callback observed, with waiting on conditions.
class Events {
 public:
  void Attach(TransportConfig& config) {
    config.on_peer_connected = [this](const PeerIdentity& peer, Direction) {
      Record([&] { connected_.push_back(peer); });
    };
    config.on_peer_disconnected = [this](const PeerId& peer, const Status& reason) {
      Record([&] { disconnected_.emplace_back(peer, reason); });
    };
    config.on_message = [this](const PeerId& peer, ByteView payload) {
      Record([&] { messages_.emplace_back(peer, std::string(AsText(payload))); });
    };
    config.on_connection_failed = [this](const std::string& address, const Status& reason) {
      Record([&] { failures_.emplace_back(address, reason); });
    };
  }

  // Polls as well as waking on events, for conditions on the transport's own state.
  bool WaitFor(const std::function<bool()>& condition) {
    std::unique_lock lock(mutex_);
    auto deadline = std::chrono::steady_clock::now() + kWaitTimeout;
    while (!condition()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      changed_.wait_for(lock, std::chrono::milliseconds(20));
    }
    return true;
  }

  // Runs `look` with the lock held, for reading what the I/O thread records.
  void Inspect(const std::function<void()>& look) {
    std::lock_guard lock(mutex_);
    look();
  }

  // Accessors for use inside WaitFor conditions (the lock is held there) or after waiting.
  const std::vector<PeerIdentity>& connected() const { return connected_; }
  const std::vector<std::pair<PeerId, Status>>& disconnected() const { return disconnected_; }
  const std::vector<std::pair<PeerId, std::string>>& messages() const { return messages_; }
  const std::vector<std::pair<std::string, Status>>& failures() const { return failures_; }

  bool ConnectedTo(const PeerId& id) const {
    return std::any_of(connected_.begin(), connected_.end(),
                       [&](const PeerIdentity& peer) { return peer.id == id; });
  }
  bool Received(const PeerId& from, const std::string& text) const {
    return std::find(messages_.begin(), messages_.end(), std::make_pair(from, text)) != messages_.end();
  }
  bool FailedWith(const std::string& text) const {
    return std::any_of(failures_.begin(), failures_.end(), [&](const auto& failure) {
      return failure.second.message().find(text) != std::string::npos;
    });
  }
  int CountFailuresWith(const std::string& text) const {
    return static_cast<int>(std::count_if(failures_.begin(), failures_.end(), [&](const auto& failure) {
      return failure.second.message().find(text) != std::string::npos;
    }));
  }
  std::optional<Status> DisconnectReason(const PeerId& id) const {
    for (const auto& [peer, reason] : disconnected_) {
      if (peer == id) return reason;
    }
    return std::nullopt;
  }

 private:
  template <typename Change>
  void Record(Change change) {
    {
      std::lock_guard lock(mutex_);
      change();
    }
    changed_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<PeerIdentity> connected_;
  std::vector<std::pair<PeerId, Status>> disconnected_;
  std::vector<std::pair<PeerId, std::string>> messages_;
  std::vector<std::pair<std::string, Status>> failures_;
};

// A transport and what it saw. Events is declared first so it outlives the transport.
struct Node {
  Events events;
  std::unique_ptr<Transport> transport;
  const PeerId& id() const { return transport->own_id(); }
};

class TransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<pki::CertificateAuthority> authority = pki::CertificateAuthority::Create("Rightchain Test CA", 30);
    ASSERT_TRUE(authority.ok()) << authority.status().ToString();
    ASSERT_TRUE(authority->SaveFiles(directory_.File("ca.crt"), directory_.File("ca.key")).ok());
    // Nodes load the CA from its file, as the node process will.
    Result<pki::CertificateAuthority> loaded =
        pki::CertificateAuthority::LoadFiles(directory_.File("ca.crt"), directory_.File("ca.key"));
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    authority_.emplace(std::move(loaded).value());
  }

  // Issues, writes and reads back a node's certificate and PKCS#8 key.
  NodeCredentials Issue(const std::string& name, const pki::CertificateAuthority* issuer = nullptr) {
    const pki::CertificateAuthority& authority = issuer != nullptr ? *issuer : *authority_;
    Result<pki::IssuedCertificate> issued = authority.IssueWithNewKey(pki::NodeCertificateProfile(name, 30));
    RC_ASSERT_MSG(issued.ok(), issued.status().ToString());
    std::string stem = name + "-" + std::to_string(files_++);
    RC_ASSERT(issued->certificate.SaveFile(directory_.File(stem + ".crt")).ok());
    RC_ASSERT(issued->private_key.SaveFile(directory_.File(stem + ".key")).ok());
    Result<pki::Certificate> certificate = pki::Certificate::LoadFile(directory_.File(stem + ".crt"));
    Result<pki::PrivateKey> key = pki::PrivateKey::LoadFile(directory_.File(stem + ".key"));
    RC_ASSERT(certificate.ok() && key.ok());
    return NodeCredentials{std::move(certificate).value(), std::move(key).value()};
  }

  // Fast timers so that heartbeats and reconnects happen within a test; fixed jitter.
  TransportConfig Config(const NodeCredentials& credentials, std::vector<std::string> listen_addresses = {}) {
    TransportConfig config{
        .certificate = credentials.certificate,
        .private_key = credentials.private_key,
        .authority = authority_->certificate(),
    };
    config.listen_addresses = std::move(listen_addresses);
    config.handshake_timeout_milliseconds = 10'000;
    config.heartbeat_interval_milliseconds = 50;
    config.peer_silence_timeout_milliseconds = 10'000;
    config.reconnect_backoff = {.initial_delay_milliseconds = 20, .max_delay_milliseconds = 200};
    config.jitter_source = [] { return 0.5; };
    return config;
  }

  std::unique_ptr<Node> StartNode(TransportConfig config) {
    auto node = std::make_unique<Node>();
    node->events.Attach(config);
    Result<std::unique_ptr<Transport>> transport = Transport::Start(std::move(config));
    RC_ASSERT_MSG(transport.ok(), transport.status().ToString());
    node->transport = std::move(transport).value();
    return node;
  }

  // Dials `listener` from `dialer` and waits until both see the connection.
  void Connect(Node& dialer, Node& listener, const std::string& host = "127.0.0.1") {
    dialer.transport->AddPeer(host, listener.transport->listening_port());
    ASSERT_TRUE(dialer.events.WaitFor([&] { return dialer.events.ConnectedTo(listener.id()); }));
    ASSERT_TRUE(listener.events.WaitFor([&] { return listener.events.ConnectedTo(dialer.id()); }));
  }

  // `from` sends `text` to `to` (already connected) and it arrives.
  void ExpectDelivered(Node& from, Node& to, const std::string& text) {
    Status sent = from.transport->Send(to.id(), AsBytes(text));
    ASSERT_TRUE(sent.ok()) << sent.ToString();
    EXPECT_TRUE(to.events.WaitFor([&] { return to.events.Received(from.id(), text); })) << text;
  }

  TemporaryDirectory directory_;
  std::optional<pki::CertificateAuthority> authority_;
  int files_ = 0;
};

class TransportAddressTest : public TransportTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(TransportAddressTest, ExchangesMessagesBothWays) {
  const std::string host = GetParam();
  NodeCredentials credentials_a = Issue("node-a");
  NodeCredentials credentials_b = Issue("node-b");
  std::vector<std::string> hellos_seen_by_a;
  TransportConfig config_a = Config(credentials_a, {"127.0.0.1", "::1"});
  config_a.make_hello = [](const PeerIdentity& peer) {
    return ToBytes("hello " + peer.common_name + " from a");
  };
  config_a.check_hello = [&](const PeerIdentity&, ByteView hello) {
    hellos_seen_by_a.emplace_back(AsText(hello));  // the I/O thread; read after the connection is up
    return Status::Ok();
  };
  auto node_a = StartNode(std::move(config_a));
  TransportConfig config_b = Config(credentials_b);
  config_b.make_hello = [](const PeerIdentity& peer) {
    return ToBytes("hello " + peer.common_name + " from b");
  };
  auto node_b = StartNode(std::move(config_b));
  ASSERT_NE(node_a->transport->listening_port(), 0);

  Connect(*node_b, *node_a, host);
  EXPECT_EQ(node_a->id(), credentials_a.certificate.FingerprintHex());
  EXPECT_EQ(hellos_seen_by_a, std::vector<std::string>{"hello node-a from b"});
  ExpectDelivered(*node_b, *node_a, "from b to a");
  ExpectDelivered(*node_a, *node_b, "from a to b");
  node_a->events.Inspect([&] { EXPECT_EQ(node_a->events.connected().at(0).common_name, "node-b"); });

  // Heartbeats measure round-trip time; the peer table shows the live connection.
  ASSERT_TRUE(node_b->events.WaitFor([&] {
    std::vector<PeerSnapshot> peers = node_b->transport->Peers();
    return peers.size() == 1 && peers[0].round_trip_microseconds.has_value();
  }));
  std::vector<PeerSnapshot> peers_of_b = node_b->transport->Peers();
  ASSERT_EQ(peers_of_b.size(), 1u);
  EXPECT_EQ(peers_of_b[0].id, node_a->id());
  EXPECT_EQ(peers_of_b[0].common_name, "node-a");
  EXPECT_TRUE(peers_of_b[0].connected);
  EXPECT_EQ(peers_of_b[0].direction, Direction::kOutbound);
  EXPECT_GT(peers_of_b[0].bytes_sent, 0u);
  EXPECT_GT(peers_of_b[0].bytes_received, 0u);
  EXPECT_GT(peers_of_b[0].last_seen_unix_milliseconds, 0);
  std::vector<PeerSnapshot> peers_of_a = node_a->transport->Peers();
  ASSERT_EQ(peers_of_a.size(), 1u);
  EXPECT_EQ(peers_of_a[0].direction, Direction::kInbound);
  EXPECT_THAT(peers_of_a[0].address, HasSubstr(host == "::1" ? "[::1]:" : "127.0.0.1:"));
  EXPECT_EQ(node_a->transport->counters().messages_received, 1u);
  node_a->events.Inspect([&] { EXPECT_TRUE(node_a->events.failures().empty()); });
}

INSTANTIATE_TEST_SUITE_P(Loopback, TransportAddressTest, ::testing::Values("127.0.0.1", "::1"),
                         [](const auto& param_info) {
                           return std::string(param_info.param) == "::1" ? "Ipv6" : "Ipv4";
                         });

// A hand-driven TLS client with a valid member certificate that breaks the frame protocol.
class RawTlsClient {
 public:
  RawTlsClient(const NodeCredentials& credentials, const pki::Certificate& authority)
      : tls_(asio::ssl::context::tls_client) {
    SSL_CTX_set_min_proto_version(tls_.native_handle(), TLS1_3_VERSION);
    std::string certificate = credentials.certificate.ToPem();
    std::string key = credentials.private_key.ToPem();
    std::string ca = authority.ToPem();
    tls_.use_certificate(asio::buffer(certificate), asio::ssl::context::pem);
    tls_.use_private_key(asio::buffer(key), asio::ssl::context::pem);
    tls_.add_certificate_authority(asio::buffer(ca));
    tls_.set_verify_mode(asio::ssl::verify_peer);
    stream_.emplace(io_, tls_);  // after the context is complete: SSL_new copies its certificate
  }

  // In TLS 1.3 the client finishes its handshake before the server has judged its certificate.
  void Connect(std::uint16_t port) {
    boost::system::error_code error;
    stream_->lowest_layer().connect({asio::ip::make_address("127.0.0.1"), port}, error);
    if (!error) stream_->handshake(asio::ssl::stream_base::client, error);
  }
  void Write(const Bytes& bytes) {
    boost::system::error_code ignored;  // the server may already have closed
    asio::write(*stream_, asio::buffer(bytes), ignored);
  }

 private:
  asio::io_context io_;
  asio::ssl::context tls_;
  std::optional<asio::ssl::stream<asio::ip::tcp::socket>> stream_;
};

TEST_F(TransportTest, RefusesCertificateFromAnotherCa) {
  Result<pki::CertificateAuthority> other = pki::CertificateAuthority::Create("Other CA", 30);
  ASSERT_TRUE(other.ok());
  auto node_a = StartNode(Config(Issue("node-a"), {"127.0.0.1"}));
  // An attacker trusts our CA (so its side accepts us) but holds another CA's certificate.
  NodeCredentials rogue_credentials = Issue("rogue", &*other);
  RawTlsClient rogue_client(rogue_credentials, authority_->certificate());
  rogue_client.Connect(node_a->transport->listening_port());
  rogue_client.Write(EncodeFrame(FrameKind::kHello, {}));
  ASSERT_TRUE(node_a->events.WaitFor([&] { return node_a->events.FailedWith("wrong CA"); }));
  node_a->events.Inspect(
      [&] { EXPECT_EQ(node_a->events.failures().at(0).second.code(), ErrorCode::kVerificationFailed); });

  // A certificate of our CA issued for another purpose (time stamping) is no transport certificate.
  Result<pki::IssuedCertificate> time_stamping =
      authority_->IssueWithNewKey(pki::TimeStampingCertificateProfile("Rightchain TSA", 30));
  ASSERT_TRUE(time_stamping.ok());
  RawTlsClient time_stamping_client({time_stamping->certificate, time_stamping->private_key},
                                    authority_->certificate());
  time_stamping_client.Connect(node_a->transport->listening_port());
  ASSERT_TRUE(node_a->events.WaitFor([&] { return node_a->events.FailedWith("not for this purpose"); }));

  // Dialing a listener of another CA is refused from our side.
  TransportConfig rogue_config = Config(rogue_credentials, {"127.0.0.1"});
  rogue_config.authority = other->certificate();
  auto rogue = StartNode(std::move(rogue_config));
  node_a->transport->AddPeer("127.0.0.1", rogue->transport->listening_port());
  ASSERT_TRUE(node_a->events.WaitFor([&] { return node_a->events.CountFailuresWith("wrong CA") >= 2; }));

  // The listener keeps serving members.
  auto node_b = StartNode(Config(Issue("node-b")));
  Connect(*node_b, *node_a);
  ExpectDelivered(*node_b, *node_a, "still serving");
  node_a->events.Inspect([&] {
    EXPECT_FALSE(node_a->events.ConnectedTo(rogue->id()));
    EXPECT_EQ(node_a->events.messages().size(), 1u);
  });
  rogue->events.Inspect([&] { EXPECT_TRUE(rogue->events.connected().empty()); });
  EXPECT_EQ(rogue->transport->Send(node_a->id(), AsBytes("x")).code(), ErrorCode::kUnavailable);
}

TEST_F(TransportTest, RefusesRevokedCertificateAndRevokesLive) {
  NodeCredentials credentials_b = Issue("node-b");
  NodeCredentials credentials_c = Issue("node-c");
  Result<pki::RevocationList> list =
      authority_->IssueRevocationList({credentials_c.certificate.SerialHex()}, 7);
  ASSERT_TRUE(list.ok());
  TransportConfig config_a = Config(Issue("node-a"), {"127.0.0.1"});
  config_a.revocation_list = *list;
  auto node_a = StartNode(std::move(config_a));
  auto node_c = StartNode(Config(credentials_c));
  node_c->transport->AddPeer("127.0.0.1", node_a->transport->listening_port());
  ASSERT_TRUE(node_a->events.WaitFor([&] { return node_a->events.FailedWith("certificate revoked"); }));

  auto node_b = StartNode(Config(credentials_b));
  Connect(*node_b, *node_a);
  ExpectDelivered(*node_b, *node_a, "not revoked");

  // Reloading the CRL disconnects a connected peer it revokes, and refuses it afterwards.
  node_c.reset();  // from here on every refusal is node_b's
  Result<pki::RevocationList> more = authority_->Revoke(*list, credentials_b.certificate.SerialHex(), 7);
  ASSERT_TRUE(more.ok());
  int refusals_before = 0;
  node_a->events.Inspect([&] { refusals_before = node_a->events.CountFailuresWith("certificate revoked"); });
  ASSERT_TRUE(node_a->transport->UpdateRevocationList(*more).ok());
  ASSERT_TRUE(
      node_a->events.WaitFor([&] { return node_a->events.DisconnectReason(node_b->id()).has_value(); }));
  node_a->events.Inspect([&] {
    EXPECT_EQ(node_a->events.DisconnectReason(node_b->id())->code(), ErrorCode::kPermissionDenied);
  });
  // node_b redials (it keeps its peer) and is refused.
  ASSERT_TRUE(node_a->events.WaitFor(
      [&] { return node_a->events.CountFailuresWith("certificate revoked") >= refusals_before + 2; }));
  node_a->events.Inspect([&] {
    EXPECT_EQ(std::count_if(node_a->events.connected().begin(), node_a->events.connected().end(),
                            [&](const PeerIdentity& peer) { return peer.id == node_b->id(); }),
              1);
  });
  // A CRL from another CA is not accepted.
  Result<pki::CertificateAuthority> other = pki::CertificateAuthority::Create("Rightchain Test CA", 30);
  ASSERT_TRUE(other.ok());
  Result<pki::RevocationList> foreign = other->IssueRevocationList({}, 7);
  ASSERT_TRUE(foreign.ok());
  EXPECT_EQ(node_a->transport->UpdateRevocationList(*foreign).code(), ErrorCode::kVerificationFailed);

  // An older list of the same CA (number 1, without node_b) and a replay of the one in force
  // (number 2) are refused: node_b stays revoked.
  const Status older = node_a->transport->UpdateRevocationList(*list);
  EXPECT_EQ(older.code(), ErrorCode::kVerificationFailed);
  EXPECT_NE(older.message().find("CRL number 1, not higher than 2"), std::string::npos) << older.ToString();
  EXPECT_EQ(node_a->transport->UpdateRevocationList(*more).code(), ErrorCode::kVerificationFailed);
  node_a->events.Inspect([&] { refusals_before = node_a->events.CountFailuresWith("certificate revoked"); });
  ASSERT_TRUE(node_a->events.WaitFor(
      [&] { return node_a->events.CountFailuresWith("certificate revoked") >= refusals_before + 1; }));
}

TEST_F(TransportTest, RefusesNonMember) {
  NodeCredentials credentials_b = Issue("node-b");
  std::string member_id = credentials_b.certificate.FingerprintHex();
  TransportConfig config_a = Config(Issue("node-a"), {"127.0.0.1"});
  config_a.is_member = [member_id](const PeerIdentity& peer) { return peer.id == member_id; };
  auto node_a = StartNode(std::move(config_a));
  auto outsider = StartNode(Config(Issue("outsider")));
  outsider->transport->AddPeer("127.0.0.1", node_a->transport->listening_port());
  ASSERT_TRUE(
      node_a->events.WaitFor([&] { return node_a->events.FailedWith("is not a member of the chain"); }));
  node_a->events.Inspect([&] {
    EXPECT_EQ(node_a->events.failures().at(0).second.code(), ErrorCode::kPermissionDenied);
    EXPECT_THAT(node_a->events.failures().at(0).second.message(), HasSubstr("\"outsider\""));
  });

  auto node_b = StartNode(Config(credentials_b));
  Connect(*node_b, *node_a);
  ExpectDelivered(*node_b, *node_a, "member");
  outsider->events.Inspect([&] { EXPECT_TRUE(outsider->events.connected().empty()); });
  node_a->events.Inspect([&] { EXPECT_FALSE(node_a->events.ConnectedTo(outsider->id())); });
}

TEST_F(TransportTest, RefusedHelloKeepsPeerOut) {
  TransportConfig config_a = Config(Issue("node-a"), {"127.0.0.1"});
  config_a.check_hello = [](const PeerIdentity&, ByteView hello) {
    return AsText(hello) == "signed binding" ? Status::Ok() : Status::VerificationFailed("bad binding");
  };
  auto node_a = StartNode(std::move(config_a));
  auto node_b = StartNode(Config(Issue("node-b")));
  node_b->transport->AddPeer("127.0.0.1", node_a->transport->listening_port());
  ASSERT_TRUE(node_a->events.WaitFor([&] { return node_a->events.FailedWith("bad binding"); }));
  TransportConfig config_c = Config(Issue("node-c"));
  config_c.make_hello = [](const PeerIdentity&) { return ToBytes("signed binding"); };
  auto node_c = StartNode(std::move(config_c));
  Connect(*node_c, *node_a);
  node_a->events.Inspect([&] { EXPECT_FALSE(node_a->events.ConnectedTo(node_b->id())); });
}

TEST_F(TransportTest, OversizedFrameDisconnectsSenderAndReceiverKeepsWorking) {
  TransportConfig config_a = Config(Issue("node-a"), {"127.0.0.1"});
  config_a.max_frame_size_bytes = 64 * 1024;
  auto node_a = StartNode(std::move(config_a));
  auto node_b = StartNode(Config(Issue("node-b")));  // allows 4 MiB frames
  auto node_c = StartNode(Config(Issue("node-c")));
  Connect(*node_b, *node_a);
  Connect(*node_c, *node_a);

  std::string oversized(100 * 1024, 'x');
  ASSERT_TRUE(node_b->transport->Send(node_a->id(), AsBytes(oversized)).ok());
  ASSERT_TRUE(
      node_a->events.WaitFor([&] { return node_a->events.DisconnectReason(node_b->id()).has_value(); }));
  node_a->events.Inspect([&] {
    Status reason = *node_a->events.DisconnectReason(node_b->id());
    EXPECT_EQ(reason.code(), ErrorCode::kLimitExceeded);
    EXPECT_THAT(reason.message(), HasSubstr("exceeds the limit of 65536 bytes"));
    EXPECT_TRUE(node_a->events.messages().empty());
  });
  EXPECT_GE(node_a->transport->counters().protocol_violations, 1u);
  std::vector<PeerSnapshot> peers = node_a->transport->Peers();
  auto record =
      std::find_if(peers.begin(), peers.end(), [&](const auto& peer) { return peer.id == node_b->id(); });
  ASSERT_NE(record, peers.end());
  EXPECT_GE(record->protocol_violations, 1u);

  ExpectDelivered(*node_c, *node_a, "receiver keeps working");
  // The sender's own limit refuses what no peer could accept.
  EXPECT_EQ(node_c->transport->Send(node_a->id(), Bytes(5 * 1024 * 1024)).code(),
            ErrorCode::kInvalidArgument);
}

TEST_F(TransportTest, MessageTooLargeForAFrameIsCountedAndReportedForEveryPeer) {
  TransportConfig config_a = Config(Issue("node-a"), {"127.0.0.1"});
  config_a.max_frame_size_bytes = 64 * 1024;
  auto node_a = StartNode(std::move(config_a));
  auto node_b = StartNode(Config(Issue("node-b")));
  auto node_c = StartNode(Config(Issue("node-c")));
  Connect(*node_b, *node_a);
  Connect(*node_c, *node_a);

  const Bytes oversized(100 * 1024, 0x5a);
  const BroadcastResult broadcast = node_a->transport->Broadcast(oversized);
  EXPECT_EQ(broadcast.accepted, 0u);
  ASSERT_EQ(broadcast.refused.size(), 2u);
  for (const auto& [peer, reason] : broadcast.refused) {
    EXPECT_TRUE(peer == node_b->id() || peer == node_c->id()) << peer;
    EXPECT_EQ(reason.code(), ErrorCode::kInvalidArgument);
    EXPECT_THAT(reason.message(), HasSubstr("exceeds the frame limit of 65536 bytes: message dropped"));
  }
  const Status sent = node_a->transport->Send(node_b->id(), oversized);
  EXPECT_EQ(sent.code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(sent.message(), HasSubstr("message dropped"));
  // Three messages not sent, each counted against its peer.
  EXPECT_EQ(node_a->transport->counters().messages_dropped, 3u);
  for (const PeerSnapshot& peer : node_a->transport->Peers()) {
    EXPECT_EQ(peer.messages_dropped, peer.id == node_b->id() ? 2u : 1u) << peer.common_name;
  }
  // A message that fits still reaches both.
  EXPECT_EQ(node_a->transport->Broadcast(AsBytes("fits")).accepted, 2u);
  EXPECT_TRUE(node_b->events.WaitFor([&] { return node_b->events.Received(node_a->id(), "fits"); }));
  EXPECT_TRUE(node_c->events.WaitFor([&] { return node_c->events.Received(node_a->id(), "fits"); }));
}

TEST_F(TransportTest, PenalizedPeerIsDisconnectedCountedAndMayReturn) {
  auto node_a = StartNode(Config(Issue("node-a"), {"127.0.0.1"}));
  auto node_b = StartNode(Config(Issue("node-b")));
  Connect(*node_b, *node_a);

  node_a->transport->Penalize(node_b->id(), Status::PermissionDenied("too many refused messages"));
  ASSERT_TRUE(
      node_a->events.WaitFor([&] { return node_a->events.DisconnectReason(node_b->id()).has_value(); }));
  node_a->events.Inspect([&] {
    EXPECT_THAT(node_a->events.DisconnectReason(node_b->id())->message(),
                HasSubstr("too many refused messages"));
  });
  std::vector<PeerSnapshot> peers = node_a->transport->Peers();
  auto record =
      std::find_if(peers.begin(), peers.end(), [&](const auto& peer) { return peer.id == node_b->id(); });
  ASSERT_NE(record, peers.end());
  EXPECT_EQ(record->protocol_violations, 1u);
  EXPECT_EQ(node_a->transport->counters().protocol_violations, 1u);

  // The dialler redials after backoff, and messages flow again once both ends see the new
  // connection (the listener can see it before the dialler has finished its side).
  const auto connected_twice = [](Node& node, const std::string& peer_id) {
    return node.events.WaitFor([&] {
      const auto& connected = node.events.connected();
      return std::count_if(connected.begin(), connected.end(),
                           [&](const PeerIdentity& peer) { return peer.id == peer_id; }) >= 2;
    });
  };
  ASSERT_TRUE(connected_twice(*node_a, node_b->id()));
  ASSERT_TRUE(connected_twice(*node_b, node_a->id()));
  ExpectDelivered(*node_b, *node_a, "after the penalty");
  // Penalising a peer that is not connected does nothing.
  node_a->transport->Penalize("00ff", Status::PermissionDenied("nobody"));
  ExpectDelivered(*node_b, *node_a, "still connected");
}

TEST_F(TransportTest, MalformedAndUnsolicitedFramesDisconnect) {
  auto node_a = StartNode(Config(Issue("node-a"), {"127.0.0.1"}));
  std::uint16_t port = node_a->transport->listening_port();
  NodeCredentials raw_credentials = Issue("raw");

  RawTlsClient huge_length(raw_credentials, authority_->certificate());
  huge_length.Connect(port);
  huge_length.Write(Bytes{0xff, 0xff, 0xff, 0xf0});  // claims ~4 GiB: refused without allocating it
  ASSERT_TRUE(node_a->events.WaitFor([&] { return node_a->events.FailedWith("exceeds the limit"); }));

  RawTlsClient unsolicited(raw_credentials, authority_->certificate());
  unsolicited.Connect(port);
  unsolicited.Write(EncodeFrame(FrameKind::kMessage, ToBytes("before hello")));
  ASSERT_TRUE(node_a->events.WaitFor([&] { return node_a->events.FailedWith("before the hello"); }));

  RawTlsClient unknown_kind(raw_credentials, authority_->certificate());
  unknown_kind.Connect(port);
  unknown_kind.Write(EncodeFrame(FrameKind::kHello, {}));
  Bytes bad = EncodeFrame(FrameKind::kMessage, ToBytes("?"));
  bad[kFrameHeaderSize] = 0x7f;
  unknown_kind.Write(bad);
  std::string raw_id = raw_credentials.certificate.FingerprintHex();
  ASSERT_TRUE(node_a->events.WaitFor([&] { return node_a->events.DisconnectReason(raw_id).has_value(); }));
  node_a->events.Inspect([&] {
    EXPECT_EQ(node_a->events.DisconnectReason(raw_id)->code(), ErrorCode::kCorruption);
    EXPECT_THAT(node_a->events.DisconnectReason(raw_id)->message(), HasSubstr("unknown frame kind 127"));
    EXPECT_TRUE(node_a->events.messages().empty());
  });
  EXPECT_GE(node_a->transport->counters().protocol_violations, 3u);

  auto node_b = StartNode(Config(Issue("node-b")));
  Connect(*node_b, *node_a);
  ExpectDelivered(*node_b, *node_a, "after the misbehaviour");
}

TEST_F(TransportTest, GarbageBytesOnThePortAreDropped) {
  auto node_a = StartNode(Config(Issue("node-a"), {"127.0.0.1", "::1"}));
  for (const char* host : {"127.0.0.1", "::1"}) {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address(host), node_a->transport->listening_port()});
    std::string garbage = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    garbage += std::string(4096, '\x16');
    boost::system::error_code ignored;
    asio::write(socket, asio::buffer(garbage), ignored);
  }
  ASSERT_TRUE(node_a->events.WaitFor([&] { return node_a->events.CountFailuresWith("TLS handshake") >= 2; }));
  auto node_b = StartNode(Config(Issue("node-b")));
  Connect(*node_b, *node_a, "::1");
  ExpectDelivered(*node_b, *node_a, "after garbage");
}

TEST_F(TransportTest, ReconnectsAfterPeerRestarts) {
  NodeCredentials credentials_a = Issue("node-a");
  auto node_a = StartNode(Config(credentials_a, {"127.0.0.1"}));
  std::uint16_t port = node_a->transport->listening_port();
  auto node_b = StartNode(Config(Issue("node-b")));
  Connect(*node_b, *node_a);
  PeerId id_a = node_a->id();

  node_a->transport->Stop();
  ASSERT_TRUE(node_b->events.WaitFor([&] { return node_b->events.DisconnectReason(id_a).has_value(); }));
  node_a.reset();

  TransportConfig config = Config(credentials_a, {"127.0.0.1"});
  config.listen_port = port;
  auto restarted = StartNode(std::move(config));
  ASSERT_TRUE(node_b->events.WaitFor([&] {
    return std::count_if(node_b->events.connected().begin(), node_b->events.connected().end(),
                         [&](const PeerIdentity& peer) { return peer.id == id_a; }) == 2;
  }));
  ASSERT_TRUE(restarted->events.WaitFor([&] { return restarted->events.ConnectedTo(node_b->id()); }));
  ExpectDelivered(*node_b, *restarted, "after restart");
}

TEST_F(TransportTest, FullSendQueueDropsAndCounts) {
  std::mutex gate_mutex;
  std::condition_variable gate_changed;
  bool gate_open = false;
  std::atomic<int> received{0};
  TransportConfig config_a = Config(Issue("node-a"), {"127.0.0.1"});
  auto node_a = std::make_unique<Node>();
  node_a->events.Attach(config_a);
  config_a.on_message = [&](const PeerId&, ByteView) {  // a slow consumer: blocks its I/O thread
    std::unique_lock lock(gate_mutex);
    gate_changed.wait(lock, [&] { return gate_open; });
    ++received;
  };
  Result<std::unique_ptr<Transport>> transport_a = Transport::Start(std::move(config_a));
  ASSERT_TRUE(transport_a.ok());
  node_a->transport = std::move(transport_a).value();

  TransportConfig config_b = Config(Issue("node-b"));
  config_b.max_frame_size_bytes = 1024 * 1024;
  config_b.send_queue_limit_frames = 4;
  config_b.send_queue_limit_bytes = 1024 * 1024;
  auto node_b = StartNode(std::move(config_b));
  Connect(*node_b, *node_a);

  Bytes payload(64 * 1024, 0x5a);
  int accepted = 0;
  Status refused;
  for (int attempt = 0; attempt < 100'000 && refused.ok(); ++attempt) {
    refused = node_b->transport->Send(node_a->id(), payload);
    if (refused.ok()) ++accepted;
  }
  EXPECT_EQ(refused.code(), ErrorCode::kLimitExceeded);
  EXPECT_THAT(refused.message(), HasSubstr("message dropped"));
  EXPECT_GE(node_b->transport->counters().messages_dropped, 1u);
  EXPECT_GE(node_b->transport->Peers().at(0).messages_dropped, 1u);
  {
    std::lock_guard lock(gate_mutex);
    gate_open = true;
  }
  gate_changed.notify_all();
  // Every accepted message arrives (the connection survived the back-pressure).
  ASSERT_TRUE(node_b->events.WaitFor([&] { return received.load() == accepted; }))
      << received << "/" << accepted;
}

TEST_F(TransportTest, SilentPeerIsDisconnected) {
  TransportConfig config_a = Config(Issue("node-a"), {"127.0.0.1"});
  config_a.peer_silence_timeout_milliseconds = 300;
  auto node_a = StartNode(std::move(config_a));
  NodeCredentials raw_credentials = Issue("silent");
  RawTlsClient silent(raw_credentials, authority_->certificate());  // says hello, then never answers a ping
  silent.Connect(node_a->transport->listening_port());
  silent.Write(EncodeFrame(FrameKind::kHello, {}));
  std::string silent_id = raw_credentials.certificate.FingerprintHex();
  ASSERT_TRUE(node_a->events.WaitFor([&] { return node_a->events.DisconnectReason(silent_id).has_value(); }));
  node_a->events.Inspect([&] {
    EXPECT_EQ(node_a->events.DisconnectReason(silent_id)->code(), ErrorCode::kUnavailable);
    EXPECT_THAT(node_a->events.DisconnectReason(silent_id)->message(), HasSubstr("peer silent for"));
  });
}

TEST_F(TransportTest, IdleConnectionsTimeOutAndTheConnectionLimitHolds) {
  TransportConfig config_a = Config(Issue("node-a"), {"127.0.0.1"});
  config_a.handshake_timeout_milliseconds = 500;
  config_a.max_connections = 1;
  auto node_a = StartNode(std::move(config_a));
  // Connects and says nothing: holds the only slot until the handshake timeout frees it.
  asio::io_context io;
  asio::ip::tcp::socket idle(io);
  idle.connect({asio::ip::make_address("127.0.0.1"), node_a->transport->listening_port()});
  ASSERT_TRUE(node_a->events.WaitFor([&] { return node_a->events.FailedWith("timed out after 500 ms"); }));

  asio::ip::tcp::socket second_idle(io);
  second_idle.connect({asio::ip::make_address("127.0.0.1"), node_a->transport->listening_port()});
  auto node_b = StartNode(Config(Issue("node-b")));
  node_b->transport->AddPeer("127.0.0.1", node_a->transport->listening_port());
  ASSERT_TRUE(
      node_a->events.WaitFor([&] { return node_a->transport->counters().connections_over_limit >= 1; }));
  // Once the idle one times out, node-b's redial gets the slot.
  ASSERT_TRUE(node_a->events.WaitFor([&] { return node_a->events.ConnectedTo(node_b->id()); }));
  ASSERT_TRUE(node_b->events.WaitFor([&] { return node_b->events.ConnectedTo(node_a->id()); }));
  ExpectDelivered(*node_b, *node_a, "got the slot");
}

TEST_F(TransportTest, MembersDialingEachOtherKeepOneConnection) {
  auto node_a = StartNode(Config(Issue("node-a"), {"127.0.0.1"}));
  auto node_b = StartNode(Config(Issue("node-b"), {"::1"}));
  node_a->transport->AddPeer("::1", node_b->transport->listening_port());
  node_b->transport->AddPeer("127.0.0.1", node_a->transport->listening_port());
  // Both sides settle on the same connection: the one dialed by the smaller id. Until both have
  // admitted it, one side may still be writing to the connection the other has just closed as a
  // duplicate (delivery is at most once), so messages are checked only once they agree.
  Direction expected_at_a = node_a->id() < node_b->id() ? Direction::kOutbound : Direction::kInbound;
  ASSERT_TRUE(node_a->events.WaitFor([&] {
    std::vector<PeerSnapshot> at_a = node_a->transport->Peers();
    std::vector<PeerSnapshot> at_b = node_b->transport->Peers();
    return at_a.size() == 1 && at_b.size() == 1 && at_a[0].connected && at_b[0].connected &&
           at_a[0].direction == expected_at_a && at_b[0].direction != expected_at_a;
  }));
  ExpectDelivered(*node_a, *node_b, "a to b");
  ExpectDelivered(*node_b, *node_a, "b to a");
  // And the surviving connection stays the only one.
  EXPECT_EQ(node_a->transport->Peers().size(), 1u);
  EXPECT_EQ(node_b->transport->Peers().size(), 1u);
  EXPECT_EQ(node_a->transport->Peers()[0].direction, expected_at_a);
}

TEST_F(TransportTest, DialsByHostNameAndBroadcastsToEveryPeer) {
  auto node_a = StartNode(Config(Issue("node-a"), {"127.0.0.1", "::1"}));
  auto node_b = StartNode(Config(Issue("node-b")));
  auto node_c = StartNode(Config(Issue("node-c")));
  Connect(*node_b, *node_a, "localhost");  // through the resolver, whichever family it answers
  Connect(*node_c, *node_a, "::1");
  EXPECT_EQ(node_a->transport->Broadcast(AsBytes("to all")).accepted, 2u);
  EXPECT_TRUE(node_b->events.WaitFor([&] { return node_b->events.Received(node_a->id(), "to all"); }));
  EXPECT_TRUE(node_c->events.WaitFor([&] { return node_c->events.Received(node_a->id(), "to all"); }));
  // Counted when the write completes, which may be after the peers already have the bytes.
  EXPECT_TRUE(node_a->events.WaitFor([&] { return node_a->transport->counters().messages_sent == 2u; }));
}

TEST_F(TransportTest, PortInUseIsAClearError) {
  auto node_a = StartNode(Config(Issue("node-a"), {"127.0.0.1"}));
  std::uint16_t port = node_a->transport->listening_port();
  TransportConfig config = Config(Issue("node-b"), {"127.0.0.1"});
  config.listen_port = port;
  Result<std::unique_ptr<Transport>> clash = Transport::Start(std::move(config));
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.status().code(), ErrorCode::kIoError);
  EXPECT_THAT(clash.status().message(), HasSubstr("cannot listen on 127.0.0.1:" + std::to_string(port)));
  EXPECT_THAT(clash.status().message(), HasSubstr("in use"));
}

TEST_F(TransportTest, BadConfigurationRefusesToStart) {
  NodeCredentials node = Issue("node-a");
  NodeCredentials other_node = Issue("node-b");
  Result<pki::CertificateAuthority> other = pki::CertificateAuthority::Create("Other CA", 30);
  ASSERT_TRUE(other.ok());

  TransportConfig wrong_key = Config(node);
  wrong_key.private_key = other_node.private_key;
  EXPECT_THAT(Transport::Start(std::move(wrong_key)).status().message(),
              HasSubstr("private key does not match certificate \"node-a\""));

  TransportConfig wrong_ca = Config(node);
  wrong_ca.authority = other->certificate();
  EXPECT_THAT(Transport::Start(std::move(wrong_ca)).status().message(), HasSubstr("own certificate: "));

  TransportConfig not_a_ca = Config(node);
  not_a_ca.authority = other_node.certificate;
  EXPECT_THAT(Transport::Start(std::move(not_a_ca)).status().message(), HasSubstr("is not a CA certificate"));

  TransportConfig revoked = Config(node);
  Result<pki::RevocationList> list = authority_->IssueRevocationList({node.certificate.SerialHex()}, 7);
  ASSERT_TRUE(list.ok());
  revoked.revocation_list = *list;
  EXPECT_THAT(Transport::Start(std::move(revoked)).status().message(), HasSubstr("certificate revoked"));

  TransportConfig foreign_crl = Config(node);
  Result<pki::RevocationList> foreign = other->IssueRevocationList({}, 7);
  ASSERT_TRUE(foreign.ok());
  foreign_crl.revocation_list = *foreign;
  EXPECT_FALSE(Transport::Start(std::move(foreign_crl)).ok());

  Result<pki::IssuedCertificate> time_stamping =
      authority_->IssueWithNewKey(pki::TimeStampingCertificateProfile("Rightchain TSA", 30));
  ASSERT_TRUE(time_stamping.ok());
  EXPECT_THAT(
      Transport::Start(Config({time_stamping->certificate, time_stamping->private_key})).status().message(),
      HasSubstr("is not a transport certificate"));

  EXPECT_EQ(Transport::Start(Config(node, {"not-an-address"})).status().code(), ErrorCode::kInvalidArgument);
  TransportConfig tiny_frames = Config(node);
  tiny_frames.max_frame_size_bytes = 10;
  EXPECT_EQ(Transport::Start(std::move(tiny_frames)).status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace rightchain::net

namespace rightchain::net {
namespace {

// A peer that pings without ever reading: the pongs it provokes would queue without bound (control
// frames are not counted against the send queue). At most one waits; the rest are counted.
TEST_F(TransportTest, PingsOfAPeerThatDoesNotReadGetAtMostOneQueuedPong) {
  auto node_a = StartNode(Config(Issue("node-a"), {"127.0.0.1"}));
  NodeCredentials raw_credentials = Issue("pinger");
  RawTlsClient pinger(raw_credentials, authority_->certificate());
  pinger.Connect(node_a->transport->listening_port());
  Bytes pings = EncodeFrame(FrameKind::kHello, {});
  constexpr int kPings = 400'000;  // 5 MB of pings, more pong than socket buffers hold
  for (int i = 1; i <= kPings; ++i) {
    const Bytes ping = EncodeFrame(FrameKind::kPing, EncodeSequence(static_cast<std::uint64_t>(i)));
    pings.insert(pings.end(), ping.begin(), ping.end());
  }
  pinger.Write(pings);
  ASSERT_TRUE(node_a->events.WaitFor([&] { return node_a->transport->counters().pongs_dropped > 0; }));
  EXPECT_GT(node_a->transport->counters().pongs_dropped, 0u);
}

}  // namespace
}  // namespace rightchain::net
