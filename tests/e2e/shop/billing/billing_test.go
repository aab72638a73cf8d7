// SPDX-License-Identifier: Apache-2.0

// Unit tests of the price rules for plain orders; coupons, the ledger and the
// HTTP handler are left to the integration tests.
package billing

import "testing"

func TestPrice(t *testing.T) {
	for _, c := range []struct {
		amount int64
		tier   string
		want   Quote
	}{
		{1000, "standard", Quote{SubtotalCents: 1000, TaxCents: 80, TotalCents: 1080}},
		{1000, "gold", Quote{SubtotalCents: 1000, DiscountCents: 100, TaxCents: 72, TotalCents: 972}},
		{7, "standard", Quote{SubtotalCents: 7, TaxCents: 1, TotalCents: 8}},
	} {
		got, err := Price(c.amount, c.tier, "")
		if err != nil || got != c.want {
			t.Errorf("Price(%d, %s) = %+v, %v; want %+v", c.amount, c.tier, got, err, c.want)
		}
	}
}

func TestPriceRejectsZero(t *testing.T) {
	if _, err := Price(0, "standard", ""); err == nil {
		t.Fatal("zero amount accepted")
	}
}
