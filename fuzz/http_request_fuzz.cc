// Arbitrary bytes as what an API client sends on a connection before closing it: parsed as the
// server parses them (http::ParseRequestBytes: Beast's parser under small header and body
// limits, the target split into path and query, header names lower-cased), then routed as the
// node's router routes, with the query decoded as the handlers decode it. A request within the
// limits comes out whole; anything else is one error response a client can read (valid JSON).
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/assert.h"
#include "http/router.h"
#include "http/server.h"

using namespace rightchain;

namespace {

// Small limits, so that inputs of a few kilobytes reach them.
constexpr std::size_t kFuzzMaxHeaderBytes = 1024;
constexpr std::size_t kFuzzMaxBodyBytes = 2048;

// Every response body the server writes must parse as JSON (a client reads the error's code).
void CheckJsonBody(const http::Response& response) {
  if (response.content_type != "application/json") return;
  const nlohmann::json body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  RC_ASSERT_MSG(!body.is_discarded(), "response body is not JSON: " + response.body);
}

// A decoded parameter must survive the API's JSON encoding (error messages quote them).
void CheckEscapes(const std::string& text) {
  const http::Response response = http::ErrorResponse(400, "invalid_argument", text);
  CheckJsonBody(response);
}

http::Router MakeRouter() {
  http::Router router;
  const auto echo = [](const http::Request& request) {
    http::Response response;
    response.body = "{}";
    for (const auto& [name, value] : request.path_parameters) {
      RC_ASSERT(!name.empty() && !value.empty() && value.find('/') == std::string::npos);
    }
    return response;
  };
  router.Add("GET", "/v1/status", http::SimpleHandler(echo));
  router.Add("GET", "/v1/blocks/{height}", http::SimpleHandler(echo));
  router.Add("GET", "/v1/records/{id}/proof", http::SimpleHandler(echo));
  router.Add("POST", "/v1/transactions", http::SimpleHandler(echo));
  router.Add("POST", "/v1/records/{id}/proof", http::SimpleHandler(echo));
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const http::Router router = MakeRouter();
  http::ServerOptions options;
  options.max_header_bytes = kFuzzMaxHeaderBytes;
  options.max_body_bytes = kFuzzMaxBodyBytes;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  http::ParsedRequest parsed = http::ParseRequestBytes(bytes, options);
  RC_ASSERT(!(parsed.request.has_value() && parsed.error.has_value()));
  if (parsed.error.has_value()) {
    RC_ASSERT(parsed.error->status == 400 || parsed.error->status == 413 || parsed.error->status == 431);
    CheckJsonBody(*parsed.error);
    return 0;
  }
  if (!parsed.request.has_value()) {
    RC_ASSERT(size == 0);  // only a silent client gets no answer
    return 0;
  }
  http::Request& request = *parsed.request;
  RC_ASSERT(request.body.size() <= kFuzzMaxBodyBytes);
  RC_ASSERT(request.path.find('?') == std::string::npos);
  RC_ASSERT(request.path.size() + request.query.size() <= size);
  for (const auto& [name, value] : request.headers) {
    for (const char c : name) RC_ASSERT(!(c >= 'A' && c <= 'Z'));
  }

  // Query decoding as the handlers use it: names they ask for, and the first name in the query.
  for (const std::string_view name : {"after", "limit", "item", "index", "size", "content_hash"}) {
    const std::string value = request.QueryParameter(name);
    RC_ASSERT(value.size() <= request.query.size());
    CheckEscapes(value);
  }
  const std::string first_name(request.query.substr(0, request.query.find_first_of("=&")));
  (void)request.QueryParameter(first_name);

  int answers = 0;
  router.Dispatch(request, [&answers](http::Response response) {
    ++answers;
    RC_ASSERT(response.status == 200 || response.status == 404 || response.status == 405);
    CheckJsonBody(response);
  });
  RC_ASSERT(answers == 1);
  return 0;
}
