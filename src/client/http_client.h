// A small synchronous HTTP/1.1 client for the node API (plain HTTP, meant for loopback).
// One request per connection; Boost.Beast stays inside http_client.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace rightchain::client {

inline constexpr std::size_t kDefaultMaxResponseBytes = std::size_t{64} << 20;  // 64 MiB
inline constexpr std::size_t kMaxResponseHeaderBytes = 64 * 1024;
inline constexpr std::uint32_t kDefaultTimeoutMilliseconds = 10'000;
inline constexpr std::size_t kMaxUrlSize = 4096;

// "http://host:port/target": host is a name, an IPv4 address or "[ipv6]"; the port defaults to 80.
struct Url {
  std::string host;  // without brackets
  std::uint16_t port = 80;
  std::string target = "/";  // path and query
  // "host:port" with IPv6 hosts in brackets, for messages.
  std::string Authority() const;
};
Result<Url> ParseUrl(std::string_view url);

struct HttpRequestOptions {
  // The whole exchange (resolve, connect, send, receive) must finish within this time.
  std::uint32_t timeout_milliseconds = kDefaultTimeoutMilliseconds;
  // A larger response body is refused (kLimitExceeded) without reading it all.
  std::size_t max_response_bytes = kDefaultMaxResponseBytes;
};

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

// Any HTTP status is a successful exchange; errors are transport failures:
// connection refused or timed out → kUnavailable naming the address; a response over the
// limit → kLimitExceeded; a malformed response → kCorruption; a bad URL → kInvalidArgument.
Result<HttpResponse> Get(std::string_view url, const HttpRequestOptions& options = {});
Result<HttpResponse> Post(std::string_view url, std::string_view content_type, std::string_view body,
                          const HttpRequestOptions& options = {});

}  // namespace rightchain::client
