package schema

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// accountBlock is an account block whose structure has been checked; it
// becomes one Account, or one per for_each key, once evaluated.
type accountBlock struct {
	label     string
	block     *hcl.Block
	attrs     hcl.Attributes
	profile   *profileBlock
	resources resourceBlocks
	guard     *deletionGuardBlock // deletion_guard.go
}

var accountDesc = bodyDesc{
	What: "an account block",
	Schema: &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "host", Required: true},
			{Name: "username", Required: true},
			{Name: "for_each"},
			{Name: "purge"},
		},
		Blocks: append([]hcl.BlockHeaderSchema{{Type: "profile"}, {Type: "deletion_guard"}}, resourceBlockTypes...),
	},
	Hints: map[string]string{
		"host":     `Hint: add host = "misskey.example", the server the account lives on.`,
		"username": `Hint: add username = "weatherbot", the account the token belongs to (without @).`,
	},
	Aliases: map[string]string{
		"server":   "host",
		"instance": "host",
		"url":      "host",
		"user":     "username",
		"foreach":  "for_each",
		"profiles": "profile",
		// resource blocks: Misskey's and other tools' names for them
		"pin":         "pinned_note",
		"pinned":      "pinned_note",
		"note":        "pinned_note",
		"following":   "follow",
		"followings":  "follow",
		"folder":      "drive_folder",
		"folders":     "drive_folder",
		"list":        "user_list",
		"lists":       "user_list",
		"userlist":    "user_list",
		"file":        "drive_file",
		"files":       "drive_file",
		"drive_files": "drive_file",
		"image":       "drive_file",
		"clips":       "clip",
		"bookmark":    "clip",
		"bookmarks":   "clip",
		"exclusive":   "purge",
		"prune":       "purge",
	},
}

var usernamePattern = regexp.MustCompile(`^[a-zA-Z0-9_]+$`)

func decodeAccountBlock(block *hcl.Block) (*accountBlock, hcl.Diagnostics) {
	ab := &accountBlock{label: block.Labels[0], block: block}
	var diags hcl.Diagnostics
	if !hclsyntax.ValidIdentifier(ab.label) {
		diags = append(diags, errorf(block.LabelRanges[0], "Invalid account name",
			"%q is not a valid account name: it becomes the address account.<name> and part of the token variable MKCTL_TOKEN_<NAME>. Hint: use letters, digits, underscores and dashes, starting with a letter.", ab.label))
	}
	content, moreDiags := decodeBody(block.Body, accountDesc, block.DefRange)
	diags = append(diags, moreDiags...)
	ab.attrs = content.Attributes
	for _, pb := range content.Blocks {
		if pb.Type == "deletion_guard" {
			var d hcl.Diagnostics
			ab.guard, d = decodeDeletionGuard(pb, ab.guard)
			diags = append(diags, d...)
			continue
		}
		if pb.Type != "profile" {
			diags = append(diags, ab.resources.add(pb)...)
			continue
		}
		if ab.profile != nil {
			diags = append(diags, errorf(pb.DefRange, "Duplicate profile block",
				"An account block has at most one profile block, and this account already has one at %s. Hint: merge the two into one.", posString(ab.profile.declRange)))
			continue
		}
		p, pDiags := decodeProfileBlock(pb)
		diags = append(diags, pDiags...)
		ab.profile = p
	}
	return ab, diags
}

// expand evaluates the block: one Account, or one per for_each key in key
// order.
func (ab *accountBlock) expand(s *scope) ([]*Account, hcl.Diagnostics) {
	fe, hasForEach := ab.attrs["for_each"]
	if !hasForEach {
		a, diags := ab.instance(s, "")
		return []*Account{a}, diags
	}
	instances, ctx, diags := s.evalForEach(fe.Expr)
	if diags.HasErrors() {
		return nil, diags
	}
	for _, inst := range instances {
		if inst.key == "" {
			return nil, append(diags, valueError(fe.Expr, ctx, "Invalid for_each argument",
				"for_each has an empty key; each instance needs a name for its address account.<name>[\"<key>\"] and its token variable. Hint: remove the empty key."))
		}
	}
	var out []*Account
	for _, inst := range instances {
		a, instDiags := ab.instance(s.withEach(inst.key, inst.value), inst.key)
		diags = append(diags, instDiags...)
		out = append(out, a)
	}
	return out, diags
}

type instance struct {
	key   string
	value cty.Value
}

