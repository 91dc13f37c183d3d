#include "cli/record_commands.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/records.h"

namespace rightchain::cli {
namespace {

struct RecordCommandOptions {
  RegisterOptions register_work;
  RegisterBatchOptions register_batch;
  EndorseOptions endorse;
  EvidenceOptions evidence;
  std::string show_node = std::string(kDefaultNodeUrl);
  std::string show_target;
  AccountOptions account;
};

void AddChainOptions(CLI::App* command, ChainWriteOptions& chain, bool key_required = true) {
  command->add_option("--node", chain.node_url, "the node's API URL")->capture_default_str();
  CLI::Option* key = command->add_option("--key", chain.key_file, "signing key (encrypted PKCS#8)");
  if (key_required) key->required();
  command->add_option("--passphrase-file", chain.passphrase_file, "passphrase of --key (default: KEY.pass)");
  command->add_option("--wait-seconds", chain.wait_seconds, "how long to wait for the commit")
      ->capture_default_str();
  command->add_flag("--json", chain.json, "print JSON");
}

void AddRegister(CLI::App& app, RegisterOptions& options, std::optional<Status>& outcome) {
  CLI::App* command = app.add_subcommand("register", "register a work: its hash, who, when, what and where");
  command->add_option("file", options.file, "the work's file")->required();
  AddChainOptions(command, options.chain);
  command->add_option("--title", options.title, "title (default: the file name)");
  command->add_option("--kind", options.kind, "text, image, audio, video or other (default: by extension)");
  command->add_option("--where", options.where, "publication URL or platform");
  command->add_option("--author", options.authors, "an author's name (repeatable)");
  command->add_option("--owner", options.owners,
                      "ACCOUNT:SHARE_BASIS_POINTS (repeatable; default: you, 10000)");
  command->add_option("--storage", options.storage_pointer, "where the file is kept off chain");
  command->add_option("--created-ms", options.created_milliseconds, "claimed creation time (Unix ms)");
  command->callback([&] { outcome = RegisterWork(options, std::cout); });
}

void AddRegisterBatch(CLI::App& app, RegisterBatchOptions& options, std::optional<Status>& outcome) {
  CLI::App* command =
      app.add_subcommand("register-batch", "register every file of a directory in one transaction");
  command->add_option("dir", options.directory, "directory of works")->required();
  AddChainOptions(command, options.chain);
  command->add_flag("--anchor-only", options.anchor_only,
                    "put only the root on chain (up to 1,000,000 files)");
  command->add_option("--proofs", options.proofs_directory,
                      "where to write each item's proof (default: DIR.proofs)");
  command->add_option("--label", options.label, "a label for the batch");
  command->callback([&] { outcome = RegisterBatch(options, std::cout); });
}

void AddEndorse(CLI::App& app, EndorseOptions& options, std::optional<Status>& outcome) {
  CLI::App* command = app.add_subcommand("endorse", "endorse a registration (authorities)");
  command->add_option("id", options.target, "record id, or ID:ITEM for a batch item")->required();
  AddChainOptions(command, options.chain);
  command->add_option("--kind", options.kind, "copyright-authentication or registration-number")
      ->capture_default_str();
  command->add_option("--text", options.text, "e.g. the registration number");
  command->callback([&] { outcome = Endorse(options, std::cout); });
}

void AddEvidence(CLI::App& app, EvidenceOptions& options, std::optional<Status>& outcome) {
  CLI::App* command = app.add_subcommand("evidence", "fix infringement evidence on chain");
  command->add_option("--manifest", options.manifest, "the capture manifest file")->required();
  command->add_option("--url", options.url, "the infringing URL")->required();
  AddChainOptions(command, options.chain);
  command->add_option("--record", options.target, "the infringed registration: ID or ID:ITEM");
  command->add_option("--captured-ms", options.captured_milliseconds, "capture time (Unix ms; default: now)");
  command->add_option("--note", options.note, "a short note");
  command->callback([&] { outcome = FixEvidence(options, std::cout); });
}

void AddShow(CLI::App& app, RecordCommandOptions& options, std::optional<Status>& outcome) {
  CLI::App* command = app.add_subcommand("show", "show a record as the chain holds it");
  command->add_option("id", options.show_target, "record id, or ID:ITEM for a batch item")->required();
  command->add_option("--node", options.show_node, "the node's API URL")->capture_default_str();
  command->callback([&] { outcome = ShowRecord(options.show_node, options.show_target, std::cout); });
}

void AddAccount(CLI::App& app, AccountOptions& options, std::optional<Status>& outcome) {
  CLI::App* command = app.add_subcommand("account", "accounts and their keys");
  command
      ->add_option("action", options.action,
                   "create | grant | withdraw | attest | rotate | key-proof | revoke | recover | show")
      ->required()
      ->check(CLI::IsMember({"create", "grant", "withdraw", "attest", "verify-attribute", "rotate",
                             "key-proof", "revoke", "recover", "show"}));
  command->add_option("account", options.account,
                      "the account id (hex), for every action but create and rotate");
  AddChainOptions(command, options.chain, /*key_required=*/false);
  command->add_option("--kinds", options.kinds,
                      "kinds, comma-separated (person, organisation, platform, court, …)");
  command->add_option("--label", options.label, "create: a public label (never a real name)");
  command->add_option("--attribute", options.attribute, "attest: name, id-number or organisation-code");
  command->add_option("--value", options.value, "attest: the attribute's value (never sent: only its HMAC)");
  command->add_option("--secret-file", options.secret_file, "attest: the authority's HMAC secret");
  command->add_option("--new-key", options.new_key_file, "rotate: the new key file");
  command->add_option("--new-public-key", options.new_public_key, "recover: from `account key-proof`");
  command->add_option("--proof", options.proof, "recover: from `account key-proof`");
  command->add_option("--sponsor-key", options.sponsor_key_file,
                      "create: the sponsoring platform's or authority's key (default: " +
                          std::string(kDefaultSponsorKeyFile) + " when it exists)");
  command->add_option("--sponsor-passphrase-file", options.sponsor_passphrase_file,
                      "create: the sponsor key's passphrase (default: the key file's name + .pass)");
  command->callback([&] {
    if (options.action != "show" && options.action != "verify-attribute" && options.chain.key_file.empty()) {
      outcome = Status::InvalidArgument("--key is required for account " + options.action);
      return;
    }
    outcome = RunAccountCommand(options, std::cout);
  });
}

}  // namespace

std::shared_ptr<void> AddRecordCommands(CLI::App& app, std::optional<Status>& outcome) {
  auto options = std::make_shared<RecordCommandOptions>();
  AddRegister(app, options->register_work, outcome);
  AddRegisterBatch(app, options->register_batch, outcome);
  AddEndorse(app, options->endorse, outcome);
  AddEvidence(app, options->evidence, outcome);
  AddShow(app, *options, outcome);
  AddAccount(app, options->account, outcome);
  return options;
}

}  // namespace rightchain::cli
