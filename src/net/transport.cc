// The only translation unit of net that sees Boost.Asio and OpenSSL's TLS headers.
#include "net/transport.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <array>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include "pki/openssl_handles.h"
#include "pki/verify.h"

namespace rightchain::net {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using SslStream = asio::ssl::stream<tcp::socket>;
using SteadyClock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;

// Sanity bounds on the configuration (a frame must hold a hello; queues must hold a frame).
constexpr std::size_t kMinFrameSizeBytes = 1024;
constexpr std::size_t kMaxFrameSizeBytes = 256 * 1024 * 1024;
// Pause before accepting again after an accept error such as "too many open files".
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
// A read buffer grown past this by a large frame is released after the frame.
constexpr std::size_t kRetainedReadBufferBytes = 64 * 1024;
// Chain length allowed in a peer's certificate path (leaf, CA).
constexpr int kVerifyDepth = 2;

std::string FormatHostPort(const std::string& host, std::uint16_t port) {
  bool is_ipv6 = host.find(':') != std::string::npos;
  return (is_ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string FormatEndpoint(const tcp::endpoint& endpoint) {
  return FormatHostPort(endpoint.address().to_string(), endpoint.port());
}

std::int64_t NowUnixMilliseconds() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string PeerLabel(const PeerIdentity& identity) {
  return "\"" + identity.common_name + "\" (" + identity.id.substr(0, 16) + ")";
}

Status ReadError(const ErrorCode& error) {
  if (error == asio::error::eof || error == asio::ssl::error::stream_truncated) {
    return Status::Unavailable("peer closed the connection");
  }
  return Status::IoError("connection failed: " + error.message());
}

struct DialTarget {
  std::string host;
  std::uint16_t port = 0;
  std::string address;  // host:port
  std::uint32_t attempt = 0;
  bool removed = false;
  PeerId peer_id;  // learnt at the first established connection; guarded by Impl::mutex_
  std::unique_ptr<asio::steady_timer> timer;
  std::unique_ptr<tcp::resolver> resolver;
};

enum class ConnectionState { kConnecting, kHandshaking, kAwaitingHello, kEstablished, kClosed };

// Frames are immutable once encoded and shared by every peer queue a broadcast reaches: a block
// proposal of megabytes is then copied once, not once per peer (the copies were the largest
// single cost in a node's profile under load).
using SharedFrame = std::shared_ptr<const Bytes>;

struct QueuedFrame {
  SharedFrame bytes;
  bool is_message = false;  // application message (counted against the queue limits) or control
  bool is_pong = false;     // at most one pong is queued per connection
};

struct Connection {
  Connection(tcp::socket socket, asio::ssl::context& tls, Direction connection_direction, std::string remote,
             std::shared_ptr<DialTarget> dial_target)
      : stream(std::move(socket), tls),
        handshake_timer(stream.get_executor()),
        heartbeat_timer(stream.get_executor()),
        direction(connection_direction),
        address(std::move(remote)),
        target(std::move(dial_target)) {}

  // I/O thread only.
  SslStream stream;
  asio::steady_timer handshake_timer;
  asio::steady_timer heartbeat_timer;
  Direction direction;
  std::string address;
  std::shared_ptr<DialTarget> target;  // outbound only
  ConnectionState state = ConnectionState::kConnecting;
  bool quiet_close = false;  // a duplicate connection: closing it is not news
  std::optional<pki::Certificate> peer_certificate;
  PeerIdentity identity;
  std::array<std::uint8_t, kFrameHeaderSize> header{};
  Bytes contents;
  SharedFrame writing;
  bool writing_is_message = false;
  std::uint64_t next_ping_sequence = 1;
  std::uint64_t outstanding_ping_sequence = 0;  // 0: none
  SteadyClock::time_point ping_sent_at;
  SteadyClock::time_point last_received_at = SteadyClock::now();

  // Guarded by Impl::mutex_.
  std::deque<QueuedFrame> send_queue;
  std::size_t queued_messages = 0;
  std::size_t queued_message_bytes = 0;
  bool write_scheduled = false;
  bool pong_queued = false;  // a pong waits in send_queue: a further ping gets none
  // Backpressure: the application asked to pause reading (PauseReading); `read_parked` once the
  // read loop has stopped, so ResumeReading knows to start it again.
  bool read_paused = false;
  bool read_parked = false;
  std::uint64_t bytes_received = 0;
  std::uint64_t bytes_sent = 0;
};

using ConnectionPointer = std::shared_ptr<Connection>;

struct PeerRecord {
  PeerIdentity identity;
  std::string address;
  Direction direction = Direction::kOutbound;
  ConnectionPointer connection;  // null while disconnected
  std::int64_t last_seen_unix_milliseconds = 0;
  std::optional<std::uint64_t> round_trip_microseconds;
  std::uint64_t bytes_received = 0;  // of closed connections; the live one adds its own
  std::uint64_t bytes_sent = 0;
  std::uint64_t messages_dropped = 0;
  std::uint64_t protocol_violations = 0;
};

}  // namespace

struct Transport::Impl {
  explicit Impl(TransportConfig transport_config)
      : config(std::move(transport_config)),
        tls(asio::ssl::context::tls),
        work_guard(asio::make_work_guard(io_context)),
        own_id(config.certificate.FingerprintHex()) {
    if (config.jitter_source) {
      jitter = config.jitter_source;
    } else {
      jitter = [generator = std::mt19937_64(std::random_device{}())]() mutable {
        return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
      };
    }
  }

  // Declaration order is destruction order in reverse: connections (inside records and
  // handlers) go before the TLS context and the io_context they use.
  asio::io_context io_context;
  TransportConfig config;
  asio::ssl::context tls;
  asio::executor_work_guard<asio::io_context::executor_type> work_guard;
  const PeerId own_id;
  std::function<double()> jitter;
  std::thread io_thread;
  std::atomic<bool> stop_requested{false};
  std::uint16_t listening_port = 0;

  // I/O thread only.
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> live_connections;
  bool stopping = false;

  mutable std::mutex mutex;  // guards what follows and the "guarded" fields of Connection
  // The newest CRL handed to the transport (what `config.revocation_list` becomes once the I/O
  // thread applies it): a replacement must carry a higher CRL number.
  std::optional<pki::RevocationList> newest_revocation_list;
  std::map<PeerId, PeerRecord> records;
  std::vector<std::shared_ptr<DialTarget>> dial_targets;
  TransportCounters counters;

  // ---- setup ----

  Status ConfigureTls() {
    SSL_CTX* context = tls.native_handle();
    // TLS 1.3 only: forward secrecy, encrypted certificates, no legacy negotiation.
    if (SSL_CTX_set_min_proto_version(context, TLS1_3_VERSION) != 1 ||
        SSL_CTX_set_max_proto_version(context, TLS1_3_VERSION) != 1) {
      return pki::internal::OpenSslError("restricting TLS to 1.3");
    }
    // No resumption: every connection presents and verifies certificates afresh, so a
    // revoked peer cannot ride an old session.
    SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(context, 0);
    SSL_CTX_set_options(context, SSL_OP_NO_TICKET);
    if (SSL_CTX_use_certificate(context, pki::NativeAccess::Get(config.certificate)) != 1 ||
        SSL_CTX_use_PrivateKey(context, pki::NativeAccess::Get(config.private_key)) != 1 ||
        SSL_CTX_check_private_key(context) != 1) {
      return pki::internal::OpenSslError("loading own certificate and key into TLS");
    }
    RC_RETURN_IF_ERROR(InstallTrustStore());
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    SSL_CTX_set_verify_depth(context, kVerifyDepth);
    return Status::Ok();
  }

  // The CA (and the CRL, when configured) that every peer certificate is verified against.
  // Replacing the store is safe while connections are live: handshakes run on the I/O thread,
  // where this also runs once started.
  Status InstallTrustStore() {
    X509_STORE* store = X509_STORE_new();
    if (store == nullptr || X509_STORE_add_cert(store, pki::NativeAccess::Get(config.authority)) != 1) {
      X509_STORE_free(store);
      return pki::internal::OpenSslError("building the CA store");
    }
    if (config.revocation_list.has_value()) {
      if (X509_STORE_add_crl(store, pki::NativeAccess::Get(*config.revocation_list)) != 1) {
        X509_STORE_free(store);
        return pki::internal::OpenSslError("adding the CRL");
      }
      X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
    }
    SSL_CTX_set_cert_store(tls.native_handle(), store);  // takes ownership, frees the old one
    return Status::Ok();
  }

  Status Listen() {
    std::uint16_t port = config.listen_port;
    for (const std::string& text : config.listen_addresses) {
      ErrorCode error;
      asio::ip::address address = asio::ip::make_address(text, error);
      if (error) return Status::InvalidArgument("listen address \"" + text + "\" is not an IP address");
      tcp::endpoint endpoint(address, port);
      auto acceptor = std::make_unique<tcp::acceptor>(io_context);
      std::string where = FormatEndpoint(endpoint);
      acceptor->open(endpoint.protocol(), error);
      if (!error && address.is_v6()) acceptor->set_option(asio::ip::v6_only(true), error);
      if (!error) acceptor->set_option(asio::socket_base::reuse_address(true), error);
      if (!error) acceptor->bind(endpoint, error);
      if (!error) acceptor->listen(asio::socket_base::max_listen_connections, error);
      if (error) return Status::IoError("cannot listen on " + where + ": " + error.message());
      if (port == 0) port = acceptor->local_endpoint().port();
      acceptors.push_back(std::move(acceptor));
    }
    listening_port = acceptors.empty() ? 0 : port;
    return Status::Ok();
  }

  void StartThread() {
    for (std::size_t index = 0; index < acceptors.size(); ++index) Accept(index);
    io_thread = std::thread([this] { io_context.run(); });
  }

  // ---- inbound ----

  void Accept(std::size_t index) {
    acceptors[index]->async_accept([this, index](const ErrorCode& error, tcp::socket socket) {
      if (stopping) return;
      if (error) {
        if (error == asio::error::operation_aborted) return;
        auto timer = std::make_shared<asio::steady_timer>(io_context, kAcceptRetryDelay);
        timer->async_wait([this, index, timer](const ErrorCode&) {
          if (!stopping) Accept(index);
        });
        return;
      }
      if (live_connections.size() >= config.max_connections) {
        ErrorCode ignored;
        socket.close(ignored);
        std::lock_guard lock(mutex);
        ++counters.connections_over_limit;
      } else {
        ErrorCode endpoint_error;
        tcp::endpoint remote = socket.remote_endpoint(endpoint_error);
        std::string address = endpoint_error ? "unknown" : FormatEndpoint(remote);
        ConnectionPointer connection =
            NewConnection(std::move(socket), Direction::kInbound, address, nullptr);
        BeginHandshake(connection);
      }
      Accept(index);
    });
  }

  ConnectionPointer NewConnection(tcp::socket socket, Direction direction, std::string address,
                                  std::shared_ptr<DialTarget> target) {
    auto connection = std::make_shared<Connection>(std::move(socket), tls, direction, std::move(address),
                                                   std::move(target));
    live_connections.emplace(connection.get(), connection);
    connection->handshake_timer.expires_after(
        std::chrono::milliseconds(config.handshake_timeout_milliseconds));
    connection->handshake_timer.async_wait([this, connection](const ErrorCode& error) {
      if (error || connection->state == ConnectionState::kClosed ||
          connection->state == ConnectionState::kEstablished) {
        return;
      }
      Close(connection, Status::Unavailable("handshake with " + connection->address + " timed out after " +
                                            std::to_string(config.handshake_timeout_milliseconds) + " ms"));
    });
    return connection;
  }

  // ---- outbound ----

  void AddTarget(const std::string& host, std::uint16_t port) {
    if (stopping) return;
    std::string address = FormatHostPort(host, port);
    {
      std::lock_guard lock(mutex);
      for (const auto& target : dial_targets) {
        if (target->address == address && !target->removed) return;
      }
    }
    auto target = std::make_shared<DialTarget>();
    target->host = host;
    target->port = port;
    target->address = address;
    target->timer = std::make_unique<asio::steady_timer>(io_context);
    target->resolver = std::make_unique<tcp::resolver>(io_context);
    {
      std::lock_guard lock(mutex);
      dial_targets.push_back(target);
    }
    Dial(target);
  }

  void RemoveTarget(const std::string& host, std::uint16_t port) {
    std::string address = FormatHostPort(host, port);
    std::lock_guard lock(mutex);
    for (auto it = dial_targets.begin(); it != dial_targets.end(); ++it) {
      if ((*it)->address != address) continue;
      (*it)->removed = true;
      (*it)->timer->cancel();
      (*it)->resolver->cancel();
      dial_targets.erase(it);
      return;
    }
  }

  void Dial(const std::shared_ptr<DialTarget>& target) {
    ConnectionPointer connection =
        NewConnection(tcp::socket(io_context), Direction::kOutbound, target->address, target);
    ErrorCode error;
    asio::ip::address numeric = asio::ip::make_address(target->host, error);
    if (!error) {
      connection->stream.lowest_layer().async_connect(
          tcp::endpoint(numeric, target->port),
          [this, connection](const ErrorCode& connect_error) { OnConnected(connection, connect_error); });
      return;
    }
    target->resolver->async_resolve(
        target->host, std::to_string(target->port),
        [this, connection](const ErrorCode& resolve_error, const tcp::resolver::results_type& results) {
          if (connection->state == ConnectionState::kClosed) return;
          if (resolve_error) {
            Close(connection, Status::Unavailable("cannot resolve " + connection->address + ": " +
                                                  resolve_error.message()));
            return;
          }
          asio::async_connect(connection->stream.lowest_layer(), results,
                              [this, connection](const ErrorCode& connect_error, const tcp::endpoint&) {
                                OnConnected(connection, connect_error);
                              });
        });
  }

  void OnConnected(const ConnectionPointer& connection, const ErrorCode& error) {
    if (connection->state == ConnectionState::kClosed) return;
    if (error) {
      Close(connection,
            Status::Unavailable("cannot connect to " + connection->address + ": " + error.message()));
      return;
    }
    BeginHandshake(connection);
  }

  void ScheduleRedial(const std::shared_ptr<DialTarget>& target) {
    if (stopping || target->removed) return;
    std::uint64_t delay = BackoffDelayMilliseconds(config.reconnect_backoff, target->attempt, jitter());
    ++target->attempt;
    target->timer->expires_after(std::chrono::milliseconds(delay));
    target->timer->async_wait([this, target](const ErrorCode& error) {
      if (error || stopping || target->removed) return;
      bool peer_connected = false;
      {
        std::lock_guard lock(mutex);
        auto record = target->peer_id.empty() ? records.end() : records.find(target->peer_id);
        peer_connected = record != records.end() && record->second.connection != nullptr;
      }
      if (peer_connected) {
        // The peer dialed us (or won the duplicate race): look again later.
        target->attempt = 0;
        target->timer->expires_after(std::chrono::milliseconds(config.heartbeat_interval_milliseconds));
        target->timer->async_wait([this, target](const ErrorCode& wait_error) {
          if (!wait_error) ScheduleRedialNow(target);
        });
        return;
      }
      Dial(target);
    });
  }

  void ScheduleRedialNow(const std::shared_ptr<DialTarget>& target) {
    target->attempt = 0;
    ScheduleRedial(target);
  }

  // ---- handshake and admission ----

  void BeginHandshake(const ConnectionPointer& connection) {
    connection->state = ConnectionState::kHandshaking;
    auto type = connection->direction == Direction::kInbound ? asio::ssl::stream_base::server
                                                             : asio::ssl::stream_base::client;
    connection->stream.async_handshake(type, [this, connection](const ErrorCode& error) {
      if (connection->state == ConnectionState::kClosed) return;
      if (error) {
        Close(connection, HandshakeFailure(connection, error));
        return;
      }
      Status admitted = Admit(connection);
      if (!admitted.ok()) {
        Close(connection, admitted);
        return;
      }
      connection->state = ConnectionState::kAwaitingHello;
      Bytes hello = config.make_hello ? config.make_hello(connection->identity) : Bytes();
      if (hello.size() + kFrameKindSize > config.max_frame_size_bytes) {
        Close(connection, Status::InvalidArgument("own hello of " + std::to_string(hello.size()) +
                                                  " bytes exceeds the frame limit"));
        return;
      }
      EnqueueControl(connection, EncodeFrame(FrameKind::kHello, hello));
      ReadHeader(connection);
    });
  }

  Status HandshakeFailure(const ConnectionPointer& connection, const ErrorCode& error) {
    long verify_result = SSL_get_verify_result(connection->stream.native_handle());
    if (verify_result != X509_V_OK) {
      return Status::VerificationFailed("certificate of " + connection->address + " refused: " +
                                        pki::VerificationErrorReason(static_cast<int>(verify_result)));
    }
    return Status::IoError("TLS handshake with " + connection->address + " failed: " + error.message());
  }

  // The certificate verified against the CA and CRL during the handshake; now: who is it,
  // and is it a member?
  Status Admit(const ConnectionPointer& connection) {
    X509* peer = SSL_get1_peer_certificate(connection->stream.native_handle());
    if (peer == nullptr) return Status::PermissionDenied(connection->address + " presented no certificate");
    connection->peer_certificate = pki::NativeAccess::Wrap(pki::internal::X509Pointer(peer));
    const pki::Certificate& certificate = *connection->peer_certificate;
    connection->identity = PeerIdentity{
        .id = certificate.FingerprintHex(),
        .common_name = certificate.SubjectCommonName(),
        .serial_hex = certificate.SerialHex(),
    };
    if (connection->identity.id == own_id) {
      return Status::PermissionDenied(connection->address + " is this node itself");
    }
    if (config.is_member && !config.is_member(connection->identity)) {
      return Status::PermissionDenied("peer " + PeerLabel(connection->identity) + " at " +
                                      connection->address + " is not a member of the chain");
    }
    return Status::Ok();
  }

  void Establish(const ConnectionPointer& connection) {
    connection->handshake_timer.cancel();
    connection->state = ConnectionState::kEstablished;
    const PeerIdentity& identity = connection->identity;
    ConnectionPointer replaced;
    bool keep = true;
    {
      std::lock_guard lock(mutex);
      PeerRecord& record = records[identity.id];
      if (record.connection != nullptr) {
        if (record.connection->direction != connection->direction) {
          // Both sides dialed each other: both keep the connection dialed by the smaller id.
          const PeerId& winning_dialer = std::min(own_id, identity.id);
          const PeerId& dialer = connection->direction == Direction::kOutbound ? own_id : identity.id;
          keep = dialer == winning_dialer;
        }
        // Same direction: the peer reconnected and the old connection is stale.
        if (keep) replaced = record.connection;
      }
      if (connection->target != nullptr) {
        connection->target->peer_id = identity.id;
        connection->target->attempt = 0;
      }
      if (keep) {
        if (replaced != nullptr) {
          record.bytes_received += replaced->bytes_received;
          record.bytes_sent += replaced->bytes_sent;
        }
        record.identity = identity;
        record.address = connection->address;
        record.direction = connection->direction;
        record.connection = connection;
        record.last_seen_unix_milliseconds = NowUnixMilliseconds();
        ++counters.connections_established;
      }
    }
    if (!keep) {
      connection->quiet_close = true;
      Close(connection, Status::AlreadyExists("duplicate connection to " + PeerLabel(identity)));
      return;
    }
    StartHeartbeat(connection);
    if (replaced != nullptr) {
      bool same_direction = replaced->direction == connection->direction;
      replaced->quiet_close = true;
      Close(replaced, Status::AlreadyExists("replaced by a newer connection"));
      if (!same_direction) return;  // the peer stayed connected throughout
      if (config.on_peer_disconnected) {
        config.on_peer_disconnected(identity.id, Status::Unavailable("replaced by a newer connection"));
      }
    }
    if (config.on_peer_connected) config.on_peer_connected(identity, connection->direction);
  }

  // ---- reading ----

  void ReadHeader(const ConnectionPointer& connection) {
    asio::async_read(connection->stream, asio::buffer(connection->header),
                     [this, connection](const ErrorCode& error, std::size_t) {
                       if (connection->state == ConnectionState::kClosed) return;
                       if (error) {
                         Close(connection, ReadError(error));
                         return;
                       }
                       // Checked before anything is allocated for the frame.
                       Result<std::uint32_t> length =
                           DecodeFrameLength(connection->header, config.max_frame_size_bytes);
                       if (!length.ok()) {
                         Violation(connection, length.status());
                         return;
                       }
                       connection->contents.resize(*length);
                       ReadContents(connection);
                     });
  }

  void ReadContents(const ConnectionPointer& connection) {
    asio::async_read(connection->stream, asio::buffer(connection->contents),
                     [this, connection](const ErrorCode& error, std::size_t) {
                       if (connection->state == ConnectionState::kClosed) return;
                       if (error) {
                         Close(connection, ReadError(error));
                         return;
                       }
                       connection->last_received_at = SteadyClock::now();
                       {
                         std::lock_guard lock(mutex);
                         connection->bytes_received += kFrameHeaderSize + connection->contents.size();
                         auto record = records.find(connection->identity.id);
                         if (record != records.end() && record->second.connection == connection) {
                           record->second.last_seen_unix_milliseconds = NowUnixMilliseconds();
                         }
                       }
                       Status handled = HandleFrame(connection);
                       if (connection->state == ConnectionState::kClosed) return;
                       // Do not keep a large frame's buffer for the life of the connection.
                       if (connection->contents.capacity() > kRetainedReadBufferBytes)
                         Bytes().swap(connection->contents);
                       if (!handled.ok()) {
                         Violation(connection, handled);
                         return;
                       }
                       {
                         std::lock_guard lock(mutex);
                         if (connection->read_paused) {
                           connection->read_parked = true;
                           return;
                         }
                       }
                       ReadHeader(connection);
                     });
  }

  Status HandleFrame(const ConnectionPointer& connection) {
    RC_ASSIGN_OR_RETURN(FrameView frame, ParseFrame(connection->contents));
    if (connection->state == ConnectionState::kAwaitingHello) {
      if (frame.kind != FrameKind::kHello) {
        return Status::Corruption("unsolicited frame of kind " +
                                  std::to_string(static_cast<int>(frame.kind)) + " before the hello");
      }
      if (config.check_hello) {
        Status accepted = config.check_hello(connection->identity, frame.body);
        if (!accepted.ok()) {
          Close(connection,
                accepted.WithContext("hello from " + PeerLabel(connection->identity) + " refused"));
          return Status::Ok();
        }
      }
      Establish(connection);
      return Status::Ok();
    }
    RC_ASSERT(connection->state == ConnectionState::kEstablished);
    switch (frame.kind) {
      case FrameKind::kHello: return Status::Corruption("second hello");
      case FrameKind::kMessage: {
        {
          std::lock_guard lock(mutex);
          ++counters.messages_received;
        }
        if (config.on_message) config.on_message(connection->identity.id, frame.body);
        return Status::Ok();
      }
      case FrameKind::kPing: {
        // A peer that pings without reading its pongs would otherwise grow this queue without
        // bound (control frames are not counted against the message limits).
        std::lock_guard lock(mutex);
        if (connection->pong_queued) {
          ++counters.pongs_dropped;
          return Status::Ok();
        }
        connection->pong_queued = true;
        connection->send_queue.push_back(
            {std::make_shared<const Bytes>(EncodeFrame(FrameKind::kPong, frame.body)), false, true});
        ScheduleWriteLocked(connection);
        return Status::Ok();
      }
      case FrameKind::kPong: {
        std::uint64_t sequence = DecodeSequence(frame.body);
        if (sequence != 0 && sequence == connection->outstanding_ping_sequence) {
          connection->outstanding_ping_sequence = 0;
          auto round_trip = std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() -
                                                                                  connection->ping_sent_at);
          std::lock_guard lock(mutex);
          auto record = records.find(connection->identity.id);
          if (record != records.end() && record->second.connection == connection) {
            record->second.round_trip_microseconds = static_cast<std::uint64_t>(round_trip.count());
          }
        }
        return Status::Ok();  // a late or unknown pong is harmless
      }
    }
    RC_UNREACHABLE();
  }

  // Malformed, oversized or unsolicited input: count it against the peer and disconnect.
  void Violation(const ConnectionPointer& connection, const Status& reason) {
    {
      std::lock_guard lock(mutex);
      ++counters.protocol_violations;
      auto record = records.find(connection->identity.id);
      if (!connection->identity.id.empty() && record != records.end()) ++record->second.protocol_violations;
    }
    Close(connection, reason.WithContext("protocol violation by " + connection->address));
  }

  // ---- heartbeats ----

  void StartHeartbeat(const ConnectionPointer& connection) {
    connection->heartbeat_timer.expires_after(
        std::chrono::milliseconds(config.heartbeat_interval_milliseconds));
    connection->heartbeat_timer.async_wait([this, connection](const ErrorCode& error) {
      if (error || connection->state != ConnectionState::kEstablished) return;
      auto silence = std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() -
                                                                           connection->last_received_at);
      bool parked = false;
      {
        std::lock_guard lock(mutex);
        parked = connection->read_parked;
      }
      // A peer whose reading is paused is not silent: this side stopped listening.
      if (parked) connection->last_received_at = SteadyClock::now();
      if (static_cast<std::uint64_t>(silence.count()) > config.peer_silence_timeout_milliseconds && !parked) {
        Close(connection, Status::Unavailable("peer silent for " + std::to_string(silence.count()) + " ms"));
        return;
      }
      // One ping in flight at a time, so a round trip longer than the interval is still measured.
      if (connection->outstanding_ping_sequence == 0) {
        std::uint64_t sequence = connection->next_ping_sequence++;
        connection->outstanding_ping_sequence = sequence;
        connection->ping_sent_at = SteadyClock::now();
        EnqueueControl(connection, EncodeFrame(FrameKind::kPing, EncodeSequence(sequence)));
      }
      StartHeartbeat(connection);
    });
  }

