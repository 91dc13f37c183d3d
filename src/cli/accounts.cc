// `rightchain account …`: create an account, grant and withdraw kinds, attest identity
// attributes, rotate a key, prove a new key, revoke and recover (docs/cli.md, docs/records.md).
#include <charconv>
#include <nlohmann/json.hpp>
#include <ostream>

#include "base/file.h"
#include "cli/records.h"
#include "crypto/mac.h"
#include "exec/record_payloads.h"
#include "exec/record_store.h"

namespace rightchain::cli {
namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxSecretFileBytes = 4096;

struct NewKeyProof {
  Bytes public_key;
  Bytes proof;
};

Result<exec::AccountId> ParseAccount(std::string_view hex) {
  if (hex.empty()) return Status::InvalidArgument("name the account (its id: 64 hex digits)");
  RC_ASSIGN_OR_RETURN(const Bytes bytes, HexDecode(hex));
  if (bytes.size() != crypto::kKeyIdSize) return Status::InvalidArgument("an account id is 64 hex digits");
  exec::AccountId id;
  std::copy(bytes.begin(), bytes.end(), id.begin());
  return id;
}

struct Context {
  const AccountOptions& options;
  ChainSession session;
  crypto::PrivateKey key;
};

Status PrintAccountResult(const Context& context, const CommittedReceipt& receipt, std::ostream& out) {
  if (receipt.status != "ok") return ReceiptError(receipt);
  const Result<exec::AccountResult> result = exec::DecodeAccountResult(receipt.result);
  if (!result.ok())
    return Status::Corruption("the receipt's result does not decode: " + result.status().message());
  if (context.options.chain.json) {
    out << Json{{"account", HexEncode(result->account)},
                {"kinds", exec::AccountKindsToString(result->kinds)},
                {"current_key",
                 result->current_key.has_value() ? Json(HexEncode(*result->current_key)) : Json()},
                {"height", receipt.height},
                {"transaction_id", receipt.transaction_id}}
               .dump()
        << "\n";
    return Status::Ok();
  }
  out << "account " << HexEncode(result->account) << "\n"
      << "kinds   " << exec::AccountKindsToString(result->kinds) << "\n"
      << "key     " << (result->current_key.has_value() ? HexEncode(*result->current_key) : "none (revoked)")
      << "\n"
      << "committed at height " << receipt.height << "\n";
  return Status::Ok();
}

Status Submit(const Context& context, exec::TransactionKind kind, Bytes payload, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const CommittedReceipt receipt,
                      SubmitAndWait(context.session, context.key, kind, std::move(payload),
                                    context.options.chain.wait_seconds));
  return PrintAccountResult(context, receipt, out);
}

// The sponsor's key: named, or the local consortium's sign-up key.
Result<crypto::PrivateKey> LoadSponsorKey(const Context& context) {
  std::filesystem::path key_file = context.options.sponsor_key_file;
  std::error_code error;
  if (key_file.empty() && std::filesystem::exists(kDefaultSponsorKeyFile, error))
    key_file = kDefaultSponsorKeyFile;
  if (key_file.empty()) {
    return Status::InvalidArgument(
        "an account is created by a sponsor (a platform or an authority): name its key with --sponsor-key "
        "(the "
        "local consortium's is " +
        std::string(kDefaultSponsorKeyFile) + ")");
  }
  return LoadSigningKey(key_file, context.options.sponsor_passphrase_file,
                        crypto::GetSuite(context.session.suite).signature);
}

// The holder of --key proves possession of it; the sponsor signs the creation.
Status CreateAccountCommand(const Context& context, std::ostream& out) {
  exec::AccountKinds kinds = exec::kPersonKind;
  if (!context.options.kinds.empty()) {
    RC_ASSIGN_OR_RETURN(kinds, exec::ParseAccountKinds(context.options.kinds));
  }
  if ((kinds & ~exec::kSelfDeclaredKinds) != 0) {
    return Status::InvalidArgument(
        "a new account may only declare person or organisation; other kinds are granted");
  }
  if (context.options.label.size() > exec::kMaxAccountLabelSize)
    return Status::InvalidArgument("--label is too long");
  const ByteView raw = context.key.public_key().raw();
  RC_ASSIGN_OR_RETURN(const crypto::Signature proof,
                      context.key.Sign(exec::KeyProofMessage(context.session.chain_id,
                                                             context.key.public_key().key_id(), raw)));
  RC_ASSIGN_OR_RETURN(const crypto::PrivateKey sponsor, LoadSponsorKey(context));
  const exec::CreateAccountPayload payload{
      kinds, context.options.label, {Bytes(raw.begin(), raw.end()), Bytes(proof.begin(), proof.end())}};
  RC_ASSIGN_OR_RETURN(const CommittedReceipt receipt,
                      SubmitAndWait(context.session, sponsor, exec::TransactionKind::kCreateAccount,
                                    exec::EncodePayload(payload), context.options.chain.wait_seconds));
  return PrintAccountResult(context, receipt, out);
}

