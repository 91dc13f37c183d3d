// Executing a block against the committed chain: the proposer fills a new block's header from the
// result; every other node re-executes a received block and checks that its header says the same.
// Pure apart from reads of the ChainStore (state, log).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/status.h"
#include "exec/executor.h"
#include "ledger/block.h"
#include "ledger/chain_store.h"

namespace rightchain::ledger {

struct ChainIdentity {
  std::string chain_id;
  crypto::SuiteId suite = crypto::SuiteId::kStd;
};

struct ExecutedBlock {
  Block block;
  std::vector<exec::Receipt> receipts;
  exec::StateChanges state_changes;
  merkle::LogWriteBatch log_batch;
  std::vector<Bytes> log_leaves;
  crypto::Digest block_hash{};
  // Voting-power changes the block decided (governance), in transaction order; the consensus
  // engine applies them from height + 2.
  std::vector<exec::ValidatorChange> validator_changes;
};

struct NewBlock {
  std::int64_t time_milliseconds = 0;
  std::vector<codec::SignedTransaction> transactions;
  std::vector<bool> signatures_verified;  // parallel to transactions; empty = none verified
  std::optional<consensus::CommitCertificate> last_commit;
  crypto::Digest validator_set_hash{};
  crypto::Digest next_validator_set_hash{};
  crypto::Digest proposer_key_id{};
};

// Builds and executes the next block on top of `store`'s head.
Result<ExecutedBlock> ExecuteNewBlock(const ChainIdentity& chain, const ChainStore& store,
                                      const exec::Executor& executor, NewBlock input);

// Re-executes a received block on top of `store`'s head; fails with kVerificationFailed naming the
// first header field that does not match what execution produced (or linkage to the head).
Result<ExecutedBlock> ExecuteReceivedBlock(const ChainIdentity& chain, const ChainStore& store,
                                           const exec::Executor& executor, const Block& block,
                                           const std::vector<bool>& signatures_verified = {});

// Commits an executed block with the certificate this node saw for it.
Status CommitExecutedBlock(ChainStore& store, const ExecutedBlock& executed,
                           const consensus::CommitCertificate& certificate);

}  // namespace rightchain::ledger
