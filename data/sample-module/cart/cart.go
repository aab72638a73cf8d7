// Package cart assembles orders from inventory and pricing.
package cart

import (
	"errors"
	"sort"

	"example.com/shop/internal/textutil"
	"example.com/shop/inventory"
	"example.com/shop/pricing"
)

// ErrEmpty is returned when checking out an empty cart.
var ErrEmpty = errors.New("cart: empty")

// Line is one product line in a cart.
type Line struct {
	SKU  string
	Unit pricing.Cents
	Qty  int
}

// Cart is a set of lines backed by a store.
type Cart struct {
	store  *inventory.Store
	lines  map[string]*Line
	Region string
}

// New returns an empty cart drawing on store.
func New(store *inventory.Store, region string) *Cart {
	return &Cart{store: store, lines: map[string]*Line{}, Region: region}
}

// Add reserves qty units of sku at unit price and adds them to the cart.
func (c *Cart) Add(sku string, unit pricing.Cents, qty int) error {
	sku = textutil.NormalizeSKU(sku)
	if err := c.store.Reserve(sku, qty); err != nil {
		return err
	}
	if l, ok := c.lines[sku]; ok {
		l.Qty += qty
		return nil
	}
	c.lines[sku] = &Line{SKU: sku, Unit: unit, Qty: qty}
	return nil
}

// Remove drops a line and releases its reservation.
func (c *Cart) Remove(sku string) bool {
	sku = textutil.NormalizeSKU(sku)
	l, ok := c.lines[sku]
	if !ok {
		return false
	}
	c.store.Release(sku, l.Qty)
	delete(c.lines, sku)
	return true
}

// Lines returns the lines sorted by SKU.
func (c *Cart) Lines() []Line {
	skus := make([]string, 0, len(c.lines))
	for sku := range c.lines {
		skus = append(skus, sku)
	}
	sort.Strings(skus)
	out := make([]Line, 0, len(skus))
	for _, sku := range skus {
		out = append(out, *c.lines[sku])
	}
	return out
}

// Totals is the result of a checkout.
type Totals struct {
	Subtotal pricing.Cents
	Tax      pricing.Cents
	Total    pricing.Cents
}

// Checkout prices every line and adds tax for the cart's region.
func (c *Cart) Checkout() (Totals, error) {
	if len(c.lines) == 0 {
		return Totals{}, ErrEmpty
	}
	var t Totals
	for _, l := range c.Lines() {
		t.Subtotal += pricing.LineTotal(l.Unit, l.Qty)
	}
	if tax, ok := pricing.TaxFor(t.Subtotal, c.Region); ok {
		t.Tax = tax
	}
	t.Total = t.Subtotal + t.Tax
	return t, nil
}

// Summary renders one line per item; no test calls it.
func (c *Cart) Summary() []string {
	var out []string
	for _, l := range c.Lines() {
		name := textutil.Truncate(l.SKU, 10)
		out = append(out, textutil.PadRight(name, 10)+" "+pricing.LineTotal(l.Unit, l.Qty).String())
	}
	return out
}
