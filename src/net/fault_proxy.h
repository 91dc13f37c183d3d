// FaultProxy: a TCP proxy for fault tests (docs/network.md, "Fault tests"). It stands between two
// nodes and does to the byte stream what a bad network does to TCP: delay (with jitter), stalls
// that stand for lost segments being retransmitted, connection resets, and partitions that hold
// every byte until healed. This kernel has no netem, so the faults are made in user space; a
// TLS stream cannot be duplicated or reordered from outside without breaking it, and TCP hides
// duplication and reordering from its user anyway: what reaches the node is delay.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"

namespace rightchain::net {
namespace detail {
struct FaultProxyState;
}

struct FaultPlan {
  std::uint32_t min_delay_milliseconds = 0;  // every chunk is held at least this long...
  std::uint32_t max_delay_milliseconds = 0;  // ...and at most this long (uniform), order kept
  // Per chunk: the probability (per mille) that it is "lost" and held one more retransmission
  // timeout, like TCP recovering a lost segment.
  std::uint32_t loss_per_mille = 0;
  std::uint32_t retransmission_timeout_milliseconds = 200;
  // Per chunk: the probability (per mille) that the connection is reset instead.
  std::uint32_t reset_per_mille = 0;
  bool partitioned = false;  // hold every byte (both ways) until healed; connections stay open
  std::uint64_t seed = 1;
};

class FaultProxy {
 public:
  // Listens on `listen_host`:`listen_port` (0: the system picks) and forwards each connection to
  // `target_host`:`target_port`.
  static Result<std::unique_ptr<FaultProxy>> Start(const std::string& listen_host, std::uint16_t listen_port,
                                                   const std::string& target_host, std::uint16_t target_port,
                                                   FaultPlan plan);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  std::uint16_t port() const;
  // Takes effect for every chunk read from now on (a partition also holds chunks already queued).
  void SetPlan(const FaultPlan& plan);
  std::uint64_t connections_accepted() const;
  std::uint64_t connections_reset() const;
  void Stop();

 private:
  explicit FaultProxy(std::shared_ptr<detail::FaultProxyState> state);
  std::shared_ptr<detail::FaultProxyState> state_;
};

}  // namespace rightchain::net
