/**
 * The dashboard's one stylesheet, inlined in every page (no asset route, no build step). Mobile first:
 * one column on a phone, two columns for the overview from 900 px.
 */
export const STYLES = `
:root { --ink:#1d2330; --muted:#5f6b7a; --line:#dde2e8; --bg:#f4f6f9; --card:#fff; --brand:#1f5fbf;
  --hot:#c2410c; --ok:#15803d; --warn:#b45309; --bad:#b91c1c; color-scheme: light; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--ink); background:var(--bg); }
a { color:var(--brand); }
header.top { background:#14213d; color:#fff; }
header.top .bar { max-width:1100px; margin:0 auto; padding:10px 16px; display:flex; flex-wrap:wrap; gap:8px 16px; align-items:center; }
header.top .brand { font-weight:700; font-size:17px; color:#fff; text-decoration:none; margin-right:auto; }
header.top nav { display:flex; flex-wrap:wrap; gap:4px; }
header.top nav a { color:#dbe4f3; text-decoration:none; padding:6px 10px; border-radius:6px; }
header.top nav a[aria-current="page"] { background:#ffffff22; color:#fff; }
header.top form { margin:0; }
header.top button { background:#ffffff1a; color:#fff; border:1px solid #ffffff44; }
main { max-width:1100px; margin:0 auto; padding:16px; }
h1 { font-size:22px; margin:4px 0 12px; }
h2 { font-size:17px; margin:0 0 10px; }
h3 { font-size:14px; margin:14px 0 4px; color:var(--muted); letter-spacing:.02em; }
.grid { display:grid; gap:16px; align-items:start; }
@media (min-width:900px) { .grid.two { grid-template-columns: 3fr 2fr; } }
.card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:14px 16px; }
.muted { color:var(--muted); }
.small { font-size:13px; }
ul.list { list-style:none; margin:0; padding:0; }
ul.list > li { padding:10px 0; border-top:1px solid var(--line); display:flex; gap:12px; align-items:flex-start; }
ul.list > li:first-child { border-top:0; }
.when { min-width:52px; font-weight:700; font-variant-numeric:tabular-nums; }
.grow { flex:1; min-width:0; }
.name { font-weight:600; }
.meta { color:var(--muted); font-size:13px; overflow-wrap:anywhere; }
.badge { display:inline-block; font-size:12px; font-weight:600; padding:1px 8px; border-radius:999px; background:#e8edf4; color:#334155; white-space:nowrap; }
.badge.hot { background:#ffedd5; color:var(--hot); }
.badge.ok { background:#dcfce7; color:var(--ok); }
.badge.warn { background:#fef3c7; color:var(--warn); }
.badge.bad { background:#fee2e2; color:var(--bad); }
.notice { border-radius:8px; padding:10px 14px; margin:0 0 14px; border:1px solid; }
.notice.ok { background:#f0fdf4; border-color:#86efac; }
.notice.error { background:#fef2f2; border-color:#fca5a5; }
button, .button { font:inherit; font-weight:600; cursor:pointer; border-radius:7px; padding:7px 14px; border:1px solid var(--brand); background:var(--brand); color:#fff; text-decoration:none; display:inline-block; }
button.secondary { background:#fff; color:var(--brand); }
form.inline { display:inline; margin:0; }
label { display:block; font-weight:600; margin:8px 0 4px; }
input[type=text], input[type=password], input[type=search], input[type=number], input[type=datetime-local] {
  font:inherit; padding:8px 10px; border:1px solid #b8c2cf; border-radius:7px; width:100%; max-width:340px; background:#fff; }
.row { display:flex; flex-wrap:wrap; gap:8px; align-items:flex-end; }
.scroll { overflow-x:auto; }
table { border-collapse:collapse; width:100%; font-size:14px; }
th, td { text-align:left; padding:7px 8px; border-top:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:600; border-top:0; white-space:nowrap; }
td.num { font-variant-numeric:tabular-nums; white-space:nowrap; }
dl.fields { display:grid; grid-template-columns:minmax(110px, max-content) 1fr; gap:4px 14px; margin:0; }
dl.fields dt { color:var(--muted); }
dl.fields dd { margin:0; overflow-wrap:anywhere; }
.empty { color:var(--muted); padding:8px 0; }
main > .card + .card { margin-top:16px; }
ul.counts { list-style:none; margin:0 0 8px; padding:0; display:flex; flex-wrap:wrap; gap:8px 22px; }
ul.counts .count { font-size:22px; font-weight:700; font-variant-numeric:tabular-nums; margin-right:4px; }
.visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
button[disabled] { opacity:.5; cursor:not-allowed; }
code { font:13px ui-monospace,SFMono-Regular,Menlo,monospace; background:#f1f4f8; padding:0 4px; border-radius:4px; overflow-wrap:anywhere; }
ol.timeline { list-style:none; margin:0; padding:0; }
ol.timeline > li { padding:8px 0 8px 14px; border-left:3px solid var(--line); margin-left:4px; }
ol.timeline > li.booking { border-left-color:var(--brand); }
ol.timeline > li.calcom { border-left-color:var(--warn); }
ol.timeline > li.put-back { border-left-color:var(--bad); }
footer { max-width:1100px; margin:0 auto; padding:8px 16px 24px; color:var(--muted); font-size:12px; }
`;
