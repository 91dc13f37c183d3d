// Daemon: the rightchaind process's parts, assembled from a NodeConfig: the chain store, the node
// core on its own thread, the mutual-TLS transport to the other members, and the HTTP API.
//
// Threads: one core thread owns NodeCore and everything it touches; the transport's I/O thread
// and the API's threads hand work to it as tasks (PostTask) and never touch the core directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "base/status.h"
#include "node/node_config.h"

namespace rightchain::node {

class NodeCore;

class Daemon {
 public:
  // Loads keys, certificates and genesis, opens the store, binds the transport and the API.
  // Every configuration problem comes back as a clear error and nothing keeps running.
  static Result<std::unique_ptr<Daemon>> Start(const NodeConfig& config);
  ~Daemon();  // Stop()
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Stops the API, the transport and the core thread, in that order. Idempotent.
  void Stop();

  std::uint16_t api_port() const;
  std::uint16_t transport_port() const;

  // Runs `task` on the core thread with the node core (for the API and tests).
  void PostTask(std::function<void(NodeCore&)> task);

  // What waits between the transport's thread and the core thread (for metrics and tests).
  struct QueueUsage {
    std::size_t tasks = 0;                    // core-thread tasks waiting, of every kind
    std::size_t queued_frame_bytes = 0;       // peer frames among them
    std::size_t peak_queued_frame_bytes = 0;  // the most there has been since start
  };
  QueueUsage queue_usage() const;

  struct State;

 private:
  explicit Daemon(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace rightchain::node
