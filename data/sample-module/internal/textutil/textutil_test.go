package textutil

import "testing"

func TestNormalizeSKU(t *testing.T) {
	cases := []struct{ in, want string }{
		{"  ab 12 ", "AB-12"},
		{"x__y", "X-Y"},
		{"", ""},
		{"a-b", "A-B"},
	}
	for _, c := range cases {
		if got := NormalizeSKU(c.in); got != c.want {
			t.Errorf("NormalizeSKU(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	if got := Truncate("hello world", 8); got != "hello..." {
		t.Errorf("Truncate = %q", got)
	}
	if got := Truncate("hi", 8); got != "hi" {
		t.Errorf("Truncate short = %q", got)
	}
}

func TestPadRight(t *testing.T) {
	if got := PadRight("ab", 4); got != "ab  " {
		t.Errorf("PadRight = %q", got)
	}
}
