package cart

import (
	"testing"

	"example.com/shop/inventory"
)

func newStore(t *testing.T) *inventory.Store {
	t.Helper()
	s := inventory.New()
	if err := s.Add("widget", 100); err != nil {
		t.Fatal(err)
	}
	if err := s.Add("gadget", 5); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCheckout(t *testing.T) {
	c := New(newStore(t), "ny")
	if err := c.Add("widget", 250, 10); err != nil {
		t.Fatal(err)
	}
	if err := c.Add("widget", 250, 2); err != nil {
		t.Fatal(err)
	}
	if err := c.Add("gadget", 1000, 1); err != nil {
		t.Fatal(err)
	}
	got, err := c.Checkout()
	if err != nil {
		t.Fatal(err)
	}
	// widget: 12*250=3000, 5% off -> 2850; gadget 1000; subtotal 3850; NY 4% -> 154.
	want := Totals{Subtotal: 3850, Tax: 154, Total: 4004}
	if got != want {
		t.Errorf("Checkout = %+v, want %+v", got, want)
	}
}

func TestCheckoutEmpty(t *testing.T) {
	c := New(newStore(t), "CA")
	if _, err := c.Checkout(); err != ErrEmpty {
		t.Errorf("want ErrEmpty, got %v", err)
	}
}

func TestAddInsufficient(t *testing.T) {
	c := New(newStore(t), "CA")
	if err := c.Add("gadget", 1000, 6); err != inventory.ErrInsufficient {
		t.Errorf("want ErrInsufficient, got %v", err)
	}
}
