// SPDX-License-Identifier: Apache-2.0

// Command users runs the users service of the e2e shop on $SHOP_ADDR until
// SIGINT or SIGTERM. Under coverage it runs inside its test binary instead
// (main_test.go), stopped by a kill switch.
package main

import (
	"context"
	"errors"
	"log"
	"os"
	"os/signal"
	"syscall"

	"example.com/e2eshop/internal/service"
	"example.com/e2eshop/users"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv); err != nil {
		log.Fatal(err)
	}
}

// run serves until ctx is cancelled; getenv gives the configuration.
func run(ctx context.Context, getenv func(string) string) error {
	addr := getenv("SHOP_ADDR")
	if addr == "" {
		return errors.New("users: SHOP_ADDR is not set")
	}
	return service.Serve(ctx, "users", addr, users.NewHandler(users.NewStore(users.Seed())))
}
