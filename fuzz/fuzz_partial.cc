// SPDX-License-Identifier: Apache-2.0
// Feeds the bytes to covmerge_merger_add_partial(), the reader of what other
// processes and machines send. Nothing may crash or hang; every status must
// be one the header documents for the call, with the error struct filled to
// match; a partial that is read must merge, and the partial written from the
// result must be read back with the same inputs merged and skipped.
#include <cstdint>
#include <cstring>
#include <string>

#include "covmerge.h"
#include "fuzz_check.h"

namespace {

void CheckError(covmerge_status status, const covmerge_error& error, const char* call) {
  FUZZ_CHECK(error.code == status, "%s: returned %d, error.code %d", call, status, error.code);
  FUZZ_CHECK(std::memchr(error.message, '\0', sizeof error.message) != nullptr, "%s: message not terminated", call);
  FUZZ_CHECK((status == COVMERGE_OK) == (error.message[0] == '\0'), "%s: message and status disagree", call);
  FUZZ_CHECK(status != COVMERGE_ERROR_INTERNAL, "%s: internal error: %s", call, error.message);
}

struct Merged {
  covmerge_summary summary;
  std::string partial;
};

// Adds `bytes` as a partial to a new merger; on success, finishes and writes
// the partial of the result.
bool AddAndRewrite(const std::string& bytes, Merged* out) {
  covmerge_error error;
  covmerge_options options;
  covmerge_options_init(&options);
  options.threads = 1;  // the reader is under test, not the threads
  covmerge_merger* merger = nullptr;
  FUZZ_CHECK(covmerge_merger_create(&options, &merger, &error) == COVMERGE_OK, "create: %s", error.message);
  covmerge_status s = covmerge_merger_add_partial(merger, bytes.data(), bytes.size(), &error);
  CheckError(s, error, "add_partial");
  const bool documented = s == COVMERGE_OK || s == COVMERGE_ERROR_MALFORMED || s == COVMERGE_ERROR_CONFLICT ||
                          s == COVMERGE_ERROR_NOT_FOUND || s == COVMERGE_ERROR_PERMISSION || s == COVMERGE_ERROR_IO ||
                          s == COVMERGE_ERROR_OUT_OF_MEMORY;
  FUZZ_CHECK(documented, "add_partial: undocumented status %s", covmerge_status_name(s));
  bool ok = false;
  if (s == COVMERGE_OK) {
    s = covmerge_merger_finish(merger, &error);
    CheckError(s, error, "finish");
    if (s == COVMERGE_OK) {
      std::memset(&out->summary, 0, sizeof out->summary);
      out->summary.struct_size = sizeof out->summary;
      FUZZ_CHECK(covmerge_merger_summary(merger, &out->summary, &error) == COVMERGE_OK, "summary: %s", error.message);
      size_t size = 0;
      s = covmerge_merger_write_partial(merger, 0, 1, nullptr, 0, &size, &error);
      FUZZ_CHECK(s == COVMERGE_ERROR_BUFFER_TOO_SMALL && size > 0, "write_partial size: %s", error.message);
      out->partial.assign(size, '\0');
      s = covmerge_merger_write_partial(merger, 0, 1, out->partial.data(), size, &size, &error);
      CheckError(s, error, "write_partial");
      FUZZ_CHECK(s == COVMERGE_OK, "write_partial: %s", error.message);
      ok = true;
    }
  }
  covmerge_merger_free(merger);
  return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  Merged first;
  if (!AddAndRewrite(std::string(reinterpret_cast<const char*>(data), size), &first)) return 0;
  Merged second;
  FUZZ_CHECK(AddAndRewrite(first.partial, &second), "the partial written from a partial that merged is refused");
  FUZZ_CHECK(second.summary.inputs_merged == first.summary.inputs_merged, "inputs merged: %llu then %llu",
             static_cast<unsigned long long>(first.summary.inputs_merged),
             static_cast<unsigned long long>(second.summary.inputs_merged));
  FUZZ_CHECK(second.summary.skipped_count == first.summary.skipped_count, "skipped: %zu then %zu",
             first.summary.skipped_count, second.summary.skipped_count);
  FUZZ_CHECK(second.summary.total.statements == first.summary.total.statements, "statements changed");
  return 0;
}
