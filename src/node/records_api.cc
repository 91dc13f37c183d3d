// The copyright-record routes of the node API: records by id, works by content hash, accounts and
// what they own (docs/api/openapi.yaml, docs/records.md). Reads committed state from the view of the latest
// commit, on the API threads.
#include "crypto/domain.h"
#include "exec/account.h"
#include "exec/record_payloads.h"
#include "exec/record_store.h"
#include "node/api_helpers.h"

namespace rightchain::node::api {
namespace {

constexpr std::size_t kMaxListedRegistrations = 1000;
constexpr std::size_t kDefaultListLimit = 100;
constexpr std::size_t kMaxListLimit = 1000;

Json OptionalJson(const auto& value) {
  return value.has_value() ? Json(*value) : Json(nullptr);
}

Json WorkJson(const exec::WorkDescription& work) {
  Json owners = Json::array();
  for (const exec::Owner& owner : work.owners) {
    owners.push_back(
        {{"account", HexEncode(owner.account)}, {"share_basis_points", owner.share_basis_points}});
  }
  Json json{{"title", work.title},
            {"kind", std::string(exec::WorkKindName(work.kind))},
            {"content_hash", HexEncode(work.content_hash)},
            {"authors", work.authors},
            {"owners", owners},
            {"claimed_creation_time_ms", work.claimed_creation_time_milliseconds},
            {"where", work.where},
            {"storage_pointer", work.storage_pointer}};
  if (work.fingerprint.has_value()) {
    json["fingerprint"] = {{"algorithm", work.fingerprint->algorithm},
                           {"value", HexEncode(work.fingerprint->value)}};
  }
  return json;
}

Json RegisteredItemJson(const exec::RegisteredItem& item) {
  return Json{{"record_id", item.record_id},
              {"item", item.item},
              {"registrant", HexEncode(item.registrant)},
              {"time_ms", item.time_milliseconds}};
}

// The earlier registration of the same content by another account, or null.
Result<Json> PriorJson(const exec::StateReader& state, const crypto::Digest& content_hash,
                       const exec::Record& record) {
  RC_ASSIGN_OR_RETURN(const std::optional<exec::RegisteredItem> prior,
                      exec::FindPriorByOther(state, content_hash, record.registrant));
  if (!prior.has_value() || prior->record_id > record.id) return Json(nullptr);
  return RegisteredItemJson(*prior);
}

// The type-specific part of a record, decoded from its body.
Result<Json> BodyJson(const exec::StateReader& state, const exec::Record& record,
                      std::optional<std::uint32_t> item) {
  const auto corrupt = [&](const Status& status) {
    return Status::Corruption("record body: " + status.message());
  };
  switch (record.type) {
    case exec::RecordType::kWork: {
      const Result<exec::WorkDescription> work = exec::DecodeWorkDescription(record.body);
      if (!work.ok()) return corrupt(work.status());
      Json json{{"work", WorkJson(*work)}};
      RC_ASSIGN_OR_RETURN(json["prior_registration"], PriorJson(state, work->content_hash, record));
      return json;
    }
    case exec::RecordType::kIndexedBatch: {
      const Result<exec::IndexedBatchPayload> batch = exec::DecodeIndexedBatchPayload(record.body);
      if (!batch.ok()) return corrupt(batch.status());
      Json json{{"records_root", HexEncode(batch->records_root)},
                {"item_count", batch->content_hashes.size()},
                {"label", batch->label},
                {"indexed", true}};
      if (item.has_value()) {
        if (*item >= batch->content_hashes.size()) return Status::NotFound("the batch has no such item");
        const crypto::Digest& hash = batch->content_hashes[*item];
        json["item"] = {{"index", *item}, {"content_hash", HexEncode(hash)}};
        RC_ASSIGN_OR_RETURN(json["item"]["prior_registration"], PriorJson(state, hash, record));
      }
      return json;
    }
    case exec::RecordType::kAnchorBatch: {
      const Result<exec::AnchorBatchPayload> batch = exec::DecodeAnchorBatchPayload(record.body);
      if (!batch.ok()) return corrupt(batch.status());
      // The chain never saw the items: it cannot index them nor detect their conflicts.
      return Json{{"records_root", HexEncode(batch->records_root)},
                  {"item_count", batch->item_count},
                  {"label", batch->label},
                  {"indexed", false}};
    }
    case exec::RecordType::kEndorsement: {
      const Result<exec::EndorsePayload> endorsement = exec::DecodeEndorsePayload(record.body);
      if (!endorsement.ok()) return corrupt(endorsement.status());
      return Json{{"endorses_record_id", endorsement->record_id},
                  {"item", OptionalJson(endorsement->item)},
                  {"kind", std::string(exec::EndorsementKindName(endorsement->kind))},
                  {"text", endorsement->text}};
    }
    case exec::RecordType::kEvidence: {
      const Result<exec::EvidencePayload> evidence = exec::DecodeEvidencePayload(record.body);
      if (!evidence.ok()) return corrupt(evidence.status());
      return Json{{"manifest_hash", HexEncode(evidence->manifest_hash)},
                  {"target_url", evidence->target_url},
                  {"capture_time_ms", evidence->capture_time_milliseconds},
                  {"related_record_id", OptionalJson(evidence->related_record_id)},
                  {"related_item", OptionalJson(evidence->related_item)},
                  {"note", evidence->note}};
    }
    case exec::RecordType::kTimeStamp: {
      const Result<exec::TimeStampPayload> time_stamp = exec::DecodeTimeStampPayload(record.body);
      if (!time_stamp.ok()) return corrupt(time_stamp.status());
      return Json{{"hash_algorithm", std::string(exec::TimeStampHashName(time_stamp->hash))},
                  {"digest", HexEncode(time_stamp->digest)}};
    }
    case exec::RecordType::kAttestation: {
      const Result<exec::AttestIdentityPayload> attestation = exec::DecodeAttestIdentityPayload(record.body);
      if (!attestation.ok()) return corrupt(attestation.status());
      return Json{{"subject", HexEncode(attestation->subject)},
                  {"attribute", std::string(exec::IdentityAttributeName(attestation->attribute))},
                  {"commitment", HexEncode(attestation->commitment)}};
    }
  }
  return Status::Corruption("unknown record type");
}

Result<Json> RecordJson(const exec::StateReader& state, const exec::Record& record,
                        std::optional<std::uint32_t> item) {
  Json json{{"id", record.id},
            {"type", std::string(exec::RecordTypeName(record.type))},
            {"transaction_id", HexEncode(record.transaction_id)},
            {"height", record.height},
            {"index_in_block", record.index_in_block},
            {"time_ms", record.time_milliseconds},
            {"registrant", HexEncode(record.registrant)},
            {"signing_key", HexEncode(record.signing_key)}};
  RC_ASSIGN_OR_RETURN(const Json body, BodyJson(state, record, item));
  json.update(body);
  RC_ASSIGN_OR_RETURN(const std::vector<std::uint64_t> links,
                      exec::FindLinks(state, record.id, kMaxListLimit));
  json["linked_records"] = links;
  return json;
}

http::Response GetRecord(const http::Request& request, const ChainRead& read) {
  const Result<std::uint64_t> id = ParseNumber(request.path_parameters.at("id"), "record id");
  if (!id.ok()) return FromStatus(id.status());
  const Result<std::optional<std::uint32_t>> item = ItemParameter(request);
  if (!item.ok()) return FromStatus(item.status());
  const exec::StateReader& state = read.chain.state();
  const auto record = exec::LoadRecord(state, *id);
  if (!record.ok()) return FromStatus(record.status());
  if (!record->has_value()) return http::ErrorResponse(404, "not_found", "no record " + std::to_string(*id));
  const Result<Json> json = RecordJson(state, **record, *item);
  if (!json.ok()) return FromStatus(json.status());
  return JsonResponse(200, *json);
}

http::Response FindWorks(const http::Request& request, const ChainRead& read) {
  const Result<crypto::Digest> hash = ParseDigest(request.QueryParameter("content_hash"), "content_hash");
  if (!hash.ok()) return FromStatus(hash.status());
  const auto items = exec::FindByContentHash(read.chain.state(), *hash, kMaxListedRegistrations);
  if (!items.ok()) return FromStatus(items.status());
  Json registrations = Json::array();
  for (const exec::RegisteredItem& item : *items) registrations.push_back(RegisteredItemJson(item));
  return JsonResponse(200, Json{{"content_hash", HexEncode(*hash)}, {"registrations", registrations}});
}

Json AccountJson(const exec::Account& account, const std::vector<exec::AccountKey>& history) {
  Json keys = Json::array();
  for (const exec::AccountKey& key : history) {
    keys.push_back({{"public_key", HexEncode(key.public_key)},
                    {"scheme", std::string(crypto::SignatureSchemeName(key.scheme))},
                    {"status", std::string(exec::KeyStatusName(key.status))},
                    {"from_height", key.from_height},
                    {"until_height", key.until_height}});
  }
  return Json{{"id", HexEncode(account.id)},
              {"kinds", exec::AccountKindsToString(account.kinds)},
              {"label", account.label},
              {"current_key",
               account.current_key.has_value() ? Json(HexEncode(*account.current_key)) : Json(nullptr)},
              {"created_height", account.created_height},
              {"keys", keys}};
}

http::Response GetAccount(const http::Request& request, const ChainRead& read) {
  const Result<crypto::Digest> id = ParseDigest(request.path_parameters.at("id"), "account id");
  if (!id.ok()) return FromStatus(id.status());
  const exec::StateReader& state = read.chain.state();
  const auto account = exec::LoadAccount(state, *id);
  if (!account.ok()) return FromStatus(account.status());
  if (!account->has_value()) return http::ErrorResponse(404, "not_found", "no account " + HexEncode(*id));
  const auto history = exec::LoadKeyHistory(state, **account);
  if (!history.ok()) return FromStatus(history.status());
  return JsonResponse(200, AccountJson(**account, *history));
}

http::Response GetAccountByKey(const http::Request& request, const ChainRead& read) {
  const Result<crypto::Digest> key_id = ParseDigest(request.path_parameters.at("key_id"), "key id");
  if (!key_id.ok()) return FromStatus(key_id.status());
  const auto key = exec::LoadAccountKey(read.chain.state(), *key_id);
  if (!key.ok()) return FromStatus(key.status());
  if (!key->has_value())
    return http::ErrorResponse(404, "not_found", "no account holds key " + HexEncode(*key_id));
  return JsonResponse(200, Json{{"account", HexEncode((*key)->account)},
                                {"status", std::string(exec::KeyStatusName((*key)->status))}});
}

http::Response AccountRecords(const http::Request& request, const ChainRead& read) {
  const Result<crypto::Digest> id = ParseDigest(request.path_parameters.at("id"), "account id");
  if (!id.ok()) return FromStatus(id.status());
  std::uint64_t after = 0;
  std::uint64_t limit = kDefaultListLimit;
  if (!request.QueryParameter("after").empty()) {
    const Result<std::uint64_t> parsed = ParseNumber(request.QueryParameter("after"), "after");
    if (!parsed.ok()) return FromStatus(parsed.status());
    after = *parsed;
  }
  if (!request.QueryParameter("limit").empty()) {
    const Result<std::uint64_t> parsed = ParseNumber(request.QueryParameter("limit"), "limit");
    if (!parsed.ok()) return FromStatus(parsed.status());
    if (*parsed == 0 || *parsed > kMaxListLimit)
      return FromStatus(Status::InvalidArgument("limit must be 1.." + std::to_string(kMaxListLimit)));
    limit = *parsed;
  }
  const auto ids = exec::FindByOwner(read.chain.state(), *id, after, limit);
  if (!ids.ok()) return FromStatus(ids.status());
  return JsonResponse(200, Json{{"account", HexEncode(*id)}, {"record_ids", *ids}});
}

Json ConflictsJson(const std::vector<exec::Conflict>& conflicts) {
  Json array = Json::array();
  for (const exec::Conflict& conflict : conflicts) {
    array.push_back({{"item", conflict.item},
                     {"prior_record_id", conflict.prior_record_id},
                     {"prior_item", conflict.prior_item},
                     {"prior_time_ms", conflict.prior_time_milliseconds}});
  }
  return array;
}

}  // namespace

Json ReceiptResultJson(ByteView result) {
  if (result.empty()) return Json(nullptr);
  const Result<std::string_view> type = crypto::DomainTypeOf(result);
  if (!type.ok()) return Json(nullptr);
  if (const auto record = exec::DecodeRecordResult(result); record.ok()) {
    return Json{{"record_id", record->record_id}, {"conflicts", ConflictsJson(record->conflicts)}};
  }
  if (const auto account = exec::DecodeAccountResult(result); account.ok()) {
    return Json{{"account", HexEncode(account->account)},
                {"kinds", exec::AccountKindsToString(account->kinds)},
                {"current_key",
                 account->current_key.has_value() ? Json(HexEncode(*account->current_key)) : Json(nullptr)}};
  }
  return Json(nullptr);
}

void AddRecordRoutes(http::Router& router, Daemon::State& state) {
  OnView(router, state, "GET", "/v1/records/{id}", GetRecord);
  OnView(router, state, "GET", "/v1/works", FindWorks);
  OnView(router, state, "GET", "/v1/accounts/{id}", GetAccount);
  OnView(router, state, "GET", "/v1/accounts/{id}/records", AccountRecords);
  OnView(router, state, "GET", "/v1/keys/{key_id}/account", GetAccountByKey);
}

}  // namespace rightchain::node::api
