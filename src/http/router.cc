#include "http/router.h"

#include <string_view>

#include "base/assert.h"

namespace rightchain::http {
namespace {

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) segments.emplace_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

bool IsParameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler) {
  RC_ASSERT(!pattern.empty() && pattern.front() == '/');
  routes_.push_back({std::move(method), SplitPath(pattern), std::move(handler)});
}

void Router::Add(std::string method, std::string pattern, SimpleHandler handler) {
  Add(std::move(method), std::move(pattern),
      Handler([handler = std::move(handler)](Request& request, Responder respond) {
        respond(handler(request));
      }));
}

void Router::Dispatch(Request& request, const Responder& respond) const {
  const std::vector<std::string> segments = SplitPath(request.path);
  std::string allowed_methods;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::map<std::string, std::string> parameters;
    bool matches = true;
    for (std::size_t i = 0; i < segments.size() && matches; ++i) {
      if (IsParameter(route.segments[i])) {
        parameters[route.segments[i].substr(1, route.segments[i].size() - 2)] = segments[i];
      } else {
        matches = route.segments[i] == segments[i];
      }
    }
    if (!matches) continue;
    if (route.method != request.method) {
      if (!allowed_methods.empty()) allowed_methods += ", ";
      allowed_methods += route.method;
      continue;
    }
    request.path_parameters = std::move(parameters);
    route.handler(request, respond);
    return;
  }
  if (!allowed_methods.empty()) {
    Response response =
        ErrorResponse(405, "method_not_allowed", request.method + " is not allowed on " + request.path);
    response.headers.emplace_back("Allow", allowed_methods);
    respond(std::move(response));
    return;
  }
  respond(ErrorResponse(404, "not_found", "no such endpoint: " + request.path));
}

}  // namespace rightchain::http