Status ChangeKindsCommand(const Context& context, bool grant, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const exec::AccountId account, ParseAccount(context.options.account));
  RC_ASSIGN_OR_RETURN(const exec::AccountKinds kinds, exec::ParseAccountKinds(context.options.kinds));
  return Submit(context, grant ? exec::TransactionKind::kGrantKinds : exec::TransactionKind::kWithdrawKinds,
                exec::EncodePayload(exec::ChangeKindsPayload{account, kinds}), out);
}

// The authority's commitment to an attribute value: HMAC under its secret.
Result<crypto::Digest> Commitment(const AccountOptions& options, crypto::SuiteId suite,
                                  const exec::AccountId& subject, exec::IdentityAttribute attribute) {
  RC_ASSIGN_OR_RETURN(std::string secret, ReadFile(options.secret_file, kMaxSecretFileBytes));
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (options.value.empty()) return Status::InvalidArgument("--value must give the attribute's value");
  return crypto::Hmac(crypto::GetSuite(suite).hash, ToBytes(secret),
                      exec::IdentityCommitmentMessage(subject, attribute, options.value));
}

Status AttestCommand(const Context& context, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const exec::AccountId subject, ParseAccount(context.options.account));
  RC_ASSIGN_OR_RETURN(const exec::IdentityAttribute attribute,
                      exec::ParseIdentityAttribute(context.options.attribute));
  RC_ASSIGN_OR_RETURN(const crypto::Digest commitment,
                      Commitment(context.options, context.session.suite, subject, attribute));
  RC_ASSIGN_OR_RETURN(
      const CommittedReceipt receipt,
      SubmitAndWait(context.session, context.key, exec::TransactionKind::kAttestIdentity,
                    exec::EncodePayload(exec::AttestIdentityPayload{subject, attribute, commitment}),
                    context.options.chain.wait_seconds));
  if (receipt.status != "ok") return ReceiptError(receipt);
  RC_ASSIGN_OR_RETURN(const exec::RecordResult result, exec::DecodeRecordResult(receipt.result));
  out << "attestation record " << result.record_id << " committed at height " << receipt.height << "\n"
      << "commitment " << HexEncode(commitment) << "\n";
  return Status::Ok();
}

// The holder of a new key proves possession by signing KeyProofMessage with it.
Result<NewKeyProof> MakeProof(const ChainSession& session, const exec::AccountId& account,
                              const std::filesystem::path& key_file,
                              const std::filesystem::path& passphrase_file) {
  RC_ASSIGN_OR_RETURN(const crypto::PrivateKey key,
                      LoadSigningKey(key_file, passphrase_file, crypto::GetSuite(session.suite).signature));
  const ByteView raw = key.public_key().raw();
  RC_ASSIGN_OR_RETURN(const crypto::Signature proof,
                      key.Sign(exec::KeyProofMessage(session.chain_id, account, raw)));
  return NewKeyProof{Bytes(raw.begin(), raw.end()), Bytes(proof.begin(), proof.end())};
}

Status RotateCommand(const Context& context, std::ostream& out) {
  if (context.options.new_key_file.empty())
    return Status::InvalidArgument("--new-key must name the new key file");
  RC_ASSIGN_OR_RETURN(const exec::AccountId account, AccountOfKey(context.session, context.key.public_key()));
  RC_ASSIGN_OR_RETURN(const NewKeyProof proof,
                      MakeProof(context.session, account, context.options.new_key_file, {}));
  return Submit(context, exec::TransactionKind::kRotateKey,
                exec::EncodePayload(exec::RotateKeyPayload{{proof.public_key, proof.proof}}), out);
}

Status RevokeCommand(const Context& context, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const exec::AccountId subject, ParseAccount(context.options.account));
  return Submit(context, exec::TransactionKind::kRevokeKey,
                exec::EncodePayload(exec::RevokeKeyPayload{subject}), out);
}

Status RecoverCommand(const Context& context, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(const exec::AccountId subject, ParseAccount(context.options.account));
  RC_ASSIGN_OR_RETURN(const Bytes public_key, HexDecode(context.options.new_public_key));
  RC_ASSIGN_OR_RETURN(const Bytes proof, HexDecode(context.options.proof));
  return Submit(context, exec::TransactionKind::kRecoverKey,
                exec::EncodePayload(exec::RecoverKeyPayload{subject, {public_key, proof}}), out);
}

