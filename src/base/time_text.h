// Times as people and standards write them.
#pragma once

#include <cstdint>
#include <string>

namespace rightchain {

// ISO 8601 in UTC with milliseconds, "2027-01-15T08:00:00.003Z", for Unix milliseconds (negative
// times count back from 1970).
std::string IsoUtcTime(std::int64_t unix_milliseconds);

}  // namespace rightchain
