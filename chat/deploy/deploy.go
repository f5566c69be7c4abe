// Package deploy finds the model deployments of an Azure OpenAI resource,
// so the user picks one instead of typing its name: through Azure Resource
// Manager when signed in with Microsoft Entra ID, through the resource's
// own deployments listing with an API key.
package deploy

// Source says which listing a deployment came from.
type Source string

// The two listings.
const (
	// ARM is Azure Resource Manager (Entra ID; needs Reader on the resource).
	ARM Source = "arm"
	// DataPlane is the resource's own listing
	// (/openai/deployments?api-version=2023-03-15-preview), the one a key
	// can call.
	DataPlane Source = "data-plane"
)

// Deployment is one model deployment. A field the listing does not give
// is nil (JSON null).
type Deployment struct {
	Name     string  `json:"name"`
	Model    *string `json:"model"`
	Version  *string `json:"version"`
	SKU      *string `json:"sku"`
	Capacity *int    `json:"capacity"`
	Source   Source  `json:"source"`
}

// ModelName is the deployment's model, "" when the listing gave none.
func (d Deployment) ModelName() string {
	if d.Model == nil {
		return ""
	}
	return *d.Model
}

// ModelVersion is the model's version, "" when the listing gave none.
func (d Deployment) ModelVersion() string {
	if d.Version == nil {
		return ""
	}
	return *d.Version
}
