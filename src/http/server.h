// Server: an HTTP/1.1 server (Boost.Beast) with limits on everything a client controls.
// Beast's headers stay inside server.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "http/router.h"

namespace rightchain::http {

struct ServerOptions {
  std::string bind_address = "127.0.0.1";  // "::1", "::" and "0.0.0.0" work too
  std::uint16_t port = 0;                  // 0: the system picks one (see Server::port)
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 2 * 1024 * 1024;
  std::size_t max_connections = 256;
  // A request must arrive completely within this time, or the connection is closed.
  std::uint32_t request_timeout_milliseconds = 10'000;
  // An idle keep-alive connection is closed after this time.
  std::uint32_t idle_timeout_milliseconds = 30'000;
  std::size_t threads = 1;
};

// What a connection makes of the bytes a client sent before closing its side: the first request
// (Beast's parser under `options`' header and body limits, the target split into path and query,
// header names in lower case), or the error response the connection answers with, or neither
// when the client sent nothing. A connection takes the same steps on its stream; this is the way
// in for tests and the fuzz target (fuzz/http_request_fuzz.cc).
struct ParsedRequest {
  std::optional<Request> request;
  std::optional<Response> error;
};
ParsedRequest ParseRequestBytes(std::string_view bytes, const ServerOptions& options);

class Server {
 public:
  // Binds and starts serving on its own threads; a bind failure (port in use, bad address)
  // comes back as an error naming the address.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, Router router);
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  // Stops accepting, closes connections and joins the threads. Idempotent.
  void Stop();

 private:
  struct State;
  explicit Server(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace rightchain::http
