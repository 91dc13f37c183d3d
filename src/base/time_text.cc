#include "base/time_text.h"

#include <ctime>

namespace rightchain {

std::string IsoUtcTime(std::int64_t unix_milliseconds) {
  std::int64_t seconds = unix_milliseconds / 1000;
  std::int64_t remainder = unix_milliseconds % 1000;
  if (remainder < 0) {
    remainder += 1000;
    seconds -= 1;
  }
  const auto time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[64];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &utc);
  return std::string(text) + "." + std::to_string(1000 + remainder).substr(1) + "Z";
}

}  // namespace rightchain
