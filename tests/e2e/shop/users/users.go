// SPDX-License-Identifier: Apache-2.0

// Package users keeps the shop's customers and serves them over HTTP:
// GET /users/{id} and POST /users.
package users

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Tier decides prices (billing) and whether a user may buy (gateway).
type Tier string

const (
	Standard  Tier = "standard"
	Gold      Tier = "gold"
	Suspended Tier = "suspended"
)

// User is one customer.
type User struct {
	ID               int    `json:"id"`
	Name             string `json:"name"`
	Tier             Tier   `json:"tier"`
	CreditLimitCents int64  `json:"credit_limit_cents"`
}

// ErrExists is returned by Add for an ID already taken.
var ErrExists = errors.New("user exists")

// Store holds users in memory; safe for concurrent use.
type Store struct {
	mu    sync.RWMutex
	users map[int]User
}

// Seed returns the users every service run starts with.
func Seed() []User {
	return []User{
		{ID: 1, Name: "Ada", Tier: Gold, CreditLimitCents: 500000},
		{ID: 2, Name: "Bob", Tier: Standard, CreditLimitCents: 100000},
		{ID: 3, Name: "Eve", Tier: Suspended, CreditLimitCents: 0},
	}
}

// NewStore returns a store holding seed.
func NewStore(seed []User) *Store {
	s := &Store{users: make(map[int]User)}
	for _, u := range seed {
		s.users[u.ID] = u
	}
	return s
}

// Get returns the user with id.
func (s *Store) Get(id int) (User, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.users[id]
	return u, ok
}

// Validate says what is wrong with u, or nil.
func Validate(u User) error {
	if u.ID <= 0 {
		return fmt.Errorf("id must be positive, not %d", u.ID)
	}
	if strings.TrimSpace(u.Name) == "" {
		return errors.New("name is empty")
	}
	switch u.Tier {
	case Standard, Gold, Suspended:
	default:
		return fmt.Errorf("unknown tier %q", u.Tier)
	}
	if u.CreditLimitCents < 0 {
		return errors.New("credit limit is negative")
	}
	return nil
}

// Add stores a valid user with a new ID.
func (s *Store) Add(u User) error {
	if err := Validate(u); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[u.ID]; ok {
		return fmt.Errorf("%w: %d", ErrExists, u.ID)
	}
	s.users[u.ID] = u
	return nil
}

// ParseID parses the {id} of a path.
func ParseID(text string) (int, error) {
	id, err := strconv.Atoi(text)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("bad user id %q", text)
	}
	return id, nil
}

// NewHandler serves the store.
func NewHandler(s *Store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/users/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		id, err := ParseID(strings.TrimPrefix(r.URL.Path, "/users/"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		u, ok := s.Get(id)
		if !ok {
			http.Error(w, "no such user", http.StatusNotFound)
			return
		}
		writeJSON(w, http.StatusOK, u)
	})
	mux.HandleFunc("/users", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		var u User
		if err := json.NewDecoder(r.Body).Decode(&u); err != nil {
			http.Error(w, "bad JSON: "+err.Error(), http.StatusBadRequest)
			return
		}
		if err := s.Add(u); errors.Is(err, ErrExists) {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		} else if err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		writeJSON(w, http.StatusCreated, u)
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
