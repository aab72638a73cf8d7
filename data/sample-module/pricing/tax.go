package pricing

import (
	"sort"
	"strings"
)

// taxRates holds sales tax in basis points per region code.
var taxRates = map[string]int{
	"CA": 725,
	"NY": 400,
	"TX": 625,
	"OR": 0,
}

// TaxFor returns the tax due on amount in region (case-insensitive).
// Unknown regions pay no tax and ok is false.
func TaxFor(amount Cents, region string) (tax Cents, ok bool) {
	bp, ok := taxRates[strings.ToUpper(region)]
	if !ok {
		return 0, false
	}
	if bp == 0 {
		return 0, true
	}
	return Cents((int64(amount)*int64(bp) + 5000) / 10000), true
}

// Regions lists the known region codes; no test calls it.
func Regions() []string {
	out := make([]string, 0, len(taxRates))
	for r := range taxRates {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}
