package deploy

import (
	"sync"
	"time"
)

// CacheFor is how long a listing is reused: deployments change rarely, and
// listing them through Resource Manager takes several requests.
const CacheFor = 10 * time.Minute

// Cache keeps the last listing per key (a profile and where and how it
// connects). It is safe for concurrent use.
type Cache struct {
	mu  sync.Mutex
	now func() time.Time // tests move time
	m   map[string]cached
}

type cached struct {
	list []Deployment
	at   time.Time
}

func (c *Cache) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// Get returns the listing stored for key within CacheFor.
func (c *Cache) Get(key string) ([]Deployment, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || c.clock().Sub(e.at) > CacheFor {
		return nil, false
	}
	return append([]Deployment(nil), e.list...), true
}

// Put stores a listing for key.
func (c *Cache) Put(key string, list []Deployment) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]cached{}
	}
	c.m[key] = cached{list: append([]Deployment(nil), list...), at: c.clock()}
}
