// The consortium CRL of a node: loaded at start (a node does not start without one), watched
// while it runs so that revoked peers are cut off, and never replaced by an older list — not
// while running (the transport refuses a list whose CRL number is not higher than the one in
// force) and not across a restart (the newest list the node accepted is kept in its data
// directory and stays in force when the CRL file is older).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

#include "base/status.h"
#include "pki/certificate.h"
#include "pki/revocation_list.h"

namespace rightchain::node {

// How often a running node looks at its CRL file (docs/network.md: revoked peers are cut off
// within 5 s of `rightchain ca revoke`).
inline constexpr std::int64_t kRevocationListPollMilliseconds = 1000;
// The node's copy of the newest CRL it accepted, in its data directory.
inline constexpr std::string_view kKeptRevocationListName = "accepted.crl";

class RevocationListWatcher {
 public:
  // `path`: the consortium's CRL file; `kept_path`: where the newest accepted list is kept.
  RevocationListWatcher(std::filesystem::path path, std::filesystem::path kept_path)
      : path_(std::move(path)), kept_path_(std::move(kept_path)) {}

  // The list to enforce from start. The file must exist (kNotFound naming it: without a CRL no
  // peer's revocation would be checked), be signed by `authority` and carry a CRL number. When
  // the kept list is newer (a higher number, or the same number with other contents), the kept
  // list stays in force and a warning names the file; otherwise the file's list is kept.
  Result<pki::RevocationList> LoadAtStart(const pki::Certificate& authority);

  // Looks at the file once. A file that changed since the last look (device, inode, size or
  // modification time) is loaded: the new list, or the load error (reported once per change).
  // Nothing when the file is unchanged, holds the list in force, or is absent: a removed CRL
  // revokes nothing new and undoes nothing, the list in force stays. Whether a new list may
  // replace the one in force (signed by the CA, a higher CRL number) the transport decides.
  Result<std::optional<pki::RevocationList>> Poll();

  // The transport took `list`: it is in force from now on, and kept for restarts.
  Status Keep(const pki::RevocationList& list);

  const std::filesystem::path& path() const { return path_; }
  const std::filesystem::path& kept_path() const { return kept_path_; }

 private:
  struct Stamp {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size_bytes = 0;
    std::int64_t modified_nanoseconds = 0;
    friend bool operator==(const Stamp&, const Stamp&) = default;
  };
  // The file's stamp; nothing when it is absent.
  Result<std::optional<Stamp>> Look() const;

  std::filesystem::path path_;
  std::filesystem::path kept_path_;
  std::optional<Stamp> last_;
  std::optional<pki::RevocationList> in_force_;
};

}  // namespace rightchain::node
