// The copyright records' rules: who may create accounts, attest identities, rotate and recover
// keys, register works (singly, in indexed batches, or anchor-only batches), endorse them and fix
// evidence, and what each does to state (docs/records.md).
#pragma once

#include "exec/executor.h"
#include "exec/genesis.h"
#include "exec/state.h"

namespace rightchain::exec {

// Registers the record transaction kinds (16–22, 32–37) with `executor`.
void RegisterRecordKinds(Executor& executor);

// The genesis accounts as state: what the block at height 1 starts from.
StateChanges GenesisAccountChanges(const Genesis& genesis);

}  // namespace rightchain::exec
