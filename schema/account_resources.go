package schema

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// resource is what every resource block has once its structure is
// checked: its arguments (evaluated per instance) and its lifecycle.
type resource struct {
	block     *hcl.Block
	attrs     hcl.Attributes
	lifecycle *lifecycleBlock
}

// decodeResource checks a resource block's body against desc and returns
// its nested blocks other than lifecycle (drive_folder children).
func decodeResource(block *hcl.Block, desc bodyDesc) (*resource, []*hcl.Block, hcl.Diagnostics) {
	content, diags := decodeBody(block.Body, desc, block.DefRange)
	var lifecycles, others []*hcl.Block
	for _, b := range content.Blocks {
		if b.Type == "lifecycle" {
			lifecycles = append(lifecycles, b)
		} else {
			others = append(others, b)
		}
	}
	lc, d := decodeLifecycle(lifecycles, article(block.Type)+" "+block.Type+" block")
	diags = append(diags, d...)
	return &resource{block: block, attrs: content.Attributes, lifecycle: lc}, others, diags
}

// resourceBlocks are the checked resource blocks of one account block, each
// kind in declaration order.
type resourceBlocks struct {
	pinnedNotes []*pinnedNoteBlock
	follows     []*followBlock
	folders     []*driveFolderBlock // flattened, parents before children
	files       []*driveFileBlock   // in the account and in folders, in declaration order
	antennas    []*antennaBlock
	userLists   []*userListBlock
	webhooks    []*webhookBlock
	clips       []*clipBlock
	relations   []*relationBlock // block, mute and renote_mute blocks (block.go)
	scheduled   []*scheduledNoteBlock

	// firstDecl is the first block declaring each natural key ("kind key"),
	// for duplicate diagnostics
	firstDecl map[string]*hcl.Block
}

// claim records b as declaring the natural key of a kind; for a duplicate
// it returns where the first declaration is.
func (rb *resourceBlocks) claim(kind, key string, b *hcl.Block) (first string, dup bool) {
	if rb.firstDecl == nil {
		rb.firstDecl = map[string]*hcl.Block{}
	}
	k := kind + " " + key
	if f, ok := rb.firstDecl[k]; ok {
		return posString(f.DefRange), true
	}
	rb.firstDecl[k] = b
	return "", false
}

// resourceBlockTypes are the block types of an account besides profile.
var resourceBlockTypes = []hcl.BlockHeaderSchema{
	{Type: "pinned_note", LabelNames: []string{"name"}},
	{Type: "follow", LabelNames: []string{"account"}},
	{Type: "drive_folder", LabelNames: []string{"name"}},
	{Type: "drive_file", LabelNames: []string{"name"}},
	{Type: "antenna", LabelNames: []string{"name"}},
	{Type: "user_list", LabelNames: []string{"name"}},
	{Type: "webhook", LabelNames: []string{"name"}},
	{Type: "clip", LabelNames: []string{"name"}},
	{Type: "block", LabelNames: []string{"account"}},
	{Type: "mute", LabelNames: []string{"account"}},
	{Type: "renote_mute", LabelNames: []string{"account"}},
	{Type: "scheduled_note", LabelNames: []string{"name"}},
}

// add checks one resource block of the account. Natural keys that are
// labels (note labels, folder paths, antenna and list names) do not depend
// on evaluation, so their duplicates are reported here, once per block.
func (rb *resourceBlocks) add(block *hcl.Block) hcl.Diagnostics {
	switch block.Type {
	case "pinned_note":
		pb, diags := decodePinnedNote(block)
		if first, dup := rb.claim(block.Type, pb.label, block); dup {
			return append(diags, errorf(block.LabelRanges[0], "Duplicate pinned_note block",
				"This account already has a pinned_note %q at %s. Hint: labels of pinned_note blocks must be unique within an account; rename one.", pb.label, first))
		}
		rb.pinnedNotes = append(rb.pinnedNotes, pb)
		return diags
	case "scheduled_note":
		sb, diags := decodeScheduledNote(block)
		if first, dup := rb.claim(block.Type, sb.note.label, block); dup {
			return append(diags, errorf(block.LabelRanges[0], "Duplicate scheduled_note block",
				"This account already has a scheduled_note %q at %s. Hint: labels of scheduled_note blocks must be unique within an account; rename one.", sb.note.label, first))
		}
		rb.scheduled = append(rb.scheduled, sb)
		return diags
	case "follow":
		fb, diags := decodeFollow(block)
		rb.follows = append(rb.follows, fb)
		return diags
	case "block", "mute", "renote_mute":
		rel, diags := decodeRelation(block)
		rb.relations = append(rb.relations, rel)
		return diags
	case "drive_file":
		fb, diags := decodeDriveFile(block, "", false)
		return append(diags, rb.addFile(fb)...)
	case "drive_folder":
		var folders []*driveFolderBlock
		var files []*driveFileBlock
		diags := decodeDriveFolder(block, "", false, &folders, &files)
		for _, f := range folders {
			if f.badName {
				rb.folders = append(rb.folders, f)
				continue
			}
			if first, dup := rb.claim(block.Type, f.path, f.block); dup {
				diags = append(diags, errorf(f.block.LabelRanges[0], "Duplicate drive_folder block",
					"The folder %q is already declared at %s. Misskey allows two folders of the same name side by side, but mkctl finds folders by their path and could not tell them apart. Hint: rename one, or merge the two blocks.", f.path, first))
				continue
			}
			rb.folders = append(rb.folders, f)
		}
		for _, fb := range files {
			diags = append(diags, rb.addFile(fb)...)
		}
		return diags
	case "antenna":
		ab, diags := decodeAntenna(block)
		if first, dup := rb.claim(block.Type, ab.name, block); dup {
			return append(diags, errorf(block.LabelRanges[0], "Duplicate antenna block",
				"This account already has an antenna %q at %s. Misskey allows two antennas of the same name, but mkctl finds antennas by name and could not tell them apart. Hint: rename one.", ab.name, first))
		}
		rb.antennas = append(rb.antennas, ab)
		return diags
	case "user_list":
		lb, diags := decodeUserList(block)
		if first, dup := rb.claim(block.Type, lb.name, block); dup {
			return append(diags, errorf(block.LabelRanges[0], "Duplicate user_list block",
				"This account already has a user_list %q at %s. Misskey allows two lists of the same name, but mkctl finds lists by name and could not tell them apart. Hint: rename one.", lb.name, first))
		}
		rb.userLists = append(rb.userLists, lb)
		return diags
	case "webhook":
		wb, diags := decodeWebhook(block)
		if first, dup := rb.claim(block.Type, wb.name, block); dup {
			return append(diags, errorf(block.LabelRanges[0], "Duplicate webhook block",
				"This account already has a webhook %q at %s. Misskey allows two webhooks of the same name, but mkctl finds webhooks by name and could not tell them apart. Hint: rename one.", wb.name, first))
		}
		rb.webhooks = append(rb.webhooks, wb)
		return diags
	case "clip":
		cb, diags := decodeClip(block)
		if first, dup := rb.claim(block.Type, cb.name, block); dup {
			return append(diags, errorf(block.LabelRanges[0], "Duplicate clip block",
				"This account already has a clip %q at %s. Misskey allows two clips of the same name, but mkctl finds clips by name and could not tell them apart. Hint: rename one.", cb.name, first))
		}
		rb.clips = append(rb.clips, cb)
		return diags
	}
	return nil
}

