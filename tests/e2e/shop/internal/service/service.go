// SPDX-License-Identifier: Apache-2.0

// Package service runs one HTTP service until its context is cancelled.
//
// Every service of the shop answers GET /healthz, which the e2e driver polls
// until the service is up. The health handler has a single path, so however
// many polls it takes, the same statements are covered.
package service

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"
)

// Serve serves handler, and GET /healthz, on addr until ctx is cancelled, then
// shuts down gracefully: requests in flight finish first.
func Serve(ctx context.Context, name, addr string, handler http.Handler) error {
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s ok\n", name)
	})
	mux.Handle("/", handler)
	server := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	log.Printf("%s: listening on %s", name, listener.Addr())

	select {
	case err := <-served:
		return fmt.Errorf("%s: %w", name, err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("%s: shutdown: %w", name, err)
	}
	<-served
	log.Printf("%s: stopped", name)
	return nil
}
