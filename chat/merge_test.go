package chat

import (
	"fmt"
	"testing"
)

func TestMergeNeverChangesItsInputs(t *testing.T) {
	yes, no := true, false
	f := FilterResults{"hate": {Severity: "safe"}, "violence": {Filtered: true, Severity: "medium"}}
	g := FilterResults{"hate": {Severity: "low"}, "violence": {Severity: "safe"}, "jailbreak": {Detected: &yes}}
	m := f.Merge(g)
	if f["hate"].Severity != "safe" || len(f) != 2 || len(g) != 3 {
		t.Fatalf("inputs changed: %v %v", f, g)
	}
	if m["hate"].Severity != "low" || !m["violence"].Filtered || m["jailbreak"].Detected == nil {
		t.Fatalf("merged %v", m)
	}
	// Repeated verdicts (every chunk of a stream) cost nothing.
	same := FilterResults{"hate": {Severity: "low"}, "jailbreak": {Detected: &yes}}
	if allocs := testing.AllocsPerRun(100, func() { _ = m.Merge(same) }); allocs != 0 {
		t.Fatalf("%v allocations merging verdicts already held", allocs)
	}
	if got := m.Merge(FilterResults{"jailbreak": {Detected: &no}}); *got["jailbreak"].Detected {
		t.Fatal("a changed detection was ignored")
	}
	if got := FilterResults(nil).Merge(g); len(got) != 3 {
		t.Fatalf("merge into nothing: %v", got)
	}
}

// TestMergeBoundsTheCategories: a stream naming new filter categories in
// each event keeps MaxFilterCategories of them, its verdicts updated.
func TestMergeBoundsTheCategories(t *testing.T) {
	var f FilterResults
	for i := range 1000 {
		f = f.Merge(FilterResults{fmt.Sprintf("category-%d", i): {Filtered: false, Severity: "safe"}})
	}
	if len(f) != MaxFilterCategories {
		t.Fatalf("%d categories kept", len(f))
	}
	f = f.Merge(FilterResults{"category-0": {Filtered: true, Severity: "high"}})
	if !f["category-0"].Filtered {
		t.Fatal("a kept category's verdict was not updated")
	}
}

// TestCutUTF8: an answer cut at the limit ends at a character's start.
func TestCutUTF8(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{{"héllo", 2, "h"}, {"héllo", 3, "hé"}, {"abc", 5, "abc"}, {"abc", 0, ""}, {"🚀x", 3, ""}, {"🚀x", 4, "🚀"}} {
		if got := cutUTF8(tc.s, tc.n); got != tc.want {
			t.Errorf("cutUTF8(%q, %d) = %q", tc.s, tc.n, got)
		}
	}
}
