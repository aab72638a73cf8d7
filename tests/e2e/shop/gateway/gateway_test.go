// SPDX-License-Identifier: Apache-2.0

// Unit tests of request validation; the calls to the other services are
// left to the integration tests.
package gateway

import "testing"

func TestValidate(t *testing.T) {
	if err := (CheckoutRequest{UserID: 1, AmountCents: 100}).Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (CheckoutRequest{AmountCents: 100}).Validate(); err == nil {
		t.Fatal("missing user accepted")
	}
}