  // ---- writing ----

  void EnqueueControl(const ConnectionPointer& connection, Bytes frame) {
    std::lock_guard lock(mutex);
    connection->send_queue.push_back({std::make_shared<const Bytes>(std::move(frame)), false});
    ScheduleWriteLocked(connection);
  }

  // A message for a connected peer that no frame can carry. Caller holds `mutex`.
  Status DropOversizedLocked(PeerRecord& record, std::size_t payload_bytes) {
    ++record.messages_dropped;
    ++counters.messages_dropped;
    return Status::InvalidArgument("message of " + std::to_string(payload_bytes) + " bytes to " +
                                   PeerLabel(record.identity) + " exceeds the frame limit of " +
                                   std::to_string(config.max_frame_size_bytes) + " bytes: message dropped");
  }

  // Caller holds `mutex`.
  Status EnqueueMessageLocked(PeerRecord& record, const SharedFrame& frame) {
    Connection& connection = *record.connection;
    if (connection.queued_messages >= config.send_queue_limit_frames ||
        connection.queued_message_bytes + frame->size() > config.send_queue_limit_bytes) {
      ++record.messages_dropped;
      ++counters.messages_dropped;
      return Status::LimitExceeded("send queue to " + PeerLabel(record.identity) + " is full (" +
                                   std::to_string(connection.queued_messages) + " messages, " +
                                   std::to_string(connection.queued_message_bytes) +
                                   " bytes): message dropped");
    }
    connection.send_queue.push_back({frame, true});
    ++connection.queued_messages;
    connection.queued_message_bytes += frame->size();
    ScheduleWriteLocked(record.connection);
    return Status::Ok();
  }

