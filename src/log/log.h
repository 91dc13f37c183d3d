// Logging for the processes (node, tools): spdlog, one named logger per component.
// Pure libraries (crypto, codec, merkle, consensus, exec) never log: they return what happened.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string_view>

#include "base/status.h"

namespace rightchain::log {

struct LogOptions {
  std::string_view level = "info";  // trace, debug, info, warn, error, critical, off
  // Lines as JSON objects ({"time":…,"level":…,"component":…,"message":…}) for log collectors.
  bool json = false;
};

// Sets the level and format of every logger, present and future. Unknown levels are an error.
Status Configure(const LogOptions& options);

// The logger of one component ("consensus", "net", "api", …), created on first use.
std::shared_ptr<spdlog::logger> For(std::string_view component);

}  // namespace rightchain::log
