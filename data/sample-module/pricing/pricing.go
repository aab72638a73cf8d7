// Package pricing computes prices, discounts and taxes in integer cents.
package pricing

import (
	"errors"
	"fmt"
)

// Cents is an amount of money in cents.
type Cents int64

// String formats c as dollars and cents.
func (c Cents) String() string {
	sign := ""
	if c < 0 {
		sign = "-"
		c = -c
	}
	return fmt.Sprintf("%s$%d.%02d", sign, c/100, c%100)
}

// ErrBadPercent is returned for percentages outside 0..100.
var ErrBadPercent = errors.New("pricing: percent out of range")

// ApplyPercentOff removes pct percent from price, rounding half up.
func ApplyPercentOff(price Cents, pct int) (Cents, error) {
	if pct < 0 || pct > 100 {
		return 0, ErrBadPercent
	}
	off := (int64(price)*int64(pct) + 50) / 100
	return price - Cents(off), nil
}

// Tier describes a bulk discount: buy at least MinQty, get Pct off.
type Tier struct {
	MinQty int
	Pct    int
}

// DefaultTiers are ordered from largest to smallest quantity.
var DefaultTiers = []Tier{
	{MinQty: 100, Pct: 20},
	{MinQty: 50, Pct: 10},
	{MinQty: 10, Pct: 5},
}

// BulkPercent returns the discount percent for qty under tiers.
func BulkPercent(qty int, tiers []Tier) int {
	for _, t := range tiers {
		if qty >= t.MinQty {
			return t.Pct
		}
	}
	return 0
}

// LineTotal is unit*qty with the bulk discount applied.
func LineTotal(unit Cents, qty int) Cents {
	if qty <= 0 {
		return 0
	}
	total := unit * Cents(qty)
	pct := BulkPercent(qty, DefaultTiers)
	if pct == 0 {
		return total
	}
	discounted, err := ApplyPercentOff(total, pct)
	if err != nil {
		panic(err)
	}
	return discounted
}
