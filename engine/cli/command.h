// SPDX-License-Identifier: Apache-2.0
// The covmerge command as a function, so that the executable (main.cc) and
// `python3 -m covmerge` (bindings/python) run the very same code.
#ifndef COVMERGE_CLI_COMMAND_H_
#define COVMERGE_CLI_COMMAND_H_

#include "cli/streams.h"

namespace covmerge::cli {

// Runs `covmerge argv[1] ...`: writes to `streams` (file descriptors 1 and
// 2 by default) and returns the exit status (0 ok, 1 failure, 2 usage, 3
// gate failed). Sets SIGPIPE to be ignored, so that a closed pipe is an
// error, not a signal.
int Main(int argc, char** argv, const Streams& streams = {});

}  // namespace covmerge::cli

#endif  // COVMERGE_CLI_COMMAND_H_
