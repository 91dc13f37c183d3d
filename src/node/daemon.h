// Daemon: the rightchaind process's parts, assembled from a NodeConfig: the chain store, the node
// core on its own thread, the mutual-TLS transport to the other members, and the HTTP API.
//
// Threads: one core thread owns NodeCore and everything it touches; the transport's I/O thread
// and the API's threads hand work to it as tasks (PostTask) and never touch the core directly.
#pragma once

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

  struct State;

 private:
  explicit Daemon(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace rightchain::node
