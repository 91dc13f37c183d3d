#include "client/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>

namespace rightchain::client {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kScheme = "http://";

Result<std::uint16_t> ParsePort(std::string_view text) {
  if (text.empty() || text.size() > 5)
    return Status::InvalidArgument("URL has a bad port '" + std::string(text) + "'");
  std::uint32_t port = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return Status::InvalidArgument("URL has a bad port '" + std::string(text) + "'");
    port = port * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (port == 0 || port > 65535) return Status::InvalidArgument("URL port must be 1..65535");
  return static_cast<std::uint16_t>(port);
}

// Runs one exchange as asynchronous operations on a private io_context, so that a single
// deadline covers resolving, connecting, writing and reading.
class Exchange {
 public:
  Exchange(const Url& url, const HttpRequestOptions& options)
      : url_(url),
        options_(options),
        resolver_(context_),
        stream_(context_),
        deadline_(Clock::now() + std::chrono::milliseconds(options.timeout_milliseconds)) {}

  Result<HttpResponse> Run(bhttp::request<bhttp::string_body> request) {
    request_ = std::move(request);
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(kMaxResponseHeaderBytes));
    parser_->body_limit(options_.max_response_bytes);
    resolver_.async_resolve(url_.host, std::to_string(url_.port),
                            [this](beast::error_code error, tcp::resolver::results_type results) {
                              OnResolve(error, std::move(results));
                            });
    // The resolver has no timeout of its own: bound the whole run.
    context_.run_until(deadline_ + std::chrono::milliseconds(100));
    if (!done_) {
      stream_.cancel();
      return Status::Unavailable("request to " + url_.Authority() + " timed out after " +
                                 std::to_string(options_.timeout_milliseconds) + " ms");
    }
    if (!status_.ok()) return status_;
    HttpResponse response;
    const auto& message = parser_->get();
    response.status = static_cast<int>(message.result_int());
    const auto content_type = message.find(bhttp::field::content_type);
    if (content_type != message.end()) response.content_type = std::string(content_type->value());
    response.body = std::move(parser_->get().body());
    return response;
  }

 private:
  void Arm() { stream_.expires_at(deadline_); }

  void Finish(Status status) {
    done_ = true;
    status_ = std::move(status);
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  Status TransportError(std::string_view what, const beast::error_code& error) const {
    if (error == beast::error::timeout) {
      return Status::Unavailable(std::string(what) + " " + url_.Authority() + " timed out after " +
                                 std::to_string(options_.timeout_milliseconds) + " ms");
    }
    return Status::Unavailable(std::string(what) + " " + url_.Authority() + ": " + error.message());
  }

  void OnResolve(beast::error_code error, tcp::resolver::results_type results) {
    if (error) return Finish(TransportError("cannot resolve", error));
    Arm();
    stream_.async_connect(
        results, [this](beast::error_code connect_error, const tcp::endpoint&) { OnConnect(connect_error); });
  }

  void OnConnect(beast::error_code error) {
    if (error) return Finish(TransportError("cannot connect to", error));
    Arm();
    bhttp::async_write(stream_, request_,
                       [this](beast::error_code write_error, std::size_t) { OnWrite(write_error); });
  }

  void OnWrite(beast::error_code error) {
    if (error) return Finish(TransportError("cannot send request to", error));
    Arm();
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [this](beast::error_code read_error, std::size_t) { OnHeader(read_error); });
  }

  void OnHeader(beast::error_code error) {
    if (error) return OnRead(error);
    // A declared length over the limit is refused before any of the body is read.
    const auto declared_length = parser_->content_length();
    if (declared_length && *declared_length > options_.max_response_bytes)
      return OnRead(bhttp::error::body_limit);
    Arm();
    bhttp::async_read(stream_, buffer_, *parser_,
                      [this](beast::error_code read_error, std::size_t) { OnRead(read_error); });
  }

