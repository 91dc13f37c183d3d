#include "proofs/signed_note.h"

#include <gtest/gtest.h>

namespace rightchain::proofs {
namespace {

// The example of Go's golang.org/x/mod/sumdb/note: an Ed25519 seed ("PRIVATE+KEY+PeterNeumann+
// c74f20a3+" then base64 of 0x01 ‖ seed), its verifier key, and the signed note it produces.
constexpr std::string_view kGoSignerKeyBase64 = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kGoVerifierKey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kGoText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view kGoSignedNote =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
    "\n"
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

crypto::PrivateKey GoExampleKey() {
  const Bytes typed_seed = Base64Decode(kGoSignerKeyBase64).value();
  return crypto::PrivateKey::FromRaw(crypto::SignatureScheme::kEd25519, ByteView(typed_seed).subspan(1))
      .value();
}

TEST(SignedNoteTest, ReproducesGosExampleByteForByte) {
  const crypto::PrivateKey key = GoExampleKey();
  EXPECT_EQ(NoteVerifierKey("PeterNeumann", key.public_key()), kGoVerifierKey);
  EXPECT_EQ(NoteKeyId("PeterNeumann", key.public_key()), 0xc74f20a3u);
  const NoteSignature signature = SignNote(kGoText, "PeterNeumann", key).value();
  EXPECT_EQ(FormatSignedNote({std::string(kGoText), {signature}}), kGoSignedNote);

  const SignedNote parsed = ParseSignedNote(kGoSignedNote).value();
  EXPECT_EQ(parsed.text, kGoText);
  const NoteKey keys[] = {{"PeterNeumann", key.public_key()}};
  EXPECT_EQ(VerifyNote(parsed, keys).value(), std::vector<std::size_t>{0});
}

TEST(SignedNoteTest, Sm2NotesUseTheDocumentedTypeAndVerify) {
  const crypto::PrivateKey key = crypto::PrivateKey::Generate(crypto::SignatureScheme::kSm2).value();
  Bytes type = NoteSignatureType(crypto::SignatureScheme::kSm2);
  EXPECT_EQ(type.front(), 0xff);
  EXPECT_EQ(std::string(type.begin() + 1, type.end()), "rightchain-sm2");
  const std::string text = "rightchain-local\n5\nAAAA\n";
  const SignedNote note{text, {SignNote(text, "rightchain-local/node-0", key).value()}};
  const SignedNote parsed = ParseSignedNote(FormatSignedNote(note)).value();
  EXPECT_EQ(parsed, note);
  const NoteKey keys[] = {{"rightchain-local/node-0", key.public_key()}};
  EXPECT_EQ(VerifyNote(parsed, keys).value().size(), 1u);
}

TEST(SignedNoteTest, UnknownSignersAreIgnoredAndABadKnownSignatureFailsTheNote) {
  const crypto::PrivateKey key = GoExampleKey();
  const crypto::PrivateKey other = crypto::PrivateKey::Generate(crypto::SignatureScheme::kEd25519).value();
  SignedNote note{
      std::string(kGoText),
      {SignNote(kGoText, "Other", other).value(), SignNote(kGoText, "PeterNeumann", key).value()}};
  const NoteKey keys[] = {{"PeterNeumann", key.public_key()}};
  EXPECT_EQ(VerifyNote(note, keys).value(), std::vector<std::size_t>{0});
  note.signatures[1].signature[0] ^= 1;
  EXPECT_EQ(VerifyNote(note, keys).status().code(), ErrorCode::kVerificationFailed);
  SignedNote tampered{std::string(kGoText) + "x\n", {SignNote(kGoText, "PeterNeumann", key).value()}};
  EXPECT_FALSE(VerifyNote(tampered, keys).ok());
}

TEST(SignedNoteTest, MalformedNotesAreRejected) {
  for (const std::string_view bad : {
           std::string_view(""), std::string_view("no blank line\n\xE2\x80\x94 a AAAAAAA=\n"),
           std::string_view("text\n\n"), std::string_view("text\n\n- a AAAAAAAA\n"),
           std::string_view("text\n\n\xE2\x80\x94 a AAAA\n"),          // 3 bytes: no signature after the id
           std::string_view("text\n\n\xE2\x80\x94 a b+c AAAAAAAA\n"),  // a space in the name
           std::string_view("text\n\n\xE2\x80\x94 a+b AAAAAAAA\n"),    // '+' in the name
           std::string_view("text\n\n\xE2\x80\x94 a AAAAAAAA"),        // no final newline
           std::string_view("te\txt\n\n\xE2\x80\x94 a AAAAAAAA\n"),    // a control character
       }) {
    EXPECT_FALSE(ParseSignedNote(bad).ok()) << bad;
  }
  std::string many = "text\n\n";
  for (int i = 0; i < 101; ++i) many += "\xE2\x80\x94 a AAAAAAAA\n";
  EXPECT_EQ(ParseSignedNote(many).status().code(), ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace rightchain::proofs