  void ScheduleWriteLocked(const ConnectionPointer& connection) {
    if (connection->write_scheduled) return;
    connection->write_scheduled = true;
    asio::post(io_context, [this, connection] { WriteNext(connection); });
  }

  void WriteNext(const ConnectionPointer& connection) {
    if (connection->state == ConnectionState::kClosed) return;
    {
      std::lock_guard lock(mutex);
      if (connection->send_queue.empty()) {
        connection->write_scheduled = false;
        return;
      }
      QueuedFrame& front = connection->send_queue.front();
      connection->writing = std::move(front.bytes);
      connection->writing_is_message = front.is_message;
      if (front.is_pong) connection->pong_queued = false;
      if (front.is_message) {
        --connection->queued_messages;
        connection->queued_message_bytes -= connection->writing->size();
      }
      connection->send_queue.pop_front();
    }
    asio::async_write(connection->stream, asio::buffer(*connection->writing),
                      [this, connection](const ErrorCode& error, std::size_t written) {
                        if (connection->state == ConnectionState::kClosed) return;
                        if (error) {
                          Close(connection, Status::IoError("sending to " + connection->address +
                                                            " failed: " + error.message()));
                          return;
                        }
                        {
                          std::lock_guard lock(mutex);
                          connection->bytes_sent += written;
                          if (connection->writing_is_message) ++counters.messages_sent;
                        }
                        WriteNext(connection);
                      });
  }

