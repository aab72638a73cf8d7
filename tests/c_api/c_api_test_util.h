// SPDX-License-Identifier: Apache-2.0
// Helpers of the C API tests: a temporary directory, files read whole, and
// handles that free themselves.
#ifndef COVMERGE_TESTS_C_API_C_API_TEST_UTIL_H_
#define COVMERGE_TESTS_C_API_C_API_TEST_UTIL_H_

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>

#include "covmerge.h"

namespace covmerge_test {

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A fresh directory per test, removed at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "covmerge_c_api_XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct MergerDeleter {
  void operator()(covmerge_merger* m) const { covmerge_merger_free(m); }
};
using MergerPtr = std::unique_ptr<covmerge_merger, MergerDeleter>;

}  // namespace covmerge_test

#endif  // COVMERGE_TESTS_C_API_C_API_TEST_UTIL_H_
