package azure_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/internal/fakeazure"
)

// The host name used behind the proxy: .invalid never resolves, so if the
// proxy were ignored the request would fail at DNS and never leave the machine.
const proxiedHost = "azure-test.invalid"

// newCA makes a CA and a server certificate for proxiedHost and 127.0.0.1.
func newCA(t *testing.T) (caPEM []byte, cert tls.Certificate) {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "azchat test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: proxiedHost},
		DNSNames: []string{proxiedHost}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// connectProxy is a CONNECT proxy on loopback that sends every tunnel to target.
type connectProxy struct {
	ln      net.Listener
	target  string
	mu      sync.Mutex
	tunnels []string
}

func startProxy(t *testing.T, target string) *connectProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &connectProxy{ln: ln, target: target}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.serve(c)
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return p
}

func (p *connectProxy) serve(c net.Conn) {
	defer c.Close()
	req, err := http.ReadRequest(bufio.NewReader(c))
	if err != nil || req.Method != http.MethodConnect {
		return
	}
	p.mu.Lock()
	p.tunnels = append(p.tunnels, req.Host)
	p.mu.Unlock()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		_, _ = io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\n\r\n")
		return
	}
	defer up.Close()
	_, _ = io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
}

func tlsFake(t *testing.T, cert *tls.Certificate) (*httptest.Server, *fakeazure.Server) {
	fa := &fakeazure.Server{APIKey: "k"}
	srv := httptest.NewUnstartedServer(fa)
	if cert != nil {
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, fa
}

func TestSelfSignedServerIsATLSError(t *testing.T) {
	srv, _ := tlsFake(t, nil)
	c, _ := azure.New(azure.Config{BaseURL: srv.URL + "/openai/v1/", APIKey: "k"})
	_, err := collect(t, c)
	if e := chat.AsError(err); e.Kind != chat.KindTLS || !strings.Contains(e.Reason, "SSL_CERT_FILE") {
		t.Fatalf("self-signed: %+v", e)
	}
}

// Proxy and CA settings are read once per process, so each case runs in a
// child process with its own environment.
func TestProxyAndCustomCA(t *testing.T) {
	if mode := os.Getenv("AZCHAT_NET_CHILD"); mode != "" {
		netChild(t, mode)
		return
	}
	caPEM, cert := newCA(t)
	srv, _ := tlsFake(t, &cert)
	proxy := startProxy(t, strings.TrimPrefix(srv.URL, "https://"))
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(mode string, env ...string) string {
		cmd := exec.Command(os.Args[0], "-test.run=^TestProxyAndCustomCA$", "-test.v")
		cmd.Env = append(os.Environ(), append(env, "AZCHAT_NET_CHILD="+mode)...)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS") {
			t.Fatalf("%s: %v\n%s", mode, err, out)
		}
		return string(out)
	}
	proxyURL := "http://" + proxy.ln.Addr().String()
	// Through the proxy, trusting the company CA from SSL_CERT_FILE.
	run("proxied", "HTTPS_PROXY="+proxyURL, "https_proxy="+proxyURL, "NO_PROXY=", "no_proxy=", "SSL_CERT_FILE="+caFile)
	proxy.mu.Lock()
	tunnels := append([]string(nil), proxy.tunnels...)
	proxy.mu.Unlock()
	if len(tunnels) != 1 || tunnels[0] != proxiedHost+":443" {
		t.Fatalf("proxy saw %v", tunnels)
	}
	// NO_PROXY for the host: a direct attempt, which fails at DNS (.invalid).
	run("direct", "HTTPS_PROXY="+proxyURL, "https_proxy="+proxyURL, "NO_PROXY="+proxiedHost, "no_proxy="+proxiedHost, "SSL_CERT_FILE="+caFile)
	// Without the CA the proxied server is not trusted.
	run("untrusted", "HTTPS_PROXY="+proxyURL, "https_proxy="+proxyURL, "NO_PROXY=", "no_proxy=", "SSL_CERT_FILE="+filepath.Join(t.TempDir(), "none.pem"))
}

func netChild(t *testing.T, mode string) {
	c, err := azure.New(azure.Config{BaseURL: "https://" + proxiedHost + "/openai/v1/", APIKey: "k", FirstByteTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var text strings.Builder
	err = c.Stream(ctx, chat.Request{Deployment: "d", Messages: []chat.WireMessage{{Role: chat.User, Content: "hi"}}}, func(d chat.Delta) { text.WriteString(d.Content) })
	e := chat.AsError(err)
	switch mode {
	case "proxied":
		if err != nil || !strings.Contains(text.String(), "hi") {
			t.Fatalf("through the proxy: %q %+v", text.String(), e)
		}
	case "direct":
		if e == nil || e.Kind != chat.KindDNS {
			t.Fatalf("NO_PROXY ignored: %+v", e)
		}
	case "untrusted":
		if e == nil || e.Kind != chat.KindTLS {
			t.Fatalf("untrusted CA: %+v", e)
		}
	}
}

func TestFiveMegabyteAnswer(t *testing.T) {
	srv := &fakeazure.Server{APIKey: "k"}
	big := strings.Repeat("lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 5<<20/57)
	// Azure sends a token or a few per event; 64 keeps the test quick under -race.
	srv.Script(fakeazure.Behaviour{Reply: big, ChunkTokens: 64})
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, _ := azure.New(azure.Config{BaseURL: srv.BaseURL(), APIKey: "k"})
	text, err := collect(t, c)
	if err != nil || text != big {
		t.Fatalf("%d of %d bytes, %v", len(text), len(big), err)
	}
}
