/**
 * The HTML report's one inline script and its stylesheet. The script only filters what is already in the page
 * (a text filter and severity checkboxes over the findings); it reads no data from the page except the
 * `data-q` and `data-sev` attributes the renderer escaped, and writes only `hidden`, `open` and counts
 * (`textContent`), never markup. The Content-Security-Policy allows exactly this script by its SHA-256 hash,
 * so a script that reached the page any other way would not run.
 */
import { createHash } from 'node:crypto';

/** The filter: hides findings whose `data-q` lacks the typed text or whose severity is unchecked. */
const SCRIPT = `(function(){
var q=document.getElementById('filter-text');var boxes=document.querySelectorAll('#filter input[type=checkbox]');
var rows=document.querySelectorAll('#findings .finding');var groups=document.querySelectorAll('#findings .fgroup');
var shown=document.getElementById('filter-count');
function apply(){
var text=(q.value||'').trim().toLowerCase();var sev={};
for(var i=0;i<boxes.length;i++)sev[boxes[i].value]=boxes[i].checked;
var n=0;
for(var i=0;i<rows.length;i++){var r=rows[i];var ok=sev[r.getAttribute('data-sev')]!==false&&(text===''||(r.getAttribute('data-q')||'').indexOf(text)>=0);r.hidden=!ok;if(ok)n++;}
for(var g=groups.length-1;g>=0;g--){var el=groups[g];var c=el.querySelectorAll('.finding:not([hidden])').length;el.hidden=c===0;
var cnt=el.querySelector(':scope>summary .fcount');if(cnt)cnt.textContent=String(c);if(text!==''&&c>0)el.open=true;}
shown.textContent=String(n);
}
q.addEventListener('input',apply);for(var i=0;i<boxes.length;i++)boxes[i].addEventListener('change',apply);
})();`;

/** The `<script>` element the report ends with (exported so tests can tell it from injected markup). */
export const REPORT_SCRIPT_TAG = `<script>${SCRIPT}</script>`;

/** The Content-Security-Policy: nothing from the network, inline styles, and only the report's own script. */
export function reportCsp(): string {
  const hash = createHash('sha256').update(SCRIPT, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${hash}'`;
}

/** The stylesheet: system fonts only, tables that wrap instead of running off the page. */
export const REPORT_STYLE = `
body{font-family:system-ui,sans-serif;margin:20px;color:#111;max-width:100%;overflow-wrap:anywhere}
h2{margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0;max-width:100%}
th,td{border:1px solid #ccc;padding:3px 6px;font-size:12px;vertical-align:top;text-align:left}
.sev-critical{background:#b30000;color:#fff}.sev-high{background:#e15759;color:#fff}.sev-medium{background:#f28e2b}
.sev-low{background:#edc948}.sev-info{background:#ddd}
.badge{display:inline-block;min-width:1.6em;padding:0 4px;border-radius:3px;font-size:11px;text-align:center;margin-right:2px}
.scroll{overflow:auto;max-width:100%}
code{font-size:12px;overflow-wrap:anywhere}
details>summary{cursor:pointer}
#filter{position:sticky;top:0;background:#fff;padding:6px 0;z-index:1;border-bottom:1px solid #eee}
#filter input[type=text]{width:24em;max-width:60%}
.fgroup{margin:2px 0 2px 0}.fgroup .fgroup{margin-left:18px}
.finding{margin:2px 0 6px 18px;font-size:12px;border-left:3px solid #ccc;padding-left:6px}
.finding .meta{color:#444}
.tiles{display:flex;flex-wrap:wrap;gap:4px}
.tile{border:1px solid #ccc;border-radius:4px;padding:2px 4px;font-size:12px;min-width:120px}
.tile>summary{list-style:none}.tile[open]{flex-basis:100%}
.cell{display:inline-block;min-width:2.2em;padding:0 3px;margin:1px;border-radius:3px;font-size:11px;text-align:center;color:#111}
.cell.hasf{outline:2px solid #000}
ul.accts{columns:4 14em;font-size:12px;margin:4px 0}
.matrix td{text-align:center;font-family:monospace}
.legend span{margin-right:10px;font-size:12px}
`;