// addFile records a drive_file block, unless another declares its path.
func (rb *resourceBlocks) addFile(fb *driveFileBlock) hcl.Diagnostics {
	if !fb.badPath {
		if first, dup := rb.claim("drive_file", fb.key(), fb.block); dup {
			return hcl.Diagnostics{errorf(fb.block.LabelRanges[0], "Duplicate drive_file block",
				"The file %q is already declared at %s. Misskey allows two files of the same name in a folder, but mkctl finds files by their path and could not tell them apart. Hint: rename one, or remove one of the blocks.", fb.key(), first)}
		}
	}
	rb.files = append(rb.files, fb)
	return nil
}

// fileKeys is the drive paths of the declared files, in declaration order.
func (rb *resourceBlocks) fileKeys() []string {
	keys := make([]string, 0, len(rb.files))
	for _, f := range rb.files {
		if !f.badPath {
			keys = append(keys, f.key())
		}
	}
	return keys
}

// listNameList is the declared user list names, in declaration order.
func (rb *resourceBlocks) listNameList() []string {
	names := make([]string, len(rb.userLists))
	for i, l := range rb.userLists {
		names[i] = l.name
	}
	return names
}

// ownAccount is what resource blocks need to know of their account.
type ownAccount struct {
	host     string // host[:port], as in accts; "" when host is invalid
	username string // "" when username is invalid
}

// evaluate fills a's resources for one account instance.
func (rb *resourceBlocks) evaluate(s *scope, a *Account, own ownAccount) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, pb := range rb.pinnedNotes {
		n, d := pb.evaluate(s)
		diags = append(diags, d...)
		a.PinnedNotes = append(a.PinnedNotes, n)
	}

	// Follows are keyed by the account followed, which is known only
	// after evaluation (for_each, account = …), so duplicates are found
	// here. Misskey resolves user names case-insensitively.
	seen := make(map[string]*Follow)
	for _, fb := range rb.follows {
		fs, d := fb.expand(s, own)
		diags = append(diags, d...)
		for _, f := range fs {
			key := strings.ToLower(f.Acct)
			if first, dup := seen[key]; dup {
				diags = append(diags, errorf(f.AcctRange, "Duplicate follow",
					"%s%s is already followed by the follow block at %s%s. Hint: follow each account once; remove one of them (user names are compared ignoring case).",
					f.Acct, f.describeKey(), posString(first.DeclRange), first.describeKey()))
				continue
			}
			seen[key] = f
			a.Follows = append(a.Follows, f)
		}
	}

	diags = append(diags, rb.evaluateRelations(s, a, own)...)

	for _, fb := range rb.folders {
		f, d := fb.evaluate(s)
		diags = append(diags, d...)
		a.DriveFolders = append(a.DriveFolders, f)
	}
	for _, fb := range rb.files {
		f, d := fb.evaluate(s)
		diags = append(diags, d...)
		a.DriveFiles = append(a.DriveFiles, f)
	}
	for _, lb := range rb.userLists {
		l, d := lb.evaluate(s, own)
		diags = append(diags, d...)
		a.UserLists = append(a.UserLists, l)
	}
	lists := rb.listNameList()
	for _, ab := range rb.antennas {
		an, d := ab.evaluate(s, lists, own)
		diags = append(diags, d...)
		a.Antennas = append(a.Antennas, an)
	}
	for _, wb := range rb.webhooks {
		w, d := wb.evaluate(s)
		diags = append(diags, d...)
		a.Webhooks = append(a.Webhooks, w)
	}
	for _, sb := range rb.scheduled {
		n, d := sb.evaluate(s)
		diags = append(diags, d...)
		a.ScheduledNotes = append(a.ScheduledNotes, n)
	}
	for _, cb := range rb.clips {
		c, d := cb.evaluate(s)
		diags = append(diags, d...)
		a.Clips = append(a.Clips, c)
	}
	return diags
}
