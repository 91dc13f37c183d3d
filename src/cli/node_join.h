// `rightchain node join --dir D --from URL --name NAME --ca CA.crt [--crl CA.crl]`: prepares a node
// that is not a member yet (docs/governance.md, "Joining"): its consensus key, a transport key with a
// certificate request for the CA, the chain's genesis fetched from a member, its configuration, and the join
// request a member proposes with `rightchain gov propose add-member --request`. The node may be
// started at once: members refuse its connections until governance admits it; from then on it
// syncs from genesis, and votes once the validator set that names it takes effect.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace CLI {
class App;
}

namespace rightchain::cli {

struct NodeJoinOptions {
  std::filesystem::path directory;  // where the node's files go (must not hold a node yet)
  std::string from_url;             // a member's API: genesis, chain id, its transport address
  std::string name;                 // the member name to be: the certificate's CN
  std::filesystem::path ca_file;    // the consortium CA certificate, obtained out of band
  // The consortium's CRL, obtained with the CA certificate; empty: ca.crl beside `ca_file`.
  // Copied to DIR/ca.crl, which the node watches (a newer list from the CA replaces it there).
  std::filesystem::path crl_file;
  std::string host = "127.0.0.1";  // where this node listens and serves its API
  std::uint16_t port = 26700;
  std::uint16_t api_port = 8700;
  std::vector<std::string> peers;  // HOST:PORT; default: the --from node's transport address
};

Status JoinNode(const NodeJoinOptions& options, std::ostream& out);

// Adds `node join` to `app`; the outcome lands in `outcome`. The returned object owns the options.
std::shared_ptr<void> AddNodeJoinCommand(CLI::App& app, std::optional<Status>& outcome);

}  // namespace rightchain::cli
