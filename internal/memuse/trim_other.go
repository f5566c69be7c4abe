//go:build !linux || !cgo

package memuse

// trimCHeap does nothing where the C heap cannot be asked to trim.
func trimCHeap() bool { return false }

// churnCHeap does nothing here (tests skip the C heap).
func churnCHeap(n, size int) {}
