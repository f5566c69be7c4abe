package azure

import (
	"fmt"
	"os"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// AuthMode is how azchat proves who the user is.
type AuthMode string

const (
	// AuthAPIKey sends the resource's key in the api-key header.
	AuthAPIKey AuthMode = "api-key"
	// AuthEntra uses DefaultAzureCredential restricted to the developer
	// chain (Azure CLI, Azure Developer CLI, PowerShell) unless the user
	// chose otherwise with AZURE_TOKEN_CREDENTIALS.
	AuthEntra AuthMode = "entra-id"
	// AuthEntraBrowser signs in interactively in the system browser.
	AuthEntraBrowser AuthMode = "entra-id-browser"
)

// NewCredential builds the Entra ID credential for a mode. It does no I/O:
// tokens are fetched on the first request.
func NewCredential(mode AuthMode, tenant string) (azcore.TokenCredential, error) {
	switch mode {
	case AuthEntra:
		// A desktop has no managed identity; probing for one costs a second
		// or more on every token refresh, so the default is the developer chain.
		if os.Getenv("AZURE_TOKEN_CREDENTIALS") == "" {
			_ = os.Setenv("AZURE_TOKEN_CREDENTIALS", "dev")
		}
		return azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{TenantID: tenant})
	case AuthEntraBrowser:
		return azidentity.NewInteractiveBrowserCredential(&azidentity.InteractiveBrowserCredentialOptions{TenantID: tenant})
	}
	return nil, fmt.Errorf("unknown sign-in mode %q", mode)
}
