package settings

import "sync"

// MemPrefs keeps preferences in memory (tests, and a run that must not write).
type MemPrefs struct {
	mu sync.Mutex
	m  map[string]string
}

// String returns the value of key, or "".
func (p *MemPrefs) String(key string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[key]
}

// SetString sets key.
func (p *MemPrefs) SetString(key, value string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[string]string{}
	}
	p.m[key] = value
}
