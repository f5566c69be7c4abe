package app

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/chat/deploy"
	"github.com/azchat/azchat/settings"
)

// findDeployments lists the resource's deployments with what the form says
// now (endpoint, sign-in, the key typed or saved) and fills the picker
// under the Deployment field. Typing a name stays possible throughout.
func (d *settingsDialog) findDeployments() {
	if d.cfg.Find == nil {
		return
	}
	p, err := d.resourceForm()
	if err != nil {
		d.Status.SetText("Cannot look for deployments yet: " + err.Error())
		return
	}
	d.withKey(p, sendQuestion("Find deployments"), func(typed, agreedFor string) { d.runFind(p, typed, agreedFor) })
}

// resourceForm reads the resource and sign-in from the form: what a
// listing needs, the deployment aside.
func (d *settingsDialog) resourceForm() (settings.Profile, error) {
	p := d.editing
	ep, err := settings.NormalizeEndpoint(d.Endpoint.Text)
	if err != nil {
		return p, err
	}
	p.Endpoint = ep.BaseURL
	p.Auth = d.authMode()
	if p.Auth == "" {
		p.Auth = azure.AuthAPIKey
	}
	p.Tenant = d.Tenant.Text
	return p, nil
}

func (d *settingsDialog) runFind(p settings.Profile, typed, agreedFor string) {
	d.Status.SetText("Looking for deployments…")
	enable := d.holdButton(d.FindButton)
	d.background(func() func() {
		conn, err := d.connection(p, typed, agreedFor)
		var list []deploy.Deployment
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			list, err = d.cfg.Find(ctx, conn)
			cancel()
		}
		return func() {
			enable()
			if err != nil {
				d.Status.SetText("Could not list the deployments — " + checkFailure(err))
				return
			}
			d.showFound(list)
		}
	})
}

// showFound offers the deployments in the picker.
func (d *settingsDialog) showFound(list []deploy.Deployment) {
	d.found = list
	if len(list) == 0 {
		d.Picker.Hide()
		d.Status.SetText("This resource has no deployments that are ready: create one in Azure AI Foundry > Deployments, then look again.")
		return
	}
	labels := make([]string, len(list))
	for i, dep := range list {
		labels[i] = deploymentLabel(dep)
	}
	d.Picker.Options = labels
	d.Picker.ClearSelected()
	d.Picker.Show()
	d.Status.SetText(fmt.Sprintf("Found %d deployments: pick one below the Deployment field.", len(list)))
}

// pickDeployment fills the Deployment and Model fields from the picked
// deployment: its model (with its version, which some limits depend on:
// gpt-35-turbo 0613) sets the encoding, limits and parameters before the
// first answer, so the meter counts exactly from the start.
func (d *settingsDialog) pickDeployment(label string) {
	for i, l := range d.Picker.Options {
		if l != label || i >= len(d.found) {
			continue
		}
		dep := d.found[i]
		d.Deployment.SetText(dep.Name)
		if m := dep.ModelName(); m != "" {
			if v := dep.ModelVersion(); v != "" {
				m += "-" + v
			}
			d.Model.SetText(m)
		}
		return
	}
}

// deploymentLabel is a deployment as the picker shows it: name, model,
// version, SKU and capacity, as far as the listing gave them.
func deploymentLabel(dep deploy.Deployment) string {
	s := dep.Name
	if m := dep.ModelName(); m != "" {
		s += " — " + m
		if v := dep.ModelVersion(); v != "" {
			s += " " + v
		}
	}
	if dep.SKU != nil && *dep.SKU != "" {
		s += " · " + *dep.SKU
		if dep.Capacity != nil {
			s += " " + strconv.Itoa(*dep.Capacity)
		}
	}
	return s
}
