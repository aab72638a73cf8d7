// SPDX-License-Identifier: Apache-2.0

// Package integration drives the running shop through its gateway, as a
// user's integration suite drives deployed services. It is built with
// `go test -c` and run by tests/e2e/run_e2e.py with SHOP_GATEWAY_URL set;
// without it (a plain `go test ./...`) every test is skipped.
//
// Each test reaches different branches of the services, so running only some
// of them (-test.run) lowers the coverage the gate sees.
package integration

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

var client = &http.Client{Timeout: 10 * time.Second}

func gateway(t *testing.T) string {
	t.Helper()
	url := os.Getenv("SHOP_GATEWAY_URL")
	if url == "" {
		t.Skip("needs the running shop: set SHOP_GATEWAY_URL (tests/e2e/run_e2e.py does)")
	}
	return url
}

// do sends a request and returns the status and body.
func do(t *testing.T, method, path, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, gateway(t)+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(data)
}

func expect(t *testing.T, method, path, body string, status int, contains string) string {
	t.Helper()
	got, text := do(t, method, path, body)
	if got != status || !strings.Contains(text, contains) {
		t.Fatalf("%s %s %s: got %d %q, want %d containing %q", method, path, body, got, text, status, contains)
	}
	return text
}

func TestUserProfile(t *testing.T) {
	expect(t, "GET", "/users/1", "", 200, `"name":"Ada"`)
}

func TestUserNotFound(t *testing.T) {
	expect(t, "GET", "/users/99", "", 404, "no such user")
}

func TestUserBadID(t *testing.T) {
	expect(t, "GET", "/users/abc", "", 400, "bad user id")
}

func TestCheckoutStandard(t *testing.T) {
	expect(t, "POST", "/checkout", `{"user_id": 2, "amount_cents": 1000}`, 201, `"total_cents":1080`)
}

func TestCheckoutGoldWithCoupon(t *testing.T) {
	// 10000 - 1000 (gold) - 500 (coupon) = 8500, + 8% tax = 9180.
	expect(t, "POST", "/checkout", `{"user_id": 1, "amount_cents": 10000, "coupon": "WELCOME5"}`, 201,
		`"total_cents":9180`)
}

func TestCheckoutUnknownCoupon(t *testing.T) {
	expect(t, "POST", "/checkout", `{"user_id": 2, "amount_cents": 1000, "coupon": "FREE"}`, 400, "unknown coupon")
}

func TestCheckoutSuspended(t *testing.T) {
	expect(t, "POST", "/checkout", `{"user_id": 3, "amount_cents": 1000}`, 403, "suspended")
}

func TestCheckoutDeclined(t *testing.T) {
	expect(t, "POST", "/checkout", `{"user_id": 2, "amount_cents": 5000000}`, 402, "declined")
}

func TestCheckoutInvalid(t *testing.T) {
	expect(t, "POST", "/checkout", `{"user_id": 2}`, 400, "amount_cents")
}

func TestInvoiceLookup(t *testing.T) {
	text := expect(t, "POST", "/checkout", `{"user_id": 2, "amount_cents": 250}`, 201, `"total_cents":270`)
	var invoice struct{ ID int }
	if err := json.Unmarshal([]byte(text), &invoice); err != nil || invoice.ID == 0 {
		t.Fatalf("no invoice id in %q: %v", text, err)
	}
	expect(t, "GET", fmt.Sprintf("/invoices/%d", invoice.ID), "", 200, `"total_cents":270`)
	expect(t, "GET", "/invoices/100000", "", 404, "no such invoice")
}
