#include "node/revocation_watcher.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace rightchain::node {

Result<std::optional<pki::RevocationList>> RevocationListWatcher::Poll() {
  struct stat info {};
  if (stat(path_.c_str(), &info) != 0) {
    if (errno == ENOENT) return std::optional<pki::RevocationList>();
    return Status::IoError("cannot stat revocation list " + path_.string() + ": " + std::strerror(errno));
  }
  const Stamp stamp{info.st_dev, info.st_ino, info.st_size,
                    static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec};
  if (last_.has_value() && *last_ == stamp) return std::optional<pki::RevocationList>();
  last_ = stamp;
  RC_ASSIGN_OR_RETURN(pki::RevocationList list, pki::RevocationList::LoadFile(path_.string()));
  return std::optional<pki::RevocationList>(std::move(list));
}

}  // namespace rightchain::node
