package settings

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
)

// Preference keys. Values are JSON where they hold a structure.
const (
	keyProfiles = "profiles.v1"
	keyCurrent  = "profiles.current"
	keyPresets  = "presets.user.v1"
	keyLearned  = "models.learned.v1"
	keyTheme    = "view.theme"
	keyWidth    = "window.width"
	keyHeight   = "window.height"
)

// Prefs is the part of fyne.Preferences settings needs; the app passes its
// Preferences, the CLI and tests a file- or memory-backed one.
type Prefs interface {
	String(key string) string
	SetString(key, value string)
}

// Generation holds per-profile (and per-chat) generation settings.
type Generation struct {
	Preset       string         `json:"preset,omitempty"`
	SystemPrompt string         `json:"system_prompt,omitempty"`
	Examples     []chat.Example `json:"examples,omitempty"`
	// Temperature nil leaves the service default.
	Temperature *float64 `json:"temperature,omitempty"`
	// MaxTokens caps replies and is reserved from the window; 0 = automatic.
	MaxTokens int `json:"max_tokens,omitempty"`
	// ContextWindow overrides the model's window; 0 = from the model.
	ContextWindow int           `json:"context_window,omitempty"`
	Strategy      chat.Strategy `json:"strategy,omitempty"`
}

// Profile is one connection: where, which deployment, how to sign in.
type Profile struct {
	ID         string         `json:"id"`
	Name       string         `json:"name"`
	Endpoint   string         `json:"endpoint"` // normalised base URL
	Deployment string         `json:"deployment"`
	Model      string         `json:"model,omitempty"` // stated by the user
	Auth       azure.AuthMode `json:"auth"`
	Tenant     string         `json:"tenant,omitempty"`
	Gen        Generation     `json:"generation"`
	// API is Auto ("" or "auto"), Chat Completions or Responses;
	// StoreResponses lets the Responses API keep responses on the service.
	API            chat.APIMode `json:"api,omitempty"`
	StoreResponses bool         `json:"store_responses,omitempty"`
	// Prices are the user's own, per million tokens (none by default:
	// Azure's depend on region and deployment type).
	Prices chat.Prices `json:"prices,omitempty"`
}

// Store is the typed view of the saved settings, written through; the
// profile list is read again when another program changed it (syncLocked).
// It is safe for concurrent use: the UI thread and connection goroutines
// share it, and every method takes its lock.
type Store struct {
	mu       sync.Mutex
	prefs    Prefs
	profiles []Profile
	current  string
	learned  map[string]string
	presets  []Preset
	// envKeyEndpoint is the endpoint AZURE_OPENAI_API_KEY was first used
	// for, set without AZURE_OPENAI_ENDPOINT (see envKeyFits).
	envKeyEndpoint string
	// raw is the saved profile list as last read or written (syncLocked).
	raw string
}

// Load reads the settings, falling back to empty values when a stored value
// is missing or unreadable (a damaged value is never fatal).
func Load(p Prefs) *Store {
	s := &Store{prefs: p, learned: map[string]string{}}
	s.raw = p.String(keyProfiles)
	s.profiles, _ = parseProfiles(s.raw)
	s.learned = s.storedLearned()
	_ = json.Unmarshal([]byte(p.String(keyPresets)), &s.presets)

	s.current = p.String(keyCurrent)
	if _, ok := s.profileLocked(s.current); !ok && len(s.profiles) > 0 {
		s.current = s.profiles[0].ID
	}
	return s
}

// parseProfiles reads a saved profile list. A file edited by hand or by
// an older azchat may hold anything: valid profiles are normalised; an
// invalid one is kept for the user to fix in settings, and Resolve
// refuses to connect with it.
func parseProfiles(raw string) ([]Profile, error) {
	var ps []Profile
	if err := json.Unmarshal([]byte(raw), &ps); err != nil {
		return nil, err
	}
	for i, pr := range ps {
		if v, err := Validate(pr); err == nil {
			ps[i] = v
		}
	}
	return ps, nil
}

