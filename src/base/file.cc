#include "base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace rightchain {

Result<std::string> ReadFile(const std::filesystem::path& path, std::size_t max_size_bytes) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) return Status::NotFound("cannot read " + path.string() + ": " + error.message());
  if (size > max_size_bytes)
    return Status::LimitExceeded(path.string() + " is larger than " + std::to_string(max_size_bytes) +
                                 " bytes");
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::IoError("cannot open " + path.string());
  std::string content(size, '\0');
  file.read(content.data(), static_cast<std::streamsize>(size));
  if (!file) return Status::IoError("cannot read " + path.string());
  return content;
}

Status WriteFile(const std::filesystem::path& path, std::string_view content, unsigned permissions) {
  // A temporary name of this process's own, so concurrent writers never share one.
  const std::string temporary = path.string() + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions);
  if (fd < 0) return Status::IoError("cannot create " + temporary + ": " + std::strerror(errno));
  const auto fail = [&](std::string_view step) {
    const int error = errno;
    ::close(fd);
    ::unlink(temporary.c_str());
    return Status::IoError("cannot " + std::string(step) + " " + path.string() + ": " + std::strerror(error));
  };
  // open() honours the umask and keeps the mode of a stale file: set it exactly (0600 for keys)
  // before any byte is written.
  if (::fchmod(fd, permissions) != 0) return fail("set permissions of");
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("write");
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("sync");
  if (::close(fd) != 0) {
    ::unlink(temporary.c_str());
    return Status::IoError("cannot close " + path.string() + ": " + std::strerror(errno));
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    return Status::IoError("cannot rename into " + path.string() + ": " + std::strerror(error));
  }
  return Status::Ok();
}

}  // namespace rightchain
