// SPDX-License-Identifier: Apache-2.0
// A C++ program linked against libcovmerge.a (covmerge::covmerge_static):
// merges the inputs and prints the merged profile to stdout, through the
// write callback, then the coverage line.
#include <cstdio>
#include <string>

#include "covmerge.h"

int main(int argc, char** argv) {
  covmerge_merger* merger = nullptr;
  covmerge_error error;
  if (covmerge_merger_create(nullptr, &merger, &error) != COVMERGE_OK) return 1;
  for (int i = 1; i < argc; ++i) {
    if (covmerge_merger_add_path(merger, argv[i], nullptr, &error) != COVMERGE_OK) break;
  }
  std::string text;
  auto append = [](void* user, const void* data, size_t size) {
    static_cast<std::string*>(user)->append(static_cast<const char*>(data), size);
    return 0;
  };
  covmerge_summary summary{};
  summary.struct_size = sizeof summary;
  if (error.code != COVMERGE_OK || covmerge_merger_finish(merger, &error) != COVMERGE_OK ||
      covmerge_merger_write_callback(merger, append, &text, &error) != COVMERGE_OK ||
      covmerge_merger_summary(merger, &summary, &error) != COVMERGE_OK) {
    std::fprintf(stderr, "static_example: %s\n", error.message);
    covmerge_merger_free(merger);
    return 1;
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fprintf(stderr, "coverage: %.1f%% of statements\n", summary.total.percent);
  covmerge_merger_free(merger);
  return 0;
}
