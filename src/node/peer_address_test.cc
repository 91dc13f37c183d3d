// Peer addresses from outside the node (found by fuzz/node_peer_addresses_fuzz.cc): what a member
// announces in peer message 7, and the transport address `node join` reads from the /v1/status of
// the node it joins through. A host is a host name or an IP address: nothing that changes a log
// line or does not read back from the "host:port" text a node writes into a configuration.
#include <gtest/gtest.h>

#include "node/node_config.h"
#include "node/wire.h"

namespace rightchain::node {
namespace {

// u8 count = 1 ‖ u8 name length ‖ name ‖ u8 host length ‖ host ‖ u16 port, built by hand: the
// encoder only asserts non-empty fields, and a hostile member does not use it anyway.
Bytes OneAddress(std::string_view name, std::string_view host, std::uint16_t port) {
  Bytes payload{1, static_cast<std::uint8_t>(name.size())};
  payload.insert(payload.end(), name.begin(), name.end());
  payload.push_back(static_cast<std::uint8_t>(host.size()));
  payload.insert(payload.end(), host.begin(), host.end());
  payload.push_back(static_cast<std::uint8_t>(port >> 8));
  payload.push_back(static_cast<std::uint8_t>(port));
  return payload;
}

TEST(PeerAddressTest, ParsedAddressesAreWrittenBackAsRead) {
  for (const std::string_view text :
       {"127.0.0.1:8700", "node-2.example.org:65535", "[::1]:8701", "[fe80::1%eth0]:1", "host_1:80"}) {
    const Result<PeerAddress> address = ParsePeerAddress(text);
    ASSERT_TRUE(address.ok()) << text << ": " << address.status().ToString();
    EXPECT_EQ(FormatPeerAddress(*address), text);
  }
}

TEST(PeerAddressTest, HostsThatAreNotHostNamesOrAddressesAreRefused) {
  // An empty host ("[]:8700" once parsed as "" and written as ":8700", which no node then reads),
  // brackets that do not read back, and what would forge a log line.
  for (const std::string_view text : {"[]:8700", "[[x]:1", "[a]b]:1", "x[:1", "[a b]:1", "evil\nhost:1",
                                      "a\tb:1", "h\x7f:1", "h\xc3\xa9:1"}) {
    const Result<PeerAddress> address = ParsePeerAddress(text);
    EXPECT_FALSE(address.ok()) << text << " read as host '" << (address.ok() ? address->host : "") << "'";
  }
}

TEST(PeerAddressTest, AnnouncedHostsAreCheckedLikeConfiguredOnes) {
  ASSERT_TRUE(DecodePeerAddresses(OneAddress("node-1", "10.0.0.7", 8700)).ok());
  ASSERT_TRUE(DecodePeerAddresses(OneAddress("node-1", "fe80::1", 8700)).ok());
  for (const std::string_view host :
       {"nod:78]exam", "[::1]", "a b", "host\n2026-12-08 [info] forged", "h\x01"}) {
    const auto addresses = DecodePeerAddresses(OneAddress("node-1", host, 8700));
    EXPECT_FALSE(addresses.ok()) << "accepted host '" << host << "'";
  }
}

}  // namespace
}  // namespace rightchain::node
