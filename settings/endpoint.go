// Package settings owns azchat's connection profiles and generation settings
// (non-secret, in Fyne Preferences), API keys (only in the OS keychain), the
// normalisation of whatever endpoint a user pastes, and the settings dialog.
package settings

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// Endpoint is a normalised endpoint.
type Endpoint struct {
	// BaseURL ends in "/openai/v1/" for Azure, or "/v1/" for an
	// OpenAI-compatible server.
	BaseURL string
	// Deployment is set when the pasted text named one (the portal's target URI).
	Deployment string
}

// Host is the base URL's host (and port), for messages.
func (e Endpoint) Host() string { return HostOf(e.BaseURL) }

// HostOf is an endpoint URL's host and port, for messages; the text as it
// is when it is not a URL.
func HostOf(endpoint string) string {
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" {
		return u.Host
	}
	return endpoint
}

var resourceName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,62}$`)

var azureSuffixes = []string{".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com"}

// ErrKeyAsEndpoint is returned for an API key pasted as the endpoint: on
// the portal's Keys and Endpoint page they sit side by side, and taken for
// a resource or host name the key would be saved in the preferences and
// sent out in clear in a DNS lookup. The error does not repeat the input.
var ErrKeyAsEndpoint = errors.New("this looks like an API key, not an endpoint: paste it into the API key field, and as the endpoint the https:// address shown beside it (Azure portal > your resource > Keys and Endpoint)")

// azureKey matches the shapes of Azure's API keys: 32 hexadecimal digits,
// or the 84 letters and digits of newer resources (no resource name is as
// long: at most 64 characters).
var azureKey = regexp.MustCompile(`^(?:[0-9a-fA-F]{32}|[A-Za-z0-9]{64,})$`)

// looksLikeKey reports whether s, typed without a scheme, is shaped like
// an API key rather than a resource or host name. A resource really named
// with 32 hexadecimal digits is still reached by its full address.
func looksLikeKey(s string) bool { return azureKey.MatchString(s) }

// ErrEmptyEndpoint is returned for blank input.
var ErrEmptyEndpoint = errors.New("enter your resource's endpoint, e.g. https://my-resource.openai.azure.com")

// NormalizeEndpoint turns any form a user may paste into the v1 base URL:
// a bare resource name; the resource host with or without "/", "/openai" or
// "/openai/v1"; cognitiveservices and services.ai hosts (project URLs too);
// the portal's target URI ".../openai/deployments/DEP/chat/completions?..."
// (whose deployment it also returns); surrounding spaces and quotes.
// OpenAI-compatible base URLs ending in "/v1" are kept. Plain http is refused
// except for loopback hosts, because the key would travel in clear.
func NormalizeEndpoint(input string) (Endpoint, error) {
	s := strings.TrimSpace(input)
	s = strings.Trim(s, "\"'`<> \t")
	s = strings.TrimSpace(s)
	if s == "" {
		return Endpoint{}, ErrEmptyEndpoint
	}
	if !strings.Contains(s, "://") {
		if looksLikeKey(s) {
			return Endpoint{}, ErrKeyAsEndpoint
		}
		if resourceName.MatchString(s) {
			return Endpoint{BaseURL: "https://" + strings.ToLower(s) + ".openai.azure.com/openai/v1/"}, nil
		}
		scheme := "https://"
		if isLoopbackHost(hostOf(s)) {
			scheme = "http://"
		}
		s = scheme + s
	}
	u, err := url.Parse(s)
	if err != nil || u.Hostname() == "" || strings.ContainsAny(u.Hostname(), " \t%") {
		return Endpoint{}, fmt.Errorf("%q is not an endpoint: paste the endpoint from the Azure portal (Keys and Endpoint), e.g. https://my-resource.openai.azure.com", shorten(input))
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	switch scheme {
	case "https":
	case "http":
		if !isLoopbackHost(host) {
			return Endpoint{}, fmt.Errorf("http:// is refused for %s: the API key would travel in clear over the network; use https://", host)
		}
	default:
		return Endpoint{}, fmt.Errorf("the endpoint must start with https:// (got %s://)", scheme)
	}
	if u.User != nil {
		return Endpoint{}, errors.New("the endpoint must not contain a user name or password: put the key in the API key field")
	}
	hostPort := host
	if p := u.Port(); p != "" {
		hostPort = net.JoinHostPort(host, p)
	} else if strings.Contains(host, ":") {
		hostPort = "[" + host + "]"
	}
	root := scheme + "://" + hostPort

	path := strings.TrimRight(u.EscapedPath(), "/")
	lower := strings.ToLower(path)
	ep := Endpoint{}

	// The portal's target URI: .../openai/deployments/DEP/...
	if i := strings.Index(lower+"/", "/openai/deployments/"); i >= 0 {
		rest := (path + "/")[i+len("/openai/deployments/"):]
		dep, _, _ := strings.Cut(rest, "/")
		if d, err := url.PathUnescape(dep); err == nil {
			ep.Deployment = d
		}
		ep.BaseURL = root + path[:i] + "/openai/v1/"
		return ep, nil
	}
	if isAzureHost(host) {
		// Foundry project URLs (/api/projects/P) and any other path on an
		// Azure host share the resource's one v1 endpoint.
		ep.BaseURL = root + "/openai/v1/"
		return ep, nil
	}
	switch {
	case strings.HasSuffix(lower, "/openai/v1"):
		ep.BaseURL = root + path + "/"
	case strings.HasSuffix(lower, "/openai"):
		ep.BaseURL = root + path + "/v1/"
	case strings.HasSuffix(lower, "/v1/chat/completions"):
		ep.BaseURL = root + path[:len(path)-len("/chat/completions")] + "/"
	case strings.HasSuffix(lower, "/v1"):
		ep.BaseURL = root + path + "/" // OpenAI-compatible
	case strings.Contains(lower, "/openai/"):
		ep.BaseURL = root + path[:strings.Index(lower, "/openai/")] + "/openai/v1/"
	default:
		ep.BaseURL = root + path + "/openai/v1/"
	}
	return ep, nil
}

func hostOf(s string) string {
	h := s
	if i := strings.IndexAny(h, "/?#"); i >= 0 {
		h = h[:i]
	}
	if hh, _, err := net.SplitHostPort(h); err == nil {
		return hh
	}
	return h
}

func isAzureHost(host string) bool {
	for _, s := range azureSuffixes {
		if strings.HasSuffix(host, s) && len(host) > len(s) {
			return true
		}
	}
	return false
}

// isLoopbackHost reports whether host is this machine: "localhost" or a
// loopback IP literal. Traffic to it never crosses a network. Names under
// .localhost are not trusted: a proxy may well send them elsewhere.
func isLoopbackHost(host string) bool {
	host = strings.Trim(strings.ToLower(host), "[]")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// IsLoopback reports whether an endpoint's host is on this machine.
func IsLoopback(baseURL string) bool { return isLoopbackHost(hostname(baseURL)) }

// SameHost reports whether two endpoints (base URLs) name the same host and
// port: a key saved for one may be sent to the other.
func SameHost(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	return err1 == nil && err2 == nil && ua.Host != "" && strings.EqualFold(ua.Host, ub.Host) && strings.EqualFold(ua.Scheme, ub.Scheme)
}

func shorten(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 60 {
		return s[:57] + "…"
	}
	return s
}

// hostname is an endpoint URL's host name, lower-case, without its port.
func hostname(endpoint string) string {
	if u, err := url.Parse(endpoint); err == nil {
		return strings.ToLower(u.Hostname())
	}
	return ""
}
