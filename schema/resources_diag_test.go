package schema

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// TestResourceDiagnostics covers the resource blocks of an account: each
// fixture in testdata/diag holds mistakes, and every one must be reported
// where it is written, with a hint.
func TestResourceDiagnostics(t *testing.T) {
	tests := []struct {
		dir  string
		want []wantDiag
	}{
		{dir: "resource_structure", want: []wantDiag{
			{"main.mk.hcl", 4, 3, "Unsupported block type", `Blocks of type "pinned_notes" are not expected in an account block. Did you mean "pinned_note"?`},
			{"main.mk.hcl", 5, 3, "Unsupported block type", `Did you mean "drive_folder"?`},
			{"main.mk.hcl", 6, 3, "Missing account for follow", `A follow block needs 1 label(s) (account). Hint: write e.g. follow "@alice@misskey.example" { ... }.`},
			{"main.mk.hcl", 7, 15, "Extraneous label for antenna", `An antenna block takes exactly 1 label(s) (name)`},
			{"main.mk.hcl", 10, 5, "Unsupported argument", `for_each is supported on follow blocks (and account blocks), not on pinned_note blocks. Hint:`},
			{"main.mk.hcl", 11, 5, "Unsupported argument", `Did you mean "local_only"?`},
			{"main.mk.hcl", 14, 7, "Unsupported argument", `create_before_destroy is not supported`},
			{"main.mk.hcl", 16, 5, "Duplicate lifecycle block", `A pinned_note block has at most one lifecycle block, and it already has one at testdata/diag/resource_structure/main.mk.hcl:12,5. Hint:`},
			{"main.mk.hcl", 19, 5, "Unsupported argument", `count is not supported in mkctl. Hint: to follow many accounts with one block, write for_each`},
			{"main.mk.hcl", 20, 5, "Unsupported argument", `Did you mean "with_replies"?`},
			{"main.mk.hcl", 22, 7, "Unsupported argument", `not expected in a lifecycle block. Did you mean "prevent_destroy"?`},
			{"main.mk.hcl", 26, 5, "Unsupported argument", `not expected in an antenna block. Did you mean "source"?`},
			{"main.mk.hcl", 28, 5, "Unsupported argument", `notify is not an antenna setting`},
			{"main.mk.hcl", 30, 3, "Missing required argument", `The argument "text" is required in a pinned_note block, but it is not set. Hint: add text = "Hello!"`},
		}},
		{dir: "pinned_note", want: []wantDiag{
			{"main.mk.hcl", 17, 15, "Invalid pinned_note name", `"bad label" is not a valid pinned_note name`},
			{"main.mk.hcl", 21, 15, "Duplicate pinned_note block", `This account already has a pinned_note "blank" at testdata/diag/pinned_note/main.mk.hcl:4,3. Hint:`},
			{"main.mk.hcl", 5, 12, "Empty note text", `text is empty or only white space`},
			{"main.mk.hcl", 8, 12, "Value too long", `text is 3001 characters long (after trimming white space at both ends, as Misskey does), but Misskey accepts at most 3000.`},
			{"main.mk.hcl", 9, 12, "Value too long", `cw is 101 characters long, but Misskey accepts at most 100. Characters are counted in Unicode code points (an emoji counts 1). Hint: shorten it by 1.`},
			{"main.mk.hcl", 12, 27, "Null value not allowed", `text cannot be null`},
			{"main.mk.hcl", 13, 27, "Unsupported value", `visibility = "specified" is not supported: a direct note needs a list of recipients`},
			{"main.mk.hcl", 14, 27, "Incorrect attribute value type", `local_only must be a bool (true or false); got the string "yes". Hint:`},
			{"main.mk.hcl", 15, 27, "Unsupported value", `(or null); got "likeonly". Did you mean "likeOnly"?`},
			{"main.mk.hcl", 19, 18, "Unsupported value", `visibility must be one of "public", "home", "followers"; got "publik". Did you mean "public"?`},
			// pinned_note "fits": 3000 emoji and a trailing line break are
			// within the limit; only its lifecycle is wrong.
			{"main.mk.hcl", 27, 25, "Incorrect attribute value type", `prevent_destroy must be a bool`},
		}},
		{dir: "follow", want: []wantDiag{
			{"main.mk.hcl", 16, 3, "Missing required argument", `The argument "account" is required in a follow block with for_each: the label "group" then names the group`},
			{"main.mk.hcl", 19, 10, "Invalid follow name", `Since account is set, the label "@dave@other.example" is a name for this block`},
			{"main.mk.hcl", 12, 16, "Incorrect attribute value type", `notify must be a bool (true or false); got the string "normal"`},
			{"main.mk.hcl", 11, 16, "Invalid account address", `account names the account to follow: "bad name" contains spaces`},
			{"main.mk.hcl", 11, 16, "Duplicate follow", `@Alice@other.example (for_each key "@Alice@OTHER.example") is already followed by the follow block at testdata/diag/follow/main.mk.hcl:8,3. Hint:`},
			{"main.mk.hcl", 14, 10, "Invalid account address", `The label of a follow block names the account to follow: "https://other.example/@bob" is a URL`},
			{"main.mk.hcl", 15, 10, "Cannot follow yourself", `@WeatherBot is this account itself`},
			{"main.mk.hcl", 23, 15, "Null value not allowed", `account cannot be null`},
			{"main.mk.hcl", 26, 16, "Invalid for_each argument", `got a list, whose items have no keys`},
			// "b.c@other.example" (line 29) is fine: remote user names may have dots.
			{"main.mk.hcl", 30, 10, "Invalid account address", `the user name "b.c" of a user of this server may contain only letters, digits and underscores`},
			{"main.mk.hcl", 31, 10, "Duplicate follow", `@carol@other.example is already followed by the follow block at testdata/diag/follow/main.mk.hcl:9,3 (for_each key "@carol@other.example")`},
		}},
		{dir: "drive_folder", want: []wantDiag{
			{"main.mk.hcl", 4, 16, "Invalid drive_folder name", `The folder name "assets/icons" contains "/"`},
			{"main.mk.hcl", 9, 5, "Unsupported argument", `a folder's name is its label`},
			{"main.mk.hcl", 8, 18, "Invalid drive_folder name", `A drive_folder name cannot be empty`},
			{"main.mk.hcl", 7, 18, "Duplicate drive_folder block", `The folder "assets/icons" is already declared at testdata/diag/drive_folder/main.mk.hcl:6,5.`},
			// 128 characters (line 12) fit.
			{"main.mk.hcl", 11, 16, "Invalid drive_folder name", `The drive_folder name is 129 characters long, but Misskey's database accepts at most 128`},
			{"main.mk.hcl", 13, 16, "Duplicate drive_folder block", `The folder "assets" is already declared at testdata/diag/drive_folder/main.mk.hcl:5,3.`},
			{"main.mk.hcl", 15, 5, "Unsupported argument", `for_each is supported on follow blocks (and account blocks), not on drive_folder blocks`},
		}},
		{dir: "antenna", want: []wantDiag{
			{"main.mk.hcl", 43, 11, "Duplicate antenna block", `This account already has an antenna "nothing" at testdata/diag/antenna/main.mk.hcl:7,3.`},
			{"main.mk.hcl", 46, 11, "Invalid antenna name", `The antenna name is 101 characters long, but Misskey accepts at most 100.`},
			{"main.mk.hcl", 7, 3, "Antenna without keywords", `(EMPTY_KEYWORD). Hint: add one, e.g. keywords = [["storm"], ["typhoon", "warning"]]. An antenna meant to receive all notes from some users still needs a keyword or an exclude keyword`},
			{"main.mk.hcl", 9, 35, "Empty keyword", `keywords[0][1] is an empty string`},
			{"main.mk.hcl", 9, 40, "Empty keyword", `keywords[1] is an empty group`},
			{"main.mk.hcl", 9, 44, "Empty keyword", `keywords[2] is empty or only spaces`},
			{"main.mk.hcl", 10, 29, "Incorrect attribute value type", `exclude_keywords[0][1] must be a string; got the bool true`},
			{"main.mk.hcl", 14, 16, "Users without a users source", `but source is "all". Hint: set source = "users", or remove users.`},
			{"main.mk.hcl", 16, 3, "Missing user list", `so user_list is required. The user lists of this account are "friends", "family". Hint: add user_list = user_list.friends.`},
			{"main.mk.hcl", 22, 17, "User list without the list source", `user_list is used only when source = "list", but source is "all"`},
			{"main.mk.hcl", 27, 17, "Unsupported attribute", `This object does not have an attribute named "frends": the account has no user_list block of that name. Did you mean "friends"? The user lists of this account are "friends", "family". Hint:`},
			{"main.mk.hcl", 32, 17, "Unknown user list", `user_list is "famly", but this account has no user_list block of that name. Did you mean "family"?`},
			{"main.mk.hcl", 35, 16, "Unsupported value", `got "user". Did you mean "users"?`},
			{"main.mk.hcl", 36, 16, "Incorrect attribute value type", `keywords must be a list of keyword groups; got the string "storm"`},
			{"main.mk.hcl", 41, 25, "Duplicate account address", `users[1] (@BOB@misskey.example) is the same account as users[0]`},
			{"main.mk.hcl", 41, 49, "Invalid account address", `users[2]: "not valid" contains spaces`},
			{"main.mk.hcl", 48, 20, "Incorrect attribute value type", `with_file must be a bool (true or false); got the number 1`},
			{"main.mk.hcl", 52, 24, "Antenna without keywords", `antenna "explicit empty" has no keyword`},
		}},
		{dir: "user_list", want: []wantDiag{
			{"main.mk.hcl", 7, 13, "Duplicate user_list block", `This account already has a user_list "friends" at testdata/diag/user_list/main.mk.hcl:4,3.`},
			{"main.mk.hcl", 8, 13, "Invalid user_list name", `A user_list name cannot be empty`},
			{"main.mk.hcl", 13, 5, "Unsupported argument", `a list's name is its label`},
			{"main.mk.hcl", 14, 5, "Unsupported argument", `Did you mean "members"?`},
			{"main.mk.hcl", 5, 73, "Incorrect attribute value type", `members[3] must be a string; got the bool true`},
			{"main.mk.hcl", 5, 40, "Duplicate account address", `members[1] (@Alice@other.example) is the same account as members[0]`},
			{"main.mk.hcl", 5, 64, "Invalid account address", `members[2]: "@bob@" ends with @ but has no host`},
			{"main.mk.hcl", 5, 79, "Invalid account address", `members[4]: "al ice" contains spaces`},
			{"main.mk.hcl", 10, 15, "Incorrect attribute value type", `members must be a list of strings; got the string "@alice"`},
		}},
		{dir: "purge", want: []wantDiag{
			{"main.mk.hcl", 4, 15, "Unsupported value", `purge[0] is "follow", which is not a collection mkctl manages; the collections are "pinned_notes", "follows", "drive_folders", "drive_files", "antennas", "user_lists", "webhooks", "clips", "blocks", "mutes", "renote_mutes"`},
			{"main.mk.hcl", 4, 25, "Unsupported value", `purge[1] is "notes"`},
			{"main.mk.hcl", 10, 14, "Incorrect attribute value type", `purge must be a list of strings; got the string "follows"`},
		}},
		{dir: "user_list_refs", want: []wantDiag{
			{"main.mk.hcl", 2, 10, `Reference to "user_list" outside an account block`, `so it can be used only inside that account block. Hint:`},
			{"main.mk.hcl", 11, 17, "Invalid reference", `user_list is not a value by itself. This account declares no user_list blocks.`},
			// a list of another account is not visible
			{"main.mk.hcl", 16, 17, "Unsupported attribute", `This object does not have an attribute named "friends": the account declares no user_list blocks. Hint:`},
			{"main.mk.hcl", 25, 12, "Unknown variable", `Did you mean user_list.friends?`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			cfg, _, diags := Load(filepath.Join("testdata", "diag", tt.dir), LoadOptions{})
			if cfg != nil {
				t.Errorf("Load returned a config despite errors")
			}
			assertDiags(t, diags, tt.want)
			for _, d := range diags {
				if d.Subject == nil || d.Summary == "" || !strings.Contains(d.Detail, "Hint:") && !strings.Contains(d.Detail, "Did you mean") {
					t.Errorf("diagnostic without subject, summary or hint: %s", diagString(d))
				}
			}
		})
	}
}

// TestFollowForEachDiagnosticContext: a mistake in one instance of a
// follow's for_each names the key when printed, like an account's.
func TestFollowForEachDiagnosticContext(t *testing.T) {
	l := NewLoader()
	_, diags := l.Load("testdata/diag/follow", LoadOptions{})
	var d *hcl.Diagnostic
	for _, x := range diags {
		if strings.Contains(x.Detail, `"bad name" contains spaces`) {
			d = x
		}
	}
	if d == nil {
		t.Fatalf("no diagnostic for \"bad name\": %v", diags)
	}
	var buf strings.Builder
	if err := hcl.NewDiagnosticTextWriter(&buf, l.Files(), 100, false).WriteDiagnostic(d); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `with each.key as "bad name"`) {
		t.Errorf("rendered diagnostic does not show each.key:\n%s", buf.String())
	}
}