  // ---- closing ----

  void Close(const ConnectionPointer& connection, const Status& reason) {
    if (connection->state == ConnectionState::kClosed) return;
    bool was_established = connection->state == ConnectionState::kEstablished;
    connection->state = ConnectionState::kClosed;
    connection->handshake_timer.cancel();
    connection->heartbeat_timer.cancel();
    ErrorCode ignored;
    connection->stream.lowest_layer().shutdown(tcp::socket::shutdown_both, ignored);
    connection->stream.lowest_layer().close(ignored);
    live_connections.erase(connection.get());
    bool report_disconnect = false;
    {
      std::lock_guard lock(mutex);
      connection->send_queue.clear();
      connection->queued_messages = 0;
      connection->queued_message_bytes = 0;
      auto record = records.find(connection->identity.id);
      if (was_established && record != records.end() && record->second.connection == connection) {
        record->second.connection.reset();
        record->second.bytes_received += connection->bytes_received;
        record->second.bytes_sent += connection->bytes_sent;
        report_disconnect = true;
      }
      if (!was_established && !connection->quiet_close) ++counters.connections_failed;
    }
    if (report_disconnect && config.on_peer_disconnected) {
      config.on_peer_disconnected(connection->identity.id, reason);
    }
    if (!was_established && !connection->quiet_close && config.on_connection_failed) {
      config.on_connection_failed(connection->address, reason);
    }
    if (connection->target != nullptr) ScheduleRedial(connection->target);
  }