  void OnRead(beast::error_code error) {
    if (error == bhttp::error::body_limit) {
      return Finish(Status::LimitExceeded("response from " + url_.Authority() + " exceeds " +
                                          std::to_string(options_.max_response_bytes) + " bytes"));
    }
    if (error == bhttp::error::header_limit) {
      return Finish(Status::LimitExceeded("response headers from " + url_.Authority() + " exceed " +
                                          std::to_string(kMaxResponseHeaderBytes) + " bytes"));
    }
    if (error == bhttp::error::end_of_stream || error == asio::error::eof) {
      return Finish(
          Status::Unavailable(url_.Authority() + " closed the connection before a complete response"));
    }
    if (error && error.category() == beast::error_code(bhttp::error::end_of_stream).category()) {
      return Finish(
          Status::Corruption("malformed HTTP response from " + url_.Authority() + ": " + error.message()));
    }
    if (error) return Finish(TransportError("cannot read response from", error));
    Finish(Status::Ok());
  }

  const Url url_;
  const HttpRequestOptions options_;
  asio::io_context context_;
  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> request_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
  const Clock::time_point deadline_;
  bool done_ = false;
  Status status_;
};

Result<HttpResponse> Perform(std::string_view url_text, bhttp::verb method, std::string_view content_type,
                             std::string_view body, const HttpRequestOptions& options) {
  RC_ASSIGN_OR_RETURN(const Url url, ParseUrl(url_text));
  if (options.timeout_milliseconds == 0) return Status::InvalidArgument("HTTP timeout must be positive");
  bhttp::request<bhttp::string_body> request{method, url.target, 11};
  request.set(bhttp::field::host, url.Authority());
  request.set(bhttp::field::user_agent, "rightchain-client");
  request.set(bhttp::field::accept, "application/json");
  request.keep_alive(false);
  if (method == bhttp::verb::post) {
    request.set(bhttp::field::content_type, std::string(content_type));
    request.body() = std::string(body);
    request.prepare_payload();
  }
  // Beast and Asio report errors by error_code here; anything thrown (allocation) stops at this boundary.
  try {
    Exchange exchange(url, options);
    return exchange.Run(std::move(request));
  } catch (const std::exception& error) {
    return Status::Internal("HTTP request to " + url.Authority() + " failed: " + error.what());
  }
}

}  // namespace

std::string Url::Authority() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<Url> ParseUrl(std::string_view text) {
  if (text.size() > kMaxUrlSize) return Status::InvalidArgument("URL is longer than the limit");
  if (text.substr(0, kScheme.size()) != kScheme) {
    return Status::InvalidArgument("URL '" + std::string(text) + "' must start with http://");
  }
  std::string_view rest = text.substr(kScheme.size());
  const std::size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  Url url;
  url.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1) {
      return Status::InvalidArgument("URL '" + std::string(text) + "' has a bad IPv6 host");
    }
    url.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':')
        return Status::InvalidArgument("URL '" + std::string(text) + "' has a bad host");
      port_text = after.substr(1);
      if (port_text.empty())
        return Status::InvalidArgument("URL '" + std::string(text) + "' has an empty port");
    }
  } else {
    const std::size_t colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty())
        return Status::InvalidArgument("URL '" + std::string(text) + "' has an empty port");
    }
  }
  if (url.host.empty()) return Status::InvalidArgument("URL '" + std::string(text) + "' has no host");
  for (const char c : url.host) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                         c == '.' || c == '-' || c == ':' || c == '%';
    if (!allowed) return Status::InvalidArgument("URL '" + std::string(text) + "' has a bad host");
  }
  for (const char c : url.target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return Status::InvalidArgument("URL path must not contain spaces or control characters");
    }
  }
  if (!port_text.empty()) {
    RC_ASSIGN_OR_RETURN(url.port, ParsePort(port_text));
  }
  return url;
}

Result<HttpResponse> Get(std::string_view url, const HttpRequestOptions& options) {
  return Perform(url, bhttp::verb::get, {}, {}, options);
}

Result<HttpResponse> Post(std::string_view url, std::string_view content_type, std::string_view body,
                          const HttpRequestOptions& options) {
  return Perform(url, bhttp::verb::post, content_type, body, options);
}

}  // namespace rightchain::client
