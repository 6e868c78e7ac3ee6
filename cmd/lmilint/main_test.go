package main

import (
	"os"
	"testing"
)

// TestMain keeps the tests' parse cache out of the user's cache directory.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lmilint-test-cache")
	if err != nil {
		panic(err)
	}
	os.Setenv("LMILINT_CACHE_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
