package planner

// groupBy groups live objects by the key a declaration matches them on
// (a name, a path), keeping each group in the order read: every kind
// matched by name needs it, and more than one object under a key is the
// "ambiguous" error the kind reports.
func groupBy[T any](items []T, key func(T) string) map[string][]T {
	m := make(map[string][]T, len(items))
	for _, it := range items {
		k := key(it)
		m[k] = append(m[k], it)
	}
	return m
}
