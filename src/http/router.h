// Router: maps (method, path pattern) to handlers. Patterns are literal segments and "{name}"
// segments that capture one path segment: "/v1/blocks/{height}".
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/message.h"

namespace rightchain::http {

// A handler answers through `respond`, exactly once, from any thread and at any later time
// (so a handler may wait for a block to commit without holding a server thread), but not after
// the server is destroyed: whoever keeps responders must drop them first.
using Responder = std::function<void(Response)>;
using Handler = std::function<void(Request& request, Responder respond)>;
// The common case: answer at once.
using SimpleHandler = std::function<Response(const Request& request)>;

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler);
  void Add(std::string method, std::string pattern, SimpleHandler handler);

  // Calls the matching handler; answers 404 for an unknown path and 405 (with an Allow header)
  // for a known path with another method.
  void Dispatch(Request& request, const Responder& respond) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace rightchain::http
