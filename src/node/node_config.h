// A node's configuration file (TOML). Relative paths are relative to the file's folder.
//
//   [node]
//   name = "node-0"                         # the member name in genesis and the certificate CN
//   data_dir = "data"
//   genesis = "../genesis.json"
//   consensus_key = "consensus-key.pem"     # encrypted PKCS#8 (crypto suite key)
//   consensus_key_passphrase_file = "consensus-key.pass"
//   passive_exit_heights = 100              # optional: silent validators are reported after this many
//   heights [transport] certificate = "transport.crt"           # ECDSA P-256, issued by the consortium CA
//   private_key = "transport.key"
//   ca = "../ca.crt"
//   crl = "../ca.crl"                       # optional; default: ca.crl beside the CA certificate
//   listen = ["127.0.0.1", "::1"]
//   port = 26600
//   peers = ["127.0.0.1:26601", "[::1]:26602"]
//   [api]
//   listen = "127.0.0.1"
//   port = 8600
//   [tsa]                                   # optional: the RFC 3161 time-stamping authority
//   certificate = "tsa.crt"                 # ECDSA P-256, extended key usage timeStamping (critical)
//   private_key = "tsa.key"
//   account_key = "tsa-account.key"         # the chain account that signs time-stamp records
//   account_key_passphrase_file = "tsa-account.pass"
//   [log]
//   level = "info"
//   json = false
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace rightchain::node {

struct PeerAddress {
  std::string host;
  std::uint16_t port = 0;
  friend bool operator==(const PeerAddress&, const PeerAddress&) = default;
};
// A host a peer address may name: a host name or an IP address, 1..255 bytes of letters, digits
// and ". - _ : %" (the last for an IPv6 zone). Nothing else, so that an address a member announces
// cannot change a log line, and every address reads back from what FormatPeerAddress writes.
inline bool IsPeerHost(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (const char c : host) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                         c == '.' || c == '-' || c == '_' || c == ':' || c == '%';
    if (!allowed) return false;
  }
  return true;
}
// "host:port" or "[ipv6]:port"; the host as IsPeerHost says.
Result<PeerAddress> ParsePeerAddress(std::string_view text);
std::string FormatPeerAddress(const PeerAddress& address);

// The node's RFC 3161 time-stamping authority (docs/proofs.md, "Time-stamps").
struct TimeStampAuthorityConfig {
  std::filesystem::path certificate_file;
  std::filesystem::path key_file;
  std::filesystem::path account_key_file;
  std::filesystem::path account_key_passphrase_file;
  friend bool operator==(const TimeStampAuthorityConfig&, const TimeStampAuthorityConfig&) = default;
};

struct NodeConfig {
  std::string name;
  std::filesystem::path data_directory;
  std::filesystem::path genesis_file;
  std::filesystem::path consensus_key_file;
  std::filesystem::path consensus_key_passphrase_file;
  std::filesystem::path transport_certificate_file;
  std::filesystem::path transport_key_file;
  std::filesystem::path ca_certificate_file;
  // Empty: ca.crl in the CA certificate's folder. Either way it must exist (the daemon refuses to
  // start without it) and the daemon reloads it while running (docs/network.md).
  std::filesystem::path crl_file;
  std::vector<std::string> listen_addresses = {"127.0.0.1"};
  std::uint16_t port = 26600;
  std::vector<PeerAddress> peers;
  std::string api_address = "127.0.0.1";
  std::uint16_t api_port = 8600;
  std::optional<TimeStampAuthorityConfig> time_stamp_authority;  // absent: the node offers no TSA
  // A validator silent this many heights is reported passive (docs/governance.md).
  std::uint64_t passive_exit_heights = 100;
  std::string log_level = "info";
  bool log_json = false;
  friend bool operator==(const NodeConfig&, const NodeConfig&) = default;
};

// Strict: unknown sections or keys, wrong types and out-of-range ports are errors naming them.
Result<NodeConfig> ParseNodeConfig(std::string_view toml, const std::filesystem::path& base_directory);
Result<NodeConfig> LoadNodeConfig(const std::filesystem::path& path);
// Paths are written relative to `base_directory` when they lie under it.
std::string NodeConfigToToml(const NodeConfig& config, const std::filesystem::path& base_directory);

}  // namespace rightchain::node
