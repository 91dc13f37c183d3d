// `rightchain fingerprint`, `index add|remove` and `match`, run as a user would: the built binary,
// real files, exit codes and output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "fingerprint/testing/synthetic_audio.h"
#include "fingerprint/testing/synthetic_image.h"

namespace rightchain::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class TempDirectory {
 public:
  TempDirectory() {
    std::string pattern = (fs::path(::testing::TempDir()) / "rightchain-fingerprint-XXXXXX").string();
    const char* made = mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr);
    path_ = made;
  }
  ~TempDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadText(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

RunResult Run(const std::string& arguments, const fs::path& directory) {
  const fs::path out = directory / "stdout.txt";
  const fs::path err = directory / "stderr.txt";
  const std::string command =
      std::string(RIGHTCHAIN_CLI_BINARY) + " " + arguments + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(command.c_str());
  return RunResult{WIFEXITED(status) ? WEXITSTATUS(status) : -1, ReadText(out), ReadText(err)};
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

class FingerprintCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const cv::Mat photo = fingerprint::testing::SyntheticPhoto(11, 480, 360);
    ASSERT_TRUE(cv::imwrite(File("photo.png"), photo));
    ASSERT_TRUE(cv::imwrite(File("other.png"), fingerprint::testing::SyntheticPhoto(12, 480, 360)));
    cv::Mat copy;
    cv::flip(photo, copy, 1);
    ASSERT_TRUE(cv::imwrite(File("copy.jpg"), copy, {cv::IMWRITE_JPEG_QUALITY, 50}));
    ASSERT_TRUE(cv::imwrite(File("unrelated.png"), fingerprint::testing::SyntheticPhoto(13, 300, 300)));
    std::ofstream(File("story.txt"))
        << "The lighthouse keeper counted the ships every evening, writing their names in a ledger that "
           "his grandfather had started sixty years before. Storms came and went, and the ledger grew "
           "thick with salt-stained pages, each one a small record of the sea's traffic and of the "
           "patience of the men who watched it.\n";
    std::ofstream(File("quote.txt"))
        << "A blog post: Storms came and went, and the ledger grew thick with salt-stained pages, each "
           "one a small record of the sea's traffic. What a lovely line.\n";
    std::ofstream(File("broken.jpg"), std::ios::binary) << std::string("\xff\xd8\xff\xe0\0\x10JFIF", 10);
  }
  std::string File(const std::string& name) const { return (temp_.path() / name).string(); }
  std::string Index() const { return (temp_.path() / "index").string(); }
  RunResult Run(const std::string& arguments) const { return cli::Run(arguments, temp_.path()); }

  TempDirectory temp_;
};

