// Watches the consortium CRL file of a node: a new version (the file replaced or rewritten) is
// loaded and handed to the transport, so revoked peers are cut off while the node runs.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>

#include "base/status.h"
#include "pki/revocation_list.h"

namespace rightchain::node {

// How often a running node looks at its CRL file (docs/network.md: revoked peers are cut off
// within 5 s of `rightchain ca revoke`).
inline constexpr std::int64_t kRevocationListPollMilliseconds = 1000;

class RevocationListWatcher {
 public:
  explicit RevocationListWatcher(std::filesystem::path path) : path_(std::move(path)) {}

  // Looks at the file once. A file that changed since the last look (device, inode, size or
  // modification time) is loaded: the new list, or the load error (reported once per change).
  // Nothing when the file is unchanged or absent: a removed CRL revokes nothing new and undoes
  // nothing, the last loaded list stays in force.
  Result<std::optional<pki::RevocationList>> Poll();

  const std::filesystem::path& path() const { return path_; }

 private:
  struct Stamp {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size_bytes = 0;
    std::int64_t modified_nanoseconds = 0;
    friend bool operator==(const Stamp&, const Stamp&) = default;
  };

  std::filesystem::path path_;
  std::optional<Stamp> last_;
};

}  // namespace rightchain::node
