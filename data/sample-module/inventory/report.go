package inventory

import (
	"fmt"
	"strings"

	"example.com/shop/internal/textutil"
)

// LowStock returns the SKUs whose available quantity is below threshold.
// No test exercises this file.
func (s *Store) LowStock(threshold int) []string {
	var low []string
	for _, sku := range s.SKUs() {
		n, _ := s.Available(sku)
		if n < threshold {
			low = append(low, sku)
		}
	}
	return low
}

// Report renders a fixed-width stock table.
func (s *Store) Report() string {
	var b strings.Builder
	for _, sku := range s.SKUs() {
		n, _ := s.Available(sku)
		marker := ""
		if n == 0 {
			marker = " (out)"
		}
		fmt.Fprintf(&b, "%s %5d%s\n", textutil.PadRight(sku, 12), n, marker)
	}
	return b.String()
}
