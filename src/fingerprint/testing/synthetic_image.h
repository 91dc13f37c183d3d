// Deterministic synthetic photographs for unit tests: overlapping shapes of random colours on a
// gradient, softened, so that they have the detail (PDQ quality) of a photo.
#pragma once

#include <cstdint>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace rightchain::fingerprint::testing {

inline cv::Mat SyntheticPhoto(std::uint64_t seed, int width = 400, int height = 300) {
  cv::RNG rng(seed);
  cv::Mat image(height, width, CV_8UC3);
  for (int row = 0; row < height; ++row) {
    for (int column = 0; column < width; ++column) {
      image.at<cv::Vec3b>(row, column) = cv::Vec3b(static_cast<std::uint8_t>(255 * column / width),
                                                   static_cast<std::uint8_t>(255 * row / height), 128);
    }
  }
  for (int shape = 0; shape < 40; ++shape) {
    const cv::Scalar colour(rng.uniform(0, 256), rng.uniform(0, 256), rng.uniform(0, 256));
    const cv::Point centre(rng.uniform(0, width), rng.uniform(0, height));
    if (shape % 2 == 0) {
      cv::circle(image, centre, rng.uniform(5, width / 5), colour, cv::FILLED);
    } else {
      cv::rectangle(image, centre, centre + cv::Point(rng.uniform(5, width / 4), rng.uniform(5, height / 4)),
                    colour, cv::FILLED);
    }
  }
  cv::GaussianBlur(image, image, cv::Size(3, 3), 0);
  return image;
}

}  // namespace rightchain::fingerprint::testing
