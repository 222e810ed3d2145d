package schema

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// maxFolderName is the length of Misskey's drive_folder.name column. The
// API itself accepts 200 characters, but a name of 129 to 200 fails in the
// database with an internal error (API-NOTES §4).
const maxFolderName = 128

var driveFolderDesc = bodyDesc{
	What: "a drive_folder block",
	Schema: &hcl.BodySchema{
		Blocks: []hcl.BlockHeaderSchema{
			{Type: "drive_folder", LabelNames: []string{"name"}},
			{Type: "drive_file", LabelNames: []string{"name"}},
			{Type: "lifecycle"},
		},
	},
	Aliases: map[string]string{
		"folder":  "drive_folder",
		"folders": "drive_folder",
		"file":    "drive_file",
		"files":   "drive_file",
		"image":   "drive_file",
	},
	Refused: map[string]string{
		"for_each": "for_each is supported on follow blocks (and account blocks), not on drive_folder blocks. Hint: write one drive_folder block per folder; nest blocks for subfolders.",
		"count":    "count is not supported in mkctl. Hint: write one drive_folder block per folder; nest blocks for subfolders.",
		"name":     "a folder's name is its label: drive_folder \"assets\" { ... }. Hint: remove name and put the name in the label.",
		"parent":   "a folder's parent is the drive_folder block it is written in. Hint: remove parent and nest this block inside its parent's block.",
	},
}

// driveFolderBlock is a checked drive_folder block.
type driveFolderBlock struct {
	*resource
	name, path, parent string
	// badName: the name was reported as invalid, so its path is
	// meaningless and is not checked for duplicates.
	badName bool
}

// decodeDriveFolder checks a drive_folder block and, recursively, the
// blocks nested in it, appending the folders to out parents first and the
// files to files, in declaration order. badParent: a parent's name was
// invalid, so this folder's path is meaningless too.
func decodeDriveFolder(block *hcl.Block, parent string, badParent bool, out *[]*driveFolderBlock, files *[]*driveFileBlock) hcl.Diagnostics {
	name := block.Labels[0]
	diags := checkFolderName(block)
	badName := diags.HasErrors()
	badPath := badName || badParent
	r, children, d := decodeResource(block, driveFolderDesc)
	diags = append(diags, d...)
	path := name
	if parent != "" {
		path = parent + "/" + name
	}
	*out = append(*out, &driveFolderBlock{resource: r, name: name, path: path, parent: parent, badName: badName})
	for _, child := range children {
		if child.Type == "drive_file" {
			fb, d := decodeDriveFile(child, path, badPath)
			diags = append(diags, d...)
			*files = append(*files, fb)
			continue
		}
		diags = append(diags, decodeDriveFolder(child, path, badPath, out, files)...)
	}
	return diags
}

func checkFolderName(block *hcl.Block) hcl.Diagnostics {
	name := block.Labels[0]
	if strings.Contains(name, "/") {
		parts := strings.Split(name, "/")
		return hcl.Diagnostics{errorf(block.LabelRanges[0], "Invalid drive_folder name",
			"The folder name %q contains \"/\", which mkctl uses to separate the folders of a path. Hint: for a subfolder, nest the blocks: drive_folder %q { drive_folder %q { ... } }.",
			name, parts[0], parts[len(parts)-1])}
	}
	return checkNameLabel(block, "drive_folder", maxFolderName,
		"Misskey's database accepts at most 128 (the API's own limit of 200 is not the real one: a longer name fails with an internal error)")
}

// evaluate computes the folder; only its lifecycle is evaluated.
func (fb *driveFolderBlock) evaluate(s *scope) (*DriveFolder, hcl.Diagnostics) {
	lc, diags := fb.lifecycle.evaluate(s)
	return &DriveFolder{
		Name:      fb.name,
		Path:      fb.path,
		Parent:    fb.parent,
		Lifecycle: lc,
		DeclRange: fb.block.DefRange,
	}, diags
}
