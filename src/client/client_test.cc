#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "client/http_client.h"
#include "client/node_client.h"
#include "http/server.h"

namespace rightchain::client {
namespace {

constexpr std::string_view kStatusJson =
    R"({"chain_id":"rightchain-local","node":"node-2","role":"consensus","height":17,)"
    R"("block_hash":"00ff10","log_size":42,"log_root":"abcdef","peers_connected":4,"validators":5})";

// Holds a responder that a handler did not answer yet, so a test can answer it before the
// server stops.
struct PendingResponder {
  std::mutex mutex;
  std::optional<http::Responder> responder;
};

http::Router CannedRouter(const std::shared_ptr<PendingResponder>& pending) {
  http::Router router;
  router.Add("GET", "/v1/status", [](const http::Request&) {
    http::Response response;
    response.body = std::string(kStatusJson);
    return response;
  });
  router.Add("GET", "/v1/transactions/{id}", [](const http::Request& request) {
    if (request.path_parameters.at("id") == "aa01") {
      http::Response response;
      response.body =
          R"({"id":"aa01","status":"committed","height":9,"log_index":3,"receipt":{"status":"ok","result":"beef"}})";
      return response;
    }
    return http::ErrorResponse(404, "not_found",
                               "transaction " + request.path_parameters.at("id") + " is unknown");
  });
  router.Add("POST", "/v1/transactions", [](const http::Request& request) {
    if (request.Header("content-type") != "application/octet-stream") {
      return http::ErrorResponse(415, "unsupported_media_type", "binary body expected");
    }
    if (request.body.empty()) return http::ErrorResponse(400, "invalid_argument", "empty transaction");
    http::Response response;
    response.status = 202;
    response.body = R"({"id":"0102","status":"pending"})";
    return response;
  });
  router.Add("GET", "/v1/log", [](const http::Request&) {
    http::Response response;
    response.body = R"({"size":5,"root":"0a0b"})";
    return response;
  });
  router.Add("GET", "/v1/peers", [](const http::Request&) {
    http::Response response;
    response.body = R"([{"id":"ab01","name":"node-1","role":"consensus","address":"127.0.0.1:26601",)"
                    R"("connected":true,"height":17,"last_seen_ms":1700000000000,"rtt_us":120},)"
                    R"({"name":"node-3","address":"[::1]:26603","connected":false}])";
    return response;
  });
  router.Add("GET", "/v1/blocks/{height}", [](const http::Request& request) {
    http::Response response;
    response.body = "{\"height\":\"" + request.path_parameters.at("height") + "\"}";
    return response;
  });
  router.Add("GET", "/big", [](const http::Request&) {
    http::Response response;
    response.content_type = "application/octet-stream";
    response.body = std::string(2u << 20, 'x');
    return response;
  });
  router.Add("GET", "/not-json", [](const http::Request&) {
    http::Response response;
    response.body = "{\"height\": 1,";
    return response;
  });
  router.Add("GET", "/never", http::Handler([pending](http::Request&, http::Responder respond) {
               std::lock_guard lock(pending->mutex);
               pending->responder = std::move(respond);
             }));
  return router;
}

class ClientTest : public ::testing::Test {
 protected:
  void SetUp() override { server_ = Start("127.0.0.1"); }
  void TearDown() override {
    // Answer and drop a held responder while the server still exists: a responder keeps its
    // connection's session alive, and that session must not outlive the server.
    {
      std::lock_guard lock(pending_->mutex);
      if (pending_->responder) (*pending_->responder)(http::Response{});
      pending_->responder.reset();
    }
    server_.reset();
  }

