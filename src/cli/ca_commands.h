// `rightchain ca issue` and `rightchain ca revoke`: the consortium CA of a network folder
// (D/ca.crt, D/ca.key) issues transport certificates to members and revokes them in D/ca.crl,
// the CRL every node of D reads and reloads while running (docs/network.md).
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "base/status.h"

namespace CLI {
class App;
}

namespace rightchain::cli {

struct CaIssueOptions {
  std::filesystem::path directory;      // the network folder: ca.crt, ca.key
  std::string name;                     // the member name, the certificate's CN
  std::filesystem::path out_directory;  // empty: D/members/NAME
  bool force = false;                   // replace an existing transport.crt / transport.key
  // A certificate request (what `rightchain node join` wrote): the key stays with its owner, only
  // OUT/transport.crt is written. Its CN must be NAME.
  std::filesystem::path request_file;
};

// Writes OUT/transport.crt (0644) and OUT/transport.key (0600): a node transport certificate
// for NAME from the CA of D with a fresh P-256 key (or, with a request, for the request's key).
Status IssueMemberCertificate(const CaIssueOptions& options, std::ostream& out);

struct CaRevokeOptions {
  std::filesystem::path directory;
  std::string name;
  // Empty: the one D/NAME/node.toml names, else D/NAME/transport.crt, else D/members/NAME's.
  std::filesystem::path certificate_file;
  bool force = false;  // also revoke a current validator's certificate
};

// Adds the member's certificate to D/ca.crl (created when absent; signed by the CA, CRL number
// incremented) and copies the list to any other CRL path a node of D is configured with.
// A current validator's certificate lowers the quorum's margin: the warning goes to `warnings`
// and, without `force`, the command refuses (kFailedPrecondition) and changes nothing.
Status RevokeMemberCertificate(const CaRevokeOptions& options, std::ostream& out, std::ostream& warnings);

// Adds `ca issue` and `ca revoke` to `app`; the parsed one's outcome lands in `outcome`.
// The returned object owns the options and must outlive the parse.
std::shared_ptr<void> AddCaCommands(CLI::App& app, std::optional<Status>& outcome);

}  // namespace rightchain::cli
