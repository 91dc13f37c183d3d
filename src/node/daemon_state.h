// The daemon's internals, shared by daemon.cc (threads, transport) and api.cc (HTTP routes).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "exec/genesis.h"
#include "http/server.h"
#include "ledger/chain_store.h"
#include "net/transport.h"
#include "node/daemon.h"
#include "node/node_config.h"
#include "node/node_core.h"
#include "node/revocation_watcher.h"
#include "node/time_stamp_service.h"
#include "node/wire.h"

namespace rightchain::node {

struct Daemon::State {
  NodeConfig config;
  exec::Genesis genesis;
  std::unique_ptr<ledger::ChainStore> store;
  std::unique_ptr<NodeCore> core;
  std::unique_ptr<net::Transport> transport;
  // Declared before everything that may hold a responder of its requests (time_stamps, tasks):
  // members go in reverse order, so those are dropped while the server still exists.
  std::unique_ptr<http::Server> api;
  std::unique_ptr<TimeStampService> time_stamps;  // core thread only; absent without a [tsa] section

  // Core thread and its inbox.
  std::thread core_thread;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::function<void(NodeCore&)>> tasks;
  bool stopping = false;
  // Peer frames waiting in `tasks`, per peer (guarded by `mutex`): a peer past its share stops
  // being read (Transport::PauseReading) until the core has worked its queue down by half, so a
  // flooding member fills its own TCP window and send queue, not this node's memory.
  struct InboundQueue {
    std::size_t frames = 0;
    std::size_t bytes = 0;
    bool paused = false;
  };
  std::map<net::PeerId, InboundQueue> inbound;
  std::size_t inbound_limit_frames = 0;
  std::size_t inbound_limit_bytes = 0;
  std::size_t queued_frame_bytes = 0;       // over every peer
  std::size_t peak_queued_frame_bytes = 0;  // the most `queued_frame_bytes` has been
  // Queues a frame received from `peer` for the core thread (the transport's thread).
  void PostFrame(const net::PeerId& peer, Bytes frame);
  // Core thread: the frame left the queue; resumes reading the peer once its queue is half empty.
  void FrameTaken(const net::PeerId& peer, std::size_t bytes);
  void HandleFrame(const net::PeerId& peer, const Bytes& frame);

  // Owned by the core thread.
  struct ArmedTimer {
    std::int64_t at_milliseconds = 0;
    std::uint64_t sequence = 0;
    consensus::Timer timer;
    bool operator>(const ArmedTimer& other) const {
      return at_milliseconds != other.at_milliseconds ? at_milliseconds > other.at_milliseconds
                                                      : sequence > other.sequence;
    }
  };
  std::priority_queue<ArmedTimer, std::vector<ArmedTimer>, std::greater<>> timers;
  std::uint64_t timer_sequence = 0;
  std::int64_t next_tick_milliseconds = 0;
  // Recently expired transactions, so their submitters can learn it (bounded, oldest dropped).
  std::set<crypto::Digest> expired;
  std::deque<crypto::Digest> expired_order;
  // The member table as of the latest commit, for the transport's thread (which admits peers)
  // as well as the core's: replaced whole, under the mutex, when governance changes it.
  mutable std::mutex members_mutex;
  std::shared_ptr<const MemberTable> members;
  std::shared_ptr<const MemberTable> Members() const;
  // Core thread: publishes the core's table and disconnects members that are no longer current.
  void PublishMembers(const MemberTable& table);

  // Members ↔ connected transport peers (core thread only).
  std::map<MemberIndex, net::PeerId> member_peers;
  std::map<net::PeerId, MemberIndex> peer_members;
  // Core thread: queue a peer message through the transport, logging each one it did not queue
  // (too large for a frame, send queue full) with the member and the message type.
  void Send(const net::PeerId& peer, ByteView frame);
  void Broadcast(ByteView frame);

  // Refused frames per peer (core thread only): a token bucket; a peer that empties it is
  // penalised (disconnected, counted as a protocol violation) and starts afresh.
  struct RefusalBudget {
    double tokens = 0;
    std::int64_t updated_milliseconds = 0;
  };
  std::map<net::PeerId, RefusalBudget> refusal_budgets;
  // Charges `frames` refused frames to `peer`; true when its budget is exhausted.
  bool ChargeRefusal(const net::PeerId& peer, std::int64_t now_milliseconds, double frames = 1);
  // Charges what NodeCore reported against members (NodeOutbox::misbehaviour) to their peers.
  void ChargeMisbehaviour(const std::vector<Misbehaviour>& reports, std::int64_t now_milliseconds);

  // Peer address exchange (core thread only). Each node tells every member that connects where
  // it listens and which members' addresses it knows; a node dials the members it learns of.
  std::map<std::string, PeerAddress> address_book;          // member name → its listen address
  std::set<std::pair<std::string, std::uint16_t>> dialled;  // configured and learned host:port
  std::optional<PeerAddress> own_address;                   // empty: listening on wildcards only
  Bytes AddressBookFrame() const;
  // Takes in a kPeerAddresses payload from `from`: a member's word about itself replaces what a
  // relay said; a relay only fills gaps. Dials every newly known member that is not connected.
  Status LearnAddresses(MemberIndex from, ByteView payload);

  // CRL reload: a thread polls the CRL file and hands new versions to the transport.
  std::optional<RevocationListWatcher> revocation_watcher;
  std::thread revocation_thread;
  std::mutex revocation_mutex;
  std::condition_variable revocation_wake;
  bool revocation_stopping = false;
  void WatchRevocationList();
  void StopWatchingRevocationList();

  void Post(std::function<void(NodeCore&)> task);
  void RunCore();
  void Dispatch(NodeOutbox outbox, std::int64_t now_milliseconds);
};

// Wall-clock time in Unix milliseconds: consensus uses real time (proposer-based timestamps).
std::int64_t NowMilliseconds();

// The /v1 API routes.
http::Router MakeApiRouter(Daemon::State& state);

}  // namespace rightchain::node
