package export

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// webhooks writes one webhook block per webhook, sorted by name. The
// secret, which Misskey returns in clear, is never written: a webhook with
// one gets secret = var.webhook_<name>_secret, a variable declared
// sensitive = true without a default, and a note tells the user to set it.
// A webhook validate would refuse (a name, URL or event it refuses, an
// event listed twice) or one of several of a name is left out.
func (g *gen) webhooks(body *hclwrite.Body) {
	names, byName := groupByName(g.acc.Live.Webhooks, func(w planner.LiveWebhook) string { return w.Name })
	for _, name := range names {
		group := byName[name]
		body.AppendNewline()
		if len(group) > 1 {
			ids := idsOf(group, func(w planner.LiveWebhook) string { return w.ID })
			slices.Sort(ids)
			g.skipDuplicates(body, "Webhooks", "webhooks", "webhooks", name, ids)
			g.count("webhooks").Skipped += len(group)
			continue
		}
		w := group[0]
		if why := webhookProblem(w); why != "" {
			why = stays(why)
			comment(body, fmt.Sprintf("Webhook %s (id %s) is not exported: %s.", quoteName(w.Name), w.ID, why))
			g.note("webhook %s (id %s) is not exported: %s.", quoteName(w.Name), w.ID, why)
			g.count("webhooks").Skipped++
			continue
		}
		b := body.AppendNewBlock("webhook", []string{name}).Body()
		g.count("webhooks").Declared++
		b.SetAttributeValue("url", cty.StringVal(w.URL))
		if w.Secret != "" {
			v := g.secretVar("webhook_"+identPart(name)+"_secret", fmt.Sprintf("the secret of webhook %s (Misskey returns it, but export never writes a secret into a file)", quoteName(name)))
			b.SetAttributeRaw("secret", v)
		}
		on := make([]cty.Value, len(w.On))
		for i, e := range w.On {
			on[i] = cty.StringVal(e)
		}
		if len(on) == 0 {
			b.SetAttributeValue("on", cty.ListValEmpty(cty.String))
		} else {
			b.SetAttributeValue("on", cty.TupleVal(on))
		}
		if !w.Active {
			b.SetAttributeValue("active", cty.False)
		}
	}
}

// webhookProblem says why validate would refuse the webhook as a block.
func webhookProblem(w planner.LiveWebhook) string {
	if why := nameProblem(w.Name); why != "" {
		return why
	}
	if why := schema.WebhookURLProblem(w.URL); why != "" {
		return "its URL is refused by validate: " + strings.TrimSuffix(why, ".")
	}
	seen := map[string]bool{}
	for _, e := range w.On {
		if !slices.Contains(schema.WebhookEvents, e) {
			return fmt.Sprintf("its event %q is not one Misskey %s knows", e, "2026.5.4")
		}
		if seen[e] {
			return fmt.Sprintf("it lists the event %q twice", e)
		}
		seen[e] = true
	}
	return ""
}

// secretVar declares a sensitive variable without a default for a value
// export must not write, with a note, and returns a reference to it.
func (g *gen) secretVar(name, description string) hclwrite.Tokens {
	for slices.ContainsFunc(g.vars, func(v unknownVar) bool { return v.name == name }) {
		name += "_2"
	}
	g.vars = append(g.vars, unknownVar{name: name, typ: "string", description: description, sensitive: true})
	g.note("variable %q has no value: export does not write %s; set it with MKCTL_VAR_%s or a --var-file kept out of git before planning (it is declared sensitive = true, so plans show (sensitive)).", name, description, name)
	return ref("var", name)
}

// identPart makes s usable inside an identifier: letters and digits in
// lower case, anything else "_".
func identPart(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