  void StopOnIoThread() {
    stopping = true;
    ErrorCode ignored;
    for (auto& acceptor : acceptors) acceptor->close(ignored);
    {
      std::lock_guard lock(mutex);
      for (auto& target : dial_targets) {
        target->timer->cancel();
        target->resolver->cancel();
      }
    }
    std::vector<ConnectionPointer> open;
    for (auto& [pointer, weak] : live_connections) {
      if (ConnectionPointer connection = weak.lock()) open.push_back(std::move(connection));
    }
    for (const ConnectionPointer& connection : open)
      Close(connection, Status::Unavailable("transport stopping"));
    work_guard.reset();
  }

  void ApplyRevocationList(const pki::RevocationList& list) {
    config.revocation_list = list;
    Status installed = InstallTrustStore();
    RC_ASSERT_MSG(installed.ok(), installed.ToString());  // the same CA and a checked CRL
    std::vector<ConnectionPointer> revoked;
    for (auto& [pointer, weak] : live_connections) {
      ConnectionPointer connection = weak.lock();
      if (connection && connection->peer_certificate && list.IsRevoked(*connection->peer_certificate)) {
        revoked.push_back(std::move(connection));
      }
    }
    for (const ConnectionPointer& connection : revoked) {
      Close(connection,
            Status::PermissionDenied("certificate of " + PeerLabel(connection->identity) + " revoked"));
    }
  }
};

