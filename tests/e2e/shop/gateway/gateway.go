// SPDX-License-Identifier: Apache-2.0

// Package gateway is the shop's front door: it answers the public API by
// calling the users and billing services over HTTP.
//
//	GET  /users/{id}     the user's profile (from users)
//	POST /checkout       {"user_id", "amount_cents", "coupon"} -> a receipt
//	GET  /invoices/{id}  an invoice (from billing)
package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// CheckoutRequest is the body of POST /checkout.
type CheckoutRequest struct {
	UserID      int    `json:"user_id"`
	AmountCents int64  `json:"amount_cents"`
	Coupon      string `json:"coupon"`
}

// Validate says what is wrong with a checkout before any service is called.
func (c CheckoutRequest) Validate() error {
	if c.UserID <= 0 {
		return errors.New("user_id is missing")
	}
	if c.AmountCents <= 0 {
		return errors.New("amount_cents must be positive")
	}
	if c.Coupon != strings.ToUpper(c.Coupon) {
		return errors.New("coupon codes are upper case")
	}
	return nil
}

// Gateway calls the users and billing services at the base URLs it holds.
type Gateway struct {
	UsersURL   string
	BillingURL string
	Client     *http.Client
}

// New returns a gateway to the services at usersURL and billingURL.
func New(usersURL, billingURL string) *Gateway {
	return &Gateway{UsersURL: usersURL, BillingURL: billingURL, Client: &http.Client{Timeout: 10 * time.Second}}
}

type user struct {
	ID               int    `json:"id"`
	Name             string `json:"name"`
	Tier             string `json:"tier"`
	CreditLimitCents int64  `json:"credit_limit_cents"`
}

// reply is a downstream answer: its status and body.
type reply struct {
	status int
	body   []byte
}

func (g *Gateway) call(method, url string, body any) (reply, error) {
	var in io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return reply{}, err
		}
		in = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, url, in)
	if err != nil {
		return reply{}, err
	}
	resp, err := g.Client.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, data}, err
}

// Handler serves the public API.
func (g *Gateway) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/users/", func(w http.ResponseWriter, r *http.Request) {
		g.forward(w, g.UsersURL+r.URL.Path)
	})
	mux.HandleFunc("/invoices/", func(w http.ResponseWriter, r *http.Request) {
		g.forward(w, g.BillingURL+r.URL.Path)
	})
	mux.HandleFunc("/checkout", g.checkout)
	return mux
}

// forward passes a GET through, status and body.
func (g *Gateway) forward(w http.ResponseWriter, url string) {
	rep, err := g.call(http.MethodGet, url, nil)
	if err != nil {
		http.Error(w, "upstream: "+err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.status)
	w.Write(rep.body)
}

func (g *Gateway) checkout(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var c CheckoutRequest
	if err := json.NewDecoder(r.Body).Decode(&c); err != nil {
		http.Error(w, "bad JSON: "+err.Error(), http.StatusBadRequest)
		return
	}
	if err := c.Validate(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}

	rep, err := g.call(http.MethodGet, fmt.Sprintf("%s/users/%d", g.UsersURL, c.UserID), nil)
	if err != nil {
		http.Error(w, "users: "+err.Error(), http.StatusBadGateway)
		return
	}
	if rep.status == http.StatusNotFound {
		http.Error(w, "no such user", http.StatusNotFound)
		return
	}
	var u user
	if err := json.Unmarshal(rep.body, &u); rep.status != http.StatusOK || err != nil {
		http.Error(w, fmt.Sprintf("users: status %d", rep.status), http.StatusBadGateway)
		return
	}
	if u.Tier == "suspended" {
		http.Error(w, "account suspended", http.StatusForbidden)
		return
	}

	rep, err = g.call(http.MethodPost, g.BillingURL+"/charges", map[string]any{
		"user_id": u.ID, "tier": u.Tier, "credit_limit_cents": u.CreditLimitCents,
		"amount_cents": c.AmountCents, "coupon": c.Coupon,
	})
	if err != nil {
		http.Error(w, "billing: "+err.Error(), http.StatusBadGateway)
		return
	}
	switch rep.status {
	case http.StatusCreated:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		w.Write(rep.body)
	case http.StatusPaymentRequired:
		http.Error(w, "payment declined", http.StatusPaymentRequired)
	case http.StatusBadRequest:
		http.Error(w, "billing refused the order: "+strings.TrimSpace(string(rep.body)), http.StatusBadRequest)
	default:
		http.Error(w, fmt.Sprintf("billing: status %d", rep.status), http.StatusBadGateway)
	}
}
