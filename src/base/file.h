// Whole-file reads with a size limit, and atomic, durable writes.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/status.h"

namespace rightchain {

// Reads a whole file; refuses one larger than `max_size_bytes` before reading it.
Result<std::string> ReadFile(const std::filesystem::path& path, std::size_t max_size_bytes = 16u << 20);
// Writes atomically (temporary file, fsync, rename) with the given permissions.
Status WriteFile(const std::filesystem::path& path, std::string_view content, unsigned permissions = 0644);

}  // namespace rightchain