namespace {

Status CheckConfig(const TransportConfig& config) {
  if (config.max_frame_size_bytes < kMinFrameSizeBytes || config.max_frame_size_bytes > kMaxFrameSizeBytes) {
    return Status::InvalidArgument("max frame size must be " + std::to_string(kMinFrameSizeBytes) + " to " +
                                   std::to_string(kMaxFrameSizeBytes) + " bytes");
  }
  if (config.send_queue_limit_frames == 0 || config.send_queue_limit_bytes < config.max_frame_size_bytes) {
    return Status::InvalidArgument("send queue must hold at least one frame of the maximum size");
  }
  if (config.max_connections == 0) return Status::InvalidArgument("max connections must be positive");
  if (config.handshake_timeout_milliseconds == 0 || config.heartbeat_interval_milliseconds == 0 ||
      config.peer_silence_timeout_milliseconds <= config.heartbeat_interval_milliseconds) {
    return Status::InvalidArgument(
        "timeouts must be positive and the silence timeout longer than the heartbeat interval");
  }
  if (config.reconnect_backoff.initial_delay_milliseconds == 0 ||
      config.reconnect_backoff.max_delay_milliseconds < config.reconnect_backoff.initial_delay_milliseconds) {
    return Status::InvalidArgument("reconnect backoff must start positive and not exceed its maximum");
  }
  if (!config.authority.IsCertificateAuthority()) {
    return Status::InvalidArgument("configured CA certificate \"" + config.authority.SubjectCommonName() +
                                   "\" is not a CA certificate");
  }
  RC_RETURN_IF_ERROR(config.private_key.CheckMatches(config.certificate));
  if (!config.certificate.AllowsTlsClientAndServer()) {
    return Status::InvalidArgument(
        "own certificate \"" + config.certificate.SubjectCommonName() +
        "\" is not a transport certificate (extendedKeyUsage needs serverAuth and clientAuth)");
  }
  if (config.revocation_list.has_value()) {
    RC_RETURN_IF_ERROR(config.revocation_list->CheckHasNumber().WithContext("configured CRL"));
    RC_RETURN_IF_ERROR(pki::VerifyCertificate(config.authority, config.authority,
                                              {.revocation_list = &*config.revocation_list})
                           .WithContext("configured CRL"));
  }
  pki::VerifyOptions options;
  if (config.revocation_list.has_value()) options.revocation_list = &*config.revocation_list;
  return pki::VerifyCertificate(config.certificate, config.authority, options).WithContext("own certificate");
}

}  // namespace

