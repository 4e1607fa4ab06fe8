// The pages of `plenum serve`: scenarios and the editor with live
// validation, a run with its progress and report, the history, a comparison
// of two runs, and sweeps. Everything comes from /api (see /api/openapi.json).
// Text from scenarios and runs is only ever set with textContent.
'use strict';

// A token given in the address (?token=T) moves into a same-site cookie, so
// that fetches, event streams, frames and downloads all carry it.
(function keepToken() {
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  if (token) {
    document.cookie = `plenum_token=${encodeURIComponent(token)}; Path=/; SameSite=Strict`;
    history.replaceState(null, '', location.pathname + location.hash);
  }
})();

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const view = document.getElementById('view');
function show(...children) {
  view.replaceChildren(...children);
}
function toast(text) {
  const t = document.getElementById('toast');
  t.textContent = text;
  setTimeout(() => { if (t.textContent === text) t.textContent = ''; }, 6000);
}

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('application/json') ? await response.json() : await response.text();
  return { status: response.status, ok: response.ok, data };
}

function formatNumber(x, digits) {
  if (typeof x !== 'number' || !isFinite(x)) return '—';
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

// The state the editor keeps between pages.
const state = { name: null, text: '', set: '', lastRun: null };

function lines(text) {
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

// ---------- Scenarios and the editor ----------

// Completion from the JSON Schema (/api/schema): the keys of the table the
// cursor is in, with their descriptions; choosing one inserts `key = `.
let schemaPromise = null;
function schema() {
  if (!schemaPromise) schemaPromise = api('GET', '/api/schema').then((a) => (a.ok ? a.data : null));
  return schemaPromise;
}

function resolveNode(root, node) {
  for (let i = 0; node && i < 20; i++) {
    if (node.$ref) node = node.$ref.split('/').slice(1).reduce((o, k) => o && o[k], root);
    else if (node.anyOf || node.oneOf) node = (node.anyOf || node.oneOf).find((n) => n.$ref || n.properties || n.items) || null;
    else if (node.items && !node.properties) node = node.items;
    else return node;
  }
  return node;
}

// The table header above line `line` (1-based): `a.b` of `[a.b]` or `[[a.b]]`, '' for the top.
function tableAt(text, line) {
  const lines = text.split('\n').slice(0, line);
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = lines[i].match(/^\s*\[\[?\s*([A-Za-z0-9_.\s"-]+?)\s*\]\]?/);
    if (m) return m[1].replace(/\s|"/g, '');
  }
  return '';
}

function keysOf(root, table) {
  let node = root;
  for (const part of table ? table.split('.') : []) {
    node = resolveNode(root, node);
    node = node && node.properties ? node.properties[part] : null;
  }
  node = resolveNode(root, node);
  if (!node || !node.properties) return [];
  return Object.entries(node.properties).map(([key, sub]) => ({ key, description: (sub.description || (resolveNode(root, sub) || {}).description || '').split('\n')[0] }));
}

async function scenariosPage() {
  const list = el('ul', { class: 'list', 'aria-label': 'Scenarios' });
  const gutter = el('div', { class: 'gutter', 'aria-hidden': 'true' });
  const editor = el('textarea', {
    class: 'code', id: 'editor', spellcheck: 'false', 'aria-label': 'Scenario (TOML)', 'aria-describedby': 'validity',
  });
  const validity = el('p', { id: 'validity', role: 'status', 'aria-live': 'polite' });
  const diagnostics = el('ul', { class: 'diagnostics', id: 'diagnostics', 'aria-label': 'Problems' });
  const overrides = el('textarea', { class: 'small', id: 'overrides', 'aria-label': 'Overrides, one KEY=VALUE a line' });
  const runButton = el('button', { id: 'run', type: 'button' }, 'Run');
  const saveName = el('input', { id: 'save-name', 'aria-label': 'Name to save as', placeholder: 'my-site', size: 14 });
  const saveButton = el('button', { type: 'button', class: 'secondary' }, 'Save');
  const keys = el('ul', { class: 'keys', id: 'keys', 'aria-label': 'Keys of this table' });
  const keysTitle = el('h2', { class: 'keys-title' }, 'Keys');
  const formToggle = el('button', { type: 'button', id: 'form-toggle', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': 'form-view' }, 'Form view');
  const formView = el('form', { id: 'form-view', class: 'form-view', 'aria-label': 'Common inputs', hidden: true });
  const formStatus = el('p', { id: 'form-status', role: 'status', 'aria-live': 'polite' });
  formView.addEventListener('submit', (e) => e.preventDefault());
  let formText = null;
  let timer = null;

  // The form view: the common inputs read from the text by the server
  // (/api/form), and each change written back into the text there (comments
  // and layout kept), then validated as if typed.
  function fieldId(path) {
    return `field-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
  }

  function drawForm(fields) {
    const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.path : null;
    const groups = new Map();
    for (const f of fields) {
      if (!groups.has(f.group)) groups.set(f.group, []);
      const id = fieldId(f.path);
      let input;
      if (f.kind === 'choice') {
        input = el('select', { id, 'data-path': f.path },
          f.value === null ? el('option', { value: '', selected: true }, '(not set)') : null,
          f.options.map((o) => el('option', { value: o, selected: o === f.value }, o)));
      } else {
        input = el('input', { id, 'data-path': f.path, type: 'text', inputmode: f.kind === 'integer' ? 'numeric' : 'decimal', value: f.value ?? '', placeholder: f.value === null ? '(not set)' : null, size: 12 });
      }
      input.addEventListener('change', () => { if (input.value !== '') applyForm([{ path: f.path, value: input.value }]); });
      if (f.help) input.setAttribute('title', f.help);
      groups.get(f.group).push(el('div', { class: 'field' },
        el('label', { for: id }, f.label, f.unit ? el('span', { class: 'help' }, ` (${f.unit})`) : null), input));
    }
    formView.replaceChildren(...[...groups].map(([group, items]) => el('fieldset', {}, el('legend', {}, group), items)));
    if (focused) {
      const again = formView.querySelector(`[data-path="${CSS.escape(focused)}"]`);
      if (again) again.focus();
    }
  }

  async function applyForm(edits) {
    const answer = await api('POST', '/api/form', { scenario: editor.value, edits });
    if (!answer.ok) {
      formStatus.className = 'status-bad';
      formStatus.textContent = (answer.data && answer.data.error) || `error ${answer.status}`;
      return;
    }
    formStatus.className = '';
    formStatus.textContent = edits.length ? `Set ${edits.map((e) => e.path).join(', ')} in the text` : '';
    formText = answer.data.scenario;
    drawForm(answer.data.fields);
    if (answer.data.scenario !== editor.value) {
      editor.value = answer.data.scenario;
      scheduleValidation();
    }
  }

  formToggle.addEventListener('click', () => {
    const open = formView.hidden;
    formView.hidden = !open;
    formToggle.setAttribute('aria-expanded', String(open));
    if (open) applyForm([]);
  });

  async function showKeys() {
    const root = await schema();
    if (!root) return;
    const line = editor.value.slice(0, editor.selectionStart).split('\n').length;
    const table = tableAt(editor.value, line);
    keysTitle.textContent = table ? `Keys of [${table}]` : 'Top-level keys';
    keys.replaceChildren(...keysOf(root, table).map(({ key, description }) => {
      const insert = el('button', { type: 'button', 'data-key': key, title: description }, key);
      insert.addEventListener('click', () => {
        const at = editor.selectionStart;
        const lineStart = editor.value.lastIndexOf('\n', at - 1) + 1;
        const prefix = editor.value.slice(lineStart, at);
        const text = /^\s*[A-Za-z0-9_]*$/.test(prefix) ? `${key} = ` : `\n${key} = `;
        editor.setRangeText(text, /^\s*[A-Za-z0-9_]*$/.test(prefix) ? lineStart : at, at, 'end');
        editor.focus();
        scheduleValidation();
      });
      return el('li', {}, insert, description ? el('span', { class: 'help' }, ` ${description}`) : null);
    }));
  }
  let generation = 0;

  function drawGutter(bad) {
    const count = editor.value.split('\n').length;
    const spans = [];
    for (let i = 1; i <= count; i++) {
      const span = el('span', { 'data-line': i }, String(i));
      if (bad.has(i)) span.className = 'error';
      spans.push(span);
    }
    gutter.replaceChildren(...spans);
    gutter.scrollTop = editor.scrollTop;
  }

  function goToLine(line) {
    const all = editor.value.split('\n');
    const start = all.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    editor.focus();
    editor.setSelectionRange(start, start + (all[line - 1] || '').length);
    const lineHeight = parseFloat(getComputedStyle(editor).lineHeight) || 19;
    editor.scrollTop = Math.max(0, (line - 3) * lineHeight);
  }

  async function validate() {
    const mine = ++generation;
    state.text = editor.value;
    state.set = overrides.value;
    const answer = await api('POST', '/api/validate', { scenario: editor.value, set: lines(overrides.value) });
    if (mine !== generation) return;
    const bad = new Set();
    diagnostics.replaceChildren();
    if (answer.status === 200) {
      validity.className = 'status-ok';
      validity.textContent = `Valid: ${answer.data.name}, ${answer.data.servers} servers, ${formatNumber(answer.data.critical_kw, 0)} kW critical`;
      runButton.disabled = false;
    } else if (answer.status === 422) {
      validity.className = 'status-bad';
      const n = answer.data.diagnostics.length;
      validity.textContent = `${n} problem${n === 1 ? '' : 's'}`;
      runButton.disabled = true;
      for (const d of answer.data.diagnostics) {
        const where = d.line ? `line ${d.line}` : d.override || 'file';
        if (d.line) for (let l = d.line; l <= (d.end_line || d.line); l++) bad.add(l);
        const item = el('li', { 'data-line': d.line || '' },
          d.line ? el('button', { type: 'button', onclick: () => goToLine(d.line) }, where) : where,
          ': ', d.field ? el('code', {}, d.field) : '', d.field ? ': ' : '', d.message,
          d.help ? el('div', { class: 'help' }, d.help) : null);
        diagnostics.append(item);
      }
    } else {
      validity.className = 'status-bad';
      validity.textContent = (answer.data && answer.data.error) || `error ${answer.status}`;
    }
    drawGutter(bad);
    if (!formView.hidden && formText !== editor.value && answer.status !== 400) applyForm([]);
  }

  function scheduleValidation() {
    drawGutter(new Set());
    clearTimeout(timer);
    timer = setTimeout(validate, 300);
  }

  async function open(name) {
    const answer = await api('GET', `/api/scenarios/${encodeURIComponent(name)}`);
    if (!answer.ok) return toast(answer.data.error || 'cannot open');
    state.name = name;
    editor.value = answer.data.text;
    for (const b of list.querySelectorAll('button')) b.setAttribute('aria-current', String(b.dataset.name === name));
    validate();
  }

  editor.addEventListener('input', scheduleValidation);
  overrides.addEventListener('input', scheduleValidation);
  editor.addEventListener('scroll', () => { gutter.scrollTop = editor.scrollTop; });
  editor.addEventListener('click', showKeys);
  editor.addEventListener('keyup', (e) => { if (e.key.startsWith('Arrow') || e.key === 'Enter') showKeys(); });
  editor.addEventListener('keydown', (e) => {
    // Tab inserts two spaces; Escape then Tab leaves the editor (keyboard users).
    if (e.key === 'Tab' && !e.shiftKey && !editor.dataset.escaped) {
      e.preventDefault();
      editor.setRangeText('  ', editor.selectionStart, editor.selectionEnd, 'end');
      scheduleValidation();
    } else if (e.key === 'Escape') {
      editor.dataset.escaped = '1';
    } else {
      delete editor.dataset.escaped;
    }
  });
  runButton.addEventListener('click', async () => {
    runButton.disabled = true;
    const answer = await api('POST', '/api/runs', { scenario: editor.value, set: lines(overrides.value) });
    runButton.disabled = false;
    if (answer.status === 202) location.hash = `#/run/${answer.data.id}`;
    else toast((answer.data && answer.data.error) || `error ${answer.status}`);
  });
  saveButton.addEventListener('click', async () => {
    const name = saveName.value.trim();
    const answer = await api('PUT', `/api/scenarios/${encodeURIComponent(name)}`, { text: editor.value });
    toast(answer.ok ? `saved as ${name}` : answer.data.error);
    if (answer.ok) scenariosPage();
  });

  show(
    el('h1', {}, 'Scenarios'),
    el('div', { class: 'layout' },
      el('section', { 'aria-label': 'Scenario list' }, list),
      el('section', { 'aria-label': 'Editor' },
        el('div', { class: 'row' }, formToggle, formStatus),
        formView,
        el('div', { class: 'editor' }, gutter, editor),
        validity, diagnostics,
        el('label', { for: 'overrides' }, 'Overrides (one KEY=VALUE a line, as --set)'), overrides,
        el('div', { class: 'row' }, runButton, saveName, saveButton),
        el('details', { class: 'completion' }, el('summary', {}, keysTitle), keys))));

  const answer = await api('GET', '/api/scenarios');
  if (!answer.ok) return toast(answer.data.error || 'cannot list scenarios');
  for (const s of answer.data.scenarios) {
    // The user's saved scenarios can be deleted; shipped ones are read-only.
    const remove = s.source === 'saved'
      ? el('button', { type: 'button', class: 'secondary delete', 'data-delete': s.name, 'aria-label': `Delete saved scenario ${s.name}` }, 'Delete')
      : null;
    if (remove) {
      remove.addEventListener('click', async () => {
        if (!confirm(`Delete the saved scenario ${s.name}?`)) return;
        const a = await api('DELETE', `/api/scenarios/${encodeURIComponent(s.name)}`);
        toast(a.status === 204 ? `deleted ${s.name}` : a.data.error);
        if (a.status === 204) scenariosPage();
      });
    }
    list.append(el('li', {}, el('button', { type: 'button', 'data-name': s.name, onclick: () => open(s.name) },
      s.name, s.source === 'saved' ? ' (saved)' : ''), remove));
  }
  if (state.text) {
    editor.value = state.text;
    overrides.value = state.set;
    validate();
  } else {
    open('default');
  }
}

// ---------- One run ----------

// The headline figures are the report header's (/api/runs/ID/headline:
// plenum-report's list, its labels, units and number formats).
function tiles(figures) {
  const out = el('div', { class: 'tiles', id: 'headline' });
  for (const f of figures.filter((x) => x.tile)) {
    out.append(el('div', { class: 'tile', 'data-key': f.key },
      el('div', { class: 'label' }, f.label),
      el('div', { class: 'value' }, f.text),
      f.unit ? el('div', { class: 'unit' }, f.unit) : null));
  }
  return out;
}

function watch(id, onProgress) {
  const source = new EventSource(`/api/runs/${id}/events`);
  source.addEventListener('progress', (e) => {
    const p = JSON.parse(e.data);
    onProgress(p);
    if (!['queued', 'running'].includes(p.status)) source.close();
  });
  source.onerror = () => source.close();
  return source;
}

async function runPage(id) {
  const answer = await api('GET', `/api/runs/${id}`);
  if (!answer.ok) return show(el('h1', {}, `Run ${id}`), el('p', {}, answer.data.error));
  const run = answer.data;
  if (run.kind === 'sweep') return sweepResultPage(id);
  const status = el('p', { id: 'run-status', role: 'status', 'aria-live': 'polite' });
  const bar = el('progress', { max: 1, value: 0, 'aria-label': 'Progress' });
  const cancel = el('button', { type: 'button', class: 'secondary', id: 'cancel' }, 'Cancel');
  const result = el('div', { id: 'result' });
  const edit = el('button', { type: 'button', class: 'secondary' }, 'Edit this scenario');
  edit.addEventListener('click', () => {
    state.text = run.scenario_text;
    state.set = run.set.join('\n');
    location.hash = '#/';
  });
  const rerun = el('button', { type: 'button', class: 'secondary' }, 'Run again');
  rerun.addEventListener('click', async () => {
    const a = await api('POST', `/api/runs/${id}/rerun`);
    if (a.status === 202) location.hash = `#/run/${a.data.id}`;
    else toast(a.data.error);
  });
  const remove = el('button', { type: 'button', class: 'secondary' }, 'Delete');
  remove.addEventListener('click', async () => {
    const a = await api('DELETE', `/api/runs/${id}`);
    if (a.status === 204) location.hash = '#/history';
    else toast(a.data.error);
  });
  cancel.addEventListener('click', async () => {
    const a = await api('POST', `/api/runs/${id}/cancel`);
    if (!a.ok) toast(a.data.error);
  });
  show(
    el('h1', {}, `Run ${id}: `, run.name),
    el('p', {}, `seed ${run.seed}`, run.set.length ? `, overrides: ${run.set.join(' ')}` : ''),
    status, bar, el('div', { class: 'row' }, cancel, edit, rerun, remove),
    result,
    el('details', {}, el('summary', {}, 'Scenario as submitted'), el('pre', { class: 'text' }, run.scenario_text)));

  async function finish(p) {
    bar.hidden = true;
    cancel.hidden = true;
    status.textContent = p.status + (p.error ? `: ${p.error}` : '');
    status.className = p.status === 'done' ? 'status-ok' : 'status-bad';
    if (p.status !== 'done') return;
    const headline = await api('GET', `/api/runs/${id}/headline`);
    state.lastRun = id;
    result.replaceChildren(
      headline.ok ? tiles(headline.data.figures) : el('p', { class: 'status-bad' }, headline.data.error),
      el('iframe', { class: 'report', title: `Report of run ${id}`, sandbox: 'allow-scripts', src: `/api/runs/${id}/report` }));
  }
  if (['queued', 'running'].includes(run.status)) {
    watch(id, (p) => {
      if (['queued', 'running'].includes(p.status)) {
        status.textContent = p.status === 'queued' ? 'queued' : `running${p.stage ? `: ${p.stage} ${p.done} of ${p.total}` : ''}`;
        bar.value = p.total ? p.done / p.total : 0;
      } else {
        finish(p);
      }
    });
  } else {
    finish({ status: run.status, error: run.error });
  }
}

// ---------- History and comparison ----------

function when(seconds) {
  return seconds ? new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 19) : '';
}

async function historyPage() {
  const answer = await api('GET', '/api/runs');
  if (!answer.ok) return show(el('p', {}, answer.data.error));
  const chosen = [];
  const compareButton = el('button', { type: 'button', id: 'compare', disabled: true }, 'Compare the two chosen');
  compareButton.addEventListener('click', () => { location.hash = `#/compare/${chosen[0]}/${chosen[1]}`; });
  const rows = answer.data.runs.map((r) => {
    const box = el('input', { type: 'checkbox', 'aria-label': `choose run ${r.id}`, disabled: r.kind !== 'run' || r.status !== 'done' });
    box.addEventListener('change', () => {
      if (box.checked) chosen.push(r.id); else chosen.splice(chosen.indexOf(r.id), 1);
      while (chosen.length > 2) {
        const first = chosen.shift();
        const other = document.querySelector(`input[data-id="${first}"]`);
        if (other) other.checked = false;
      }
      compareButton.disabled = chosen.length !== 2;
    });
    box.dataset.id = r.id;
    return el('tr', {},
      el('td', {}, box),
      el('td', {}, el('a', { href: `#/run/${r.id}` }, String(r.id))),
      el('td', {}, r.kind), el('td', {}, r.name), el('td', {}, r.status),
      el('td', {}, r.set.join(' '), r.grid ? ` vary ${r.grid.vary.join(' ')}` : ''),
      el('td', { class: 'num' }, String(r.seed ?? '')), el('td', {}, when(r.created_at_unix_s)));
  });
  show(el('h1', {}, 'History'), el('div', { class: 'row' }, compareButton),
    el('div', { class: 'scroll' }, el('table', {},
      el('thead', {}, el('tr', {}, ['', 'Run', 'Kind', 'Scenario', 'Status', 'Overrides', 'Seed', 'Submitted (UTC)'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows))));
}

async function comparePage(a, b) {
  const answer = await api('GET', `/api/compare?a=${a}&b=${b}`);
  if (!answer.ok) return show(el('h1', {}, 'Compare'), el('p', {}, answer.data.error));
  const c = answer.data;
  const inputs = (c.inputs || []).map((d) => el('tr', {}, el('td', {}, el('code', {}, d.path)), el('td', {}, d.a ?? '—'), el('td', {}, d.b ?? '—')));
  const figures = c.figures.map((f) => el('tr', { 'data-key': f.key },
    el('td', {}, f.label), el('td', { class: 'num' }, f.a_text), el('td', { class: 'num' }, f.b_text),
    el('td', { class: 'num' }, f.difference_text), el('td', { class: 'num' }, f.relative_text)));
  show(
    el('h1', {}, 'Compare'),
    el('p', {}, 'A: ', el('a', { href: `#/run/${a}` }, c.names[0]), ' — B: ', el('a', { href: `#/run/${b}` }, c.names[1])),
    el('h2', {}, 'Inputs that differ'),
    inputs.length ? el('table', {}, el('thead', {}, el('tr', {}, ['Key', 'A', 'B'].map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, inputs)) : el('p', {}, 'none'),
    el('h2', {}, 'Figures'),
    el('div', { class: 'scroll' }, el('table', { id: 'figures' },
      el('thead', {}, el('tr', {}, ['Figure', 'A', 'B', 'B − A', 'relative'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, figures))),
    el('iframe', { class: 'report', title: 'Comparison', sandbox: 'allow-scripts', src: `/api/compare/report?a=${a}&b=${b}` }));
}

// ---------- Sweeps ----------

async function sweepPage() {
  const vary = el('textarea', { class: 'small', id: 'vary', 'aria-label': 'Grid: one KEY=A,B,... a line' },
    'site.climate=ashburn,phoenix\nenergy.price_usd_per_kwh=0.06,0.09');
  const samples = el('input', { id: 'samples', type: 'number', min: 1, value: 1, 'aria-label': 'Seeds per variant' });
  const start = el('button', { type: 'button', id: 'start-sweep' }, 'Start the sweep');
  const text = state.text;
  start.addEventListener('click', async () => {
    let scenario = text;
    if (!scenario) scenario = (await api('GET', '/api/scenarios/default')).data.text;
    const answer = await api('POST', '/api/sweeps', {
      scenario, set: lines(state.set), vary: lines(vary.value), samples: Number(samples.value) || 1,
    });
    if (answer.status === 202) location.hash = `#/run/${answer.data.id}`;
    else toast(answer.data.error || `error ${answer.status}`);
  });
  show(el('h1', {}, 'Sweep'),
    el('p', {}, text ? 'Over the scenario in the editor.' : 'Over the default scenario (open one in the editor to sweep it).'),
    el('label', { for: 'vary' }, 'Grid (one KEY=A,B,... a line, as --vary)'), vary,
    el('label', { for: 'samples' }, 'Seeds per variant'), samples,
    el('div', { class: 'row' }, start));
}

const SWEEP_FIGURES = ['pue.annual', 'cost.per_server_month_usd', 'cost.monthly_usd.total'];

async function sweepResultPage(id) {
  const status = el('p', { id: 'run-status', role: 'status', 'aria-live': 'polite' });
  const bar = el('progress', { max: 1, value: 0, 'aria-label': 'Progress' });
  const cancel = el('button', { type: 'button', class: 'secondary' }, 'Cancel');
  cancel.addEventListener('click', () => api('POST', `/api/runs/${id}/cancel`));
  const result = el('div', { id: 'result' });
  show(el('h1', {}, `Sweep ${id}`), status, bar, cancel, result);
  async function finish(p) {
    bar.hidden = true;
    cancel.hidden = true;
    status.textContent = p.status + (p.error ? `: ${p.error}` : '');
    status.className = p.status === 'done' ? 'status-ok' : 'status-bad';
    if (p.status !== 'done') return;
    const record = (await api('GET', `/api/runs/${id}`)).data;
    const table = record.summary;
    const inputs = ((record.grid && record.grid.vary) || []).map((v) => v.split('=')[0].trim());
    const shown = ['variant', 'sample', 'seed', ...inputs, ...SWEEP_FIGURES].filter((n, i, all) => all.indexOf(n) === i && table.columns.some((c) => c.name === n));
    const index = shown.map((n) => table.columns.findIndex((c) => c.name === n));
    result.replaceChildren(
      el('p', {}, el('a', { href: `/api/sweeps/${id}/parquet`, download: `sweep-${id}.parquet` }, 'Download the table (Parquet)'),
        ` — ${table.rows.length} rows, ${table.columns.length} columns`),
      // The chart is plenum-report's (one definition, Vega-Lite), in the sweep's page.
      el('iframe', { class: 'report sweep', id: 'sweep-chart', title: `Chart of sweep ${id}`, sandbox: 'allow-scripts', src: `/api/runs/${id}/report` }),
      el('div', { class: 'scroll' }, el('table', { id: 'sweep-table' },
        el('thead', {}, el('tr', {}, shown.map((n) => el('th', { scope: 'col' }, n)))),
        el('tbody', {}, table.rows.map((r) => el('tr', {}, index.map((i) => el('td', { class: typeof r[i] === 'number' ? 'num' : '' }, typeof r[i] === 'number' ? formatNumber(r[i], 4) : String(r[i] ?? '—')))))))));
  }
  const run = (await api('GET', `/api/runs/${id}`)).data;
  if (['queued', 'running'].includes(run.status)) {
    watch(id, (p) => {
      if (['queued', 'running'].includes(p.status)) {
        status.textContent = p.status === 'queued' ? 'queued' : `running: ${p.done} of ${p.total} rows`;
        bar.value = p.total ? p.done / p.total : 0;
      } else finish(p);
    });
  } else finish({ status: run.status, error: run.error });
}

// ---------- Routing ----------

async function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  try {
    if (parts[0] === 'run' && /^\d+$/.test(parts[1])) await runPage(Number(parts[1]));
    else if (parts[0] === 'history') await historyPage();
    else if (parts[0] === 'compare' && /^\d+$/.test(parts[1]) && /^\d+$/.test(parts[2])) await comparePage(parts[1], parts[2]);
    else if (parts[0] === 'sweep') await sweepPage();
    else await scenariosPage();
  } catch (e) {
    show(el('h1', {}, 'Error'), el('p', {}, String(e)));
  }
  view.focus();
}
window.addEventListener('hashchange', route);
route();
