// The commitments a block header carries over its contents.
#pragma once

#include <span>

#include "codec/transaction.h"
#include "consensus/validator_set.h"
#include "crypto/hash.h"
#include "exec/receipt.h"

namespace rightchain::ledger {

// RFC 6962 root over the canonical encodings of the block's signed transactions (in block order).
crypto::Digest TransactionsRoot(crypto::HashAlgorithm algorithm,
                                std::span<const codec::SignedTransaction> transactions);
// RFC 6962 root over the canonical encodings of the block's receipts (in block order).
crypto::Digest ReceiptsRoot(crypto::HashAlgorithm algorithm, std::span<const exec::Receipt> receipts);
// The placeholder state root: H(DomainTag("rightchain/state-root") ‖ previous root ‖ changes digest).
// The state root of genesis (height 0) is H(DomainTag("rightchain/state-root") ‖ genesis hash).
crypto::Digest NextStateRoot(crypto::HashAlgorithm algorithm, const crypto::Digest& previous_root,
                             const crypto::Digest& changes_digest);
// H(DomainTag("rightchain/validator-set") ‖ u32 count ‖ per validator: u32 key length ‖ key ‖
// u64 voting power), in set order. Proposer priorities are not part of it: they move every height.
crypto::Digest ValidatorSetHash(crypto::HashAlgorithm algorithm, const consensus::ValidatorSet& validators);
crypto::Digest GenesisStateRoot(crypto::HashAlgorithm algorithm, const crypto::Digest& genesis_hash);

}  // namespace rightchain::ledger
