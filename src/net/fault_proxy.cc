#include "net/fault_proxy.h"

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <deque>
#include <mutex>
#include <random>
#include <thread>

#include "base/assert.h"

namespace rightchain::net {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kChunkBytes = 16 * 1024;
// Reading pauses while this much waits in one direction (the proxy never buffers without bound).
constexpr std::size_t kMaxQueuedBytes = 4u << 20;
// While partitioned, held bytes are looked at again this often.
constexpr auto kPartitionPoll = std::chrono::milliseconds(20);

}  // namespace

// Owned by the FaultProxy; links and handlers point at it, and its thread is joined before it goes.
struct detail::FaultProxyState {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  tcp::endpoint target;
  std::mutex mutex;
  FaultPlan plan;
  std::mt19937_64 random;
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> resets{0};
  std::thread thread;

  // What happens to one chunk: held until `deliver_at`, or the connection reset.
  struct Decision {
    bool reset = false;
    Clock::duration delay{};
  };
  Decision Decide() {
    std::lock_guard lock(mutex);
    Decision decision;
    std::uniform_int_distribution<std::uint32_t> per_mille(0, 999);
    if (plan.reset_per_mille > 0 && per_mille(random) < plan.reset_per_mille) {
      decision.reset = true;
      return decision;
    }
    const std::uint32_t low = plan.min_delay_milliseconds;
    const std::uint32_t high = std::max(plan.max_delay_milliseconds, low);
    std::uint32_t milliseconds = std::uniform_int_distribution<std::uint32_t>(low, high)(random);
    if (plan.loss_per_mille > 0 && per_mille(random) < plan.loss_per_mille) {
      milliseconds += plan.retransmission_timeout_milliseconds;
    }
    decision.delay = std::chrono::milliseconds(milliseconds);
    return decision;
  }
  bool partitioned() {
    std::lock_guard lock(mutex);
    return plan.partitioned;
  }

  void Accept();
};

namespace {

// One connection: two sockets and a pipe each way.
struct Link : std::enable_shared_from_this<Link> {
  struct Chunk {
    Clock::time_point deliver_at;
    std::vector<char> bytes;
  };
  struct Pipe {
    tcp::socket* from = nullptr;
    tcp::socket* to = nullptr;
    std::deque<Chunk> queue;
    std::size_t queued_bytes = 0;
    Clock::time_point last_delivery{};
    bool reading = false;
    bool writing = false;
    bool eof = false;
    std::array<char, kChunkBytes> buffer{};
    std::unique_ptr<asio::steady_timer> timer;
  };

  Link(detail::FaultProxyState* proxy, tcp::socket accepted)
      : state(proxy), client(std::move(accepted)), server(proxy->io) {
    up.from = &client;
    up.to = &server;
    down.from = &server;
    down.to = &client;
    up.timer = std::make_unique<asio::steady_timer>(proxy->io);
    down.timer = std::make_unique<asio::steady_timer>(proxy->io);
  }

  void Start() {
    server.async_connect(state->target, [self = shared_from_this()](const boost::system::error_code& error) {
      if (error) return self->Close();
      self->Read(self->up);
      self->Read(self->down);
    });
  }

  void Close() {
    if (closed) return;
    closed = true;
    boost::system::error_code ignored;
    client.close(ignored);
    server.close(ignored);
    up.timer->cancel();
    down.timer->cancel();
  }

  void Read(Pipe& pipe) {
    if (closed || pipe.reading || pipe.eof || pipe.queued_bytes >= kMaxQueuedBytes) return;
    pipe.reading = true;
    pipe.from->async_read_some(
        asio::buffer(pipe.buffer),
        [self = shared_from_this(), &pipe](const boost::system::error_code& error, std::size_t n) {
          pipe.reading = false;
          if (self->closed) return;
          if (error) {
            pipe.eof = true;  // deliver what is queued, then pass the end on
            self->Pump(pipe);
            return;
          }
          const detail::FaultProxyState::Decision decision = self->state->Decide();
          if (decision.reset) {
            ++self->state->resets;
            self->Close();
            return;
          }
          const Clock::time_point at = std::max(pipe.last_delivery, Clock::now() + decision.delay);
          pipe.last_delivery = at;  // TCP keeps order: a later chunk never overtakes an earlier one
          pipe.queue.push_back({at, std::vector<char>(pipe.buffer.begin(), pipe.buffer.begin() + n)});
          pipe.queued_bytes += n;
          self->Pump(pipe);
          self->Read(pipe);
        });
  }

