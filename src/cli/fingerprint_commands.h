// `rightchain fingerprint`, `rightchain index add|remove` and `rightchain match`: content
// fingerprints of text, image, audio and video files, and a local index of registered works to
// match copies against.
//
// An index directory holds works.json (the registered works: id, kind, file name; ids are
// assigned in order from 1), text_index.rcfi (fingerprint/text_index.h), image_index.rcii
// (fingerprint/image_index.h), audio_index.rcai (fingerprint/audio_index.h) and video_index.rcvi
// (fingerprint/video_index.h). A command changes the
// directory only when every file or id it was given succeeded.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "base/status.h"

namespace rightchain::cli {

inline constexpr std::string_view kWorksFileName = "works.json";

// Prints "kind", "algorithm", "fingerprint" (hex) lines, "quality" and "size" for images,
// "duration" and "items" for audio, "duration", "size", "frames" (kept frame hashes), "sampled
// frames" and "audio items" for video.
Status PrintFingerprint(const std::string& file, std::ostream& out);

// Registers each file (text, image, audio or video) under a new id, printing "<id>\t<kind>\t<file>" per file.
Status IndexAdd(const std::string& index_directory, const std::vector<std::string>& files, std::ostream& out);
// Removes each id, printing "removed <id>" per id. kNotFound for an unknown id.
Status IndexRemove(const std::string& index_directory, const std::vector<std::string>& ids,
                   std::ostream& out);

// Prints one line per matching registered work, best first: id, file name, kind, then
// "distance N" (images, bits of 256), "similarity S" and the passages (text), or "similarity S",
// "bit error rate B", "offset T s" (where in the registered track the file starts) and
// "aligned A s" (audio), or "score S", "position T s" (where in the registered video the file
// starts), "coverage C" (share of the file's pictures matched in order), "matched M s" and
// "audio coverage A" (video); or with
// `json` a JSON array of objects. Printing nothing (or "[]") is not an error.
Status MatchFile(const std::string& file, const std::string& index_directory, bool json, std::ostream& out);

}  // namespace rightchain::cli
