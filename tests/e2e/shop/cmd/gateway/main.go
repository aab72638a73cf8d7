// SPDX-License-Identifier: Apache-2.0

// Command gateway runs the gateway service of the e2e shop on $SHOP_ADDR until
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

	"example.com/e2eshop/gateway"
	"example.com/e2eshop/internal/service"
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
		return errors.New("gateway: SHOP_ADDR is not set")
	}
	usersURL, billingURL := getenv("SHOP_USERS_URL"), getenv("SHOP_BILLING_URL")
	if usersURL == "" || billingURL == "" {
		return errors.New("gateway: SHOP_USERS_URL and SHOP_BILLING_URL must be set")
	}
	return service.Serve(ctx, "gateway", addr, gateway.New(usersURL, billingURL).Handler())
}
