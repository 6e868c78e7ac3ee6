//go:build !linux

package analyzer

import "errors"

// mapFile is only done on Linux; elsewhere packs are read into memory.
func mapFile(string) ([]byte, error) { return nil, errors.ErrUnsupported }

func dropPages([]byte) {}

func sharedPages() (int, bool) { return 0, false }
