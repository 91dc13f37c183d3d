// Admission rules: what execution would refuse for reasons committed state already shows, checked
// before a transaction enters the mempool (docs/execution.md, "Admission"). A transaction that
// fails here would only become a rejected receipt that every member stores for good, so the node
// refuses it instead: the sender's key is no account (or not its current key), its account lacks
// the role the kind needs, the signer of a governance transaction is no voting member, the kind
// is unknown, or an account creation names a key that already has an account or comes from a
// sponsor past its quota. The checks read a handful
// of state records; rejections that need the payload's full rules stay in the log as before.
#pragma once

#include "codec/transaction.h"
#include "crypto/public_key.h"
#include "crypto/suite.h"
#include "exec/receipt.h"
#include "exec/state.h"

namespace rightchain::exec {

// kOk when execution against `state` would get past the sender's account and role checks.
// `time_milliseconds` (the node's clock) picks the day of a sponsor's quota.
Result<ReceiptStatus> AdmissionStatus(crypto::SuiteId suite, const StateReader& state,
                                      const codec::Transaction& transaction, const crypto::KeyId& sender,
                                      std::int64_t time_milliseconds);

}  // namespace rightchain::exec
