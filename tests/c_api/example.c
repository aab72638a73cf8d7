/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A C11 program that uses only covmerge.h, built against the installed
 * library (test_install.py): with pkg-config and a plain C compiler, and
 * with CMake's find_package(covmerge).
 *   example OUTPUT INPUT...   merges the inputs into OUTPUT, then prints
 *                             the coverage line, one line per package, and
 *                             the number of blocks seen by iteration.
 */
#include <stdio.h>

#include "covmerge.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s OUTPUT INPUT...\n", argv[0]);
    return 2;
  }
  covmerge_options options;
  covmerge_options_init(&options);
  options.on_conflict = COVMERGE_CONFLICT_FAIL;
  covmerge_merger* merger = NULL;
  covmerge_error error;
  covmerge_summary summary;
  summary.struct_size = sizeof summary;
  if (covmerge_merger_create(&options, &merger, &error) != COVMERGE_OK ||
      covmerge_merger_add_paths(merger, (const char* const*)(argv + 2), (size_t)(argc - 2), &error) != COVMERGE_OK ||
      covmerge_merger_finish(merger, &error) != COVMERGE_OK ||
      covmerge_merger_write_file(merger, argv[1], &error) != COVMERGE_OK ||
      covmerge_merger_summary(merger, &summary, &error) != COVMERGE_OK) {
    fprintf(stderr, "example: %s (%s, input \"%s\", line %llu)\n", error.message, covmerge_status_name(error.code),
            error.input, (unsigned long long)error.line);
    covmerge_merger_free(merger);
    return 1;
  }
  printf("coverage: %.1f%% of statements\n", summary.total.percent);
  for (size_t i = 0; i < summary.package_count; ++i) {
    covmerge_package package;
    if (covmerge_merger_package(merger, i, &package, NULL) != COVMERGE_OK) return 1;
    printf("%s %zu %llu/%llu\n", package.name, package.file_count, (unsigned long long)package.coverage.covered,
           (unsigned long long)package.coverage.statements);
  }
  size_t blocks = 0;
  for (size_t f = 0; f < summary.file_count; ++f) {
    covmerge_file file;
    if (covmerge_merger_file(merger, f, &file, NULL) != COVMERGE_OK) return 1;
    for (size_t b = 0; b < file.block_count; ++b) {
      covmerge_block block;
      if (covmerge_merger_block(merger, f, b, &block, NULL) != COVMERGE_OK) return 1;
      ++blocks;
    }
  }
  printf("blocks: %zu\n", blocks);
  covmerge_merger_free(merger);
  return 0;
}
