// The consortium transport: TCP with mutual TLS 1.3, framed messages, heartbeats, reconnects.
//
// Every connection, inbound or outbound, is accepted only when the peer's certificate chains
// to the configured consortium CA, is not on the CRL, and passes the membership callback; then
// both sides exchange one application-supplied hello frame (the hook where the node binds its
// consensus key to the transport certificate) before any message flows. See docs/network.md.
//
// Threading: the transport owns one I/O thread. Every callback in TransportConfig runs on that
// thread, one at a time, never with an internal lock held, so a callback may call Send,
// Broadcast, Peers or AddPeer; it must not block for long (it stalls all peers) and must not
// call Stop. All public methods are thread-safe. After Stop returns no callback runs again.
//
// Delivery is at most once: a message queued to a connection that then drops is lost; the
// layers above (consensus, sync) retransmit what matters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "net/backoff.h"
#include "net/frame.h"
#include "pki/certificate.h"
#include "pki/private_key.h"
#include "pki/revocation_list.h"

namespace rightchain::net {

// A peer's transport id: lower-case hex SHA-256 of its certificate's DER (pki::Fingerprint).
using PeerId = std::string;

struct PeerIdentity {
  PeerId id;
  std::string common_name;  // the node name in the certificate subject
  std::string serial_hex;
};

enum class Direction : std::uint8_t { kInbound, kOutbound };

struct TransportConfig {
  // Own transport certificate and key (ECDSA P-256, issued by the consortium CA).
  pki::Certificate certificate;
  pki::PrivateKey private_key;
  pki::Certificate authority;                          // the consortium CA
  std::optional<pki::RevocationList> revocation_list;  // when set, every peer is checked against it

  // Addresses to listen on, e.g. {"127.0.0.1", "::1"} or {"0.0.0.0", "::"}; empty: dial only.
  // IPv6 sockets are v6-only, so an IPv4 and an IPv6 wildcard can both be bound.
  std::vector<std::string> listen_addresses;
  // 0 picks a free port (the same one for every listen address); see Transport::listening_port.
  std::uint16_t listen_port = 0;

  std::size_t max_frame_size_bytes = kDefaultMaxFrameSizeBytes;
  // Per connection; a message that would exceed either bound is dropped and counted.
  std::size_t send_queue_limit_frames = 1024;
  std::size_t send_queue_limit_bytes = 64 * 1024 * 1024;
  std::size_t max_connections = 256;  // established plus handshaking, both directions

  std::uint64_t handshake_timeout_milliseconds = 10'000;  // TCP connect + TLS + hello exchange
  std::uint64_t heartbeat_interval_milliseconds = 1'000;
  std::uint64_t peer_silence_timeout_milliseconds = 10'000;  // nothing received: disconnect
  BackoffPolicy reconnect_backoff;
  // Jitter for reconnect delays, in [0, 1]; empty: a seeded PRNG. Inject for deterministic tests.
  std::function<double()> jitter_source;

  // Membership: may this certificate's holder connect? Empty: every certificate of the CA.
  std::function<bool(const PeerIdentity&)> is_member;
  // Application hello: the payload this side sends first to `peer` (empty function: empty
  // hello), and the check of the peer's hello (empty function: accept). A non-OK Status
  // refuses the connection with that reason.
  std::function<Bytes(const PeerIdentity& peer)> make_hello;
  std::function<Status(const PeerIdentity& peer, ByteView hello)> check_hello;

