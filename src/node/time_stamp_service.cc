#include "node/time_stamp_service.h"

#include <variant>

#include "codec/transaction.h"
#include "crypto/cipher.h"
#include "exec/record_store.h"
#include "log/log.h"

namespace rightchain::node {
namespace {

using timestamp::FailureInfo;
using timestamp::Refusal;

http::Response RefusalReply(const Refusal& refusal) {
  const Result<Bytes> reply = timestamp::TimeStampAuthority::Refuse(refusal);
  if (!reply.ok()) return http::ErrorResponse(500, "internal", reply.status().message());
  return TimeStampReply(200, *reply);
}

Result<std::uint64_t> RandomNonce() {
  RC_ASSIGN_OR_RETURN(const Bytes bytes, crypto::RandomBytes(8));
  std::uint64_t nonce = 0;
  for (const std::uint8_t byte : bytes) nonce = nonce << 8 | byte;
  return nonce;
}

}  // namespace

http::Response TimeStampReply(int status, Bytes reply) {
  http::Response response;
  response.status = status;
  response.content_type = "application/timestamp-reply";
  response.body.assign(reply.begin(), reply.end());
  return response;
}

TimeStampService::TimeStampService(timestamp::TimeStampAuthority authority, crypto::PrivateKey account_key,
                                   std::string chain_id, TimeStampServiceLimits limits)
    : authority_(std::move(authority)),
      account_key_(std::move(account_key)),
      chain_id_(std::move(chain_id)),
      limits_(limits) {}

void TimeStampService::Handle(ByteView body, http::Responder respond, NodeCore& core,
                              std::int64_t now_milliseconds) {
  auto parsed = timestamp::ParseTimeStampRequest(body);
  if (const Refusal* refusal = std::get_if<Refusal>(&parsed)) return respond(RefusalReply(*refusal));
  timestamp::TimeStampRequest request = std::get<timestamp::TimeStampRequest>(std::move(parsed));
  if (std::optional<Refusal> refusal = authority_.Check(request)) return respond(RefusalReply(*refusal));

  const auto hash = static_cast<std::uint8_t>(request.hash);
  const Result<std::optional<std::uint64_t>> existing =
      exec::FindTimeStamp(core.store().state(), hash, request.digest);
  if (!existing.ok())
    return respond(RefusalReply({FailureInfo::kSystemFailure, existing.status().message()}));
  Waiter waiter{std::move(request), std::move(respond),
                now_milliseconds + limits_.answer_timeout_milliseconds};
  if (existing->has_value()) return Answer(waiter, **existing, core);

  if (waiting_ >= limits_.max_waiting_requests) {
    return waiter.respond(
        RefusalReply({FailureInfo::kSystemFailure,
                      "too many time-stamp requests are waiting for the chain; retry shortly"}));
  }
  std::pair<std::uint8_t, Bytes> digest_key{hash, waiter.request.digest};
  auto pending = by_digest_.find(digest_key);
  if (pending == by_digest_.end()) {
    const Result<crypto::Digest> submitted = SubmitTimeStamp(waiter.request, core, now_milliseconds);
    if (!submitted.ok()) {
      return waiter.respond(RefusalReply({FailureInfo::kSystemFailure, submitted.status().message()}));
    }
    by_transaction_[*submitted].digest_key = digest_key;
    pending = by_digest_.emplace(std::move(digest_key), *submitted).first;
  }
  by_transaction_[pending->second].waiters.push_back(std::move(waiter));
  ++waiting_;
}

Result<crypto::Digest> TimeStampService::SubmitTimeStamp(const timestamp::TimeStampRequest& request,
                                                         NodeCore& core, std::int64_t now_milliseconds) {
  codec::Transaction transaction;
  transaction.chain_id = chain_id_;
  RC_ASSIGN_OR_RETURN(transaction.nonce, RandomNonce());
  transaction.expiry_height = core.store().head().height + limits_.expiry_heights;
  transaction.kind = static_cast<std::uint16_t>(exec::TransactionKind::kTimeStamp);
  transaction.payload = exec::EncodePayload(exec::TimeStampPayload{request.hash, request.digest});
  RC_ASSIGN_OR_RETURN(const codec::SignedTransaction signed_transaction,
                      codec::SignTransaction(account_key_, std::move(transaction)));
  const auto submitted =
      core.SubmitTransaction(codec::EncodeSignedTransaction(signed_transaction), now_milliseconds);
  if (const auto* rejection = std::get_if<mempool::Rejection>(&submitted)) {
    return Status::Unavailable("the node could not accept the time-stamp transaction: " + rejection->message);
  }
  return std::get<crypto::Digest>(submitted);
}

void TimeStampService::Answer(const Waiter& waiter, std::uint64_t record_id, NodeCore& core) const {
  const auto fail = [&](const Status& status) {
    waiter.respond(RefusalReply({FailureInfo::kSystemFailure, status.message()}));
  };
  const ledger::ChainStore& store = core.store();
  const Result<std::optional<exec::Record>> record = exec::LoadRecord(store.state(), record_id);
  if (!record.ok()) return fail(record.status());
  if (!record->has_value())
    return fail(Status::Corruption("time-stamp record " + std::to_string(record_id) + " is missing"));
  const auto location = store.FindTransaction((*record)->transaction_id);
  if (!location.ok()) return fail(location.status());
  if (!location->has_value())
    return fail(Status::Corruption("the time-stamp record's transaction is not in the log"));
  timestamp::TimeStampFacts facts;
  facts.time_milliseconds = (*record)->time_milliseconds;
  facts.position = {chain_id_, (*record)->height, (*record)->transaction_id, (*location)->log_index,
                    record_id};
  Result<Bytes> reply = authority_.Grant(waiter.request, facts);
  if (!reply.ok()) return fail(reply.status());
  waiter.respond(TimeStampReply(200, std::move(reply).value()));
}

void TimeStampService::SettleTransaction(const crypto::Digest& transaction_id, const exec::Receipt* receipt,
                                         NodeCore& core) {
  const auto pending = by_transaction_.find(transaction_id);
  if (pending == by_transaction_.end()) return;
  std::optional<std::uint64_t> record_id;
  Refusal refusal{FailureInfo::kTimeNotAvailable,
                  "the time-stamp transaction expired before it committed; retry the request"};
  if (receipt != nullptr) {
    const bool found = receipt->status == exec::ReceiptStatus::kOk ||
                       receipt->status == exec::ReceiptStatus::kAlreadyTimeStamped;
    const Result<exec::RecordResult> result = exec::DecodeRecordResult(receipt->result);
    if (found && result.ok()) record_id = result->record_id;
    refusal = {FailureInfo::kSystemFailure, "the chain refused the time-stamp record: " +
                                                std::string(exec::ReceiptStatusName(receipt->status))};
  }
  for (const Waiter& waiter : pending->second.waiters) {
    if (record_id.has_value()) {
      Answer(waiter, *record_id, core);
    } else {
      waiter.respond(RefusalReply(refusal));
    }
  }
  waiting_ -= pending->second.waiters.size();
  by_digest_.erase(pending->second.digest_key);
  by_transaction_.erase(pending);
}

void TimeStampService::Settle(const NodeOutbox& outbox, NodeCore& core, std::int64_t now_milliseconds) {
  if (by_transaction_.empty()) return;
  for (const CommittedBlock& block : outbox.committed) {
    for (const exec::Receipt& receipt : block.receipts)
      SettleTransaction(receipt.transaction_id, &receipt, core);
  }
  for (const crypto::Digest& expired : outbox.expired) SettleTransaction(expired, nullptr, core);
  for (auto& [transaction_id, pending] : by_transaction_) {
    std::erase_if(pending.waiters, [&](const Waiter& waiter) {
      if (waiter.deadline_milliseconds > now_milliseconds) return false;
      waiter.respond(RefusalReply({FailureInfo::kTimeNotAvailable,
                                   "the time-stamp record did not commit in time; retry the request later"}));
      --waiting_;
      return true;
    });
  }
}

}  // namespace rightchain::node
