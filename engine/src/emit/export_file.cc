// SPDX-License-Identifier: Apache-2.0
// Where every export goes: a temporary file renamed into place, or stdout.
#include <unistd.h>

#include "covmerge/exports.h"
#include "covmerge/status_macros.h"
#include "io/output_file.h"

namespace covmerge {

absl::Status WriteFileAtomically(const std::string& path,
                                 const std::function<absl::Status(const ByteSink&)>& write) {
  std::optional<internal::OutputFile> output;
  if (path == "-") {
    output.emplace(internal::OutputFile::FromDescriptor(STDOUT_FILENO, "<stdout>"));
  } else {
    COVMERGE_ASSIGN_OR_RETURN(internal::OutputFile file, internal::OutputFile::CreateAtomic(path));
    output.emplace(std::move(file));
  }
  COVMERGE_RETURN_IF_ERROR(write([&](std::string_view bytes) { return output->Write(bytes); }));
  return output->Commit();
}

}  // namespace covmerge