  std::function<void(const PeerIdentity& peer, Direction direction)> on_peer_connected;
  std::function<void(const PeerId& peer, const Status& reason)> on_peer_disconnected;
  // `payload` is valid only during the call.
  std::function<void(const PeerId& peer, ByteView payload)> on_message;
  // A connection that ended before it was established (refused certificate, non-member,
  // hello refused, handshake failed or timed out, dial failed). `address` is "host:port".
  std::function<void(const std::string& address, const Status& reason)> on_connection_failed;
};

struct PeerSnapshot {
  PeerId id;  // empty for a configured address never reached
  std::string common_name;
  std::string address;  // remote "host:port" of the latest connection, or the configured one
  Direction direction = Direction::kOutbound;
  bool connected = false;
  std::int64_t last_seen_unix_milliseconds = 0;          // 0: never
  std::optional<std::uint64_t> round_trip_microseconds;  // latest ping/pong, once measured
  std::uint64_t bytes_received = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t messages_dropped = 0;     // not sent: send queue full, or too large for a frame
  std::uint64_t protocol_violations = 0;  // oversized, malformed or unsolicited frames
};

struct TransportCounters {
  std::uint64_t connections_established = 0;
  std::uint64_t connections_failed = 0;      // see on_connection_failed
  std::uint64_t connections_over_limit = 0;  // closed at accept: max_connections reached
  std::uint64_t protocol_violations = 0;
  std::uint64_t messages_dropped = 0;  // not sent: send queue full, or too large for a frame
  std::uint64_t messages_received = 0;
  std::uint64_t messages_sent = 0;
  std::uint64_t pongs_dropped = 0;  // a ping arrived while the pong of the previous one waited
  std::uint64_t reads_paused = 0;   // PauseReading took effect
};

// What became of a broadcast message: how many connected peers queued it, and the others with
// the reason each refused it (send queue full, or the message is too large for a frame).
struct BroadcastResult {
  std::size_t accepted = 0;
  std::vector<std::pair<PeerId, Status>> refused;
};

class Transport {
 public:
  // Checks the configuration (key matches certificate, certificate chains to the CA and is
  // not revoked, addresses parse), binds every listen address and starts the I/O thread.
  // Clear errors: "private key does not match certificate ...", "own certificate: ... (wrong
  // CA)", "cannot listen on 127.0.0.1:4000: address already in use", ...
  static Result<std::unique_ptr<Transport>> Start(TransportConfig config);

  ~Transport();  // Stop()
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Closes every connection (on_peer_disconnected runs for established ones), stops the
  // listeners and joins the I/O thread. Idempotent. Not from a callback.
  void Stop();

  std::uint16_t listening_port() const;  // 0 when not listening
  const PeerId& own_id() const;

  // Dials `host:port` and keeps a connection to it: redials with backoff whenever it drops,
  // except while the same peer is connected the other way. `host` may be IPv4, IPv6 or a name.
  void AddPeer(const std::string& host, std::uint16_t port);
  void RemovePeer(const std::string& host, std::uint16_t port);

  // Queues `payload` for `peer`. kUnavailable when not connected; a message that is not queued
  // although the peer is connected is counted as dropped (messages_dropped) and the Status says
  // why: kInvalidArgument when larger than a frame allows, kLimitExceeded when the peer's send
  // queue is full. The caller reports it: no message is dropped without a trace.
  Status Send(const PeerId& peer, ByteView payload);
  // Queues to every connected peer, each refusal counted and returned as Send's would be.
  BroadcastResult Broadcast(ByteView payload);

  // Backpressure: stop reading `peer`'s socket after the frame being delivered (its TCP window
  // then fills and the peer's own send queue with it) until ResumeReading. Meant for on_message,
  // when the application's queue for that peer is full; heartbeats do not count a paused peer as
  // silent. No-op when not connected; a new connection starts reading.
  void PauseReading(const PeerId& peer);
  void ResumeReading(const PeerId& peer);

  // The application found `peer`'s messages malformed or abusive: counts a protocol violation
  // against it and closes its connection (`reason` goes to on_peer_disconnected). The peer may
  // connect again; a dialled peer is redialled after backoff. No-op when not connected.
  void Penalize(const PeerId& peer, const Status& reason);

  // Replaces the CRL: new handshakes use it, and connected peers it revokes are disconnected
  // at once. kVerificationFailed when the list is not signed by the configured CA, or when its
  // CRL number is not higher than that of the list in force (an older list would un-revoke
  // certificates); kInvalidArgument when it has no CRL number. A refused list changes nothing.
  Status UpdateRevocationList(pki::RevocationList revocation_list);

  std::vector<PeerSnapshot> Peers() const;
  TransportCounters counters() const;

  struct Impl;

 private:
  explicit Transport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rightchain::net
