#include "http/server.h"

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "base/assert.h"

namespace rightchain::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr std::string_view kServerName = "rightchain";

Response ParseErrorResponse(const beast::error_code& error) {
  if (error == bhttp::error::body_limit) {
    return ErrorResponse(413, "payload_too_large", "request body exceeds the limit");
  }
  if (error == bhttp::error::header_limit) {
    return ErrorResponse(431, "headers_too_large", "request headers exceed the limit");
  }
  return ErrorResponse(400, "bad_request", "malformed HTTP request: " + error.message());
}

using RequestParser = bhttp::request_parser<bhttp::string_body>;

void LimitParser(RequestParser& parser, const ServerOptions& options) {
  parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  parser.body_limit(options.max_body_bytes);
}

// The parsed message as a plain Request (without the remote address, which only a socket knows).
Request ToRequest(const bhttp::request<bhttp::string_body>& message) {
  Request request;
  request.method = std::string(message.method_string());
  const std::string_view target(message.target().data(), message.target().size());
  const std::size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers[name] = std::string(field.value());
  }
  request.body = message.body();
  return request;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const ServerOptions& options, const Router& router,
          std::shared_ptr<std::atomic<std::size_t>> connection_count)
      : stream_(std::move(socket)),
        options_(options),
        router_(router),
        connection_count_(std::move(connection_count)) {}

  // The count is shared: a session kept alive by a late responder may outlive the server.
  ~Session() { connection_count_->fetch_sub(1); }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadRequest(); });
  }

 private:
  void ReadRequest() {
    parser_.emplace();
    LimitParser(*parser_, options_);
    // The first byte of a keep-alive request may take the idle timeout; the whole request must
    // then arrive within the request timeout (a slow sender cannot hold a connection forever).
    stream_.expires_after(std::chrono::milliseconds(
        requests_served_ == 0 ? options_.request_timeout_milliseconds : options_.idle_timeout_milliseconds));
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code error, std::size_t) { self->OnRead(error); });
  }

  void OnRead(beast::error_code error) {
    if (error == bhttp::error::end_of_stream || error == beast::error::timeout || error == asio::error::eof ||
        error == asio::error::connection_reset || error == asio::error::operation_aborted) {
      Close();
      return;
    }
    if (error) {
      keep_alive_ = false;
      Send(ParseErrorResponse(error));
      return;
    }
    stream_.expires_never();
    const bhttp::request<bhttp::string_body>& message = parser_->get();
    keep_alive_ = message.keep_alive();
    Request request = ToRequest(message);
    beast::error_code endpoint_error;
    const tcp::endpoint remote = stream_.socket().remote_endpoint(endpoint_error);
    if (!endpoint_error) request.remote_address = remote.address().to_string();

    // The handler may answer from another thread; hop back onto this connection's strand.
    auto answered = std::make_shared<std::atomic<bool>>(false);
    router_.Dispatch(request, [self = shared_from_this(), answered](Response response) {
      RC_ASSERT_MSG(!answered->exchange(true), "a handler answered twice");
      asio::post(self->stream_.get_executor(),
                 [self, response = std::move(response)]() mutable { self->Send(std::move(response)); });
    });
  }

  void Send(Response response) {
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
    message->version(11);
    message->result(static_cast<unsigned>(response.status));
    message->set(bhttp::field::server, std::string(kServerName));
    message->set(bhttp::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) message->set(name, value);
    message->body() = std::move(response.body);
    message->keep_alive(keep_alive_);
    message->prepare_payload();
    stream_.expires_after(std::chrono::milliseconds(options_.request_timeout_milliseconds));
    bhttp::async_write(
        stream_, *message,
        [self = shared_from_this(), message](beast::error_code error, std::size_t) { self->OnWrite(error); });
  }

  void OnWrite(beast::error_code error) {
    ++requests_served_;
    if (error || !keep_alive_) {
      Close();
      return;
    }
    ReadRequest();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  const ServerOptions& options_;
  const Router& router_;
  std::shared_ptr<std::atomic<std::size_t>> connection_count_;
  bool keep_alive_ = false;
  std::size_t requests_served_ = 0;
};

}  // namespace

