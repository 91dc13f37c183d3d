#include "node/daemon.h"
#include "base/file.h"

#include <chrono>
#include <filesystem>

#include "consensus/suite_signer.h"
#include "crypto/domain.h"
#include "log/log.h"
#include "node/daemon_state.h"
#include "node/genesis_file.h"
#include "node/wire.h"
#include "pki/certificate.h"
#include "pki/private_key.h"
#include "pki/revocation_list.h"

namespace rightchain::node {
namespace {

constexpr std::int64_t kTickIntervalMilliseconds = 500;
constexpr std::size_t kMaxRememberedExpired = 100'000;
// Refused frames a peer may send: a burst, refilled at a rate. An honest member's frames are
// refused rarely (a stale vote, a block already held); a flood of them is malformed or hostile.
constexpr double kRefusedFrameBurst = 100;
constexpr double kRefusedFramesPerSecond = 10;
// What an honest member never sends costs more than a refused frame (docs/node.md): a forged
// transaction signature (it checks what it gossips) or a block response that does not verify.
// Ten of either empty a full budget; the refill forgives one a second.
constexpr double kForgedTransactionCostFrames = 10;
constexpr double kInvalidBlockResponseCostFrames = 10;
constexpr std::string_view kBindingDomainType = "rightchain/transport-binding";
constexpr std::string_view kDefaultRevocationListName = "ca.crl";
// Frames of one peer that may wait for the core thread before its socket stops being read. An
// honest member sends a few frames per round. The check follows each frame, so one frame larger
// than the byte bound (a block of up to 64 MiB) still gets through: a peer's share is at most the
// bound plus one frame, not twice the largest frame (which would be 144 MiB per peer).
constexpr std::size_t kInboundFramesPerPeer = 1024;
constexpr std::size_t kInboundBytesPerPeer = std::size_t{8} << 20;

// The statement a member's consensus key signs to bind it to its transport certificate:
// DomainTag("rightchain/transport-binding") ‖ u8 length ‖ chain id ‖ certificate fingerprint.
Bytes BindingMessage(std::string_view chain_id, ByteView fingerprint) {
  Bytes message = crypto::DomainTag(kBindingDomainType);
  message.push_back(static_cast<std::uint8_t>(chain_id.size()));
  message.insert(message.end(), chain_id.begin(), chain_id.end());
  message.insert(message.end(), fingerprint.begin(), fingerprint.end());
  return message;
}

// Logs a peer message the transport did not queue (it counts it too): a message no frame can carry
// or one a full send queue refused is a warning, naming the member and the message type; a peer
// that disconnected meanwhile is routine (delivery is at most once).
void ReportUnsent(const std::map<net::PeerId, MemberIndex>& peer_members, const MemberTable& table,
                  const net::PeerId& peer, ByteView frame, const Status& reason) {
  const auto member = peer_members.find(peer);
  const std::string name = member != peer_members.end() && member->second < table.size()
                               ? table.at(member->second).name
                               : "with certificate " + peer;
  const int type = frame.empty() ? 0 : frame[0];
  if (reason.code() == ErrorCode::kUnavailable) {
    log::For("net")->debug("peer message {} to {} not sent: {}", type, name, reason.ToString());
    return;
  }
  log::For("net")->warn("peer message {} of {} bytes to {} dropped: {}", type, frame.size(), name,
                        reason.ToString());
}

}  // namespace

std::int64_t NowMilliseconds() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool Daemon::State::ChargeRefusal(const net::PeerId& peer, std::int64_t now_milliseconds, double frames) {
  auto [budget, inserted] =
      refusal_budgets.try_emplace(peer, RefusalBudget{kRefusedFrameBurst, now_milliseconds});
  RefusalBudget& bucket = budget->second;
  const double elapsed_seconds =
      static_cast<double>(std::max<std::int64_t>(0, now_milliseconds - bucket.updated_milliseconds)) / 1000;
  bucket.tokens = std::min(kRefusedFrameBurst, bucket.tokens + elapsed_seconds * kRefusedFramesPerSecond);
  bucket.updated_milliseconds = now_milliseconds;
  if (bucket.tokens >= frames) {
    bucket.tokens -= frames;
    return false;
  }
  refusal_budgets.erase(budget);
  return true;
}

void Daemon::State::ChargeMisbehaviour(const std::vector<Misbehaviour>& reports,
                                       std::int64_t now_milliseconds) {
  for (const Misbehaviour& report : reports) {
    const auto peer = member_peers.find(report.member);
    if (peer == member_peers.end()) continue;  // gone already
    const double cost = report.kind == Misbehaviour::Kind::kForgedTransaction
                            ? kForgedTransactionCostFrames
                            : kInvalidBlockResponseCostFrames;
    log::For("net")->debug("member {} {}", report.member, report.reason);
    if (ChargeRefusal(peer->second, now_milliseconds, cost * report.count)) {
      log::For("net")->warn("disconnecting member {}: {}", report.member, report.reason);
      transport->Penalize(peer->second, Status::PermissionDenied(report.reason));
    }
  }
}

std::shared_ptr<const MemberTable> Daemon::State::Members() const {
  std::lock_guard lock(members_mutex);
  return members;
}

void Daemon::State::PublishMembers(const MemberTable& table) {
  {
    std::lock_guard lock(members_mutex);
    members = std::make_shared<const MemberTable>(table);
  }
  // Governance removed them: they may no longer take part (their certificates may still be valid).
  for (const auto& [member, peer] : member_peers) {
    if (member < table.size() && !table.at(member).current) {
      log::For("net")->info("disconnecting {}: no longer a member", table.at(member).name);
      transport->Penalize(peer, Status::PermissionDenied("no longer a member of the consortium"));
    }
  }
}

Bytes Daemon::State::AddressBookFrame() const {
  std::vector<MemberAddress> addresses;
  if (own_address.has_value()) addresses.push_back({config.name, own_address->host, own_address->port});
  for (const auto& [name, address] : address_book) {
    if (addresses.size() == kMaxPeerAddresses) break;
    if (name != config.name) addresses.push_back({name, address.host, address.port});
  }
  return EncodeWire(WireType::kPeerAddresses, EncodePeerAddresses(addresses));
}

Status Daemon::State::LearnAddresses(MemberIndex from, ByteView payload) {
  RC_ASSIGN_OR_RETURN(const std::vector<MemberAddress> addresses, DecodePeerAddresses(payload));
  const std::shared_ptr<const MemberTable> table = Members();
  if (from >= table->size()) return Status::InvalidArgument("addresses from an unknown member");
  const std::string& sender = table->at(from).name;
  bool learned = false;
  for (const MemberAddress& entry : addresses) {
    const std::optional<MemberIndex> member = table->FindByName(entry.name);
    if (entry.name == config.name || !member.has_value()) continue;
    const auto known = address_book.find(entry.name);
    const PeerAddress address{entry.host, entry.port};
    if (known != address_book.end() && (entry.name != sender || known->second == address)) continue;
    address_book[entry.name] = address;
    learned = true;
    if (member_peers.contains(*member) || !dialled.emplace(entry.host, entry.port).second) continue;
    log::For("net")->info("dialling {} at {} (address from {})", entry.name, FormatPeerAddress(address),
                          sender);
    transport->AddPeer(entry.host, entry.port);
  }
  if (learned) Broadcast(AddressBookFrame());
  return Status::Ok();
}

void Daemon::State::Post(std::function<void(NodeCore&)> task) {
  {
    std::lock_guard lock(mutex);
    if (stopping) return;
    tasks.push_back(std::move(task));
  }
  wake.notify_one();
}

void Daemon::State::Send(const net::PeerId& peer, ByteView frame) {
  const Status sent = transport->Send(peer, frame);
  if (!sent.ok()) ReportUnsent(peer_members, *Members(), peer, frame, sent);
}

void Daemon::State::Broadcast(ByteView frame) {
  const net::BroadcastResult result = transport->Broadcast(frame);
  if (result.refused.empty()) return;
  const std::shared_ptr<const MemberTable> table = Members();
  for (const auto& [peer, reason] : result.refused) ReportUnsent(peer_members, *table, peer, frame, reason);
}

void Daemon::State::PostFrame(const net::PeerId& peer, Bytes frame) {
  const std::size_t bytes = frame.size();
  {
    std::lock_guard lock(mutex);
    if (stopping) return;
    tasks.push_back([this, peer, bytes, frame = std::move(frame)](NodeCore&) {
      FrameTaken(peer, bytes);
      HandleFrame(peer, frame);
    });
    InboundQueue& queue = inbound[peer];
    ++queue.frames;
    queue.bytes += bytes;
    queued_frame_bytes += bytes;
    peak_queued_frame_bytes = std::max(peak_queued_frame_bytes, queued_frame_bytes);
    // Under the mutex, so FrameTaken cannot resume before this pause.
    if (queue.frames >= inbound_limit_frames || queue.bytes >= inbound_limit_bytes) {
      queue.paused = true;
      transport->PauseReading(peer);
    }
  }
  wake.notify_one();
}

void Daemon::State::FrameTaken(const net::PeerId& peer, std::size_t bytes) {
  std::lock_guard lock(mutex);
  queued_frame_bytes -= bytes;
  const auto found = inbound.find(peer);
  RC_ASSERT(found != inbound.end());
  InboundQueue& queue = found->second;
  --queue.frames;
  queue.bytes -= bytes;
  if (queue.paused && queue.frames <= inbound_limit_frames / 2 && queue.bytes <= inbound_limit_bytes / 2) {
    queue.paused = false;
    transport->ResumeReading(peer);
  }
  if (queue.frames == 0 && !queue.paused) inbound.erase(found);
}

void Daemon::State::HandleFrame(const net::PeerId& peer, const Bytes& frame) {
  const auto member = peer_members.find(peer);
  if (member == peer_members.end()) return;
  const std::int64_t now = NowMilliseconds();
  const Status handled = !frame.empty() && frame[0] == static_cast<std::uint8_t>(WireType::kPeerAddresses)
                             ? LearnAddresses(member->second, ByteView(frame).subspan(1))
                             : core->HandlePeerFrame(member->second, frame, now);
  if (handled.ok()) return;
  log::For("net")->debug("frame from {} refused: {}", member->second, handled.ToString());
  if (ChargeRefusal(peer, now)) {
    log::For("net")->warn("disconnecting member {}: too many refused messages (last: {})", member->second,
                          handled.ToString());
    transport->Penalize(peer, Status::PermissionDenied("too many refused messages"));
  }
}

void Daemon::State::Dispatch(NodeOutbox outbox, std::int64_t now_milliseconds) {
  for (OutgoingFrame& frame : outbox.frames) {
    if (!frame.to.has_value()) {
      Broadcast(frame.frame);
      continue;
    }
    const auto peer = member_peers.find(*frame.to);
    if (peer != member_peers.end()) Send(peer->second, frame.frame);
  }
  for (const consensus::Timer& timer : outbox.timers) {
    timers.push({now_milliseconds + timer.delay_ms, timer_sequence++, timer});
  }
  if (outbox.members_changed) PublishMembers(core->members());
  ChargeMisbehaviour(outbox.misbehaviour, now_milliseconds);
  if (time_stamps != nullptr) time_stamps->Settle(outbox, *core, now_milliseconds);
  for (const CommittedBlock& block : outbox.committed) {
    log::For("node")->info("committed height {} with {} transactions", block.height, block.receipts.size());
  }
  for (const crypto::Digest& id : outbox.expired) {
    if (expired.insert(id).second) expired_order.push_back(id);
    while (expired_order.size() > kMaxRememberedExpired) {
      expired.erase(expired_order.front());
      expired_order.pop_front();
    }
  }
  for (const auto& evidence : outbox.evidence) {
    log::For("consensus")
        ->warn("equivocation by validator {} at height {}", evidence.first.validator, evidence.first.height);
  }
}

void Daemon::State::RunCore() {
  const auto logger = log::For("node");
  {
    const std::int64_t now = NowMilliseconds();
    if (const Status started = core->Start(now); !started.ok()) {
      logger->critical("consensus could not start: {}", started.ToString());
      std::abort();
    }
    Dispatch(core->TakeOutbox(), now);
    next_tick_milliseconds = now + kTickIntervalMilliseconds;
  }
  for (;;) {
    std::deque<std::function<void(NodeCore&)>> batch;
    {
      std::unique_lock lock(mutex);
      const std::int64_t now = NowMilliseconds();
      std::int64_t next = next_tick_milliseconds;
      if (!timers.empty()) next = std::min(next, timers.top().at_milliseconds);
      wake.wait_for(lock, std::chrono::milliseconds(std::max<std::int64_t>(0, next - now)),
                    [&] { return stopping || !tasks.empty(); });
      if (stopping) return;
      batch.swap(tasks);
    }
    for (auto& task : batch) task(*core);
    const std::int64_t now = NowMilliseconds();
    while (!timers.empty() && timers.top().at_milliseconds <= now) {
      const consensus::Timer timer = timers.top().timer;
      timers.pop();
      core->HandleTimer(timer, now);
    }
    if (now >= next_tick_milliseconds) {
      core->Tick(now);
      next_tick_milliseconds = now + kTickIntervalMilliseconds;
    }
    Dispatch(core->TakeOutbox(), now);
  }
}

void Daemon::State::WatchRevocationList() {
  const auto logger = log::For("net");
  std::unique_lock lock(revocation_mutex);
  for (;;) {
    revocation_wake.wait_for(lock, std::chrono::milliseconds(kRevocationListPollMilliseconds),
                             [&] { return revocation_stopping; });
    if (revocation_stopping) return;
    Result<std::optional<pki::RevocationList>> polled = revocation_watcher->Poll();
    if (!polled.ok()) {
      logger->warn("revocation list not reloaded, the previous one stays in force: {}",
                   polled.status().ToString());
      continue;
    }
    if (!polled->has_value()) continue;
    const pki::RevocationList& list = **polled;
    const std::size_t revoked = list.RevokedSerialsHex().size();
    const std::uint64_t number = list.Number().value_or(0);
    // The transport refuses a list of another CA and an older one (a CRL number not higher).
    if (const Status updated = transport->UpdateRevocationList(list); !updated.ok()) {
      logger->warn("revocation list {} refused, the previous one stays in force: {}",
                   revocation_watcher->path().string(), updated.ToString());
      continue;
    }
    logger->info("revocation list {} reloaded: CRL number {}, {} certificates revoked",
                 revocation_watcher->path().string(), number, revoked);
    if (const Status kept = revocation_watcher->Keep(list); !kept.ok()) {
      logger->warn("revocation list {} is in force but not kept for restarts: {}",
                   revocation_watcher->path().string(), kept.ToString());
    }
  }
}

void Daemon::State::StopWatchingRevocationList() {
  {
    std::lock_guard lock(revocation_mutex);
    revocation_stopping = true;
  }
  revocation_wake.notify_all();
  if (revocation_thread.joinable()) revocation_thread.join();
}

Daemon::Daemon(std::unique_ptr<State> state) : state_(std::move(state)) {}
Daemon::~Daemon() {
  Stop();
}

namespace {

// An encrypted PKCS#8 key and its passphrase file (the passphrase is the file's first line).
Result<crypto::PrivateKey> LoadEncryptedKey(const std::filesystem::path& key_file,
                                            const std::filesystem::path& passphrase_file,
                                            std::string_view what) {
  const auto context = [&](const Status& status) {
    return status.WithContext(std::string(what) + " " + key_file.string());
  };
  Result<std::string> passphrase = ReadFile(passphrase_file, 4096);
  if (!passphrase.ok()) return context(passphrase.status());
  passphrase->resize(passphrase->find_last_not_of("\r\n") + 1);
  Result<std::string> pem = ReadFile(key_file, 64 * 1024);
  if (!pem.ok()) return context(pem.status());
  Result<crypto::PrivateKey> key = crypto::PrivateKey::FromPem(*pem, *passphrase);
  if (!key.ok()) return context(key.status());
  return key;
}

}  // namespace

Result<std::unique_ptr<Daemon>> Daemon::Start(const NodeConfig& config) {
  auto state = std::make_unique<State>();
  state->config = config;
  RC_ASSIGN_OR_RETURN(state->genesis, LoadGenesisFile(config.genesis_file));
  const exec::Genesis& genesis = state->genesis;

  // Consensus key: one file, encrypted. Whether it is the key the chain names for this node is
  // checked once the chain store is open (governance may have admitted the node since genesis).
  Result<crypto::PrivateKey> key =
      LoadEncryptedKey(config.consensus_key_file, config.consensus_key_passphrase_file, "consensus key");
  if (!key.ok()) return key.status();

  // Transport identity.
  RC_ASSIGN_OR_RETURN(pki::Certificate certificate,
                      pki::Certificate::LoadFile(config.transport_certificate_file));
  RC_ASSIGN_OR_RETURN(pki::PrivateKey transport_key, pki::PrivateKey::LoadFile(config.transport_key_file));
  RC_ASSIGN_OR_RETURN(pki::Certificate authority, pki::Certificate::LoadFile(config.ca_certificate_file));
  // The CRL: the configured file, else the network's ca.crl beside the CA certificate. It must
  // exist, and is watched while the node runs; the newest list accepted is kept in the data
  // directory, so neither a reload nor a restart goes back to an older one.
  state->revocation_watcher.emplace(
      config.crl_file.empty() ? config.ca_certificate_file.parent_path() / kDefaultRevocationListName
                              : config.crl_file,
      config.data_directory / kKeptRevocationListName);
  RC_ASSIGN_OR_RETURN(pki::RevocationList revocation_list, state->revocation_watcher->LoadAtStart(authority));
  const pki::Fingerprint own_fingerprint = certificate.GetFingerprint();
  RC_ASSIGN_OR_RETURN(const crypto::Signature binding,
                      key->Sign(BindingMessage(genesis.chain_id, own_fingerprint)));

  // Store and core.
  std::error_code directory_error;
  std::filesystem::create_directories(config.data_directory, directory_error);
  if (directory_error) {
    return Status::IoError("cannot create data directory " + config.data_directory.string() + ": " +
                           directory_error.message());
  }
  Result<std::unique_ptr<ledger::ChainStore>> store =
      ledger::ChainStore::Open(config.data_directory / "chain", crypto::GetSuite(genesis.suite).hash);
  if (!store.ok()) return store.status().WithContext("opening the chain store");
  state->store = std::move(store).value();
  if (const auto& tsa = config.time_stamp_authority) {
    Result<timestamp::TimeStampAuthority> time_stamping =
        timestamp::TimeStampAuthority::LoadFiles(tsa->certificate_file.string(), tsa->key_file.string());
    if (!time_stamping.ok()) return time_stamping.status().WithContext("time-stamping authority");
    RC_ASSIGN_OR_RETURN(crypto::PrivateKey account_key,
                        LoadEncryptedKey(tsa->account_key_file, tsa->account_key_passphrase_file,
                                         "time-stamping account key"));
    if (account_key.scheme() != crypto::GetSuite(genesis.suite).signature) {
      return Status::InvalidArgument("time-stamping account key " + tsa->account_key_file.string() +
                                     " is not of the chain's signature scheme");
    }
    state->time_stamps = std::make_unique<TimeStampService>(std::move(time_stamping).value(),
                                                            std::move(account_key), genesis.chain_id);
  }
  NodeCoreOptions core_options;
  core_options.passive_exit_heights = config.passive_exit_heights;
  RC_ASSIGN_OR_RETURN(state->core,
                      NodeCore::Create(genesis, std::move(key).value(), *state->store, core_options));
  const MemberTable& table = state->core->members();
  if (const std::optional<MemberIndex> named = table.FindByName(config.name)) {
    if (state->core->member_index() != named) {
      return Status::InvalidArgument("consensus key " + config.consensus_key_file.string() +
                                     " is not the key the chain names for '" + config.name + "'");
    }
  } else if (state->core->member_index().has_value()) {
    return Status::InvalidArgument("consensus key " + config.consensus_key_file.string() + " belongs to '" +
                                   table.at(*state->core->member_index()).name + "', not to '" + config.name +
                                   "'");
  } else {
    log::For("node")->warn(
        "'{}' is not a member of chain {} yet: it syncs once governance admits it "
        "(rightchain gov propose add-member) and members accept its connections",
        config.name, genesis.chain_id);
  }
  state->members = std::make_shared<const MemberTable>(table);

  // Transport: members only, each bound to its consensus key by a signed hello.
  net::TransportConfig transport{std::move(certificate), std::move(transport_key), std::move(authority)};
  transport.revocation_list = std::move(revocation_list);
  transport.listen_addresses = config.listen_addresses;
  transport.listen_port = config.port;
  // Frames carry any peer message (the largest is a block response: a block of the governance
  // ceiling plus its certificate), not only what the genesis max_block_bytes allows: governance may
  // raise that parameter while the node runs, and a syncing node fetches blocks made under any
  // value the chain ever had. Each send queue holds two of the largest.
  transport.max_frame_size_bytes = kMaxWireMessageSize + net::kFrameKindSize;
  transport.send_queue_limit_bytes =
      std::max<std::size_t>(transport.send_queue_limit_bytes, 2 * transport.max_frame_size_bytes);
  State* raw_state = state.get();
  transport.is_member = [raw_state](const net::PeerIdentity& peer) {
    return raw_state->Members()->FindByName(peer.common_name).has_value();
  };
  transport.make_hello = [binding](const net::PeerIdentity&) {
    return Bytes(binding.begin(), binding.end());
  };
  transport.check_hello = [raw_state](const net::PeerIdentity& peer, ByteView hello) -> Status {
    const exec::Genesis& genesis = raw_state->genesis;
    const std::shared_ptr<const MemberTable> table = raw_state->Members();
    const std::optional<MemberIndex> member = table->FindByName(peer.common_name);
    if (!member.has_value()) return Status::PermissionDenied("not a member: " + peer.common_name);
    RC_ASSIGN_OR_RETURN(const Bytes fingerprint, HexDecode(peer.id));
    RC_ASSIGN_OR_RETURN(const crypto::PublicKey member_key,
                        crypto::PublicKey::FromRaw(crypto::GetSuite(genesis.suite).signature,
                                                   table->at(*member).consensus_public_key));
    const Status verified = member_key.Verify(BindingMessage(genesis.chain_id, fingerprint), hello);
    if (!verified.ok()) {
      return Status::PermissionDenied("transport certificate of '" + peer.common_name +
                                      "' is not bound to its consensus key");
    }
    return Status::Ok();
  };
  transport.on_peer_connected = [raw_state](const net::PeerIdentity& peer, net::Direction direction) {
    const auto member = raw_state->Members()->FindByName(peer.common_name);
    if (!member.has_value()) return;
    log::For("net")->info("peer {} connected ({}, certificate {})", peer.common_name,
                          direction == net::Direction::kInbound ? "inbound" : "outbound", peer.id);
    raw_state->Post([raw_state, member = *member, id = peer.id](NodeCore&) {
      raw_state->member_peers[member] = id;
      raw_state->peer_members[id] = member;
      raw_state->Send(id, raw_state->AddressBookFrame());
    });
  };
  transport.on_peer_disconnected = [raw_state](const net::PeerId& peer, const Status& reason) {
    log::For("net")->info("peer with certificate {} disconnected: {}", peer, reason.ToString());
    raw_state->Post([raw_state, peer](NodeCore&) {
      const auto found = raw_state->peer_members.find(peer);
      if (found == raw_state->peer_members.end()) return;
      if (raw_state->member_peers[found->second] == peer) raw_state->member_peers.erase(found->second);
      raw_state->peer_members.erase(found);
    });
  };
  // Refused or failed connections (wrong CA, not a member, bad hello, unreachable): the peer's
  // certificate is not trusted, so only its address is named.
  transport.on_connection_failed = [](const std::string& address, const Status& reason) {
    log::For("net")->info("connection with {} failed: {}", address, reason.ToString());
  };
  transport.on_message = [raw_state](const net::PeerId& peer, ByteView payload) {
    raw_state->PostFrame(peer, Bytes(payload.begin(), payload.end()));
  };
  state->inbound_limit_frames = kInboundFramesPerPeer;
  state->inbound_limit_bytes = kInboundBytesPerPeer;
  Result<std::unique_ptr<net::Transport>> started = net::Transport::Start(std::move(transport));
  if (!started.ok()) return started.status().WithContext("starting the transport");
  state->transport = std::move(started).value();
  for (const PeerAddress& peer : config.peers) {
    state->dialled.emplace(peer.host, peer.port);
    state->transport->AddPeer(peer.host, peer.port);
  }
  // Announce a concrete listen address (a wildcard says nothing to a peer).
  for (const std::string& address : config.listen_addresses) {
    if (address == "0.0.0.0" || address == "::") continue;
    state->own_address = PeerAddress{address, state->transport->listening_port()};
    break;
  }

  // API.
  http::ServerOptions api_options;
  api_options.bind_address = config.api_address;
  api_options.port = config.api_port;
  api_options.max_body_bytes = codec::kMaxSignedTransactionEncodedSize * 2 + 1024;  // hex in JSON doubles it
  api_options.threads = 2;
  Result<std::unique_ptr<http::Server>> api = http::Server::Start(api_options, MakeApiRouter(*state));
  if (!api.ok()) {
    state->transport->Stop();
    return api.status().WithContext("starting the API");
  }
  state->api = std::move(api).value();

#ifdef RIGHTCHAIN_BENCH_UNSIGNED
  log::For("node")->critical(
      "BENCHMARK BUILD: this node does not check transaction signatures; never use it "
      "in a real network");
#endif
  state->core_thread = std::thread([raw_state] { raw_state->RunCore(); });
  state->revocation_thread = std::thread([raw_state] { raw_state->WatchRevocationList(); });
  log::For("node")->info("{} started: chain {}, transport port {}, API http://{}:{}", config.name,
                         genesis.chain_id, state->transport->listening_port(), config.api_address,
                         state->api->port());
  return std::unique_ptr<Daemon>(new Daemon(std::move(state)));
}

void Daemon::Stop() {
  if (!state_) return;
  state_->StopWatchingRevocationList();
  if (state_->api) state_->api->Stop();
  if (state_->transport) state_->transport->Stop();
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->wake.notify_all();
  if (state_->core_thread.joinable()) state_->core_thread.join();
}

std::uint16_t Daemon::api_port() const {
  return state_->api->port();
}
std::uint16_t Daemon::transport_port() const {
  return state_->transport->listening_port();
}
void Daemon::PostTask(std::function<void(NodeCore&)> task) {
  state_->Post(std::move(task));
}

Daemon::QueueUsage Daemon::queue_usage() const {
  std::lock_guard lock(state_->mutex);
  return {state_->tasks.size(), state_->queued_frame_bytes, state_->peak_queued_frame_bytes};
}

}  // namespace rightchain::node