  std::unique_ptr<http::Server> Start(const std::string& address) {
    http::ServerOptions options;
    options.bind_address = address;
    auto server = http::Server::Start(options, CannedRouter(pending_));
    EXPECT_TRUE(server.ok()) << server.status().ToString();
    return server.ok() ? std::move(server).value() : nullptr;
  }

  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  std::shared_ptr<PendingResponder> pending_ = std::make_shared<PendingResponder>();
  std::unique_ptr<http::Server> server_;
};

TEST(UrlTest, ParsesHostsPortsAndTargets) {
  auto url = ParseUrl("http://127.0.0.1:8600/v1/status");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 8600);
  EXPECT_EQ(url->target, "/v1/status");

  url = ParseUrl("http://[::1]:8601/v1/blocks/latest?x=1");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 8601);
  EXPECT_EQ(url->target, "/v1/blocks/latest?x=1");
  EXPECT_EQ(url->Authority(), "[::1]:8601");

  url = ParseUrl("http://localhost");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->port, 80);
  EXPECT_EQ(url->target, "/");
}

TEST(UrlTest, RejectsBadUrls) {
  for (const char* bad :
       {"https://127.0.0.1/", "127.0.0.1:80/", "http://:80/", "http://host:0/", "http://host:99999/",
        "http://host:8a/", "http://[::1/", "http://host:/", "http://ho st/", "http://h/a b"}) {
    const auto url = ParseUrl(bad);
    EXPECT_FALSE(url.ok()) << bad;
    if (!url.ok()) {
      EXPECT_EQ(url.status().code(), ErrorCode::kInvalidArgument) << bad;
    }
  }
}

TEST_F(ClientTest, GetReturnsStatusContentTypeAndBody) {
  const auto response = Get(BaseUrl() + "/v1/status");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->content_type, "application/json");
  EXPECT_EQ(response->body, kStatusJson);
}

TEST_F(ClientTest, PostSendsContentTypeAndBody) {
  auto response =
      Post(BaseUrl() + "/v1/transactions", "application/octet-stream", std::string("\x00\x01", 2));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 202);
  response = Post(BaseUrl() + "/v1/transactions", "text/plain", "x");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 415);
}

TEST_F(ClientTest, NodeClientParsesStatus) {
  const NodeClient node(BaseUrl() + "/");
  const auto status = node.GetStatus();
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->chain_id, "rightchain-local");
  EXPECT_EQ(status->node, "node-2");
  EXPECT_EQ(status->role, "consensus");
  EXPECT_EQ(status->height, 17u);
  EXPECT_EQ(status->block_hash, "00ff10");
  EXPECT_EQ(status->log_size, 42u);
  EXPECT_EQ(status->log_root, "abcdef");
  EXPECT_EQ(status->peers_connected, 4u);
  EXPECT_EQ(status->validators, 5u);
}

TEST_F(ClientTest, NodeClientTransactionsLogPeersAndBlocks) {
  const NodeClient node(BaseUrl());
  const auto submitted = node.SubmitTransaction(AsBytes("signed"));
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  EXPECT_EQ(submitted->id, "0102");
  EXPECT_EQ(submitted->status, "pending");

  const auto transaction = node.GetTransaction("aa01");
  ASSERT_TRUE(transaction.ok()) << transaction.status().ToString();
  EXPECT_EQ(transaction->status, "committed");
  EXPECT_EQ(transaction->height, 9u);
  EXPECT_EQ(transaction->log_index, 3u);
  ASSERT_TRUE(transaction->receipt.has_value());
  EXPECT_EQ(transaction->receipt->status, "ok");
  EXPECT_EQ(transaction->receipt->result, "beef");

  const auto log = node.GetLog();
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->size, 5u);
  EXPECT_EQ(log->root, "0a0b");

  const auto peers = node.GetPeers();
  ASSERT_TRUE(peers.ok()) << peers.status().ToString();
  ASSERT_EQ(peers->size(), 2u);
  EXPECT_EQ((*peers)[0].name, "node-1");
  EXPECT_TRUE((*peers)[0].connected);
  EXPECT_EQ((*peers)[0].rtt_us, std::optional<std::uint64_t>(120));
  EXPECT_EQ((*peers)[0].id, "ab01");
  EXPECT_EQ((*peers)[0].role, "consensus");
  EXPECT_EQ((*peers)[0].height, std::optional<std::uint64_t>(17));
  EXPECT_EQ((*peers)[0].last_seen_ms, 1700000000000u);
  EXPECT_EQ((*peers)[1].address, "[::1]:26603");
  EXPECT_FALSE((*peers)[1].connected);
  EXPECT_FALSE((*peers)[1].rtt_us.has_value());  // not measured yet: omitted
  EXPECT_FALSE((*peers)[1].height.has_value());

  const auto latest = node.GetBlockJson(std::nullopt);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(*latest, R"({"height":"latest"})");
  const auto seventh = node.GetBlockJson(7);
  ASSERT_TRUE(seventh.ok());
  EXPECT_EQ(*seventh, R"({"height":"7"})");
}

