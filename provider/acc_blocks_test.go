package provider

import (
	"slices"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/acctest"
	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// TestAccBlocksMutes: on the real server, a block, a mute with an expiry
// and a renote mute are applied, read back as they were declared (the
// expiry to the millisecond: mkctl sends epoch milliseconds), plan "no
// changes"; the block ended the follows both ways; a changed expiry is
// unmute + mute; removed from the configuration they are deleted, and a
// block made by hand is left alone.
func TestAccBlocksMutes(t *testing.T) {
	srv := acctest.Connect(t)
	ctx := accCtx(t)
	u := srv.NewUser(t, "blk")
	others := srv.NewUsers(t, "blkee", 4)
	blockee, mutee, rmutee, byHand := others[0], others[1], others[2], others[3]
	// Follows both ways, which the block must end.
	if err := srv.CallJSON(ctx, u.NativeToken, "following/create", map[string]any{"userId": blockee.ID}, nil); err != nil {
		t.Fatal(err)
	}
	if err := srv.CallJSON(ctx, blockee.NativeToken, "following/create", map[string]any{"userId": u.ID}, nil); err != nil {
		t.Fatal(err)
	}
	if err := srv.CallJSON(ctx, u.NativeToken, "blocking/create", map[string]any{"userId": byHand.ID}, nil); err != nil {
		t.Fatal(err)
	}
	c := accClient(t, srv, u.MiAuth(t, mkctlPermissions...))
	expires := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	acct := account(func(a *schema.Account) {
		a.Username = u.Username
		a.Host = srv.URL
		a.Blocks = []*schema.UserRelation{{Kind: "block", Acct: "@" + blockee.Username}}
		a.Mutes = []*schema.UserRelation{{Kind: "mute", Acct: "@" + mutee.Username, ExpiresAt: &expires}}
		a.RenoteMutes = []*schema.UserRelation{{Kind: "renote_mute", Acct: "@" + rmutee.Username}}
	})

	_, ap := planReal(t, ctx, c, acct)
	want := []string{"create block " + relKey("block", blockee), "create mute " + relKey("mute", mutee), "create renote_mute " + relKey("renote_mute", rmutee)}
	if got := changesOf(ap); !slices.Equal(got, want) {
		t.Fatalf("first plan %v, want %v", got, want)
	}
	if _, err := Apply(ctx, c, ap, nil); err != nil {
		t.Fatalf("apply: %v", err)
	}
	live, ap := planReal(t, ctx, c, acct)
	if got := changesOf(ap); len(got) != 0 {
		t.Fatalf("plan after apply: %v, want no changes", got)
	}
	if len(live.Blocks) != 2 || len(live.Mutes) != 1 || len(live.RenoteMutes) != 1 {
		t.Fatalf("live blocks %v mutes %v renote mutes %v", live.Blocks, live.Mutes, live.RenoteMutes)
	}
	if m := live.Mutes[0]; m.ExpiresAt == nil || !m.ExpiresAt.Equal(expires) {
		t.Errorf("mute expires %v, want %v", m.ExpiresAt, expires)
	}
	var rel map[string]any
	if err := srv.CallJSON(ctx, u.NativeToken, "users/show", map[string]any{"userId": blockee.ID}, &rel); err != nil {
		t.Fatal(err)
	}
	if rel["isFollowing"] != false || rel["isFollowed"] != false || rel["isBlocking"] != true {
		t.Errorf("after the block: isFollowing %v isFollowed %v isBlocking %v", rel["isFollowing"], rel["isFollowed"], rel["isBlocking"])
	}

	// A new expiry: unmute and mute again.
	later := expires.Add(24 * time.Hour)
	acct.Mutes[0].ExpiresAt = &later
	_, ap = planReal(t, ctx, c, acct)
	if got := changesOf(ap); !slices.Equal(got, []string{"update mute " + relKey("mute", mutee)}) {
		t.Fatalf("expiry plan %v", got)
	}
	if _, err := Apply(ctx, c, ap, nil); err != nil {
		t.Fatalf("apply expiry: %v", err)
	}
	live, ap = planReal(t, ctx, c, acct)
	if got := changesOf(ap); len(got) != 0 || live.Mutes[0].ExpiresAt == nil || !live.Mutes[0].ExpiresAt.Equal(later) {
		t.Fatalf("after the expiry change: plan %v, mute %v", got, live.Mutes)
	}

	// Removed from the configuration: mkctl's are deleted, the hand-made block stays.
	acct.Blocks, acct.Mutes, acct.RenoteMutes = nil, nil, nil
	_, ap = planReal(t, ctx, c, acct)
	want = []string{"delete block " + relKey("block", blockee), "delete mute " + relKey("mute", mutee), "delete renote_mute " + relKey("renote_mute", rmutee)}
	if got := changesOf(ap); !slices.Equal(got, want) {
		t.Fatalf("removal plan %v, want %v", got, want)
	}
	if _, err := Apply(ctx, c, ap, nil); err != nil {
		t.Fatalf("apply removal: %v", err)
	}
	var blocks []map[string]any
	if err := srv.CallJSON(ctx, u.NativeToken, "blocking/list", map[string]any{}, &blocks); err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 1 || blocks[0]["blockeeId"] != byHand.ID {
		t.Errorf("blocks left: %v, want only the hand-made block of %s", blocks, byHand.ID)
	}
	var mutes []map[string]any
	if err := srv.CallJSON(ctx, u.NativeToken, "mute/list", map[string]any{}, &mutes); err != nil {
		t.Fatal(err)
	}
	if len(mutes) != 0 {
		t.Errorf("mutes left: %v", mutes)
	}
}

func relKey(kind string, u *acctest.User) string {
	return kind + `["@` + u.Username + `"]`
}

var _ = planner.TypeBlock
