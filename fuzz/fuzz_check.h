// SPDX-License-Identifier: Apache-2.0
// FUZZ_CHECK(cond, ...): a failed property in a fuzz target prints where and
// why, then aborts, which both libFuzzer and ctest report as a failure.
#ifndef COVMERGE_FUZZ_FUZZ_CHECK_H_
#define COVMERGE_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond, ...)                                                    \
  do {                                                                           \
    if (!(cond)) {                                                               \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                                         \
      std::fprintf(stderr, "\n");                                                \
      std::abort();                                                              \
    }                                                                            \
  } while (0)

#endif  // COVMERGE_FUZZ_FUZZ_CHECK_H_
