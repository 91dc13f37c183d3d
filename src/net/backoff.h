// Reconnect delays: exponential backoff with jitter (pure; the random draw is injected).
#pragma once

#include <cstdint>

namespace rightchain::net {

struct BackoffPolicy {
  std::uint64_t initial_delay_milliseconds = 100;
  std::uint64_t max_delay_milliseconds = 10'000;
};

// The delay before reconnect attempt `attempt` (0 for the first retry): the exponential delay
// d = min(max, initial * 2^attempt), then "equal jitter": d/2 + unit_random * d/2, so that
// members restarted together do not redial in lockstep yet never retry faster than d/2.
// `unit_random` must be in [0, 1].
std::uint64_t BackoffDelayMilliseconds(const BackoffPolicy& policy, std::uint32_t attempt,
                                       double unit_random);

}  // namespace rightchain::net
