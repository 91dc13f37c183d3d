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
  const std::filesystem::path temporary = path.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions);
  if (fd < 0) return Status::IoError("cannot create " + temporary.string() + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n <= 0) {
      ::close(fd);
      return Status::IoError("cannot write " + temporary.string());
    }
    written += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return Status::IoError("cannot sync " + temporary.string());
  ::chmod(temporary.c_str(), permissions);
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) return Status::IoError("cannot rename to " + path.string() + ": " + error.message());
  return Status::Ok();
}

}  // namespace rightchain