Result<std::unique_ptr<Transport>> Transport::Start(TransportConfig config) {
  RC_RETURN_IF_ERROR(CheckConfig(config));
  if (config.revocation_list.has_value()) {
    RC_RETURN_IF_ERROR(config.revocation_list->CheckIssuedBy(config.authority));
  }
  std::unique_ptr<Impl> impl;
  try {
    impl = std::make_unique<Impl>(std::move(config));
  } catch (const std::exception& error) {  // Asio reports a failed SSL_CTX_new by throwing
    return Status::CryptoError(std::string("creating the TLS context: ") + error.what());
  }
  impl->newest_revocation_list = impl->config.revocation_list;
  RC_RETURN_IF_ERROR(impl->ConfigureTls());
  RC_RETURN_IF_ERROR(impl->Listen());
  impl->StartThread();
  return std::unique_ptr<Transport>(new Transport(std::move(impl)));
}

Transport::Transport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Transport::~Transport() {
  Stop();
}

void Transport::Stop() {
  if (impl_->stop_requested.exchange(true)) return;
  RC_ASSERT_MSG(std::this_thread::get_id() != impl_->io_thread.get_id(),
                "Stop called from a transport callback");
  asio::post(impl_->io_context, [impl = impl_.get()] { impl->StopOnIoThread(); });
  impl_->io_thread.join();
}

std::uint16_t Transport::listening_port() const {
  return impl_->listening_port;
}

const PeerId& Transport::own_id() const {
  return impl_->own_id;
}

void Transport::AddPeer(const std::string& host, std::uint16_t port) {
  asio::post(impl_->io_context, [impl = impl_.get(), host, port] { impl->AddTarget(host, port); });
}

