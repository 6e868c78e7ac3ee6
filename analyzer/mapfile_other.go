//go:build !linux

package analyzer

import (
	"errors"
	"os"
)

// mapFile is only done on Linux; elsewhere packs are read into memory.
func mapFile(string) ([]byte, fileInfo, error) { return nil, fileInfo{}, errors.ErrUnsupported }

func unmapFile([]byte) {}

func mapAhead(*os.File, int) ([]byte, error) { return nil, errors.ErrUnsupported }

func dropPages([]byte) {}

func residentPages() (int, int, bool) { return 0, 0, false }

func inMemoryFS(string) bool { return true }
