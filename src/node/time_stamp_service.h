// The node's RFC 3161 time-stamping service behind POST /v1/timestamp (docs/proofs.md,
// "Time-stamps"). A request's digest is answered from the chain: if a time-stamp record of it is
// committed, at once with that record's block time; otherwise the service signs a time-stamp
// transaction with its own account, submits it, and answers when the block that holds it commits.
// genTime is therefore always a committed block's consensus time, never this node's clock.
//
// Core thread only (the daemon calls it from tasks and after each outbox).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "crypto/private_key.h"
#include "exec/genesis.h"
#include "http/router.h"
#include "node/node_core.h"
#include "timestamp/time_stamp_authority.h"

namespace rightchain::node {

struct TimeStampServiceLimits {
  // Requests waiting for their record to commit; beyond this, requests are refused (retry later).
  std::size_t max_waiting_requests = 4096;
  // A request not answered within this time is refused with timeNotAvailable; the record may
  // still commit, and a retry then finds it.
  std::int64_t answer_timeout_milliseconds = 30'000;
  // The time-stamp transaction expires this many heights after the head.
  std::uint64_t expiry_heights = 100;
};

class TimeStampService {
 public:
  TimeStampService(timestamp::TimeStampAuthority authority, crypto::PrivateKey account_key,
                   std::string chain_id, TimeStampServiceLimits limits = {});

  const timestamp::TimeStampAuthority& authority() const { return authority_; }

  // A request body (a DER TimeStampReq): answered now (a refusal, or a digest already on chain)
  // or once its record commits.
  void Handle(ByteView body, http::Responder respond, NodeCore& core, std::int64_t now_milliseconds);
  // After each outbox: answers the requests whose transactions committed or expired, and refuses
  // those past their deadline.
  void Settle(const NodeOutbox& outbox, NodeCore& core, std::int64_t now_milliseconds);
  std::size_t waiting_requests() const { return waiting_; }

 private:
  struct Waiter {
    timestamp::TimeStampRequest request;
    http::Responder respond;
    std::int64_t deadline_milliseconds = 0;
  };
  struct Pending {
    std::pair<std::uint8_t, Bytes> digest_key;
    std::vector<Waiter> waiters;
  };

  void Answer(const Waiter& waiter, std::uint64_t record_id, NodeCore& core) const;
  void SettleTransaction(const crypto::Digest& transaction_id, const exec::Receipt* receipt, NodeCore& core);
  Result<crypto::Digest> SubmitTimeStamp(const timestamp::TimeStampRequest& request, NodeCore& core,
                                         std::int64_t now_milliseconds);

  timestamp::TimeStampAuthority authority_;
  crypto::PrivateKey account_key_;
  std::string chain_id_;
  TimeStampServiceLimits limits_;
  std::map<crypto::Digest, Pending> by_transaction_;
  std::map<std::pair<std::uint8_t, Bytes>, crypto::Digest> by_digest_;
  std::size_t waiting_ = 0;
};

// The HTTP reply carrying a DER TimeStampResp.
http::Response TimeStampReply(int status, Bytes reply);

}  // namespace rightchain::node
