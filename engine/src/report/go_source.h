// SPDX-License-Identifier: Apache-2.0
// What covmerge reads from a Go source tree (--source-root): the module
// path of go.mod, and whether a file is generated, by Go's own rules.
#ifndef COVMERGE_REPORT_GO_SOURCE_H_
#define COVMERGE_REPORT_GO_SOURCE_H_

#include <optional>
#include <string>
#include <string_view>

namespace covmerge::internal {

// The path of go.mod's `module` directive ("module example.com/m", quoted
// or not, a comment after it), or nullopt when it has none.
std::optional<std::string> ModulePath(std::string_view go_mod);

// Whether a Go source file is generated: a line that is exactly
// "// Code generated <anything> DO NOT EDIT." before the package clause
// (https://go.dev/s/generatedcode), as go vet and gopls decide it.
bool IsGeneratedGoSource(std::string_view source);

}  // namespace covmerge::internal

#endif  // COVMERGE_REPORT_GO_SOURCE_H_
