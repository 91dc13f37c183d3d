// Assertions that stay on in every build type (TIGER_STYLE): a failed assertion is a bug,
// so the process stops at once with the location instead of running on in a bad state.
// Never assert on input from the network, disk or a user: return a Status instead.
#pragma once

#include <string_view>

namespace rightchain::detail {
[[noreturn]] void AssertionFailed(const char* expression, std::string_view message, const char* file,
                                  int line);
}  // namespace rightchain::detail

#define RC_ASSERT(condition)                                                                     \
  do {                                                                                           \
    if (!(condition)) [[unlikely]]                                                               \
      ::rightchain::detail::AssertionFailed(#condition, std::string_view(), __FILE__, __LINE__); \
  } while (false)

#define RC_ASSERT_MSG(condition, message)                                               \
  do {                                                                                  \
    if (!(condition)) [[unlikely]]                                                      \
      ::rightchain::detail::AssertionFailed(#condition, (message), __FILE__, __LINE__); \
  } while (false)

#define RC_UNREACHABLE() \
  ::rightchain::detail::AssertionFailed("unreachable", std::string_view(), __FILE__, __LINE__)
