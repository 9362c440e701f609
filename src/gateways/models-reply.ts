/**
 * Parsing a gateway's `GET <base>/models` reply. Gateways answer in the OpenAI list shape
 * (`{object:"list", data:[{id}]}`); Codex's own catalog endpoint uses `{models:[{slug}]}`.
 * Both (and a bare array) are accepted; ids are de-duplicated, order kept.
 */
export function parseModelsReply(body: unknown): string[] | undefined {
  const lists: unknown[][] = [];
  if (Array.isArray(body)) {
    lists.push(body);
  } else if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    if (Array.isArray(o.data)) lists.push(o.data);
    if (Array.isArray(o.models)) lists.push(o.models);
  }
  if (lists.length === 0) return undefined;
  const seen = new Set<string>();
  for (const list of lists) {
    for (const item of list) {
      const id = modelId(item);
      if (id !== undefined) seen.add(id);
    }
  }
  return [...seen];
}

function modelId(item: unknown): string | undefined {
  if (typeof item === 'string') return item === '' ? undefined : item;
  if (!item || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  for (const key of ['id', 'slug', 'name', 'model']) {
    const v = o[key];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}
