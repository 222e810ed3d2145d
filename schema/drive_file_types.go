package schema

import "github.com/hashicorp/hcl/v2"

// Types of issue 11 (images and files), shared by schema, planner and
// provider. The decoding lives in drive_file.go and profile_images.go.

// FileSource is a file of the repository that mkctl uploads. Its bytes are
// read once, streamed, when the configuration is loaded (to know their md5,
// size and type); the upload opens the file again and streams it.
type FileSource struct {
	Path string // as written, relative to the configuration directory ("images/logo.png")
	Abs  string // the absolute path the upload opens
	MD5  string // 32 lowercase hex characters, as Misskey reports md5
	Size int64  // bytes
	// Type is the MIME type Misskey will detect from the bytes (it sniffs
	// the content and ignores the name), "application/octet-stream" when
	// it would not recognise them.
	Type  string
	Range hcl.Range // the expression that names the file
}

// DriveFile is a `drive_file "NAME"` block: in a drive_folder block, or
// directly in the account block for the drive's root. A file is identified
// by its folder path and name; its content by md5.
type DriveFile struct {
	Name        string // the label: 1..200 characters, no "/", "\" or ".." (INVALID_FILE_NAME)
	Folder      string // the folder's Path, "" for the root
	Source      FileSource
	Comment     *string // alt text, at most 512 characters; nil: none
	IsSensitive bool
	Lifecycle   Lifecycle
	DeclRange   hcl.Range
}

// Key is the file's drive path: "media/logo.png", "logo.png" at the root.
// Pinned notes refer to files by it.
func (f *DriveFile) Key() string {
	if f.Folder == "" {
		return f.Name
	}
	return f.Folder + "/" + f.Name
}

// Decl is the block's declaration range.
func (f *DriveFile) Decl() hcl.Range { return f.DeclRange }

// ProfileImage is the avatar or banner attribute of a profile block.
type ProfileImage struct {
	Source *FileSource // nil: cleared (null)
	Range  hcl.Range   // the attribute's expression
}
