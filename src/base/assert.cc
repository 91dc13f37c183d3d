#include "base/assert.h"

#include <cstdio>
#include <cstdlib>

namespace rightchain::detail {

void AssertionFailed(const char* expression, std::string_view message, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: assertion failed: %s", file, line, expression);
  if (!message.empty()) std::fprintf(stderr, " (%.*s)", static_cast<int>(message.size()), message.data());
  std::fprintf(stderr, "\n");
  std::fflush(stderr);
  std::abort();
}

}  // namespace rightchain::detail
