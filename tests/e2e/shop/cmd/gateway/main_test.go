// SPDX-License-Identifier: Apache-2.0

// TestRun runs the gateway service inside its coverage-instrumented test binary
// (go test -c -cover) until its kill switch is called, so that the test
// returns and -test.coverprofile is written.
package main

import (
	"context"
	"os"
	"testing"

	"example.com/e2eshop/internal/killswitch"
)

func TestRun(t *testing.T) {
	killAddr := os.Getenv("SHOP_KILL_ADDR")
	if killAddr == "" {
		t.Skip("runs the service until its kill switch is called: set SHOP_KILL_ADDR (tests/e2e/run_e2e.py does)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ks, err := killswitch.Start(killAddr, cancel)
	if err != nil {
		t.Fatal(err)
	}
	runErr := run(ctx, os.Getenv)
	if err := ks.Close(); err != nil {
		t.Error(err)
	}
	if runErr != nil {
		t.Fatal(runErr)
	}
}