void Transport::RemovePeer(const std::string& host, std::uint16_t port) {
  asio::post(impl_->io_context, [impl = impl_.get(), host, port] { impl->RemoveTarget(host, port); });
}

Status Transport::Send(const PeerId& peer, ByteView payload) {
  const bool fits = payload.size() + kFrameKindSize <= impl_->config.max_frame_size_bytes;
  // A message too large for a frame is refused before it is copied into one.
  const SharedFrame frame =
      fits ? std::make_shared<const Bytes>(EncodeFrame(FrameKind::kMessage, payload)) : nullptr;
  std::lock_guard lock(impl_->mutex);
  auto record = impl_->records.find(peer);
  if (record == impl_->records.end() || record->second.connection == nullptr) {
    return Status::Unavailable("peer " + peer.substr(0, 16) + " is not connected");
  }
  if (!fits) return impl_->DropOversizedLocked(record->second, payload.size());
  return impl_->EnqueueMessageLocked(record->second, frame);
}

BroadcastResult Transport::Broadcast(ByteView payload) {
  const bool fits = payload.size() + kFrameKindSize <= impl_->config.max_frame_size_bytes;
  const SharedFrame frame =
      fits ? std::make_shared<const Bytes>(EncodeFrame(FrameKind::kMessage, payload)) : nullptr;
  std::lock_guard lock(impl_->mutex);
  BroadcastResult result;
  for (auto& [id, record] : impl_->records) {
    if (record.connection == nullptr) continue;
    Status queued = fits ? impl_->EnqueueMessageLocked(record, frame)
                         : impl_->DropOversizedLocked(record, payload.size());
    if (queued.ok()) {
      ++result.accepted;
    } else {
      result.refused.emplace_back(id, std::move(queued));
    }
  }
  return result;
}

void Transport::PauseReading(const PeerId& peer) {
  std::lock_guard lock(impl_->mutex);
  const auto record = impl_->records.find(peer);
  if (record == impl_->records.end() || record->second.connection == nullptr) return;
  Connection& connection = *record->second.connection;
  if (!connection.read_paused) ++impl_->counters.reads_paused;
  connection.read_paused = true;
}

void Transport::ResumeReading(const PeerId& peer) {
  std::lock_guard lock(impl_->mutex);
  const auto record = impl_->records.find(peer);
  if (record == impl_->records.end() || record->second.connection == nullptr) return;
  const ConnectionPointer& connection = record->second.connection;
  connection->read_paused = false;
  if (!connection->read_parked) return;
  connection->read_parked = false;
  asio::post(impl_->io_context, [impl = impl_.get(), connection] {
    if (connection->state == ConnectionState::kEstablished) impl->ReadHeader(connection);
  });
}

void Transport::Penalize(const PeerId& peer, const Status& reason) {
  asio::post(impl_->io_context, [impl = impl_.get(), peer, reason] {
    ConnectionPointer connection;
    {
      std::lock_guard lock(impl->mutex);
      const auto record = impl->records.find(peer);
      if (record == impl->records.end() || record->second.connection == nullptr) return;
      connection = record->second.connection;
    }
    impl->Violation(connection, reason);
  });
}

Status Transport::UpdateRevocationList(pki::RevocationList revocation_list) {
  RC_RETURN_IF_ERROR(revocation_list.CheckIssuedBy(impl_->config.authority));
  {
    // Checked and recorded together: of two concurrent updates only a higher number wins.
    std::lock_guard lock(impl_->mutex);
    if (impl_->newest_revocation_list.has_value()) {
      RC_RETURN_IF_ERROR(revocation_list.CheckSupersedes(*impl_->newest_revocation_list));
    } else {
      RC_RETURN_IF_ERROR(revocation_list.CheckHasNumber());
    }
    impl_->newest_revocation_list = revocation_list;
  }
  asio::post(impl_->io_context,
             [impl = impl_.get(), list = std::move(revocation_list)] { impl->ApplyRevocationList(list); });
  return Status::Ok();
}

std::vector<PeerSnapshot> Transport::Peers() const {
  std::lock_guard lock(impl_->mutex);
  std::vector<PeerSnapshot> peers;
  for (const auto& [id, record] : impl_->records) {
    PeerSnapshot snapshot{
        .id = id,
        .common_name = record.identity.common_name,
        .address = record.address,
        .direction = record.direction,
        .connected = record.connection != nullptr,
        .last_seen_unix_milliseconds = record.last_seen_unix_milliseconds,
        .round_trip_microseconds = record.round_trip_microseconds,
        .bytes_received = record.bytes_received,
        .bytes_sent = record.bytes_sent,
        .messages_dropped = record.messages_dropped,
        .protocol_violations = record.protocol_violations,
    };
    if (record.connection != nullptr) {
      snapshot.bytes_received += record.connection->bytes_received;
      snapshot.bytes_sent += record.connection->bytes_sent;
    }
    peers.push_back(std::move(snapshot));
  }
  for (const auto& target : impl_->dial_targets) {
    if (target->peer_id.empty()) {
      peers.push_back(PeerSnapshot{.address = target->address, .direction = Direction::kOutbound});
    }
  }
  return peers;
}

TransportCounters Transport::counters() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->counters;
}

}  // namespace rightchain::net
