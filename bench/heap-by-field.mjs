// `node bench/heap-by-field.mjs FILE.heapsnapshot [TOP]`: the self size of every object reachable in a V8 heap snapshot,
// grouped by the field that first reaches it (breadth-first from the GC roots, weak edges left out), e.g.
// `direct[].grants[]` (the grant objects of the access graph) or `ctx.arn`; objects held by code or a GC root are
// grouped by their constructor, `(…)`. Retained sizes (a dominator tree) say little here: most of verify's objects
// are shared by several structures. SAMPLE=label prints a few of that group's objects.
import fs from 'node:fs';
const s = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const m = s.snapshot.meta; const nf = m.node_fields, ef = m.edge_fields; const NF = nf.length, EF = ef.length;
const nTypes = m.node_types[0], eTypes = m.edge_types[0];
const iType = nf.indexOf('type'), iName = nf.indexOf('name'), iSize = nf.indexOf('self_size'), iEdges = nf.indexOf('edge_count');
const eType = ef.indexOf('type'), eName = ef.indexOf('name_or_index'), eTo = ef.indexOf('to_node');
const { nodes, edges, strings } = s; const N = nodes.length / NF;
const first = new Uint32Array(N + 1); for (let i = 0, e = 0; i < N; i++) { first[i] = e; e += nodes[i * NF + iEdges] * EF; first[i + 1] = e; }
const label = new Array(N); label[0] = 'ROOT'; const q = [0];
const skip = new Set(['weak', 'shortcut']);
const codeish = new Set(['code', 'hidden', 'object shape', 'native', 'closure', 'regexp', 'synthetic']);
for (let h = 0; h < q.length; h++) {
  const i = q[h]; const own = label[i]; const t = nTypes[nodes[i * NF + iType]];
  for (let e = first[i]; e < first[i + 1]; e += EF) {
    const et = eTypes[edges[e + eType]]; if (skip.has(et)) continue;
    const j = edges[e + eTo] / NF; if (label[j] !== undefined) continue;
    let l;
    if (codeish.has(t) || own === 'ROOT') { const jt = nTypes[nodes[j * NF + iType]]; l = et === 'context' || (et === 'property' && t === 'closure') ? `var ${strings[edges[e + eName]]}` : jt === 'object' ? `(${strings[nodes[j * NF + iName]]})` : `(${jt})`; }
    else if (et === 'element') l = own.endsWith('[]') ? own : `${own}[]`;
    else if (et === 'property' || et === 'internal') { const nm = String(strings[edges[e + eName]]); l = nm === 'table' || nm === 'elements' || nm === 'properties' || nm === 'first' || nm === 'second' ? own : `${own.split('.').slice(-1)[0]}.${nm}`; }
    else l = `${own}`;
    label[j] = l; q.push(j);
  }
}
const by = new Map(); const cnt = new Map();
for (const i of q) { const l = label[i]; by.set(l, (by.get(l) ?? 0) + nodes[i * NF + iSize]); cnt.set(l, (cnt.get(l) ?? 0) + 1); }
let total = 0; for (const v of by.values()) total += v;
console.log('total', (total / 1048576).toFixed(1), 'MB');
[...by].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 40)).forEach(([k, v]) => console.log((v / 1048576).toFixed(2).padStart(8), String(cnt.get(k)).padStart(9), k.slice(0, 90)));
if (process.env.SAMPLE) { let k = 0; for (const i of q) if (label[i] === process.env.SAMPLE && k++ < 8) { const t = nTypes[nodes[i * NF + iType]]; console.log('sample', t, JSON.stringify(String(strings[nodes[i * NF + iName]])).slice(0, 100)); } }
