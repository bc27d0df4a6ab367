/** An app's call flow as the scenario runs observed it: handlers as nodes, events as edges, unreached handlers marked; as Mermaid text and as a self-contained HTML page with an SVG. */
import type { AppCoverage } from './coverage';
import { escapeXml } from '../../lib';

const SESSION = '(session)';

function ids(c: AppCoverage): Map<string, string> {
  const names = [SESSION, ...c.declared, ...c.edges.flatMap((e) => [e.from, e.to])];
  const out = new Map<string, string>();
  for (const n of names) if (!out.has(n)) out.set(n, `n${out.size}`);
  return out;
}

function label(c: AppCoverage, node: string): string {
  if (node === SESSION) return 'Tropo starts the session';
  const verbs = [...(c.verbs.get(node) ?? [])];
  return verbs.length > 0 ? `${node}: ${verbs.join(', ')}` : node;
}

/** The flow as Mermaid `flowchart` text. */
export function mermaidOf(c: AppCoverage): string {
  const id = ids(c);
  const esc = (text: string): string => text.replace(/"/g, '#quot;');
  const lines = ['flowchart TD'];
  for (const [node, n] of id) {
    const text = esc(c.unreached.includes(node) ? `${node} (not reached)` : label(c, node));
    lines.push(node === SESSION ? `  ${n}(["${text}"])` : `  ${n}["${text}"]`);
  }
  for (const e of c.edges) lines.push(`  ${id.get(e.from)} -->|${esc(e.event)}| ${id.get(e.to)}`);
  if (c.unreached.length > 0) {
    lines.push('  classDef unreached stroke-dasharray: 5 5,color:#888');
    lines.push(`  class ${c.unreached.map((u) => id.get(u)).join(',')} unreached`);
  }
  return `${lines.join('\n')}\n`;
}

/** Rows of nodes: each node one row below the first node that reaches it (breadth first). */
function layers(c: AppCoverage): string[][] {
  const depth = new Map<string, number>([[SESSION, 0]]);
  const queue = [SESSION];
  for (let node = queue.shift(); node !== undefined; node = queue.shift()) {
    for (const e of c.edges) {
      if (e.from === node && !depth.has(e.to)) {
        depth.set(e.to, (depth.get(node) ?? 0) + 1);
        queue.push(e.to);
      }
    }
  }
  const deepest = Math.max(...depth.values());
  for (const u of c.declared) if (!depth.has(u)) depth.set(u, deepest + 1);
  const rows: string[][] = [];
  for (const [node, d] of depth) (rows[d] ??= []).push(node);
  return rows.filter((r) => r.length > 0);
}

/** A plain SVG of the flow, drawn here so the page needs no script or CDN. */
export function svgOf(c: AppCoverage): string {
  const W = 230;
  const H = 46;
  const GAP_X = 40;
  const GAP_Y = 70;
  const rows = layers(c);
  const width = Math.max(...rows.map((r) => r.length)) * (W + GAP_X) + GAP_X;
  const pos = new Map<string, { x: number; y: number }>();
  rows.forEach((row, r) =>
    row.forEach((node, i) => {
      const offset = (width - row.length * (W + GAP_X) + GAP_X) / 2;
      pos.set(node, { x: offset + i * (W + GAP_X), y: 20 + r * (H + GAP_Y) });
    }),
  );
  const height = 20 + rows.length * (H + GAP_Y);
  const parts: string[] = [];
  for (const e of c.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    const [x1, y1, x2, y2] = [a.x + W / 2, a.y + H, b.x + W / 2, b.y];
    const back = y2 <= y1;
    const path = back
      ? `M${x1},${y1} C${x1 + 140},${y1 + 60} ${x2 + 140},${y2 - 60} ${x2},${y2}`
      : `M${x1},${y1} L${x2},${y2}`;
    parts.push(`<path d="${path}" fill="none" stroke="#555" marker-end="url(#arrow)"/>`);
    parts.push(
      `<text x="${(x1 + x2) / 2 + (back ? 70 : 6)}" y="${(y1 + y2) / 2}" font-size="12" fill="#333">${escapeXml(e.event)}</text>`,
    );
  }
  for (const [node, p] of pos) {
    const unreached = c.unreached.includes(node);
    const text = unreached ? `${node} (not reached)` : label(c, node);
    parts.push(
      `<rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="${node === SESSION ? 23 : 6}" fill="${unreached ? '#fff' : '#eef4ff'}" stroke="${unreached ? '#999' : '#36c'}"${unreached ? ' stroke-dasharray="5 5"' : ''}/>`,
      `<text x="${p.x + W / 2}" y="${p.y + H / 2 + 4}" font-size="12" text-anchor="middle" fill="${unreached ? '#888' : '#000'}">${escapeXml(text.length > 38 ? `${text.slice(0, 37)}…` : text)}</text>`,
    );
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
    ...parts,
    '</svg>',
  ].join('\n');
}

/** A self-contained page: the SVG, and the Mermaid text for tools that render it. */
export function htmlOf(c: AppCoverage): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(c.app)}: call flow</title></head>
<body style="font-family: sans-serif">
<h1>${escapeXml(c.app)}: call flow observed by ${c.scenarios} scenario${c.scenarios === 1 ? '' : 's'}</h1>
<p>Handlers are boxes (with the verbs their documents held), events are arrows; a dashed box is a handler no scenario reached.</p>
${svgOf(c)}
<h2>Mermaid</h2>
<pre>${escapeXml(mermaidOf(c))}</pre>
</body></html>
`;
}