// syncLocked takes up the profile list as saved now when another program
// changed it (another window, `azchat` commands: they share the file).
// Read once at start, a second window wrote back the list it had read
// with every profile switch, undoing the first window's edits. This
// window's current profile stays, unless it is gone.
func (s *Store) syncLocked() {
	raw := s.prefs.String(keyProfiles)
	if raw == s.raw || raw == "" {
		return
	}
	ps, err := parseProfiles(raw)
	if err != nil {
		return // a damaged value: what this window holds is better
	}
	s.raw, s.profiles = raw, ps
	if _, ok := s.profileLocked(s.current); !ok {
		s.current = ""
		if len(ps) > 0 {
			s.current = ps[0].ID
		}
	}
}

func (s *Store) save() {
	b, _ := json.Marshal(s.profiles)
	s.raw = string(b)
	s.prefs.SetString(keyProfiles, s.raw)
	s.prefs.SetString(keyCurrent, s.current)
}

// Profiles returns a copy of all profiles.
func (s *Store) Profiles() []Profile {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.syncLocked()
	return append([]Profile(nil), s.profiles...)
}

// Profile finds a profile by ID.
func (s *Store) Profile(id string) (Profile, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.syncLocked()
	return s.profileLocked(id)
}

func (s *Store) profileLocked(id string) (Profile, bool) {
	for _, p := range s.profiles {
		if p.ID == id {
			return p, true
		}
	}
	return Profile{}, false
}

// Current returns the active profile, if any.
func (s *Store) Current() (Profile, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.syncLocked()
	return s.profileLocked(s.current)
}

// SetCurrent makes a profile active.
func (s *Store) SetCurrent(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.syncLocked()
	if _, ok := s.profileLocked(id); !ok {
		return errors.New("no such profile")
	}
	s.current = id
	s.save()
	return nil
}

// NewID returns a random profile ID.
func NewID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Validate checks a profile before it is saved and normalises its endpoint.
func Validate(p Profile) (Profile, error) {
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		return p, errors.New("give the profile a name")
	}
	ep, err := NormalizeEndpoint(p.Endpoint)
	if err != nil {
		return p, err
	}
	p.Endpoint = ep.BaseURL
	p.Deployment = strings.TrimSpace(p.Deployment)
	if p.Deployment == "" {
		p.Deployment = ep.Deployment
	}
	if p.Deployment == "" {
		return p, errors.New("enter the deployment name (Azure AI Foundry > Deployments)")
	}
	if p.Auth == "" {
		p.Auth = azure.AuthAPIKey
	}
	switch p.Auth {
	case azure.AuthAPIKey, azure.AuthEntra, azure.AuthEntraBrowser:
	default:
		return p, fmt.Errorf("unknown sign-in mode %q", p.Auth)
	}
	if t := p.Gen.Temperature; t != nil && !(*t >= 0 && *t <= 2) { // NaN too
		return p, errors.New("temperature must be between 0 and 2")
	}
	if p.Gen.MaxTokens < 0 || p.Gen.ContextWindow < 0 {
		return p, errors.New("token limits cannot be negative")
	}
	if err := CheckLimits(p.Gen.MaxTokens, p.Gen.ContextWindow); err != nil {
		return p, err
	}
	if p.Gen.Strategy == "" {
		p.Gen.Strategy = chat.DropOldest
	}
	switch p.API {
	case "", chat.APIAuto, chat.APIChat, chat.APIResponses:
	default:
		return p, fmt.Errorf("unknown API %q", p.API)
	}
	for _, v := range []*float64{p.Prices.Input, p.Prices.CachedInput, p.Prices.Output} {
		// A hand-edited file may hold anything; NaN fails every comparison,
		// so !(v >= 0) refuses it along with the negatives.
		if v != nil && (!(*v >= 0) || math.IsInf(*v, 0)) {
			return p, errors.New("prices must be numbers of zero or more, per million tokens")
		}
	}
	return p, nil
}

// Put adds or replaces a profile (validated) and makes it current if it is
// the first one.
func (s *Store) Put(p Profile) (Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.putLocked(p)
}

