// SPDX-License-Identifier: Apache-2.0
// The covmerge executable; the command itself is in command.cc.
#include "cli/command.h"

int main(int argc, char** argv) { return covmerge::cli::Main(argc, argv); }
