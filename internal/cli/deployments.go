package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/deploy"
	"github.com/azchat/azchat/settings"
)

// deploymentsCmd lists the deployments of the saved profile's resource (or
// the one the environment names, as ask does): through Resource Manager
// with Entra ID, the resource's own listing with a key.
func deploymentsCmd(args []string, env Env) int {
	asJSON, exit, ok := jsonOnly("deployments", args, env)
	if !ok {
		return exit
	}
	secrets := env.Secrets
	if secrets == nil {
		secrets = settings.NewSecrets()
	}
	conn, err := settings.Load(env.Prefs).ResolveResource(secrets, env.Getenv)
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat:", resolveReason(err))
		return ExitFailed
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	list, err := conn.Deployments(ctx, env.Getenv(deploy.EnvARMEndpoint))
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat:", chat.AsError(err).Reason)
		return ExitFailed
	}
	if asJSON {
		if list == nil {
			list = []deploy.Deployment{}
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(list); err != nil {
			return ExitFailed
		}
		return ExitOK
	}
	if len(list) == 0 {
		fmt.Fprintln(env.Stdout, "This resource has no deployments that are ready. Create one in Azure AI Foundry > Deployments.")
		return ExitOK
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "name\tmodel\tversion\tsku\tcapacity\tsource")
	for _, d := range list {
		capacity := "-"
		if d.Capacity != nil {
			capacity = strconv.Itoa(*d.Capacity)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", printable(d.Name), orDash(d.ModelName()), orDash(d.ModelVersion()), orDash(deref(d.SKU)), capacity, d.Source)
	}
	if err := w.Flush(); err != nil {
		return ExitFailed
	}
	return ExitOK
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return printable(s)
}
