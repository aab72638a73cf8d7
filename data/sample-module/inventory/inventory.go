// Package inventory tracks stock levels per SKU.
package inventory

import (
	"errors"
	"fmt"
	"sort"

	"example.com/shop/internal/textutil"
)

// ErrUnknownSKU is returned when a SKU has never been stocked.
var ErrUnknownSKU = errors.New("inventory: unknown sku")

// ErrInsufficient is returned when a reservation exceeds available stock.
var ErrInsufficient = errors.New("inventory: insufficient stock")

// Store holds on-hand and reserved quantities.
type Store struct {
	onHand   map[string]int
	reserved map[string]int
}

// New returns an empty store.
func New() *Store {
	return &Store{onHand: map[string]int{}, reserved: map[string]int{}}
}

// Add puts qty units of sku on hand.
func (s *Store) Add(sku string, qty int) error {
	if qty <= 0 {
		return fmt.Errorf("inventory: bad quantity %d", qty)
	}
	sku = textutil.NormalizeSKU(sku)
	s.onHand[sku] += qty
	return nil
}

// Available is on-hand minus reserved.
func (s *Store) Available(sku string) (int, error) {
	sku = textutil.NormalizeSKU(sku)
	n, ok := s.onHand[sku]
	if !ok {
		return 0, ErrUnknownSKU
	}
	return n - s.reserved[sku], nil
}

// Reserve holds qty units of sku for an order.
func (s *Store) Reserve(sku string, qty int) error {
	avail, err := s.Available(sku)
	if err != nil {
		return err
	}
	if qty > avail {
		return ErrInsufficient
	}
	s.reserved[textutil.NormalizeSKU(sku)] += qty
	return nil
}

// Release gives back a reservation, never going below zero.
func (s *Store) Release(sku string, qty int) {
	sku = textutil.NormalizeSKU(sku)
	r := s.reserved[sku] - qty
	if r < 0 {
		r = 0
	}
	s.reserved[sku] = r
}

// SKUs returns all known SKUs in sorted order.
func (s *Store) SKUs() []string {
	out := make([]string, 0, len(s.onHand))
	for k := range s.onHand {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
