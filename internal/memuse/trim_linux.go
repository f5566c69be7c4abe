//go:build linux && cgo

package memuse

/*
#cgo linux LDFLAGS: -ldl
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>

// trim asks glibc to return free pages of the C heap to the system, and
// reports whether it could: a C library without malloc_trim (musl) is
// left as it is.
static int trim(void) {
	int (*f)(size_t) = (int (*)(size_t))dlsym(RTLD_DEFAULT, "malloc_trim");
	if (!f) return 0;
	f(0);
	return 1;
}

// churn allocates n blocks of size bytes and frees every one but the
// last, leaving the freed ones below it in the heap (tests).
static void churn(int n, int size) {
	void **p = malloc(sizeof(void *) * n);
	if (!p) return;
	for (int i = 0; i < n; i++) {
		p[i] = malloc(size);
		if (p[i]) for (int j = 0; j < size; j += 4096) ((char *)p[i])[j] = 1;
	}
	for (int i = 0; i < n - 1; i++) free(p[i]);
	free(p);
}
*/
import "C"

// trimCHeap returns the C heap's free pages to the system (glibc), and
// reports whether the C library can be asked to.
func trimCHeap() bool { return C.trim() != 0 }

// churnCHeap leaves about n*size bytes freed in the C heap, kept mapped
// below a block still in use (tests).
func churnCHeap(n, size int) { C.churn(C.int(n), C.int(size)) }
