// SPDX-License-Identifier: Apache-2.0

// Package killswitch stops a service that runs inside its test binary.
//
// A service built with `go test -c -cover` writes its coverage profile only
// when its TestRun returns, and a process killed by a signal writes none. So
// TestRun runs the service under a context that the kill switch cancels: any
// request to the switch's own loopback port stops the service gracefully, the
// test returns, and the testing package writes -test.coverprofile.
package killswitch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
)

// Switch is a tiny HTTP server whose every request cancels one context.
type Switch struct {
	server *http.Server
	served chan error
}

// Start listens on addr and serves the switch in the background. The
// listener is open when Start returns, so the switch answers as soon as the
// service does.
func Start(addr string, cancel context.CancelFunc) (*Switch, error) {
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("kill switch: %w", err)
	}
	s := &Switch{served: make(chan error, 1)}
	s.server = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "stopping")
		cancel()
	})}
	go func() { s.served <- s.server.Serve(listener) }()
	return s, nil
}

// Close stops the switch. It waits for the request that pulled the switch to
// finish, so what that request ran is counted before the profile is written
// (otherwise the coverage would depend on timing).
func (s *Switch) Close() error {
	err := s.server.Shutdown(context.Background())
	if serveErr := <-s.served; !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return err
}