TEST_F(FingerprintCommandsTest, FingerprintPrintsKindAlgorithmAndHex) {
  RunResult result = Run("fingerprint " + File("photo.png"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 5u) << result.out;
  EXPECT_EQ(lines[0], "kind\timage");
  EXPECT_EQ(lines[1], "algorithm\trightchain-image-pdq-verify-v2");
  EXPECT_THAT(lines[2], StartsWith("quality\t"));
  EXPECT_EQ(lines[3], "size\t480x360");
  EXPECT_THAT(lines[4], ::testing::MatchesRegex("fingerprint\t[0-9a-f]{64}"));

  result = Run("fingerprint " + File("story.txt"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith("kind\ttext\nalgorithm\trightchain-text-winnow-v1\nfingerprint\t"));
}

TEST_F(FingerprintCommandsTest, RegisteredWorksAreMatchedInAlteredCopies) {
  RunResult result = Run("index add --index " + Index() + " " + File("photo.png") + " " + File("other.png") +
                         " " + File("story.txt"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Lines(result.out),
            (std::vector<std::string>{"1\timage\t" + File("photo.png"), "2\timage\t" + File("other.png"),
                                      "3\ttext\t" + File("story.txt")}));

  // A mirrored JPEG copy of the photo: one line, the photo, with its distance and orientation.
  result = Run("match " + File("copy.jpg") + " --index " + Index());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 1u) << result.out;
  EXPECT_THAT(lines[0], StartsWith("1\tphoto.png\timage\tdistance "));
  EXPECT_THAT(lines[0], HasSubstr("orientation flip_left_right"));

  result = Run("match " + File("copy.jpg") + " --index " + Index() + " --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["id"], "1");
  EXPECT_EQ(json[0]["file"], "photo.png");
  EXPECT_LE(json[0]["distance"].get<int>(), 31);

  // A text quoting a passage: the story, with the quoted passage.
  result = Run("match " + File("quote.txt") + " --index " + Index());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 1u) << result.out;
  EXPECT_THAT(lines[0], StartsWith("3\tstory.txt\ttext\tsimilarity "));
  EXPECT_THAT(lines[0], HasSubstr("ledger grew thick"));

  // Nothing matches: no output, still success.
  result = Run("match " + File("unrelated.png") + " --index " + Index());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");
  result = Run("match " + File("unrelated.png") + " --index " + Index() + " --json");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "[]\n");

  // Removed works are no longer matched; ids are not reused.
  result = Run("index remove --index " + Index() + " 1");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "removed 1\n");
  result = Run("match " + File("copy.jpg") + " --index " + Index());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");
  result = Run("index add --index " + Index() + " " + File("photo.png"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith("4\timage\t"));
}

TEST_F(FingerprintCommandsTest, ErrorsAreClearAndChangeNothing) {
  RunResult result = Run("index add --index " + Index() + " " + File("photo.png"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string works = ReadText(fs::path(Index()) / "works.json");

  // One bad file: nothing is added.
  result = Run("index add --index " + Index() + " " + File("other.png") + " " + File("broken.jpg"));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("broken.jpg"));
  EXPECT_THAT(result.err, HasSubstr("cannot decode JPEG image"));
  EXPECT_EQ(ReadText(fs::path(Index()) / "works.json"), works);

  result = Run("match " + File("broken.jpg") + " --index " + Index());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, StartsWith("rightchain: "));
  result = Run("fingerprint " + File("missing.png"));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("not a readable regular file"));
  result = Run("index remove --index " + Index() + " 7");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("no work with id 7"));
  result = Run("index remove --index " + Index() + " abc");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("not a work id"));
  result = Run("match " + File("photo.png") + " --index " + File("nowhere"));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("no index at"));
  result = Run("index add --index " + Index());
  EXPECT_EQ(result.exit_code, 2);  // usage: no files

  // A damaged index file is reported, not trusted.
  std::ofstream(fs::path(Index()) / "image_index.rcii", std::ios::binary | std::ios::app) << "x";
  result = Run("match " + File("photo.png") + " --index " + Index());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("checksum"));
}

// Video: registered videos (made with the ffmpeg command) are matched by a 10-second clip at
// another size and frame rate, and the match says where in the video the clip starts.
TEST_F(FingerprintCommandsTest, RegisteredVideosAreMatchedByClips) {
  ASSERT_EQ(std::system("ffmpeg -version >/dev/null 2>&1"), 0) << "the ffmpeg command is required";
  const auto ffmpeg = [&](const std::string& arguments) {
    const std::string command = "ffmpeg -nostdin -v error -y " + arguments + " 2>" + File("ffmpeg.log");
    ASSERT_EQ(std::system(command.c_str()), 0) << ReadText(File("ffmpeg.log"));
  };
  ffmpeg(
      "-f lavfi -t 30 -i mandelbrot=s=320x180:r=30:start_x=-0.7453:start_y=0.1127:end_pts=900 -c:v libx264 "
      "-preset ultrafast -pix_fmt yuv420p " +
      File("zoom.mp4"));
  ffmpeg(
      "-f lavfi -t 20 -i life=s=80x45:r=6:seed=3:ratio=0.4:rule=B36/S23,scale=320:180:flags=neighbor -c:v "
      "libx264 "
      "-preset ultrafast -pix_fmt yuv420p " +
      File("life.mkv"));
  ffmpeg("-ss 12 -i " + File("zoom.mp4") + " -t 10 -vf scale=-2:240,fps=24 -c:v libx264 -crf 28 " +
         File("clip.mp4"));
  {
    std::ifstream whole(File("zoom.mp4"), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(whole)), std::istreambuf_iterator<char>());
    std::ofstream(File("truncated.mp4"), std::ios::binary) << bytes.substr(0, 4000);
  }

  RunResult result = Run("fingerprint " + File("zoom.mp4"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 8u) << result.out;
  EXPECT_EQ(lines[0], "kind\tvideo");
  EXPECT_EQ(lines[1], "algorithm\trightchain-video-pdq-1fps-v1");
  EXPECT_EQ(lines[2], "duration\t30.000 s");
  EXPECT_EQ(lines[3], "size\t320x180");
  EXPECT_THAT(lines[4], StartsWith("frames\t"));
  EXPECT_EQ(lines[5], "sampled frames\t30");

  result = Run("index add --index " + Index() + " " + File("zoom.mp4") + " " + File("life.mkv") + " " +
               File("photo.png"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Lines(result.out),
            (std::vector<std::string>{"1\tvideo\t" + File("zoom.mp4"), "2\tvideo\t" + File("life.mkv"),
                                      "3\timage\t" + File("photo.png")}));
  EXPECT_TRUE(fs::exists(fs::path(Index()) / "video_index.rcvi"));

  result = Run("match " + File("clip.mp4") + " --index " + Index());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 1u) << result.out;
  EXPECT_THAT(lines[0], StartsWith("1\tzoom.mp4\tvideo\tscore "));
  EXPECT_THAT(lines[0], HasSubstr("\tcoverage "));

  result = Run("match " + File("clip.mp4") + " --index " + Index() + " --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["file"], "zoom.mp4");
  EXPECT_EQ(json[0]["kind"], "video");
  EXPECT_NEAR(json[0]["position_seconds"].get<double>(), 12.0, 1.0);
  EXPECT_GE(json[0]["coverage"].get<double>(), 0.8);

  result = Run("index remove --index " + Index() + " 1");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  result = Run("match " + File("clip.mp4") + " --index " + Index());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");

  for (const std::string& command :
       std::vector<std::string>{"fingerprint ", "match ", "index add --index " + Index() + " "}) {
    result = Run(command + File("truncated.mp4") + (command == "match " ? " --index " + Index() : ""));
    EXPECT_EQ(result.exit_code, 1) << command;
    EXPECT_THAT(result.err, HasSubstr("truncated.mp4: not a readable video or audio file")) << command;
  }
}

// Audio: a registered track is matched by a 15-second excerpt from its middle, resampled, and the
// match says where in the track the excerpt starts.
class AudioCommandsTest : public FingerprintCommandsTest {
 protected:
  static void WriteWav(const std::string& path, const std::vector<std::int16_t>& samples, int rate_hz) {
    const Bytes wav = fingerprint::testing::EncodeWav(samples, rate_hz);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(wav.data()), static_cast<std::streamsize>(wav.size()));
  }
};

