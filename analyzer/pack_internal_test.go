package analyzer

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"testing"
)

// TestEntryPackRoundTrip: a saved pack, streamed in batches, opens with
// every entry as it was put, entries smaller and larger than a batch alike;
// a pack whose bytes were damaged opens empty.
func TestEntryPackRoundTrip(t *testing.T) {
	dir := t.TempDir()
	pack := openPack(dir, "units", "/repo")
	want := map[[32]byte][]byte{}
	for i := range 3000 {
		size := i % 97
		if i%1000 == 7 {
			size = 200_000 // over a write batch
		}
		key := sha256.Sum256([]byte(fmt.Sprint(i)))
		entry := bytes.Repeat([]byte{byte(i)}, size)
		pack.put(key, entry)
		want[key] = entry
	}
	pack.save()
	again := openPack(dir, "units", "/repo")
	if len(again.old) != len(want) {
		t.Fatalf("reopened pack holds %d entries, want %d", len(again.old), len(want))
	}
	for key, entry := range want {
		if got, ok := again.peek(key); !ok || !bytes.Equal(got, entry) {
			t.Fatalf("entry %x: got %d bytes (found %v), want %d", key[:4], len(got), ok, len(entry))
		}
	}
	data, err := os.ReadFile(pack.path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0xFF
	if err := os.WriteFile(pack.path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if damaged := openPack(dir, "units", "/repo"); len(damaged.old) != 0 {
		t.Fatalf("a damaged pack opened with %d entries", len(damaged.old))
	}
}

// TestSavedPackLetsGoOfItsEntries: once saved and released, a pack holds
// no entry (they can be collected), a late put is dropped rather than a
// crash, and the file written holds every entry.
func TestSavedPackLetsGoOfItsEntries(t *testing.T) {
	dir := t.TempDir()
	pack := openPack(dir, "findings", "/repo")
	key := sha256.Sum256([]byte("a"))
	pack.put(key, []byte("entry"))
	pack.saveAndRelease()
	if len(pack.old)+len(pack.next) != 0 {
		t.Fatalf("a released pack still holds %d entries", len(pack.old)+len(pack.next))
	}
	pack.put(sha256.Sum256([]byte("late")), []byte("x"))
	if got, ok := openPack(dir, "findings", "/repo").peek(key); !ok || string(got) != "entry" {
		t.Fatalf("the saved pack holds %q (found %v), want the entry", got, ok)
	}
}
