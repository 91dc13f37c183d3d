// The fault proxy does to a byte stream what it promises: delay at least the minimum (order kept),
// hold everything during a partition and deliver it after, and reset connections.
#include "net/fault_proxy.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace rightchain::net {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// An echo server on loopback, one thread per connection. Every thread is joined before the
// server goes: a detached one would close its socket after the io_context it belongs to is gone
// (a double free, seen once in CI).
class EchoServer {
 public:
  EchoServer() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this] {
      for (;;) {
        auto socket = std::make_shared<tcp::socket>(io_);
        boost::system::error_code error;
        acceptor_.accept(*socket, error);
        if (error) return;
        std::lock_guard lock(mutex_);
        connections_.push_back(socket);
        connection_threads_.emplace_back([socket] {
          std::array<char, 4096> buffer{};
          boost::system::error_code read_error;
          for (;;) {
            const std::size_t n = socket->read_some(asio::buffer(buffer), read_error);
            if (read_error) return;
            asio::write(*socket, asio::buffer(buffer.data(), n), read_error);
            if (read_error) return;
          }
        });
      }
    });
  }
  ~EchoServer() {
    // shutdown(2) wakes a thread blocked in accept(2) or read(2); closing the socket under it
    // would not.
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    thread_.join();
    for (const auto& socket : connections_) ::shutdown(socket->native_handle(), SHUT_RDWR);
    for (std::thread& connection : connection_threads_) connection.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<tcp::socket>> connections_;
  std::vector<std::thread> connection_threads_;
  std::thread thread_;
};

struct Client {
  asio::io_context io;
  tcp::socket socket{io};
  explicit Client(std::uint16_t port) {
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  // Sends `text` and reads the same number of bytes back; "" on a closed connection.
  std::string RoundTrip(const std::string& text) {
    boost::system::error_code error;
    asio::write(socket, asio::buffer(text), error);
    if (error) return "";
    std::string reply(text.size(), '\0');
    asio::read(socket, asio::buffer(reply), error);
    return error ? "" : reply;
  }
};

TEST(FaultProxyTest, DelaysEveryChunkAtLeastTheMinimumAndKeepsOrder) {
  EchoServer echo;
  FaultPlan plan;
  plan.min_delay_milliseconds = 40;
  plan.max_delay_milliseconds = 60;
  auto proxy = FaultProxy::Start("127.0.0.1", 0, "127.0.0.1", echo.port(), plan);
  ASSERT_TRUE(proxy.ok()) << proxy.status().ToString();
  Client client((*proxy)->port());
  for (int i = 0; i < 5; ++i) {
    const auto start = Clock::now();
    const std::string message = "message " + std::to_string(i) + std::string(1000 * i, 'x');
    EXPECT_EQ(client.RoundTrip(message), message);
    // Both directions pass the proxy: a round trip is held at least twice the minimum.
    EXPECT_GE(Clock::now() - start, std::chrono::milliseconds(80));
  }
  EXPECT_EQ((*proxy)->connections_accepted(), 1u);
}

TEST(FaultProxyTest, APartitionHoldsBytesUntilItHeals) {
  EchoServer echo;
  auto proxy = FaultProxy::Start("127.0.0.1", 0, "127.0.0.1", echo.port(), FaultPlan{});
  ASSERT_TRUE(proxy.ok());
  Client client((*proxy)->port());
  EXPECT_EQ(client.RoundTrip("before"), "before");
  FaultPlan partitioned;
  partitioned.partitioned = true;
  (*proxy)->SetPlan(partitioned);
  std::string reply;
  std::atomic<bool> answered{false};
  std::thread reader([&] {
    reply = client.RoundTrip("during the partition");
    answered = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(answered);  // nothing came back while partitioned
  (*proxy)->SetPlan(FaultPlan{});
  reader.join();
  EXPECT_EQ(reply, "during the partition");  // held, not lost: the connection survived
  EXPECT_EQ((*proxy)->connections_reset(), 0u);
}

TEST(FaultProxyTest, ResetsConnectionsAtTheGivenRate) {
  EchoServer echo;
  FaultPlan plan;
  plan.reset_per_mille = 1000;  // every chunk
  auto proxy = FaultProxy::Start("127.0.0.1", 0, "127.0.0.1", echo.port(), plan);
  ASSERT_TRUE(proxy.ok());
  Client client((*proxy)->port());
  EXPECT_EQ(client.RoundTrip("reset me"), "");
  EXPECT_EQ((*proxy)->connections_reset(), 1u);
  (*proxy)->SetPlan(FaultPlan{});
  Client again((*proxy)->port());
  EXPECT_EQ(again.RoundTrip("fine now"), "fine now");
}

TEST(FaultProxyTest, RefusesBadAddresses) {
  EXPECT_FALSE(FaultProxy::Start("not an address", 0, "127.0.0.1", 1, FaultPlan{}).ok());
  EXPECT_FALSE(FaultProxy::Start("127.0.0.1", 0, "nowhere", 1, FaultPlan{}).ok());
}

}  // namespace
}  // namespace rightchain::net
