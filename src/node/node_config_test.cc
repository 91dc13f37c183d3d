#include "node/node_config.h"

#include <gtest/gtest.h>

#include "exec/exec_test_util.h"
#include "node/genesis_file.h"

namespace rightchain::node {
namespace {

constexpr std::string_view kConfig = R"(
[node]
name = "node-0"
data_dir = "data"
genesis = "../genesis.json"
consensus_key = "consensus-key.pem"
consensus_key_passphrase_file = "consensus-key.pass"
passive_exit_heights = 50
[transport]
certificate = "transport.crt"
private_key = "transport.key"
ca = "../ca.crt"
listen = ["127.0.0.1", "::1"]
port = 26600
peers = ["127.0.0.1:26601", "[::1]:26602"]
[api]
port = 8600
[tsa]
certificate = "tsa.crt"
private_key = "tsa.key"
account_key = "/keys/tsa-account.key"
account_key_passphrase_file = "tsa-account.pass"
[log]
level = "debug"
)";

TEST(NodeConfigTest, ParsesResolvesPathsAndRoundTrips) {
  const auto config = ParseNodeConfig(kConfig, "/srv/chain/node-0");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->name, "node-0");
  EXPECT_EQ(config->data_directory, "/srv/chain/node-0/data");
  EXPECT_EQ(config->genesis_file, "/srv/chain/genesis.json");
  EXPECT_EQ(config->listen_addresses, (std::vector<std::string>{"127.0.0.1", "::1"}));
  ASSERT_EQ(config->peers.size(), 2u);
  EXPECT_EQ(config->peers[1], (PeerAddress{"::1", 26602}));
  EXPECT_EQ(config->api_address, "127.0.0.1");
  EXPECT_EQ(config->log_level, "debug");
  EXPECT_EQ(config->passive_exit_heights, 50u);
  ASSERT_TRUE(config->time_stamp_authority.has_value());
  EXPECT_EQ(config->time_stamp_authority->certificate_file, "/srv/chain/node-0/tsa.crt");
  EXPECT_EQ(config->time_stamp_authority->account_key_file, "/keys/tsa-account.key");
  const auto again = ParseNodeConfig(NodeConfigToToml(*config, "/srv/chain/node-0"), "/srv/chain/node-0");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *config);
}

TEST(NodeConfigTest, ErrorsNameTheKey) {
  const std::pair<std::string, std::string> cases[] = {
      {"[node]\nname = 1\n", "node.name"},
      {"[nodes]\n", "unknown key 'nodes'"},
      {std::string(kConfig) + "\n[extra]\n", "unknown key 'extra'"},
      {"[node", "not valid TOML"},
      {std::string(kConfig).replace(std::string(kConfig).find("passive_exit_heights = 50"), 25,
                                    "passive_exit_heights = 0"),
       "node.passive_exit_heights"},
      {std::string(kConfig).replace(std::string(kConfig).find("private_key = \"tsa.key\""), 23, ""),
       "tsa.private_key' is missing"},
  };
  for (const auto& [text, expected] : cases) {
    const auto config = ParseNodeConfig(text, "/x");
    ASSERT_FALSE(config.ok()) << text;
    EXPECT_NE(config.status().message().find(expected), std::string::npos) << config.status().ToString();
  }
  std::string bad_port(kConfig);
  bad_port.replace(bad_port.find("port = 8600"), 11, "port = 99999");
  EXPECT_NE(ParseNodeConfig(bad_port, "/x").status().message().find("api.port"), std::string::npos);
}

TEST(PeerAddressTest, ParsesIpv4Ipv6AndRejectsGarbage) {
  EXPECT_EQ(*ParsePeerAddress("localhost:80"), (PeerAddress{"localhost", 80}));
  EXPECT_EQ(*ParsePeerAddress("[::1]:26600"), (PeerAddress{"::1", 26600}));
  EXPECT_EQ(FormatPeerAddress({"::1", 1}), "[::1]:1");
  for (const char* bad : {"", "host", "host:", ":80", "host:0", "host:65536", "::1:80", "[::1]80", "h:8a"}) {
    EXPECT_FALSE(ParsePeerAddress(bad).ok()) << bad;
  }
}

TEST(GenesisFileTest, JsonRoundTripsAndIsStrict) {
  exec::Genesis genesis;
  genesis.chain_id = "local";
  genesis.suite = crypto::SuiteId::kSm;
  genesis.genesis_time_milliseconds = 1'790'000'000'000;
  for (int i = 0; i < 2; ++i) {
    exec::GenesisMember member;
    member.name = "node-" + std::to_string(i);
    const crypto::PrivateKey key =
        exec::testing::MakeKey(crypto::SuiteId::kSm, static_cast<std::uint8_t>(i + 1));
    const ByteView raw = key.public_key().raw();
    member.consensus_public_key.assign(raw.begin(), raw.end());
    member.voting_power = 1;
    genesis.members.push_back(member);
  }
  genesis.parameters.target_block_interval_milliseconds = 250;
  const auto parsed = GenesisFromJson(GenesisToJson(genesis));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, genesis);
  EXPECT_FALSE(GenesisFromJson("{").ok());
  EXPECT_NE(GenesisFromJson(R"({"chain_id":"x","suite":"sm","genesis_time_ms":1,"members":[],"extra":1})")
                .status()
                .message()
                .find("extra"),
            std::string::npos);
  EXPECT_FALSE(GenesisFromJson(R"({"chain_id":"x","suite":"rsa","genesis_time_ms":1,"members":[]})").ok());
}

}  // namespace
}  // namespace rightchain::node
