// Package rules holds lmilint's checks, one file per rule. Each rule is an
// *analyzer.Rule value carrying its documentation and examples; All lists them
// in ID order, and is the only registration there is.
package rules

import (
	"strings"

	"github.com/lmilint/lmilint/analyzer"
)

// All is every rule, in ID order. IDs are permanent: never renumber or reuse one.
var All = []*analyzer.Rule{
	SharedMutableStatic,
	UnsynchronizedSharedCollection,
	FixedTempPath,
	SharedHTTPClientMutation,
	NonAtomicUpdate,
	SharedInstanceState,
	RacyLazyInit,
	NonThreadSafeSharedInstance,
	CaptiveDependency,
	ProcessGlobalMutation,
	SyncOverAsync,
	AsyncVoid,
	ThreadAffineState,
	PerRequestClient,
	SharedTempCleanup,
	UnsafeLockTarget,
	StaticEventSubscription,
}

// Lookup returns the rule named by an ID or a name, in any case ("lmi004",
// "shared-httpclient-mutation"), or nil.
func Lookup(s string) *analyzer.Rule {
	s = strings.TrimSpace(s)
	for _, r := range All {
		if strings.EqualFold(r.ID, s) || strings.EqualFold(r.Name, s) {
			return r
		}
	}
	return nil
}

// ByID returns the rule with the ID, or nil.
func ByID(id string) *analyzer.Rule {
	for _, r := range All {
		if r.ID == id {
			return r
		}
	}
	return nil
}
