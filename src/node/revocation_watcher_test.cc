#include "node/revocation_watcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "base/assert.h"
#include "base/file.h"
#include "pki/authority.h"

namespace rightchain::node {
namespace {

class RevocationListWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/rightchain-crl-watch-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::filesystem::path directory_;
};

TEST_F(RevocationListWatcherTest, LoadsEachNewVersionOnceAndKeepsQuietOtherwise) {
  auto authority = pki::CertificateAuthority::Create("Watch CA", 30);
  ASSERT_TRUE(authority.ok());
  const std::filesystem::path path = directory_ / "ca.crl";
  RevocationListWatcher watcher(path, directory_ / "data" / "accepted.crl");

  auto polled = watcher.Poll();  // absent: nothing, no error
  ASSERT_TRUE(polled.ok()) << polled.status().ToString();
  EXPECT_FALSE(polled->has_value());

  auto first = authority->IssueRevocationList({"0a"}, 30);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->SaveFile(path.string()).ok());
  polled = watcher.Poll();
  ASSERT_TRUE(polled.ok()) << polled.status().ToString();
  ASSERT_TRUE(polled->has_value());
  EXPECT_EQ((*polled)->RevokedSerialsHex(), std::vector<std::string>{"a"});

  polled = watcher.Poll();  // unchanged
  ASSERT_TRUE(polled.ok());
  EXPECT_FALSE(polled->has_value());

  auto second = authority->Revoke(*first, "0b", 30);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(second->SaveFile(path.string()).ok());  // atomic replace: a new inode
  polled = watcher.Poll();
  ASSERT_TRUE(polled.ok()) << polled.status().ToString();
  ASSERT_TRUE(polled->has_value());
  EXPECT_EQ((*polled)->RevokedSerialsHex().size(), 2u);
  EXPECT_EQ((*polled)->Number(), 2u);

  ASSERT_TRUE(WriteFile(path, "not a CRL").ok());
  polled = watcher.Poll();  // a broken version is reported once
  EXPECT_FALSE(polled.ok());
  polled = watcher.Poll();
  ASSERT_TRUE(polled.ok());
  EXPECT_FALSE(polled->has_value());

  std::filesystem::remove(path);
  polled = watcher.Poll();  // removed: nothing new
  ASSERT_TRUE(polled.ok());
  EXPECT_FALSE(polled->has_value());
}

class RevocationListAtStartTest : public RevocationListWatcherTest {
 protected:
  void SetUp() override {
    RevocationListWatcherTest::SetUp();
    auto authority = pki::CertificateAuthority::Create("Watch CA", 30);
    ASSERT_TRUE(authority.ok());
    authority_.emplace(std::move(authority).value());
  }
  pki::RevocationList Issue(const std::vector<std::string>& serials, std::uint64_t number) const {
    auto list = authority_->IssueRevocationList(serials, 30, number);
    RC_ASSERT_MSG(list.ok(), list.status().ToString());
    return std::move(list).value();
  }
  RevocationListWatcher Watcher() const { return RevocationListWatcher(crl_file(), kept_file()); }
  std::filesystem::path crl_file() const { return directory_ / "ca.crl"; }
  std::filesystem::path kept_file() const { return directory_ / "data" / "accepted.crl"; }

  std::optional<pki::CertificateAuthority> authority_;
};

TEST_F(RevocationListAtStartTest, AMissingFileIsAnErrorNamingIt) {
  RevocationListWatcher watcher = Watcher();
  const auto loaded = watcher.LoadAtStart(authority_->certificate());
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(loaded.status().message().find(crl_file().string() + " does not exist"), std::string::npos)
      << loaded.status().ToString();
}

TEST_F(RevocationListAtStartTest, AListOfAnotherCaOrWithoutNumberIsRefused) {
  auto other = pki::CertificateAuthority::Create("Watch CA", 30);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(other->IssueRevocationList({}, 30)->SaveFile(crl_file().string()).ok());
  RevocationListWatcher watcher = Watcher();
  const auto loaded = watcher.LoadAtStart(authority_->certificate());
  EXPECT_EQ(loaded.status().code(), ErrorCode::kVerificationFailed) << loaded.status().ToString();
  EXPECT_NE(loaded.status().message().find(crl_file().string()), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(kept_file()));
}

// The node keeps the newest list it accepted; after a restart the file must not be older.
TEST_F(RevocationListAtStartTest, TheNewestAcceptedListSurvivesARestartWithAnOlderFile) {
  const pki::RevocationList empty = Issue({}, 1);
  const pki::RevocationList revoking = Issue({"0a"}, 2);
  ASSERT_TRUE(empty.SaveFile(crl_file().string()).ok());
  {
    RevocationListWatcher watcher = Watcher();
    auto loaded = watcher.LoadAtStart(authority_->certificate());
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_TRUE(loaded->SameAs(empty));
    EXPECT_TRUE(std::filesystem::exists(kept_file()));
    // While running: a new list the transport took is kept.
    ASSERT_TRUE(revoking.SaveFile(crl_file().string()).ok());
    auto polled = watcher.Poll();
    ASSERT_TRUE(polled.ok() && polled->has_value());
    ASSERT_TRUE(watcher.Keep(**polled).ok());
    // The file rewritten with the list in force is nothing new.
    ASSERT_TRUE(WriteFile(crl_file(), revoking.ToPem()).ok());
    polled = watcher.Poll();
    ASSERT_TRUE(polled.ok());
    EXPECT_FALSE(polled->has_value());
  }
  // Restarted with the older file (number 1) in place: the kept list (number 2) stays in force.
  ASSERT_TRUE(empty.SaveFile(crl_file().string()).ok());
  {
    RevocationListWatcher watcher = Watcher();
    auto loaded = watcher.LoadAtStart(authority_->certificate());
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_TRUE(loaded->SameAs(revoking));
    EXPECT_EQ(loaded->Number(), 2u);
    auto polled = watcher.Poll();  // the older file is not offered again
    ASSERT_TRUE(polled.ok());
    EXPECT_FALSE(polled->has_value());
  }
  // The same number with other contents is not newer either.
  ASSERT_TRUE(Issue({"0b"}, 2).SaveFile(crl_file().string()).ok());
  {
    RevocationListWatcher watcher = Watcher();
    auto loaded = watcher.LoadAtStart(authority_->certificate());
    ASSERT_TRUE(loaded.ok());
    EXPECT_TRUE(loaded->SameAs(revoking));
  }
  // A newer file (number 3) replaces the kept list.
  const pki::RevocationList newer = Issue({"0a", "0b"}, 3);
  ASSERT_TRUE(newer.SaveFile(crl_file().string()).ok());
  {
    RevocationListWatcher watcher = Watcher();
    auto loaded = watcher.LoadAtStart(authority_->certificate());
    ASSERT_TRUE(loaded.ok());
    EXPECT_TRUE(loaded->SameAs(newer));
    auto kept = pki::RevocationList::LoadFile(kept_file().string());
    ASSERT_TRUE(kept.ok());
    EXPECT_TRUE(kept->SameAs(newer));
  }
  // A kept copy the node cannot use is an error naming it, not silently dropped.
  ASSERT_TRUE(WriteFile(kept_file(), "not a CRL").ok());
  {
    RevocationListWatcher watcher = Watcher();
    auto loaded = watcher.LoadAtStart(authority_->certificate());
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.status().message().find(kept_file().string()), std::string::npos)
        << loaded.status().ToString();
  }
}

}  // namespace
}  // namespace rightchain::node
