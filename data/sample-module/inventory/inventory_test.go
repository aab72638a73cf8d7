package inventory

import "testing"

func TestAddAndAvailable(t *testing.T) {
	s := New()
	if err := s.Add("ab 1", 5); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Available("AB-1"); err != nil || n != 5 {
		t.Errorf("Available = %d, %v", n, err)
	}
	if _, err := s.Available("nope"); err != ErrUnknownSKU {
		t.Errorf("want ErrUnknownSKU, got %v", err)
	}
}

func TestReserve(t *testing.T) {
	s := New()
	_ = s.Add("x", 3)
	if err := s.Reserve("x", 2); err != nil {
		t.Fatal(err)
	}
	if err := s.Reserve("x", 2); err != ErrInsufficient {
		t.Errorf("want ErrInsufficient, got %v", err)
	}
	s.Release("x", 1)
	if n, _ := s.Available("x"); n != 2 {
		t.Errorf("Available after release = %d", n)
	}
}
