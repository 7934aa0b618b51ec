// The filters of a list or of the event stream: what the CLI sent, read leniently, with the learner's
// label filters added so that only their own objects come back.

/** Filters the CLI sent, with the learner's label filters added (filters of one key AND). */
export function withOwnerFilters(raw: string | null, labels: string[]): string {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  } catch {
    parsed = {};
  }
  const filters: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(parsed ?? {})) {
    if (!/^[a-z_-]{1,32}$/.test(key)) continue;
    // Older CLIs send {"label": {"a=b": true}}; newer ones {"label": ["a=b"]}.
    const values = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.keys(value) : [];
    filters[key] = values.filter((item): item is string => typeof item === 'string').slice(0, 32);
  }
  filters.label = [...(filters.label ?? []), ...labels];
  return JSON.stringify(filters);
}
