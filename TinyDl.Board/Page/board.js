// The board's page: the runs table from /api/runs, curves and the hyperparameter view as SVG drawn by the
// server, and one EventSource on /api/events for the selected runs. No library, no build step.
'use strict';
const state = { runs: [], selected: new Set(), sort: { key: 'run', desc: false }, filters: {}, source: null, pending: null };
const $ = id => document.getElementById(id);
const enc = encodeURIComponent;

function text(tag, value, cls) {
  const el = document.createElement(tag);
  el.textContent = value ?? '';
  if (cls) el.className = cls;
  return el;
}

function num(v) { return v === null || v === undefined ? '' : Number(v).toPrecision(4); }

async function loadRuns() {
  const answer = await (await fetch('api/runs')).json();
  state.runs = answer.runs;
  state.columns = answer.columns;
  state.hyperparameters = answer.hyperparameters;
  fillSelect($('metric'), answer.metrics, state.metric ?? (answer.metrics.includes('loss') ? 'loss' : answer.metrics[0]));
  state.metric = $('metric').value;
  fillSelect($('hparams-metric'), answer.columns, $('hparams-metric').value || (answer.columns.includes('validation_accuracy') ? 'validation_accuracy' : answer.columns[0]));
  renderFilters();
  renderTable();
  drawHParams();
}

function fillSelect(select, values, chosen) {
  if (select.options.length === values.length) return;
  select.replaceChildren(...values.map(v => { const o = text('option', v); o.value = v; return o; }));
  if (chosen) select.value = chosen;
}

function renderFilters() {
  const box = $('filters');
  if (box.childElementCount) return;
  for (const key of state.hyperparameters) {
    const values = [...new Set(state.runs.filter(r => !r.damaged).map(r => r.hyperparameters[key] ?? ''))].sort();
    if (values.length < 2) continue;
    const select = document.createElement('select');
    select.dataset.key = key;
    select.append(text('option', 'all'), ...values.map(v => text('option', v)));
    select.options[0].value = '';
    select.addEventListener('change', () => { state.filters[key] = select.value; renderTable(); });
    const label = text('label', key + ' ');
    label.append(select);
    box.append(label);
  }
}

function visibleRuns() {
  const rows = state.runs.filter(r => Object.entries(state.filters).every(([k, v]) => !v || (!r.damaged && r.hyperparameters[k] === v)));
  const { key, desc } = state.sort;
  const value = r => key === 'run' ? r.run : key === 'status' ? r.status : key.startsWith('hp:') ? r.hyperparameters[key.slice(3)] : r.metrics[key]?.best;
  rows.sort((a, b) => {
    const x = value(a), y = value(b);
    if (x === y) return a.run < b.run ? -1 : 1;
    if (x === undefined || x === null) return 1;
    if (y === undefined || y === null) return -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
    return desc ? -order : order;
  });
  return rows;
}

function renderTable() {
  const head = document.createElement('tr');
  const keys = [['', ''], ['run', 'run'], ['status', 'status'], ['epoch', 'epoch'],
    ...state.hyperparameters.map(h => ['hp:' + h, h]), ...state.columns.map(c => [c, c + ' (best)'])];
  for (const [key, label] of keys) {
    const th = text('th', label + (state.sort.key === key ? (state.sort.desc ? ' \u25bc' : ' \u25b2') : ''));
    if (key && key !== 'epoch') th.addEventListener('click', () => { state.sort = { key, desc: state.sort.key === key ? !state.sort.desc : key !== 'run' && key !== 'status' && !key.startsWith('hp:') && !key.endsWith('loss') }; renderTable(); });
    head.append(th);
  }
  $('runs').tHead.replaceChildren(head);
  const rows = visibleRuns();
  const body = document.createDocumentFragment();
  for (const run of rows) {
    const tr = document.createElement('tr');
    tr.dataset.run = run.run;
    tr.className = (run.damaged ? 'damaged ' : '') + (state.selected.has(run.run) ? 'selected' : '');
    const box = document.createElement('input');
    box.type = 'checkbox'; box.className = 'select'; box.dataset.run = run.run; box.checked = state.selected.has(run.run); box.disabled = run.damaged;
    box.addEventListener('change', () => { box.checked ? state.selected.add(run.run) : state.selected.delete(run.run); tr.classList.toggle('selected', box.checked); selectionChanged(); });
    const first = document.createElement('td'); first.append(box); tr.append(first);
    const name = document.createElement('td');
    const link = text('a', run.run); link.href = 'run?run=' + enc(run.run); name.append(link); tr.append(name);
    tr.append(text('td', run.status, 'status ' + run.status));
    tr.append(text('td', run.damaged ? run.problem : `${run.epoch}/${run.epochs}`, 'epoch'));
    for (const h of state.hyperparameters) tr.append(text('td', run.hyperparameters[h]));
    for (const c of state.columns) tr.append(text('td', num(run.metrics[c]?.best)));
    body.append(tr);
  }
  $('runs').tBodies[0].replaceChildren(body);
  $('summary').textContent = `${rows.length} of ${state.runs.length} runs` + (state.runs.some(r => r.damaged) ? `, ${state.runs.filter(r => r.damaged).length} damaged` : '');
}

function query() {
  return [...state.selected].map(r => 'run=' + enc(r)).join('&');
}

async function drawChart() {
  if (state.selected.size === 0) { $('chart').innerHTML = '<p>Select runs in the table to draw their curves.</p>'; return; }
  const url = `api/chart.svg?${query()}&metric=${enc($('metric').value)}&x=${$('x').value}&log=${$('log').checked}&smooth=${$('smooth').value}`;
  const svg = await (await fetch(url)).text();
  $('chart').innerHTML = svg;
  $('chart').dataset.version = String(Number($('chart').dataset.version ?? 0) + 1);
}

async function drawHParams() {
  const metric = $('hparams-metric').value;
  if (!metric) return;
  $('hparams').innerHTML = await (await fetch(`api/hparams.svg?metric=${enc(metric)}&final=${$('hparams-final').checked}`)).text();
}

function selectionChanged() {
  drawChart();
  if (state.source) state.source.close();
  state.source = null;
  $('live').classList.remove('on');
  if (state.selected.size === 0) return;
  const source = new EventSource('api/events?' + query());
  source.onopen = () => $('live').classList.add('on');
  source.addEventListener('update', message => {
    const update = JSON.parse(message.data);
    const run = state.runs.find(r => r.run === update.run);
    if (run) { run.status = update.status; run.epoch = update.epoch; }
    clearTimeout(state.pending);
    state.pending = setTimeout(() => { drawChart(); renderTable(); }, 150);
  });
  state.source = source;
}

for (const id of ['metric', 'x', 'log']) $(id).addEventListener('change', drawChart);
$('smooth').addEventListener('input', () => { $('smooth-value').textContent = $('smooth').value; drawChart(); });
$('hparams-metric').addEventListener('change', drawHParams);
$('hparams-final').addEventListener('change', drawHParams);
// A link can choose runs and the metric: board/#run=NAME&run=NAME&metric=accuracy
const chosen = new URLSearchParams(location.hash.slice(1));
if (chosen.get('metric')) state.metric = chosen.get('metric');
loadRuns().then(() => {
  for (const run of chosen.getAll('run')) if (state.runs.some(r => r.run === run && !r.damaged)) state.selected.add(run);
  if (state.selected.size) { renderTable(); selectionChanged(); }
  document.body.dataset.loaded = 'true';
});
