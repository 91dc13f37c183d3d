#include "net/backoff.h"

#include <algorithm>

#include "base/assert.h"

namespace rightchain::net {

std::uint64_t BackoffDelayMilliseconds(const BackoffPolicy& policy, std::uint32_t attempt,
                                       double unit_random) {
  RC_ASSERT(unit_random >= 0.0 && unit_random <= 1.0);
  RC_ASSERT(policy.initial_delay_milliseconds > 0);
  RC_ASSERT(policy.max_delay_milliseconds >= policy.initial_delay_milliseconds);
  std::uint64_t delay = policy.initial_delay_milliseconds;
  // Doubling stops at the cap, so the shift never overflows whatever the attempt count.
  for (std::uint32_t step = 0; step < attempt && delay < policy.max_delay_milliseconds; ++step) delay *= 2;
  delay = std::min(delay, policy.max_delay_milliseconds);
  std::uint64_t half = delay / 2;
  return half + static_cast<std::uint64_t>(unit_random * static_cast<double>(delay - half));
}

}  // namespace rightchain::net
