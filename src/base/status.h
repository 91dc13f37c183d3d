// Status and Result: how errors travel between modules (as values, never exceptions).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "base/assert.h"

namespace rightchain {

enum class ErrorCode : int {
  kOk = 0,
  kInvalidArgument,     // the caller's input is malformed or out of range
  kCorruption,          // stored or received bytes fail an integrity check
  kNotFound,            // the thing asked for does not exist
  kAlreadyExists,       // the thing to create exists already
  kLimitExceeded,       // a size, count or rate limit was hit
  kVerificationFailed,  // a signature, proof or hash did not verify
  kPermissionDenied,    // the caller may not do this
  kUnavailable,         // try again later (busy, not connected, not yet committed)
  kIoError,             // the operating system reported an error
  kCryptoError,         // the crypto library failed for a reason other than verification
  kInternal,            // a bug: an invariant did not hold
};

// Stable lower-case name of a code, as used in logs and API error bodies.
std::string_view ErrorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {
    RC_ASSERT(code != ErrorCode::kOk);
  }

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message) {
    return {ErrorCode::kInvalidArgument, std::move(message)};
  }
  static Status Corruption(std::string message) { return {ErrorCode::kCorruption, std::move(message)}; }
  static Status NotFound(std::string message) { return {ErrorCode::kNotFound, std::move(message)}; }
  static Status AlreadyExists(std::string message) { return {ErrorCode::kAlreadyExists, std::move(message)}; }
  static Status LimitExceeded(std::string message) { return {ErrorCode::kLimitExceeded, std::move(message)}; }
  static Status VerificationFailed(std::string message) {
    return {ErrorCode::kVerificationFailed, std::move(message)};
  }
  static Status PermissionDenied(std::string message) {
    return {ErrorCode::kPermissionDenied, std::move(message)};
  }
  static Status Unavailable(std::string message) { return {ErrorCode::kUnavailable, std::move(message)}; }
  static Status IoError(std::string message) { return {ErrorCode::kIoError, std::move(message)}; }
  static Status CryptoError(std::string message) { return {ErrorCode::kCryptoError, std::move(message)}; }
  static Status Internal(std::string message) { return {ErrorCode::kInternal, std::move(message)}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "code: message", or "ok".
  std::string ToString() const;

  // Prefixes the message with context, keeping the code: "decoding vote: length too large".
  Status WithContext(std::string_view context) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : state_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    RC_ASSERT(!std::get<Status>(state_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(state_);
  }

  T& value() & {
    RC_ASSERT_MSG(ok(), status().ToString());
    return std::get<T>(state_);
  }
  const T& value() const& {
    RC_ASSERT_MSG(ok(), status().ToString());
    return std::get<T>(state_);
  }
  // By value, not T&&: `for (auto& x : Compute().value())` must not iterate a destroyed temporary.
  T value() && {
    RC_ASSERT_MSG(ok(), status().ToString());
    return std::get<T>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace rightchain

#define RC_CONCAT_INNER(a, b) a##b
#define RC_CONCAT(a, b) RC_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function if `expression` (a Status) is not OK.
#define RC_RETURN_IF_ERROR(expression)              \
  do {                                              \
    ::rightchain::Status rc_status_ = (expression); \
    if (!rc_status_.ok()) return rc_status_;        \
  } while (false)

// `RC_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from a Result, or returns its Status.
#define RC_ASSIGN_OR_RETURN(declaration, expression) \
  RC_ASSIGN_OR_RETURN_IMPL(RC_CONCAT(rc_result_, __LINE__), declaration, expression)
#define RC_ASSIGN_OR_RETURN_IMPL(result_name, declaration, expression) \
  auto result_name = (expression);                                     \
  if (!result_name.ok()) return result_name.status();                  \
  declaration = std::move(result_name).value()