// Run by the attesting authority when a holder claims a value: recomputes the HMAC under its
// secret and compares it with the attestation record's commitment.
Status VerifyAttributeCommand(const AccountOptions& options, std::ostream& out) {
  RC_ASSIGN_OR_RETURN(ChainSession session, ConnectChain(options.chain.node_url));
  std::uint64_t record_id = 0;
  const auto [end, error] =
      std::from_chars(options.account.data(), options.account.data() + options.account.size(), record_id);
  if (options.account.empty() || error != std::errc() ||
      end != options.account.data() + options.account.size()) {
    return Status::InvalidArgument("verify-attribute takes the attestation's record id");
  }
  RC_ASSIGN_OR_RETURN(const std::string body,
                      session.node.GetJsonText("/v1/records/" + std::to_string(record_id)));
  const Json record = Json::parse(body, nullptr, false);
  if (!record.is_object() || record.value("type", "") != "attestation" || !record.contains("subject") ||
      !record["subject"].is_string() || !record.contains("attribute") || !record["attribute"].is_string() ||
      !record.contains("commitment") || !record["commitment"].is_string()) {
    return Status::InvalidArgument("record " + std::to_string(record_id) + " is not an identity attestation");
  }
  RC_ASSIGN_OR_RETURN(const exec::AccountId subject, ParseAccount(record["subject"].get<std::string>()));
  RC_ASSIGN_OR_RETURN(const exec::IdentityAttribute attribute,
                      exec::ParseIdentityAttribute(record["attribute"].get<std::string>()));
  RC_ASSIGN_OR_RETURN(const crypto::Digest commitment,
                      Commitment(options, session.suite, subject, attribute));
  if (HexEncode(commitment) != record["commitment"].get<std::string>()) {
    return Status::VerificationFailed("the value does not match attestation " + std::to_string(record_id));
  }
  out << "the " << exec::IdentityAttributeName(attribute) << " of account " << HexEncode(subject)
      << " matches attestation " << record_id << " (attested by " << record.value("registrant", "") << ")\n";
  return Status::Ok();
}

}  // namespace

Status RunAccountCommand(const AccountOptions& options, std::ostream& out) {
  const std::string& action = options.action;
  if (action == "show") {
    RC_ASSIGN_OR_RETURN(const exec::AccountId account, ParseAccount(options.account));
    const client::NodeClient node(options.chain.node_url);
    RC_ASSIGN_OR_RETURN(const std::string body, node.GetJsonText("/v1/accounts/" + HexEncode(account)));
    const Json json = Json::parse(body, nullptr, false);
    if (json.is_discarded()) return Status::Corruption("the node sent an account that is not JSON");
    out << json.dump(2) << "\n";
    return Status::Ok();
  }
  if (action == "verify-attribute") return VerifyAttributeCommand(options, out);
  RC_ASSIGN_OR_RETURN(ChainSession session, ConnectChain(options.chain.node_url));
  if (action == "key-proof") {
    // Run by the holder of the new key, offline from the authority: the output goes to the
    // authority, who submits `account recover`.
    RC_ASSIGN_OR_RETURN(const exec::AccountId account, ParseAccount(options.account));
    RC_ASSIGN_OR_RETURN(const NewKeyProof proof,
                        MakeProof(session, account, options.chain.key_file, options.chain.passphrase_file));
    out << "new public key " << HexEncode(proof.public_key) << "\nproof " << HexEncode(proof.proof) << "\n";
    return Status::Ok();
  }
  RC_ASSIGN_OR_RETURN(crypto::PrivateKey key,
                      LoadSigningKey(options.chain.key_file, options.chain.passphrase_file,
                                     crypto::GetSuite(session.suite).signature));
  const Context context{options, std::move(session), std::move(key)};
  if (action == "create") return CreateAccountCommand(context, out);
  if (action == "grant") return ChangeKindsCommand(context, /*grant=*/true, out);
  if (action == "withdraw") return ChangeKindsCommand(context, /*grant=*/false, out);
  if (action == "attest") return AttestCommand(context, out);
  if (action == "rotate") return RotateCommand(context, out);
  if (action == "revoke") return RevokeCommand(context, out);
  if (action == "recover") return RecoverCommand(context, out);
  return Status::InvalidArgument("unknown account action '" + action + "'");
}

}  // namespace rightchain::cli
