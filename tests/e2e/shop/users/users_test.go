// SPDX-License-Identifier: Apache-2.0

// Unit tests of the store's rules; the HTTP handler is left to the
// integration tests (tests/e2e/shop/integration).
package users

import (
	"errors"
	"testing"
)

func TestParseID(t *testing.T) {
	if id, err := ParseID("42"); err != nil || id != 42 {
		t.Fatalf("ParseID(42) = %d, %v", id, err)
	}
	for _, bad := range []string{"", "x", "-1", "0"} {
		if _, err := ParseID(bad); err == nil {
			t.Errorf("ParseID(%q) succeeded", bad)
		}
	}
}

func TestAdd(t *testing.T) {
	s := NewStore(Seed())
	if err := s.Add(User{ID: 7, Name: "Kim", Tier: Standard}); err != nil {
		t.Fatal(err)
	}
	if err := s.Add(User{ID: 7, Name: "Kim", Tier: Standard}); !errors.Is(err, ErrExists) {
		t.Fatalf("second Add = %v, want ErrExists", err)
	}
	if err := s.Add(User{ID: 8, Name: " ", Tier: Standard}); err == nil {
		t.Fatal("empty name accepted")
	}
}
