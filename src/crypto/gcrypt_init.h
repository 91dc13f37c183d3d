// Internal to the crypto module: one-time libgcrypt initialisation, required before any other
// libgcrypt call. Thread-safe; cheap after the first call.
#pragma once

#include "base/status.h"

namespace rightchain::crypto::internal {

// OK once libgcrypt is initialised; an error if the installed library is too old or unusable.
Status InitializeGcrypt();

}  // namespace rightchain::crypto::internal
