// Evidence highlighting: a text and its evidence spans [{field, start, end}] (offsets in code points,
// as Python counts them) → a fragment of text nodes and nested <mark data-field> elements.
// Nothing is parsed as HTML.

export function spanTree(length, spans) {
  const seen = new Set();
  const list = [];
  for (const s of spans || []) {
    const start = Number(s.start);
    const end = Number(s.end);
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > length || end <= start) continue;
    const key = `${s.field}:${start}:${end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    list.push({ field: String(s.field || 'event'), start, end, children: [] });
  }
  // Outer spans first: by start, then the longer, then the sentence-level "event" span around a field.
  list.sort((a, b) => a.start - b.start || b.end - a.end || (a.field === 'event' ? -1 : b.field === 'event' ? 1 : 0));
  const root = { start: 0, end: length, children: [] };
  const stack = [root];
  for (const s of list) {
    while (stack.length > 1 && stack[stack.length - 1].end <= s.start) stack.pop();
    const parent = stack[stack.length - 1];
    if (s.end > parent.end) s.end = parent.end; // a partial overlap is clipped to its container
    if (s.end <= s.start) continue;
    parent.children.push(s);
    stack.push(s);
  }
  return root;
}

export function highlight(text, spans) {
  const chars = Array.from(String(text || ''));
  const root = spanTree(chars.length, spans);
  const frag = document.createDocumentFragment();
  const render = (node, into) => {
    let pos = node.start;
    for (const c of node.children) {
      if (c.start > pos) into.append(document.createTextNode(chars.slice(pos, c.start).join('')));
      const mark = document.createElement('mark');
      mark.dataset.field = c.field;
      mark.className = `ev ev-${c.field.replace(/[^a-z0-9_-]/gi, '')}`;
      mark.title = c.field;
      render(c, mark);
      into.append(mark);
      pos = c.end;
    }
    if (node.end > pos) into.append(document.createTextNode(chars.slice(pos, node.end).join('')));
  };
  render(root, frag);
  return frag;
}
