package pricing

import "testing"

func TestCentsString(t *testing.T) {
	if got := Cents(1234).String(); got != "$12.34" {
		t.Errorf("String = %q", got)
	}
}

func TestApplyPercentOff(t *testing.T) {
	got, err := ApplyPercentOff(1000, 15)
	if err != nil || got != 850 {
		t.Errorf("ApplyPercentOff = %v, %v", got, err)
	}
	if _, err := ApplyPercentOff(1000, 120); err != ErrBadPercent {
		t.Errorf("want ErrBadPercent, got %v", err)
	}
}

func TestLineTotal(t *testing.T) {
	cases := []struct {
		unit Cents
		qty  int
		want Cents
	}{
		{100, 1, 100},
		{100, 10, 950},
		{100, 60, 5400},
	}
	for _, c := range cases {
		if got := LineTotal(c.unit, c.qty); got != c.want {
			t.Errorf("LineTotal(%v, %d) = %v, want %v", c.unit, c.qty, got, c.want)
		}
	}
}

func TestTaxFor(t *testing.T) {
	if tax, ok := TaxFor(10000, "ca"); !ok || tax != 725 {
		t.Errorf("TaxFor CA = %v, %v", tax, ok)
	}
	if _, ok := TaxFor(10000, "ZZ"); ok {
		t.Errorf("TaxFor ZZ should be unknown")
	}
}
