#include "log/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <mutex>
#include <string>

namespace rightchain::log {
namespace {

std::mutex configuration_mutex;

}  // namespace

Status Configure(const LogOptions& options) {
  const spdlog::level::level_enum level = spdlog::level::from_str(std::string(options.level));
  // from_str answers "off" for anything it does not know; accept "off" only when asked for.
  if (level == spdlog::level::off && options.level != "off") {
    return Status::InvalidArgument("unknown log level '" + std::string(options.level) +
                                   "' (trace, debug, info, warn, error, critical, off)");
  }
  std::lock_guard lock(configuration_mutex);
  spdlog::set_level(level);
  if (options.json) {
    spdlog::set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","component":"%n","message":"%v"})",
                        spdlog::pattern_time_type::utc);
  } else {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ [%n] %v", spdlog::pattern_time_type::utc);
  }
  return Status::Ok();
}

std::shared_ptr<spdlog::logger> For(std::string_view component) {
  std::lock_guard lock(configuration_mutex);
  const std::string name(component);
  if (auto existing = spdlog::get(name)) return existing;
  return spdlog::stderr_color_mt(name);
}

}  // namespace rightchain::log