// forEachInstances reads for_each: a map (or object), or a set of strings.
func forEachInstances(val cty.Value, expr hcl.Expression, ctx *hcl.EvalContext) ([]instance, hcl.Diagnostics) {
	if !val.IsWhollyKnown() {
		return nil, nil // an error upstream was already reported
	}
	const want = "for_each must be a map or a set of strings"
	if val.IsNull() {
		return nil, hcl.Diagnostics{valueError(expr, ctx, "Invalid for_each argument", "%s; got null. Hint: use for_each = {} or toset([]) for no instances.", want)}
	}
	ty := val.Type()
	var out []instance
	switch {
	case ty.IsSetType():
		if val.LengthInt() == 0 {
			// toset([]) is a set of unknown element type: no instances.
			return nil, nil
		}
		if ty.ElementType() != cty.String {
			return nil, hcl.Diagnostics{valueError(expr, ctx, "Invalid for_each argument",
				"%s; got a set of %s. Hint: convert the elements, e.g. toset([for x in ... : tostring(x)]).", want, ty.ElementType().FriendlyName())}
		}
		for it := val.ElementIterator(); it.Next(); {
			_, v := it.Element()
			if v.IsNull() {
				return nil, hcl.Diagnostics{valueError(expr, ctx, "Invalid for_each argument", "%s; the set contains null. Hint: remove it, e.g. with compact(...).", want)}
			}
			out = append(out, instance{key: v.AsString(), value: v})
		}
	case ty.IsMapType(), ty.IsObjectType():
		for it := val.ElementIterator(); it.Next(); {
			k, v := it.Element()
			out = append(out, instance{key: k.AsString(), value: v})
		}
	case ty.IsListType(), ty.IsTupleType():
		return nil, hcl.Diagnostics{valueError(expr, ctx, "Invalid for_each argument",
			"%s; got a list, whose items have no keys. Hint: wrap it in toset(...), e.g. for_each = toset([\"rain\", \"snow\"]).", want)}
	default:
		return nil, hcl.Diagnostics{valueError(expr, ctx, "Invalid for_each argument", "%s; got %s. Hint: e.g. for_each = toset([\"rain\", \"snow\"]).", want, describeValue(val))}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out, nil
}

// instance evaluates the block for one for_each key ("" without for_each).
func (ab *accountBlock) instance(s *scope, key string) (*Account, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	a := &Account{Label: ab.label, Key: key, DeclRange: ab.block.DefRange}
	// user_list.NAME and drive_file["PATH"] can be used anywhere in the
	// account block.
	s = s.withUserLists(ab.resources.listNameList(), ab.resources.fileKeys())
	s = s.withNoteLabels(ab.resources.pinnedLabels(), ab.resources.scheduledLabels())
	if attr := ab.attrs["host"]; attr != nil {
		a.HostRange = attr.Expr.Range()
		raw, ctx, ok, d := s.evalString(attr, "host", `host = "misskey.example"`)
		diags = append(diags, d...)
		if ok {
			host, prob := normaliseHost(raw)
			if prob != nil {
				diags = append(diags, valueError(attr.Expr, ctx, prob.Summary, "%s", prob.Detail))
			}
			a.Host = host
		}
	}
	if attr := ab.attrs["username"]; attr != nil {
		a.UsernameRange = attr.Expr.Range()
		raw, ctx, ok, d := s.evalString(attr, "username", `username = "weatherbot"`)
		diags = append(diags, d...)
		if ok {
			user, detail := normaliseUsername(raw)
			if detail != "" {
				diags = append(diags, valueError(attr.Expr, ctx, "Invalid username", "%s", detail))
			}
			a.Username = user
		}
	}
	if ab.profile != nil {
		p, d := ab.profile.evaluate(s, hostOf(a.Host), a.Username)
		diags = append(diags, d...)
		a.Profile = p
	}
	purge, d := evaluatePurge(s, ab.attrs["purge"])
	diags = append(diags, d...)
	a.DeletionGuard, d = ab.guard.evaluate(s)
	diags = append(diags, d...)
	a.Purge = purge
	if attr := ab.attrs["purge"]; attr != nil {
		a.PurgeRange = attr.Expr.Range()
	}
	diags = append(diags, ab.resources.evaluate(s, a, ownAccount{host: hostOf(a.Host), username: a.Username})...)
	return a, diags
}

// evalString evaluates a required string attribute; ok is false when
// there is no usable string (after an error, reported in diags).
func (s *scope) evalString(attr *hcl.Attribute, name, example string) (string, *hcl.EvalContext, bool, hcl.Diagnostics) {
	val, ctx, diags := s.eval(attr.Expr)
	if diags.HasErrors() || !val.IsWhollyKnown() {
		return "", ctx, false, diags
	}
	str, ok := asString(val)
	if !ok {
		diags = append(diags, valueError(attr.Expr, ctx, "Incorrect attribute value type",
			"%s must be a string; got %s. Hint: write %s.", name, describeValue(val), example))
		return "", ctx, false, diags
	}
	return str, ctx, true, diags
}

// normaliseUsername strips one leading @ and checks Misskey's local
// username syntax; it returns a detail with a hint when that fails.
func normaliseUsername(raw string) (string, string) {
	u := strings.TrimPrefix(raw, "@")
	if usernamePattern.MatchString(u) {
		return u, ""
	}
	if strings.Contains(u, "@") {
		return "", fmt.Sprintf("username %q includes a server. Hint: write only the user name, username = %q, and the server in host.", raw, strings.SplitN(u, "@", 2)[0])
	}
	return "", fmt.Sprintf("username %q may contain only letters, digits and underscores (optionally with one leading @). Hint: copy it from the profile URL, https://<host>/@<username>.", raw)
}

// checkAccounts reports accounts that would clash once expanded: two
// addresses reading the same token variable, or two blocks managing the
// same account on the same server.
func checkAccounts(accounts []*Account) hcl.Diagnostics {
	var diags hcl.Diagnostics
	byEnv := map[string]*Account{}
	byTarget := map[string]*Account{}
	for _, a := range accounts {
		env := a.TokenEnvVar()
		if first, dup := byEnv[env]; dup {
			diags = append(diags, errorf(a.DeclRange, "Conflicting token variable",
				"%s and %s (at %s) would both read their token from %s. Hint: rename one of the accounts.",
				a.Address(), first.Address(), posString(first.DeclRange), env))
		} else {
			byEnv[env] = a
		}
		if a.Host == "" || a.Username == "" {
			continue
		}
		// Misskey user names are case-insensitive.
		target := a.Host + "/@" + strings.ToLower(a.Username)
		if first, dup := byTarget[target]; dup {
			diags = append(diags, errorf(a.UsernameRange, "Duplicate account",
				"%s and %s (at %s) both manage @%s on %s, so their changes would fight. Hint: keep one of them.",
				a.Address(), first.Address(), posString(first.DeclRange), a.Username, a.Host))
		} else {
			byTarget[target] = a
		}
	}
	return diags
}
