#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"

namespace rightchain::http {
namespace {

// A deliberately raw client: tests must be able to send malformed and hostile bytes.
class RawClient {
 public:
  RawClient(const std::string& address, std::uint16_t port) {
    const bool v6 = address.find(':') != std::string::npos;
    fd_ = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    timeval timeout{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (v6) {
      sockaddr_in6 target{};
      target.sin6_family = AF_INET6;
      target.sin6_port = htons(port);
      inet_pton(AF_INET6, address.c_str(), &target.sin6_addr);
      connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&target), sizeof target) == 0;
    } else {
      sockaddr_in target{};
      target.sin_family = AF_INET;
      target.sin_port = htons(port);
      inet_pton(AF_INET, address.c_str(), &target.sin_addr);
      connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&target), sizeof target) == 0;
    }
  }
  ~RawClient() { close(fd_); }
  bool connected() const { return connected_; }

  void Send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }
  // Reads until the peer closes or a full response (by Content-Length) has arrived.
  std::string ReadResponse() {
    std::string data;
    char buffer[4096];
    for (;;) {
      const std::size_t header_end = data.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        const std::size_t length_at = data.find("Content-Length: ");
        if (length_at != std::string::npos && length_at < header_end) {
          const std::size_t length = std::stoul(data.substr(length_at + 16));
          if (data.size() >= header_end + 4 + length) return data.substr(0, header_end + 4 + length);
        }
      }
      const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return data;
      data.append(buffer, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

int StatusOf(const std::string& response) {
  if (response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

std::string BodyOf(const std::string& response) {
  const std::size_t header_end = response.find("\r\n\r\n");
  return header_end == std::string::npos ? std::string() : response.substr(header_end + 4);
}

// Threads answering /v1/later; joined by the test that uses it before its server is destroyed.
struct LateAnswerThreads {
  std::mutex mutex;
  std::vector<std::thread> threads;
  void JoinAll() {
    std::vector<std::thread> joining;
    {
      std::lock_guard lock(mutex);
      joining.swap(threads);
    }
    for (std::thread& thread : joining) thread.join();
  }
};
LateAnswerThreads& LateAnswers() {
  static LateAnswerThreads late_answers;
  return late_answers;
}

Router TestRouter() {
  Router router;
  router.Add("GET", "/v1/blocks/{height}", [](const Request& request) {
    Response response;
    response.body = "{\"height\":" + request.path_parameters.at("height") + ",\"format\":\"" +
                    request.QueryParameter("format") + "\"}";
    return response;
  });
  router.Add("POST", "/v1/echo", [](const Request& request) {
    Response response;
    response.content_type = "application/octet-stream";
    response.body = request.body;
    return response;
  });
  // Answers later, from another thread, as a handler waiting for a commit would. The thread is
  // joined before the server goes (LateAnswers): a responder must not outlive its server, and a
  // detached thread could drop its copy after the server's io_context is gone.
  router.Add("GET", "/v1/later", Handler([](Request&, Responder respond) {
               std::lock_guard lock(LateAnswers().mutex);
               LateAnswers().threads.emplace_back([respond = std::move(respond)] {
                 std::this_thread::sleep_for(std::chrono::milliseconds(20));
                 Response response;
                 response.body = "{\"late\":true}";
                 respond(std::move(response));
               });
             }));
  return router;
}

std::unique_ptr<Server> StartServer(ServerOptions options = {}) {
  auto server = Server::Start(options, TestRouter());
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  return std::move(server).value();
}

TEST(HttpServerTest, RoutesWithPathAndQueryParameters) {
  auto server = StartServer();
  RawClient client("127.0.0.1", server->port());
  ASSERT_TRUE(client.connected());
  client.Send("GET /v1/blocks/42?format=json%20text HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string response = client.ReadResponse();
  EXPECT_EQ(StatusOf(response), 200);
  EXPECT_EQ(BodyOf(response), "{\"height\":42,\"format\":\"json text\"}");
}

TEST(HttpServerTest, ServesIpv6Loopback) {
  ServerOptions options;
  options.bind_address = "::1";
  auto server = StartServer(options);
  RawClient client("::1", server->port());
  ASSERT_TRUE(client.connected());
  client.Send("GET /v1/blocks/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(client.ReadResponse()), 200);
}

TEST(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  auto server = StartServer();
  RawClient client("127.0.0.1", server->port());
  for (int i = 0; i < 3; ++i) {
    client.Send("POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
    const std::string response = client.ReadResponse();
    EXPECT_EQ(StatusOf(response), 200);
    EXPECT_EQ(BodyOf(response), "hello");
  }
}

TEST(HttpServerTest, UnknownPathIs404AndWrongMethodIs405WithJsonError) {
  auto server = StartServer();
  {
    RawClient client("127.0.0.1", server->port());
    client.Send("GET /v1/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const std::string response = client.ReadResponse();
    EXPECT_EQ(StatusOf(response), 404);
    EXPECT_NE(BodyOf(response).find("\"code\":\"not_found\""), std::string::npos);
  }
  {
    RawClient client("127.0.0.1", server->port());
    client.Send("DELETE /v1/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const std::string response = client.ReadResponse();
    EXPECT_EQ(StatusOf(response), 405);
    EXPECT_NE(response.find("Allow: POST"), std::string::npos);
  }
}

// A path that is not UTF-8 (Beast accepts any byte above 0x7f in a target) is quoted in the 404's
// message: the body must still be JSON a client can parse, with the bad bytes replaced.
TEST(HttpServerTest, ErrorBodyStaysJsonForAPathThatIsNotUtf8) {
  auto server = StartServer();
  RawClient client("127.0.0.1", server->port());
  client.Send("GET /v1/\xff\xc3(\xe2\x82 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string response = client.ReadResponse();
  EXPECT_EQ(StatusOf(response), 404);
  const nlohmann::json body = nlohmann::json::parse(BodyOf(response), nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(body.is_discarded()) << BodyOf(response);
  EXPECT_EQ(body["code"], "not_found");
  EXPECT_EQ(body["message"], "no such endpoint: /v1/\ufffd\ufffd(\ufffd\ufffd");
}

TEST(HttpServerTest, OversizedBodyIs413AndServerKeepsServing) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  auto server = StartServer(options);
  {
    RawClient client("127.0.0.1", server->port());
    client.Send("POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n" +
                std::string(2048, 'a'));
    EXPECT_EQ(StatusOf(client.ReadResponse()), 413);
  }
  RawClient client("127.0.0.1", server->port());
  client.Send("GET /v1/blocks/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(client.ReadResponse()), 200);
}

TEST(HttpServerTest, OversizedHeadersAre431) {
  ServerOptions options;
  options.max_header_bytes = 512;
  auto server = StartServer(options);
  RawClient client("127.0.0.1", server->port());
  client.Send("GET /v1/blocks/1 HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'b') + "\r\n\r\n");
  EXPECT_EQ(StatusOf(client.ReadResponse()), 431);
}

TEST(HttpServerTest, GarbageGets400) {
  auto server = StartServer();
  RawClient client("127.0.0.1", server->port());
  // A TLS record header, with its NUL byte, then text: sizeof keeps the NUL and stops at the end.
  static constexpr char kGarbage[] = "\x16\x03\x01\x02\x00garbage that is not http\r\n\r\n";
  client.Send(std::string(kGarbage, sizeof kGarbage - 1));
  EXPECT_EQ(StatusOf(client.ReadResponse()), 400);
}

TEST(HttpServerTest, SlowRequestIsCutOffAtTheTimeout) {
  ServerOptions options;
  options.request_timeout_milliseconds = 200;
  auto server = StartServer(options);
  RawClient client("127.0.0.1", server->port());
  client.Send("GET /v1/blocks/1 HTTP/1.1\r\n");  // never finishes the request
  // The server closes the connection: the read ends with no response at all.
  EXPECT_EQ(client.ReadResponse(), "");
}

TEST(HttpServerTest, HandlerMayAnswerLaterFromAnotherThread) {
  auto server = StartServer();
  RawClient client("127.0.0.1", server->port());
  client.Send("GET /v1/later HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string response = client.ReadResponse();
  EXPECT_EQ(StatusOf(response), 200);
  EXPECT_EQ(BodyOf(response), "{\"late\":true}");
  LateAnswers().JoinAll();
}

TEST(HttpServerTest, PortInUseIsAClearError) {
  auto first = StartServer();
  ServerOptions options;
  options.port = first->port();
  const auto second = Server::Start(options, TestRouter());
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("cannot listen on 127.0.0.1 port"), std::string::npos)
      << second.status().ToString();
}

TEST(HttpServerTest, BadBindAddressIsAClearError) {
  ServerOptions options;
  options.bind_address = "not-an-address";
  const auto server = Server::Start(options, TestRouter());
  EXPECT_EQ(server.status().code(), ErrorCode::kInvalidArgument);
}

TEST(HttpMessageTest, ErrorBodyEscapesText) {
  const Response response = ErrorResponse(400, "bad", "quote \" and newline \n");
  EXPECT_EQ(response.body, "{\"code\":\"bad\",\"message\":\"quote \\\" and newline \\n\",\"details\":{}}");
}

TEST(HttpMessageTest, JsonEscapeKeepsUtf8AndReplacesWhatIsNot) {
  EXPECT_EQ(JsonEscape("版权 ok \xf0\x9f\x93\x9c"), "版权 ok \xf0\x9f\x93\x9c");
  // Each byte that does not start a whole UTF-8 sequence is one U+FFFD: a stray continuation byte,
  // a truncated sequence, an overlong '/', a surrogate, a code point above U+10FFFF.
  EXPECT_EQ(JsonEscape("a\x80"
                       "b"),
            "a\\ufffdb");
  EXPECT_EQ(JsonEscape("\xe4\xb8"), "\\ufffd\\ufffd");
  EXPECT_EQ(JsonEscape("\xc0\xaf"), "\\ufffd\\ufffd");
  EXPECT_EQ(JsonEscape("\xed\xa0\x80"), "\\ufffd\\ufffd\\ufffd");
  EXPECT_EQ(JsonEscape("\xf4\x90\x80\x80"), "\\ufffd\\ufffd\\ufffd\\ufffd");
}

// The query as handlers read it: "+" is a space, %XX a byte, a malformed escape stays as it is.
TEST(HttpMessageTest, QueryParameterDecodesPercentEscapes) {
  Request request;
  request.query = "a=1&b=x%20y+z&c=%4&d=%zz&e&%66=name%2";
  EXPECT_EQ(request.QueryParameter("a"), "1");
  EXPECT_EQ(request.QueryParameter("b"), "x y z");
  EXPECT_EQ(request.QueryParameter("c"), "%4");
  EXPECT_EQ(request.QueryParameter("d"), "%zz");
  EXPECT_EQ(request.QueryParameter("e"), "");
  EXPECT_EQ(request.QueryParameter("f"), "name%2");
  EXPECT_EQ(request.QueryParameter("g"), "");
}

}  // namespace
}  // namespace rightchain::http

namespace rightchain::http {
namespace {

TEST(HttpServerStopTest, StoppedServerRefusesConnectionsAtOnce) {
  auto server = Server::Start({}, Router());
  ASSERT_TRUE(server.ok());
  const std::uint16_t port = (*server)->port();
  (*server)->Stop();
  RawClient client("127.0.0.1", port);
  EXPECT_FALSE(client.connected());
}

}  // namespace
}  // namespace rightchain::http
