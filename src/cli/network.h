// A local consortium in one folder (`rightchain net init`):
//
//   D/ca.crt, D/ca.key              consortium CA (ECDSA P-256)
//   D/ca.crl                        its revocation list, empty at first (CRL number 1); every node
//                                   checks its peers against it and does not start without it
//   D/genesis.json                  members node-0 .. node-{N+M-1}
//   D/node-i/node.toml              configuration read by rightchaind
//   D/node-i/consensus-key.pem      encrypted PKCS#8 key of the chain's signature scheme
//   D/node-i/consensus-key.pass     its passphrase (0600)
//   D/node-i/transport.crt, .key    TLS certificate issued by the CA, CN = member name
//   D/node-i/rightchaind.pid        written by `net up` while the node runs
//   D/node-i/node.log               the node's stdout and stderr
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "base/status.h"
#include "crypto/suite.h"
#include "exec/genesis.h"
#include "node/node_config.h"

namespace rightchain::cli {

inline constexpr std::size_t kMaxNetworkNodes = 64;
inline constexpr std::uint64_t kValidatorVotingPower = 10;
inline constexpr int kCaValidityDays = 3650;
// A CRL is valid as long as the CA; `ca revoke` reissues it with the next CRL number.
inline constexpr int kRevocationListValidityDays = 3650;
inline constexpr int kNodeCertificateValidityDays = 825;

struct NetInitOptions {
  std::filesystem::path directory;
  std::size_t validators = 5;
  std::size_t observers = 1;
  crypto::SuiteId suite = crypto::SuiteId::kSm;
  std::string chain_id = "rightchain-local";
  std::uint16_t base_port = 26600;
  std::uint16_t api_base_port = 8600;
  std::uint32_t block_interval_milliseconds = 1000;
  // The loopback address nodes dial each other on and serve the API on: "127.0.0.1" or "::1".
  // Nodes listen on both either way.
  std::string host = "127.0.0.1";
  bool force = false;
};

// Checks the options alone (counts, port ranges, chain id, interval): a failure is a usage error.
Status ValidateNetInitOptions(const NetInitOptions& options);
// Creates the folder's contents. Refuses a non-empty folder unless `force`, and with `force`
// refuses while a node of the folder runs. Everything is generated and validated before the
// first file is written.
Status InitNetwork(const NetInitOptions& options, std::ostream& out);

// One node of a network folder, as `net up`, `net down` and `status` see it.
struct NetworkNode {
  std::string name;
  std::filesystem::path directory;  // D/node-i
  node::NodeConfig config;
  exec::NodeRole role = exec::NodeRole::kConsensus;
  std::string api_url;  // "http://127.0.0.1:8600"
};

// The folder's nodes in index order, with their configurations (strictly parsed) and roles
// from the genesis. Errors name the file that is wrong.
Result<std::vector<NetworkNode>> LoadNetwork(const std::filesystem::path& directory);

// The base URL a local client uses for a node's API (wildcard listen addresses become loopback).
std::string ApiBaseUrl(const node::NodeConfig& config);

}  // namespace rightchain::cli