ParsedRequest ParseRequestBytes(std::string_view bytes, const ServerOptions& options) {
  RequestParser parser;
  LimitParser(parser, options);
  // As bhttp::async_read does on a stream: the whole message at once, then the end of the stream.
  parser.eager(true);
  asio::const_buffer rest(bytes.data(), bytes.size());
  beast::error_code error;
  while (!parser.is_done() && rest.size() > 0) {
    const std::size_t used = parser.put(rest, error);
    rest += used;
    if (error == bhttp::error::need_more) {
      error = {};
      break;  // the client closed before the message was complete
    }
    if (error) break;
    if (used == 0) break;
  }
  if (!error && !parser.is_done()) {
    if (!parser.got_some()) return {};  // nothing sent: the connection closes without an answer
    parser.put_eof(error);
  }
  if (error) return {.request = std::nullopt, .error = ParseErrorResponse(error)};
  return {.request = ToRequest(parser.get()), .error = std::nullopt};
}

struct Server::State {
  // Declaration order matters: sessions still queued in io_context are destroyed with it and
  // touch options, router and connection_count, which must outlive it.
  ServerOptions options;
  Router router;
  std::shared_ptr<std::atomic<std::size_t>> connection_count = std::make_shared<std::atomic<std::size_t>>(0);
  asio::io_context io_context;
  tcp::acceptor acceptor{io_context};
  std::vector<std::thread> threads;
  std::atomic<bool> stopped{false};
  std::uint16_t port = 0;

  void Accept() {
    acceptor.async_accept(asio::make_strand(io_context), [this](beast::error_code error, tcp::socket socket) {
      if (error) {
        if (error == asio::error::operation_aborted) return;
      } else if (connection_count->load() >= options.max_connections) {
        // Over the limit: refuse at once rather than queue without bound.
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        connection_count->fetch_add(1);
        std::make_shared<Session>(std::move(socket), options, router, connection_count)->Start();
      }
      if (!stopped.load()) Accept();
    });
  }
};

Server::Server(std::unique_ptr<State> state) : state_(std::move(state)) {}

Server::~Server() {
  Stop();
}

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Router router) {
  RC_ASSERT(options.threads >= 1 && options.threads <= 64);
  auto state = std::make_unique<State>();
  state->options = options;
  state->router = std::move(router);
  beast::error_code error;
  const asio::ip::address address = asio::ip::make_address(options.bind_address, error);
  if (error) return Status::InvalidArgument("invalid bind address '" + options.bind_address + "'");
  const tcp::endpoint endpoint(address, options.port);
  const std::string where = options.bind_address + " port " + std::to_string(options.port);
  state->acceptor.open(endpoint.protocol(), error);
  if (error) return Status::IoError("cannot open a socket for " + where + ": " + error.message());
  state->acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (address.is_v6()) state->acceptor.set_option(asio::ip::v6_only(true), error);
  state->acceptor.bind(endpoint, error);
  if (error) return Status::IoError("cannot listen on " + where + ": " + error.message());
  state->acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) return Status::IoError("cannot listen on " + where + ": " + error.message());
  state->port = state->acceptor.local_endpoint().port();
  state->Accept();
  for (std::size_t i = 0; i < options.threads; ++i) {
    state->threads.emplace_back([raw = state.get()] { raw->io_context.run(); });
  }
  return std::unique_ptr<Server>(new Server(std::move(state)));
}

std::uint16_t Server::port() const {
  return state_->port;
}

void Server::Stop() {
  if (!state_ || state_->stopped.exchange(true)) return;
  state_->io_context.stop();
  for (std::thread& thread : state_->threads) {
    if (thread.joinable()) thread.join();
  }
  // No thread runs the context any more: close the listening socket now, so that the port
  // refuses connections at once instead of queueing them unanswered.
  beast::error_code ignored;
  state_->acceptor.close(ignored);
}

}  // namespace rightchain::http
