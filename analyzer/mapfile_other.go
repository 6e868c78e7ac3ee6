//go:build !linux

package analyzer

import "errors"

// mapFile is only done on Linux; elsewhere packs are read into memory.
func mapFile(string) ([]byte, fileInfo, error) { return nil, fileInfo{}, errors.ErrUnsupported }

func unmapFile([]byte) {}

func dropPages([]byte) {}

func sharedPages() (int, bool) { return 0, false }
