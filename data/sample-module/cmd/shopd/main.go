// Command shopd runs a tiny demo checkout and prints the result.
package main

import (
	"flag"
	"fmt"
	"os"

	"example.com/shop/cart"
	"example.com/shop/inventory"
)

func main() {
	region := flag.String("region", "CA", "tax region")
	flag.Parse()

	store := inventory.New()
	for _, sku := range []string{"widget", "gadget", "doohickey"} {
		if err := store.Add(sku, 20); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}

	c := cart.New(store, *region)
	if err := c.Add("widget", 250, 12); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := c.Add("gadget", 1000, 1); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	t, err := c.Checkout()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, line := range c.Summary() {
		fmt.Println(line)
	}
	fmt.Printf("subtotal %v tax %v total %v\n", t.Subtotal, t.Tax, t.Total)
	fmt.Print(store.Report())
}
