#include "node/revocation_watcher.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "log/log.h"

namespace rightchain::node {

namespace {

std::string NumberText(const pki::RevocationList& list) {
  const std::optional<std::uint64_t> number = list.Number();
  return number.has_value() ? std::to_string(*number) : "none";
}

// A list a node may enforce: signed by the consortium CA, with a CRL number to order it by.
Result<pki::RevocationList> LoadChecked(const std::filesystem::path& path,
                                        const pki::Certificate& authority) {
  RC_ASSIGN_OR_RETURN(pki::RevocationList list, pki::RevocationList::LoadFile(path.string()));
  const auto context = [&](const Status& status) {
    return status.WithContext("revocation list file " + path.string());
  };
  if (Status issued = list.CheckIssuedBy(authority); !issued.ok()) return context(issued);
  if (Status numbered = list.CheckHasNumber(); !numbered.ok()) return context(numbered);
  return list;
}

}  // namespace

Result<std::optional<RevocationListWatcher::Stamp>> RevocationListWatcher::Look() const {
  struct stat info {};
  if (stat(path_.c_str(), &info) != 0) {
    if (errno == ENOENT) return std::optional<Stamp>();
    return Status::IoError("cannot stat revocation list " + path_.string() + ": " + std::strerror(errno));
  }
  return std::optional<Stamp>(
      Stamp{info.st_dev, info.st_ino, info.st_size,
            static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec});
}

Result<pki::RevocationList> RevocationListWatcher::LoadAtStart(const pki::Certificate& authority) {
  RC_ASSIGN_OR_RETURN(last_, Look());
  if (!last_.has_value()) {
    return Status::NotFound("revocation list file " + path_.string() +
                            " does not exist: a node checks its peers against the consortium's CRL and does "
                            "not start without one (`rightchain net init` writes it, `rightchain ca revoke` "
                            "updates it)");
  }
  RC_ASSIGN_OR_RETURN(pki::RevocationList list, LoadChecked(path_, authority));
  std::error_code error;
  if (std::filesystem::exists(kept_path_, error)) {
    // The node wrote it; one it cannot read or that another CA signed is not silently dropped.
    Result<pki::RevocationList> kept = LoadChecked(kept_path_, authority);
    if (!kept.ok()) {
      return kept.status().WithContext("the newest list this node accepted (remove the file to start from " +
                                       path_.string() + ")");
    }
    if (!list.SameAs(*kept) && !list.CheckSupersedes(*kept).ok()) {
      log::For("net")->warn(
          "revocation list {} (CRL number {}) is not newer than the list this node accepted before (CRL "
          "number {}, kept in {}): the kept list stays in force; an older list could undo revocations",
          path_.string(), NumberText(list), NumberText(*kept), kept_path_.string());
      in_force_ = *kept;
      return std::move(kept).value();
    }
  }
  RC_RETURN_IF_ERROR(Keep(list));
  return list;
}

Result<std::optional<pki::RevocationList>> RevocationListWatcher::Poll() {
  RC_ASSIGN_OR_RETURN(const std::optional<Stamp> stamp, Look());
  if (!stamp.has_value()) return std::optional<pki::RevocationList>();
  if (last_.has_value() && *last_ == *stamp) return std::optional<pki::RevocationList>();
  last_ = stamp;
  RC_ASSIGN_OR_RETURN(pki::RevocationList list, pki::RevocationList::LoadFile(path_.string()));
  if (in_force_.has_value() && list.SameAs(*in_force_)) return std::optional<pki::RevocationList>();
  return std::optional<pki::RevocationList>(std::move(list));
}

Status RevocationListWatcher::Keep(const pki::RevocationList& list) {
  in_force_ = list;
  std::error_code error;
  std::filesystem::create_directories(kept_path_.parent_path(), error);
  if (error) {
    return Status::IoError("cannot create " + kept_path_.parent_path().string() + ": " + error.message());
  }
  return list.SaveFile(kept_path_.string()).WithContext("keeping the accepted revocation list");
}

}  // namespace rightchain::node
