// SPDX-License-Identifier: Apache-2.0

// Package billing prices orders and records invoices, served over HTTP:
// POST /charges and GET /invoices/{id}.
package billing

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// TaxPercent is added to every order after discounts.
const TaxPercent = 8

// ErrDeclined is returned by Charge when the total is above the credit limit.
var ErrDeclined = errors.New("payment declined")

// Quote is the price of one order, in cents.
type Quote struct {
	SubtotalCents int64 `json:"subtotal_cents"`
	DiscountCents int64 `json:"discount_cents"`
	TaxCents      int64 `json:"tax_cents"`
	TotalCents    int64 `json:"total_cents"`
}

// Price prices amountCents for a customer of tier with an optional coupon:
// gold customers get 10% off, coupon WELCOME5 takes 5.00 off, tax is added
// last and rounded half up.
func Price(amountCents int64, tier, coupon string) (Quote, error) {
	if amountCents <= 0 {
		return Quote{}, fmt.Errorf("amount must be positive, not %d", amountCents)
	}
	q := Quote{SubtotalCents: amountCents}
	if tier == "gold" {
		q.DiscountCents = amountCents / 10
	}
	switch coupon {
	case "":
	case "WELCOME5":
		q.DiscountCents += 500
		if q.DiscountCents > amountCents {
			q.DiscountCents = amountCents
		}
	default:
		return Quote{}, fmt.Errorf("unknown coupon %q", coupon)
	}
	net := amountCents - q.DiscountCents
	q.TaxCents = (net*TaxPercent + 50) / 100
	q.TotalCents = net + q.TaxCents
	return q, nil
}

// ChargeRequest is what the gateway sends: the order and what it knows of the
// customer.
type ChargeRequest struct {
	UserID           int    `json:"user_id"`
	Tier             string `json:"tier"`
	CreditLimitCents int64  `json:"credit_limit_cents"`
	AmountCents      int64  `json:"amount_cents"`
	Coupon           string `json:"coupon"`
}

// Invoice is a charge that went through.
type Invoice struct {
	ID     int   `json:"id"`
	UserID int   `json:"user_id"`
	Quote  Quote `json:"quote"`
}

// Ledger records invoices in memory; safe for concurrent use.
type Ledger struct {
	mu       sync.Mutex
	invoices []Invoice
}

// Charge prices req and records the invoice, or declines it.
func (l *Ledger) Charge(req ChargeRequest) (Invoice, error) {
	q, err := Price(req.AmountCents, req.Tier, req.Coupon)
	if err != nil {
		return Invoice{}, err
	}
	if q.TotalCents > req.CreditLimitCents {
		return Invoice{}, fmt.Errorf("%w: total %d above the limit %d", ErrDeclined, q.TotalCents, req.CreditLimitCents)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	inv := Invoice{ID: len(l.invoices) + 1, UserID: req.UserID, Quote: q}
	l.invoices = append(l.invoices, inv)
	return inv, nil
}

// Invoice returns the invoice with id.
func (l *Ledger) Invoice(id int) (Invoice, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if id < 1 || id > len(l.invoices) {
		return Invoice{}, false
	}
	return l.invoices[id-1], true
}

// NewHandler serves the ledger.
func NewHandler(l *Ledger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/charges", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		var req ChargeRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, "bad JSON: "+err.Error(), http.StatusBadRequest)
			return
		}
		inv, err := l.Charge(req)
		switch {
		case errors.Is(err, ErrDeclined):
			http.Error(w, err.Error(), http.StatusPaymentRequired)
		case err != nil:
			http.Error(w, err.Error(), http.StatusBadRequest)
		default:
			writeJSON(w, http.StatusCreated, inv)
		}
	})
	mux.HandleFunc("/invoices/", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/invoices/"))
		if err != nil {
			http.Error(w, "bad invoice id", http.StatusBadRequest)
			return
		}
		inv, ok := l.Invoice(id)
		if !ok {
			http.Error(w, "no such invoice", http.StatusNotFound)
			return
		}
		writeJSON(w, http.StatusOK, inv)
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