  void Pump(Pipe& pipe) {
    if (closed || pipe.writing) return;
    if (pipe.queue.empty()) {
      if (pipe.eof) {
        boost::system::error_code ignored;
        pipe.to->shutdown(tcp::socket::shutdown_send, ignored);
        if (up.eof && down.eof && up.queue.empty() && down.queue.empty()) Close();
      }
      return;
    }
    const bool held = state->partitioned();
    const Clock::time_point now = Clock::now();
    if (held || pipe.queue.front().deliver_at > now) {
      pipe.timer->expires_at(held ? now + kPartitionPoll : pipe.queue.front().deliver_at);
      pipe.writing = true;  // the timer stands for the write in flight
      pipe.timer->async_wait([self = shared_from_this(), &pipe](const boost::system::error_code&) {
        pipe.writing = false;
        self->Pump(pipe);
      });
      return;
    }
    pipe.writing = true;
    asio::async_write(
        *pipe.to, asio::buffer(pipe.queue.front().bytes),
        [self = shared_from_this(), &pipe](const boost::system::error_code& error, std::size_t n) {
          pipe.writing = false;
          if (error) return self->Close();
          pipe.queued_bytes -= n;
          pipe.queue.pop_front();
          self->Pump(pipe);
          self->Read(pipe);
        });
  }

  detail::FaultProxyState* state;
  tcp::socket client;
  tcp::socket server;
  Pipe up;
  Pipe down;
  bool closed = false;
};

}  // namespace

void detail::FaultProxyState::Accept() {
  acceptor.async_accept([this](const boost::system::error_code& error, tcp::socket socket) {
    if (error) return;  // stopped
    ++accepted;
    std::make_shared<Link>(this, std::move(socket))->Start();
    Accept();
  });
}

Result<std::unique_ptr<FaultProxy>> FaultProxy::Start(const std::string& listen_host,
                                                      std::uint16_t listen_port,
                                                      const std::string& target_host,
                                                      std::uint16_t target_port, FaultPlan plan) {
  auto state = std::make_shared<detail::FaultProxyState>();
  state->plan = plan;
  state->random.seed(plan.seed);
  boost::system::error_code error;
  const asio::ip::address listen_address = asio::ip::make_address(listen_host, error);
  if (error) return Status::InvalidArgument("fault proxy: bad listen address " + listen_host);
  const asio::ip::address target_address = asio::ip::make_address(target_host, error);
  if (error) return Status::InvalidArgument("fault proxy: bad target address " + target_host);
  state->target = tcp::endpoint(target_address, target_port);
  const tcp::endpoint endpoint(listen_address, listen_port);
  state->acceptor.open(endpoint.protocol(), error);
  if (!error) state->acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) state->acceptor.bind(endpoint, error);
  if (!error) state->acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return Status::Unavailable("fault proxy: cannot listen on " + listen_host + ":" +
                               std::to_string(listen_port) + ": " + error.message());
  }
  state->Accept();
  state->thread = std::thread([state_pointer = state.get()] { state_pointer->io.run(); });
  return std::unique_ptr<FaultProxy>(new FaultProxy(std::move(state)));
}

FaultProxy::FaultProxy(std::shared_ptr<detail::FaultProxyState> state) : state_(std::move(state)) {}

FaultProxy::~FaultProxy() {
  Stop();
}

std::uint16_t FaultProxy::port() const {
  boost::system::error_code error;
  return state_->acceptor.local_endpoint(error).port();
}

void FaultProxy::SetPlan(const FaultPlan& plan) {
  std::lock_guard lock(state_->mutex);
  state_->plan = plan;
}

std::uint64_t FaultProxy::connections_accepted() const {
  return state_->accepted;
}

std::uint64_t FaultProxy::connections_reset() const {
  return state_->resets;
}

void FaultProxy::Stop() {
  if (!state_->thread.joinable()) return;
  state_->io.stop();
  state_->thread.join();
}

}  // namespace rightchain::net
