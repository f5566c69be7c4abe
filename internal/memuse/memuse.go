// Package memuse returns memory the window no longer uses to the system.
//
// A long answer or a long chat's load leaves the Go heap grown to its
// collector's goal, full of garbage that only the next collection frees,
// and an idle window allocates too little for that collection to come:
// after make bench's 2 MB answer the window's Go memory stayed 45 MB above
// idle for as long as it was left alone. Fyne's text textures (C heap
// under Mesa's software driver) are freed a minute after they were last
// drawn (at the window's next redraw: a focused window redraws as its
// input's cursor blinks), but glibc keeps freed small blocks mapped unless
// asked to trim.
package memuse

import "runtime/debug"

// Release collects garbage now and returns freed memory to the system:
// the Go heap's free pages, and the C heap's where the C library can be
// asked to (glibc's malloc_trim, found at run time). It takes a full
// collection (tens of milliseconds for the window's live heap, mostly
// concurrent): call it when the window is at rest, off the UI thread.
func Release() {
	debug.FreeOSMemory()
	trimCHeap()
}
