package emulator

import (
	"slices"
	"time"
)

// i/registry/* — ep/i/registry/*, core/RegistryApiService.ts: a key–value
// store per user, domain and scope. A third-party token always works in its
// own domain, the access token's id (the domain parameter is ignored); a
// native token uses the domain parameter, null by default — the domain the
// web client shares.
func init() {
	register("i/registry/get", nil, handleRegistryGet)
	register("i/registry/get-detail", nil, handleRegistryGetDetail)
	register("i/registry/set", nil, handleRegistrySet)
	register("i/registry/remove", nil, handleRegistryRemove)
	register("i/registry/keys", nil, handleRegistryKeys)
}

// RegistryItem is a registry_item row.
type RegistryItem struct {
	ID        string    `json:"id"`
	UserID    string    `json:"userId"`
	Domain    *string   `json:"domain"`
	Scope     []string  `json:"scope"`
	Key       string    `json:"key"`
	Value     any       `json:"value"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

var (
	errRegistryNoSuchKey       = clientError("NO_SUCH_KEY", "ac3ed68a-62f0-422b-a7bc-d5e09e8f6a6a", "No such key.")
	errRegistryDetailNoSuchKey = clientError("NO_SUCH_KEY", "97a1e8e7-c0f7-47d2-957a-92e61256e01a", "No such key.")
)

// registryDomain is `accessToken != null ? accessToken.id : (ps.domain ?? null)`.
func (c *call) registryDomain() *string {
	if c.token != nil {
		id := c.token.ID
		return &id
	}
	return c.optStr("domain")
}

func (c *call) registryScope() []string { return c.strings("scope") }

func sameDomain(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// registryItems lists the caller's items in a domain and scope, in the
// order they were created.
func (c *call) registryItems() []*RegistryItem {
	domain, scope := c.registryDomain(), c.registryScope()
	var out []*RegistryItem
	for _, it := range c.e.st.Registry {
		if it.UserID == c.me.ID && sameDomain(it.Domain, domain) && slices.Equal(it.Scope, scope) {
			out = append(out, it)
		}
	}
	return out
}

func (c *call) registryItem() *RegistryItem {
	key, _ := c.str("key")
	for _, it := range c.registryItems() {
		if it.Key == key {
			return it
		}
	}
	return nil
}

// handleRegistryGet returns the raw value; a stored null is nil, which the
// server answers with 204 and no body.
func handleRegistryGet(c *call) (any, *apiError) {
	it := c.registryItem()
	if it == nil {
		return nil, errRegistryNoSuchKey
	}
	return cloneJSON(it.Value), nil
}

func handleRegistryGetDetail(c *call) (any, *apiError) {
	it := c.registryItem()
	if it == nil {
		return nil, errRegistryDetailNoSuchKey
	}
	return map[string]any{"updatedAt": jsDate(it.UpdatedAt), "value": cloneJSON(it.Value)}, nil
}

func handleRegistrySet(c *call) (any, *apiError) {
	value := cloneJSON(c.params["value"])
	if it := c.registryItem(); it != nil {
		it.Value, it.UpdatedAt = value, c.now
		return nil, nil
	}
	key, _ := c.str("key")
	c.e.st.Registry = append(c.e.st.Registry, &RegistryItem{
		ID:        c.e.st.IDs.next(c.now),
		UserID:    c.me.ID,
		Domain:    c.registryDomain(),
		Scope:     c.registryScope(),
		Key:       key,
		Value:     value,
		CreatedAt: c.now,
		UpdatedAt: c.now,
	})
	return nil, nil
}

// handleRegistryRemove deletes the key; a missing key is not an error
// (NO_SUCH_KEY is declared but never raised).
func handleRegistryRemove(c *call) (any, *apiError) {
	if it := c.registryItem(); it != nil {
		c.e.st.Registry = slices.DeleteFunc(c.e.st.Registry, func(x *RegistryItem) bool { return x == it })
	}
	return nil, nil
}

func handleRegistryKeys(c *call) (any, *apiError) {
	keys := []any{}
	for _, it := range c.registryItems() {
		keys = append(keys, it.Key)
	}
	return keys, nil
}