TEST_F(AudioCommandsTest, RegisteredTracksAreMatchedByExcerpts) {
  const std::vector<std::int16_t> song = fingerprint::testing::SyntheticMusic(21, 45.0, 22050);
  WriteWav(File("song.wav"), song, 22050);
  WriteWav(File("tune.wav"), fingerprint::testing::SyntheticMusic(22, 35.0, 22050), 22050);
  WriteWav(File("noise.wav"), fingerprint::testing::SyntheticMusic(23, 20.0, 22050), 22050);
  const std::vector<std::int16_t> excerpt(song.begin() + 20 * 22050, song.begin() + 35 * 22050);
  WriteWav(File("excerpt.wav"), excerpt, 22050);
  std::ofstream(File("broken.wav"), std::ios::binary) << std::string("RIFF\x10\0\0\0WAVEfmt \0\0", 16);

  RunResult result = Run("fingerprint " + File("song.wav"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 5u) << result.out;
  EXPECT_EQ(lines[0], "kind\taudio");
  EXPECT_EQ(lines[1], "algorithm\tchromaprint-raw-2");
  EXPECT_EQ(lines[2], "duration\t45.000 s");
  EXPECT_THAT(lines[3], StartsWith("items\t3"));
  EXPECT_THAT(lines[4], ::testing::MatchesRegex("fingerprint\t([0-9a-f]{8})+"));

  result = Run("index add --index " + Index() + " " + File("song.wav") + " " + File("tune.wav") + " " +
               File("story.txt"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Lines(result.out),
            (std::vector<std::string>{"1\taudio\t" + File("song.wav"), "2\taudio\t" + File("tune.wav"),
                                      "3\ttext\t" + File("story.txt")}));

  result = Run("match " + File("excerpt.wav") + " --index " + Index());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  lines = Lines(result.out);
  ASSERT_EQ(lines.size(), 1u) << result.out;
  EXPECT_THAT(lines[0], StartsWith("1\tsong.wav\taudio\tsimilarity "));

  result = Run("match " + File("excerpt.wav") + " --index " + Index() + " --json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["id"], "1");
  EXPECT_EQ(json[0]["kind"], "audio");
  EXPECT_NEAR(json[0]["offset_seconds"].get<double>(), 20.0, 0.25);
  EXPECT_LT(json[0]["bit_error_rate"].get<double>(), 0.3);

  result = Run("match " + File("noise.wav") + " --index " + Index());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");

  result = Run("index remove --index " + Index() + " 1");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  result = Run("match " + File("excerpt.wav") + " --index " + Index());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");

  result = Run("match " + File("broken.wav") + " --index " + Index());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("broken.wav"));
  result = Run("index add --index " + Index() + " " + File("broken.wav"));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("broken.wav"));
}

}  // namespace
}  // namespace rightchain::cli
