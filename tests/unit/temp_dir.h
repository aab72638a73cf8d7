// SPDX-License-Identifier: Apache-2.0
// A temporary directory for a test, removed with everything in it when the
// test ends, and a way to write a file into it.
#ifndef COVMERGE_TESTS_UNIT_TEMP_DIR_H_
#define COVMERGE_TESTS_UNIT_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace covmerge::internal {

class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/covmerge-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Writes `contents` to dir_/name and returns the path.
  std::string Write(const std::string& name, const std::string& contents) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << contents;
    return path;
  }

  std::string dir_;
};

}  // namespace covmerge::internal

#endif  // COVMERGE_TESTS_UNIT_TEMP_DIR_H_