TEST_F(ClientTest, ApiErrorBodyIsSurfaced) {
  const NodeClient node(BaseUrl());
  const auto missing = node.GetTransaction("ff");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(missing.status().message().find("404"), std::string::npos) << missing.status().message();
  EXPECT_NE(missing.status().message().find("not_found"), std::string::npos) << missing.status().message();
  EXPECT_NE(missing.status().message().find("transaction ff is unknown"), std::string::npos)
      << missing.status().message();

  const auto empty = node.SubmitTransaction({});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(empty.status().message().find("empty transaction"), std::string::npos);

  EXPECT_EQ(node.GetTransaction("not hex").status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(ClientTest, ConnectionRefusedIsUnavailableNamingTheAddress) {
  const std::uint16_t port = server_->port();
  server_.reset();
  const auto response = Get("http://127.0.0.1:" + std::to_string(port) + "/v1/status");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(response.status().message().find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << response.status().message();
  EXPECT_NE(response.status().message().find("refused"), std::string::npos) << response.status().message();
}

TEST_F(ClientTest, OversizedResponseIsRefused) {
  HttpRequestOptions options;
  options.max_response_bytes = 1u << 20;
  const auto refused = Get(BaseUrl() + "/big", options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kLimitExceeded);
  // Under the default limit the same body is accepted.
  const auto accepted = Get(BaseUrl() + "/big");
  ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
  EXPECT_EQ(accepted->body.size(), 2u << 20);
}

TEST_F(ClientTest, SlowServerTimesOut) {
  HttpRequestOptions options;
  options.timeout_milliseconds = 200;
  const auto response = Get(BaseUrl() + "/never", options);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(response.status().message().find("timed out"), std::string::npos) << response.status().message();
}

TEST_F(ClientTest, MalformedJsonIsCorruption) {
  const auto response = Get(BaseUrl() + "/not-json");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(ParseNodeStatus(response->body).status().code(), ErrorCode::kCorruption);
}

TEST_F(ClientTest, ServesOverIpv6Loopback) {
  const auto server = Start("::1");
  ASSERT_NE(server, nullptr);
  const NodeClient node("http://[::1]:" + std::to_string(server->port()));
  const auto status = node.GetStatus();
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->height, 17u);
}

TEST(NodeStatusParseTest, RejectsMissingAndMistypedFields) {
  EXPECT_EQ(ParseNodeStatus(R"({"chain_id":"c"})").status().code(), ErrorCode::kCorruption);
  std::string negative(kStatusJson);
  negative.replace(negative.find("17"), 2, "-1");
  EXPECT_EQ(ParseNodeStatus(negative).status().code(), ErrorCode::kCorruption);
  std::string not_hex(kStatusJson);
  not_hex.replace(not_hex.find("00ff10"), 6, "zz");
  EXPECT_EQ(ParseNodeStatus(not_hex).status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(ParseNodeStatus("[1,2]").status().code(), ErrorCode::kCorruption);
  EXPECT_EQ(ParsePeers(R"({"name":"x"})").status().code(), ErrorCode::kCorruption);
}

}  // namespace
}  // namespace rightchain::client