func (s *Store) putLocked(p Profile) (Profile, error) {
	s.syncLocked()
	if p.ID == "" {
		p.ID = NewID()
	}
	p, err := Validate(p)
	if err != nil {
		return p, err
	}
	for i := range s.profiles {
		if s.profiles[i].ID == p.ID {
			s.profiles[i] = p
			s.save()
			return p, nil
		}
	}
	s.profiles = append(s.profiles, p)
	if s.current == "" {
		s.current = p.ID
	}
	s.save()
	return p, nil
}

// Duplicate copies a profile under a new name; the key is copied by the caller.
func (s *Store) Duplicate(id string) (Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.syncLocked()
	p, ok := s.profileLocked(id)
	if !ok {
		return p, errors.New("no such profile")
	}
	p.ID = NewID()
	p.Name += " (copy)"
	return s.putLocked(p)
}

// Remove deletes a profile and its keychain entry.
func (s *Store) Remove(id string, secrets *Secrets) error {
	s.mu.Lock()
	s.syncLocked()
	out := s.profiles[:0]
	for _, p := range s.profiles {
		if p.ID != id {
			out = append(out, p)
		}
	}
	s.profiles = out
	if s.current == id {
		s.current = ""
		if len(s.profiles) > 0 {
			s.current = s.profiles[0].ID
		}
	}
	s.save()
	s.mu.Unlock()
	if secrets != nil {
		return secrets.Delete(id)
	}
	return nil
}

// Learned returns the model learnt for an endpoint's deployment.
func (s *Store) Learned(endpoint, deployment string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Read afresh: another process (azchat ask, the window) may have
	// learnt it since this store was loaded.
	for k, v := range s.storedLearned() {
		s.learned[k] = v
	}
	return s.learned[endpoint+"|"+deployment]
}

// storedLearned reads the learnt models as saved now, but for names that
// do not read as one (saved before names were checked: see chat.ModelName).
func (s *Store) storedLearned() map[string]string {
	stored := map[string]string{}
	_ = json.Unmarshal([]byte(s.prefs.String(keyLearned)), &stored)
	for k, v := range stored {
		if chat.ModelName(v) != v {
			delete(stored, k)
		}
	}
	return stored
}

// apiKeySuffix marks, among the learnt models, what a deployment's API was
// found to be ('#' is not allowed in a deployment name).
const apiKeySuffix = "#api"

// LearnedAPI returns the API a deployment was found to need ("" if none).
func (s *Store) LearnedAPI(endpoint, deployment string) string {
	return s.Learned(endpoint, deployment+apiKeySuffix)
}

// LearnAPI remembers the API a deployment needs.
func (s *Store) LearnAPI(endpoint, deployment, api string) {
	s.Learn(endpoint, deployment+apiKeySuffix, api)
}

// Learn remembers the model behind a deployment.
func (s *Store) Learn(endpoint, deployment, model string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if model == "" || chat.ModelName(model) != model || s.learned[endpoint+"|"+deployment] == model {
		return
	}
	// Merge with what is stored now: the window and `azchat ask` share the
	// file, and either may have learnt another deployment's model.
	for k, v := range s.storedLearned() {
		s.learned[k] = v // what is stored is the newest for other deployments
	}
	s.learned[endpoint+"|"+deployment] = model
	b, _ := json.Marshal(s.learned)
	s.prefs.SetString(keyLearned, string(b))
}

// Theme returns the saved theme: "system", "light" or "dark".
func (s *Store) Theme() string {
	switch t := s.prefs.String(keyTheme); t {
	case "light", "dark":
		return t
	}
	return "system"
}

// SetTheme saves the theme choice.
func (s *Store) SetTheme(t string) { s.prefs.SetString(keyTheme, t) }

// WindowSize returns the saved window size, or 0, 0.
func (s *Store) WindowSize() (float32, float32) {
	var w, h float32
	_, _ = fmt.Sscan(s.prefs.String(keyWidth), &w)
	_, _ = fmt.Sscan(s.prefs.String(keyHeight), &h)
	return w, h
}

// SetWindowSize saves the window size.
func (s *Store) SetWindowSize(w, h float32) {
	s.prefs.SetString(keyWidth, fmt.Sprint(w))
	s.prefs.SetString(keyHeight, fmt.Sprint(h))
}
