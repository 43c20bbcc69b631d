// The newsevents web page: plain DOM, no framework, no build step.
//
// Article text is untrusted. It reaches the page only through textContent and text nodes (the
// h() helper below), never through innerHTML, so markup inside an article is shown as text and
// runs nothing; the Content-Security-Policy (scripts from this server only) is the second wall.
'use strict';

const QUADS = [
  { label: 'neutral statement', color: '#8d8d8d' },
  { label: 'verbal cooperation', color: '#7fbf7b' },
  { label: 'material cooperation', color: '#1b7837' },
  { label: 'verbal conflict', color: '#f4a261' },
  { label: 'material conflict', color: '#c0392b' },
];
const $ = (sel, root = document) => root.querySelector(sel);

// ------------------------------------------------------------------ helpers

/** An element; strings among the children become text nodes (never parsed as HTML). */
function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A link only for http(s) URLs: a stored "url" could be javascript:... */
function safeLink(url, text) {
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') return h('a', { href: u.href, rel: 'noopener noreferrer', target: '_blank' }, text || url);
  } catch (e) { /* not a URL */ }
  return h('span', {}, text || url);
}

class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

/** GET (or send) JSON; list values become repeated parameters, empty ones are left out. */
async function api(path, params = {}, init = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(params)) {
    for (const v of [].concat(value)) {
      if (v !== '' && v != null && v !== false) url.searchParams.append(key, v);
    }
  }
  const res = await fetch(url, init);
  let data = null;
  try { data = await res.json(); } catch (e) { /* an empty or non-JSON body */ }
  if (!res.ok) throw new ApiError(res.status, (data && data.detail) || `${res.status} ${res.statusText}`);
  return { data, res };
}

function setStatus(el, text, kind = '') {
  el.textContent = text;
  el.className = `status ${kind}`;
}

function actorLabel(ref) {
  if (!ref) return '';
  const name = ref.name && ref.name !== ref.text ? ` (${ref.name})` : '';
  return `${ref.text}${name}`;
}

function codeOf(ref) { return ref && ref.code ? ref.code : ''; }

function quadBadge(q) {
  const quad = QUADS[q] || { label: '?', color: '#999' };
  return h('span', { class: `quad q${q}`, title: quad.label }, String(q));
}

function short(text, n = 140) {
  text = (text || '').replace(/\s+/g, ' ');
  return text.length <= n ? text : `${text.slice(0, n - 1)}…`;
}

function signed(x) { return x == null ? '' : (x > 0 ? '+' : '') + Number(x).toFixed(1); }

// ------------------------------------------------------------------ a Document, highlighted

/**
 * The article body with its actors, quotes and event triggers marked, and tabs beside it
 * listing events (each row linked to its sentence), quotes and actors.
 */
function renderDocument(doc, container, { select = null, selectQuote = null } = {}) {
  container.replaceChildren();
  const a = doc.article;
  const body = a.body;
  const meta = [a.published && a.published.slice(0, 10), a.publisher, a.author, a.dateline,
    a.language && `language ${a.language}`].filter(Boolean).join(' · ');
  const marks = [];
  doc.actors.forEach((m, i) => marks.push({ start: m.start, end: m.end, kind: 'actor', i }));
  doc.quotes.forEach((q, i) => {
    for (const part of (q.parts && q.parts.length ? q.parts : [q.content])) marks.push({ start: part.start, end: part.end, kind: 'quote', i });
  });
  doc.events.forEach((e, i) => {
    marks.push({ start: e.trigger.start, end: e.trigger.end, kind: 'trigger', i });
    if (e.source) marks.push({ start: e.source.start, end: e.source.end, kind: 'source', i });
    if (e.target) marks.push({ start: e.target.start, end: e.target.end, kind: 'target', i });
  });
  const { bodyEl, sentenceEls, markEls } = highlight(body, doc.sentences, marks, doc);

  const eventsTable = eventTable(doc, (i) => selectEvent(i, true));
  const quotesList = quoteList(doc, (i) => selectQuoteAt(i));
  const actorsList = actorList(doc, (idx) => flashMarks(idx.flatMap((m) => markEls.actor[m] || [])));
  const panels = tabs([
    [`Events (${doc.events.length})`, eventsTable],
    [`Quotes (${doc.quotes.length})`, quotesList],
    [`Actors (${doc.entities.length || doc.actors.length})`, actorsList],
  ]);

  container.append(h('div', { class: 'article-layout' },
    h('article', { class: 'card article' },
      h('h2', { class: 'article-title' }, a.title || '(untitled)'),
      h('p', { class: 'muted' }, meta, meta && ' · ', a.url ? safeLink(a.url) : a.source, ` · id ${a.id}`),
      a.warnings && a.warnings.length ? h('p', { class: 'warning' }, a.warnings.join('; ')) : null,
      legend(),
      bodyEl),
    h('aside', { class: 'card side' }, panels)));

  let current = null;
  function selectEvent(i, scroll) {
    for (const el of container.querySelectorAll('.selected, .sel-source, .sel-target, .sel-trigger')) {
      el.classList.remove('selected', 'sel-source', 'sel-target', 'sel-trigger');
    }
    if (current === i) { current = null; return; }
    current = i;
    const e = doc.events[i];
    const row = eventsTable.querySelector(`tr[data-event="${i}"]`);
    if (row) row.classList.add('selected');
    const sentence = sentenceEls[e.sentence_index] || sentenceContaining(sentenceEls, doc.sentences, e.trigger.start);
    for (const el of markEls.trigger[i] || []) el.classList.add('sel-trigger');
    for (const el of markEls.source[i] || []) el.classList.add('sel-source');
    for (const el of markEls.target[i] || []) el.classList.add('sel-target');
    if (sentence) {
      sentence.classList.add('selected');
      if (scroll) sentence.scrollIntoView({ block: 'center', behavior: 'smooth' });
    }
  }
  function selectQuoteAt(i) {
    const els = markEls.quote[i] || [];
    flashMarks(els);
  }
  // A trigger in the text selects its event row too.
  bodyEl.addEventListener('click', (ev) => {
    const t = ev.target.closest('[data-events]');
    if (!t) return;
    const i = Number(t.dataset.events.split(' ')[0]);
    panels.show(0);
    selectEvent(i, false);
    const row = eventsTable.querySelector(`tr[data-event="${i}"]`);
    if (row) row.scrollIntoView({ block: 'nearest' });
  });
  if (select != null && doc.events[select]) selectEvent(select, true);
  if (selectQuote != null && doc.quotes[selectQuote]) { panels.show(1); selectQuoteAt(selectQuote); }
}

function sentenceContaining(sentenceEls, sentences, offset) {
  const s = sentences.find((x) => x.start <= offset && offset < x.end);
  return s ? sentenceEls[s.index] : null;
}

function flashMarks(els) {
  for (const el of document.querySelectorAll('.flash')) el.classList.remove('flash');
  if (!els.length) return;
  for (const el of els) el.classList.add('flash');
  els[0].scrollIntoView({ block: 'center', behavior: 'smooth' });
}

/**
 * The body as text nodes cut at every mark and sentence boundary: each piece is a span carrying
 * the classes of the marks covering it, inside the span of its sentence.
 */
function highlight(body, sentences, marks, doc) {
  const cuts = new Set([0, body.length]);
  const valid = marks.filter((m) => m.start >= 0 && m.end <= body.length && m.start < m.end);
  for (const m of valid) { cuts.add(m.start); cuts.add(m.end); }
  for (const s of sentences) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((x, y) => x - y);
  const byStart = new Map();
  for (const m of valid) {
    if (!byStart.has(m.start)) byStart.set(m.start, []);
    byStart.get(m.start).push(m);
  }
  const bodyEl = h('div', { class: 'article-body' });
  const sentenceEls = {};
  const markEls = { actor: {}, quote: {}, trigger: {}, source: {}, target: {} };
  const ordered = [...sentences].sort((x, y) => x.start - y.start);
  let si = 0;
  let active = [];
  for (let k = 0; k < points.length - 1; k++) {
    const from = points[k];
    const to = points[k + 1];
    active = active.filter((m) => m.end > from).concat(byStart.get(from) || []);
    while (si < ordered.length && ordered[si].end <= from) si++;
    let parent = bodyEl;
    const s = ordered[si];
    if (s && s.start <= from && from < s.end) {
      if (!sentenceEls[s.index]) {
        sentenceEls[s.index] = h('span', { class: 'sentence', dataset: { sentence: s.index } });
        bodyEl.append(sentenceEls[s.index]);
      }
      parent = sentenceEls[s.index];
    }
    const text = body.slice(from, to);
    if (!active.length) { parent.append(document.createTextNode(text)); continue; }
    const kinds = new Set(active.map((m) => m.kind));
    const el = h('span', { class: [...kinds].map((x) => `m-${x}`).join(' ') }, text);
    const titles = [];
    const triggers = active.filter((m) => m.kind === 'trigger');
    if (triggers.length) {
      const e = doc.events[triggers[0].i];
      el.classList.add(`q${e.quad_class}`);
      el.dataset.events = triggers.map((m) => m.i).join(' ');
      for (const m of triggers) {
        const ev = doc.events[m.i];
        titles.push(`event: ${ev.cameo} ${ev.cameo_name} (${QUADS[ev.quad_class].label}, Goldstein ${signed(ev.goldstein)})`);
      }
    }
    for (const m of active) {
      (markEls[m.kind][m.i] = markEls[m.kind][m.i] || []).push(el);
      if (m.kind === 'actor') {
        const actor = doc.actors[m.i];
        titles.push(`actor: ${actor.name || actor.text}${actor.code ? ` [${actor.code}]` : ''}`);
      }
    }
    if (titles.length) el.title = [...new Set(titles)].join('\n');
    parent.append(el);
  }
  return { bodyEl, sentenceEls, markEls };
}

function legend() {
  return h('p', { class: 'legend', 'aria-label': 'Legend' },
    h('span', { class: 'm-actor' }, 'actor'), ' ',
    h('span', { class: 'm-quote' }, 'quote'), ' ',
    'event trigger by quad class: ',
    QUADS.map((q, i) => [h('span', { class: `m-trigger q${i}` }, q.label), ' ']));
}

let tabSets = 0;

/** Tabs: buttons with arrow-key navigation over panels. */
function tabs(items) {
  const set = ++tabSets;
  const list = h('div', { class: 'tabs', role: 'tablist' });
  const panels = [];
  const buttons = items.map(([label, panel], i) => {
    const b = h('button', { type: 'button', role: 'tab', id: `tab-${set}-${i}`, 'aria-controls': `panel-${set}-${i}` }, label);
    b.addEventListener('click', () => show(i));
    b.addEventListener('keydown', (ev) => {
      const step = ev.key === 'ArrowRight' ? 1 : ev.key === 'ArrowLeft' ? -1 : 0;
      if (step) { const j = (i + step + items.length) % items.length; show(j); buttons[j].focus(); }
    });
    panels.push(h('div', { role: 'tabpanel', id: `panel-${set}-${i}`, 'aria-labelledby': `tab-${set}-${i}`, class: 'panel' }, panel));
    return b;
  });
  function show(i) {
    buttons.forEach((b, j) => { b.setAttribute('aria-selected', String(i === j)); b.tabIndex = i === j ? 0 : -1; });
    panels.forEach((p, j) => { p.hidden = i !== j; });
  }
  list.append(...buttons);
  const wrap = h('div', {}, list, panels);
  wrap.show = show;
  show(0);
  return wrap;
}

function eventTable(doc, onSelect) {
  if (!doc.events.length) return h('p', { class: 'muted' }, 'No events coded in this article.');
  const rows = doc.events.map((e, i) => {
    const row = h('tr', { tabindex: 0, dataset: { event: i }, title: 'Show its sentence (Enter)' },
      h('td', {}, String(i + 1)),
      h('td', {}, actorLabel(e.source), h('div', { class: 'code' }, codeOf(e.source))),
      h('td', {}, h('strong', {}, e.trigger.text), e.negated ? h('span', { class: 'tag' }, 'negated') : null,
        h('div', { class: 'code' }, `${e.cameo} ${e.cameo_name}`)),
      // a reciprocal act ("A met B") has no target: show its counterpart, marked as mutual
      e.counterpart ? h('td', {}, '↔ ', actorLabel(e.counterpart), h('div', { class: 'code' }, codeOf(e.counterpart)))
        : h('td', {}, actorLabel(e.target), h('div', { class: 'code' }, codeOf(e.target))),
      h('td', {}, quadBadge(e.quad_class)),
      h('td', { class: 'num' }, signed(e.goldstein)),
      h('td', {}, e.modality !== 'asserted' ? e.modality : '', e.date ? h('div', { class: 'code' }, e.date) : null));
    row.addEventListener('click', () => onSelect(i));
    row.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); onSelect(i); }
      if (ev.key === 'ArrowDown' && row.nextElementSibling) { ev.preventDefault(); row.nextElementSibling.focus(); }
      if (ev.key === 'ArrowUp' && row.previousElementSibling) { ev.preventDefault(); row.previousElementSibling.focus(); }
    });
    return row;
  });
  return h('table', { class: 'grid clickable events-table' },
    h('thead', {}, h('tr', {}, ['#', 'source', 'event', 'target', 'quad', 'Goldstein', ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows));
}

function quoteList(doc, onSelect) {
  if (!doc.quotes.length) return h('p', { class: 'muted' }, 'No quotes found.');
  return h('ol', { class: 'quotes' }, doc.quotes.map((q, i) => h('li', {},
    h('button', { type: 'button', class: 'link', onclick: () => onSelect(i) },
      h('span', { class: 'speaker' }, q.speaker ? actorLabel(q.speaker) : 'unattributed'),
      q.speaker && q.speaker.code ? h('span', { class: 'code' }, ` ${q.speaker.code}`) : null,
      h('span', { class: 'muted' }, ` · ${q.kind}${q.cue ? ` · “${q.cue.text}”` : ''}`)),
    h('blockquote', {}, short(q.content.text, 300)))));
}

function actorList(doc, onSelect) {
  const groups = doc.entities.length
    ? doc.entities.map((e) => ({ name: e.name, code: e.code, type: e.type, mentions: e.mentions }))
    : doc.actors.map((m, i) => ({ name: m.name || m.text, code: m.code, type: m.type, mentions: [i] }));
  if (!groups.length) return h('p', { class: 'muted' }, 'No actors found.');
  return h('table', { class: 'grid' },
    h('thead', {}, h('tr', {}, ['actor', 'code', 'type', 'mentions'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, groups.map((g) => h('tr', {},
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => onSelect(g.mentions) }, g.name)),
      h('td', { class: 'code' }, g.code || ''), h('td', {}, g.type || ''), h('td', { class: 'num' }, String(g.mentions.length))))));
}

// ------------------------------------------------------------------ views

const views = ['read', 'article', 'browse', 'timeline'];

function showView(name) {
  for (const v of views) $(`#view-${v}`).hidden = v !== name;
  for (const a of document.querySelectorAll('nav a[data-view]')) {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function route() {
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').filter(Boolean);
  const view = parts[0] || (storeInfo && storeInfo.articles ? 'browse' : 'read');
  if (view === 'article' && parts[1]) {
    showView('article');
    await openArticle(decodeURIComponent(parts[1]), params);
  } else if (view === 'browse') {
    showView('browse');
    await browse(params);
  } else if (view === 'timeline') {
    showView('timeline');
    await timeline(params);
  } else {
    showView('read');
  }
}

// -- code an article
async function extract(ev) {
  ev.preventDefault();
  const status = $('#read-status');
  const file = $('#input-file').files[0];
  const text = $('#input-text').value;
  if (!file && !text.trim()) { setStatus(status, 'Paste a text or choose a file first.', 'error'); return; }
  let body;
  let type;
  if (file) {
    body = await file.arrayBuffer();
    type = file.type || (/\.x?html?$/i.test(file.name) ? 'text/html' : 'text/plain');
  } else {
    body = text;
    type = 'text/plain; charset=utf-8';
  }
  const params = {
    format: $('#input-format').value, published: $('#input-published').value,
    store: $('#input-store').checked ? 'true' : '', source: file ? file.name : 'pasted text',
  };
  setStatus(status, 'Coding… (the first article after the server starts also loads the language model)', 'busy');
  $('#extract-form button[type=submit]').disabled = true;
  try {
    const { data, res } = await api('/api/extract', params, { method: 'POST', headers: { 'Content-Type': type }, body });
    const stored = res.headers.get('X-Newsevents-Stored');
    setStatus(status, `${data.events.length} events, ${data.quotes.length} quotes, ${data.actors.length} actor mentions` +
      (stored === 'written' ? ' · saved in the store' : stored ? ' · already in the store' : ''), 'ok');
    renderDocument(data, $('#read-result'));
    if (stored) refreshStoreInfo();
  } catch (e) {
    setStatus(status, e.message, 'error');
  } finally {
    $('#extract-form button[type=submit]').disabled = false;
  }
}

async function openArticle(id, params) {
  const status = $('#article-status');
  setStatus(status, 'Loading…', 'busy');
  try {
    const { data } = await api(`/api/articles/${encodeURIComponent(id)}`);
    setStatus(status, '');
    const select = params.has('event') ? Number(params.get('event')) : null;
    const selectQuote = params.has('quote') ? Number(params.get('quote')) : null;
    renderDocument(data, $('#article-result'), { select, selectQuote });
  } catch (e) {
    $('#article-result').replaceChildren();
    setStatus(status, e.message, 'error');
  }
}

// -- browse
const FILTERS = ['actor', 'source', 'target', 'cameo', 'quad', 'since', 'until', 'place', 'text'];
// Which filters each kind takes (as `newsevents query`); the others are disabled in the form.
const APPLIES = {
  articles: ['actor', 'since', 'until', 'place', 'text'],
  events: FILTERS, mentions: FILTERS,
  quotes: ['actor', 'source', 'since', 'until', 'text'],
};
const PAGE = 50;

function browseParams() {
  const form = $('#browse-form');
  const kind = form.elements.kind.value;
  const params = new URLSearchParams({ kind });
  for (const name of APPLIES[kind]) {
    const value = form.elements[name].value.trim();
    if (value) params.set(name, value);
  }
  return params;
}

function syncBrowseForm(params) {
  const form = $('#browse-form');
  form.elements.kind.value = params.get('kind') || 'articles';
  for (const name of FILTERS) form.elements[name].value = params.get(name) || '';
  enableFilters();
}

function enableFilters() {
  const form = $('#browse-form');
  const applies = APPLIES[form.elements.kind.value];
  for (const name of FILTERS) form.elements[name].disabled = !applies.includes(name);
}

async function browse(params) {
  syncBrowseForm(params);
  const kind = params.get('kind') || 'articles';
  const offset = Number(params.get('offset') || 0);
  const query = { limit: PAGE, offset };
  for (const name of APPLIES[kind]) if (params.get(name)) query[name] = params.get(name);
  const status = $('#browse-status');
  setStatus(status, 'Loading…', 'busy');
  try {
    const { data } = await api(`/api/${kind}`, query);
    setStatus(status, data.total ? '' : `No ${kind} match.`);
    $('#browse-result').replaceChildren(data.items.length ? resultTable(kind, data.items) : '');
    const last = Math.min(offset + data.items.length, data.total);
    $('#browse-range').textContent = data.total ? `${offset + 1}–${last} of ${data.total}` : '';
    pageButton($('#browse-prev'), params, offset > 0 ? Math.max(0, offset - PAGE) : null);
    pageButton($('#browse-next'), params, last < data.total ? offset + PAGE : null);
  } catch (e) {
    $('#browse-result').replaceChildren();
    setStatus(status, e.status === 503 ? `The store is not available: ${e.message}` : e.message, 'error');
  }
}

function pageButton(button, params, offset) {
  button.disabled = offset == null;
  button.onclick = () => {
    const next = new URLSearchParams(params);
    next.set('offset', String(offset));
    location.hash = `#/browse?${next}`;
  };
}

function articleHref(articleId, key, idx) {
  return `#/article/${encodeURIComponent(articleId)}${key ? `?${key}=${idx}` : ''}`;
}

function rowActor(r, side) {
  const name = r[`${side}_name`] || r[`${side}_text`] || '';
  const code = r[`${side}_code`];
  return [name, code ? h('div', { class: 'code' }, code) : null];
}

const COLUMNS = {
  articles: [
    ['published', (r) => r.published_date || ''],
    ['title', (r) => h('a', { href: articleHref(r.article_id) }, r.title || r.article_id)],
    ['outlet', (r) => r.outlet || ''], ['language', (r) => r.language || ''],
    ['events', (r) => String(r.n_events)], ['quotes', (r) => String(r.n_quotes)],
  ],
  events: [
    ['date', (r) => r.date || ''], ['source', (r) => rowActor(r, 'source')],
    ['event', (r) => [r.cameo_name || '', h('div', { class: 'code' }, `${r.cameo}${r.plover ? ` · ${r.plover}` : ''}`)]],
    ['target', (r) => rowActor(r, 'target')], ['quad', (r) => quadBadge(r.quad_class)],
    ['Goldstein', (r) => signed(r.goldstein)], ['reports', (r) => String(r.num_mentions)],
    ['evidence', (r) => {
      const [aid, idx] = (r.first_mention || '').split('/');
      return h('a', { href: articleHref(aid, 'event', idx) }, short(r.evidence));
    }],
  ],
  mentions: [
    ['date', (r) => r.date || ''], ['source', (r) => rowActor(r, 'source')],
    ['trigger', (r) => [r.trigger, h('div', { class: 'code' }, r.cameo)]],
    ['target', (r) => rowActor(r, 'target')], ['quad', (r) => quadBadge(r.quad_class)],
    ['sentence', (r) => h('a', { href: articleHref(r.article_id, 'event', r.idx) }, short(r.sentence))],
  ],
  quotes: [
    ['published', (r) => r.published_date || ''],
    ['speaker', (r) => rowActor(r, 'speaker')], ['kind', (r) => r.kind],
    ['quote', (r) => h('a', { href: articleHref(r.article_id, 'quote', r.idx) }, short(r.content, 200))],
  ],
};

function resultTable(kind, items) {
  const cols = COLUMNS[kind];
  return h('table', { class: 'grid browse-table' },
    h('thead', {}, h('tr', {}, cols.map(([c]) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((r) => h('tr', {}, cols.map(([, cell]) => h('td', {}, cell(r)))))));
}

// -- timeline
async function timeline(params) {
  const form = $('#timeline-form');
  for (const name of ['a', 'b', 'since', 'until']) form.elements[name].value = params.get(name) || '';
  form.elements.by.value = params.get('by') || 'day';
  form.elements.undirected.checked = params.get('undirected') !== 'false';
  const dyads = await topDyads();
  if (!params.get('a') || !params.get('b')) {
    if (dyads.length) {
      const [a, b] = dyads[0].pair;
      location.replace(`#/timeline?${new URLSearchParams({ a, b, by: form.elements.by.value })}`);
    } else {
      setStatus($('#timeline-status'), 'Choose two actors (codes such as RUS and USA, or names).');
    }
    return;
  }
  await drawTimeline(params);
}

let dyadCache = null;

/** The most frequent country dyads in the store, either direction, from `stats --per dyad`. */
async function topDyads() {
  if (!dyadCache) {
    dyadCache = [];
    try {
      const { data } = await api('/api/stats', { by: 'year', per: 'dyad', by_country: 'true' });
      const counts = new Map();
      for (const r of data.items) {  // dated events only: the timeline cannot show the others
        if (!r.period || !r.source || !r.target || r.source === r.target) continue;
        const pair = [r.source, r.target].sort();
        const key = pair.join('-');
        counts.set(key, { pair, n: ((counts.get(key) || {}).n || 0) + r.events });
      }
      dyadCache = [...counts.values()].sort((x, y) => y.n - x.n).slice(0, 8);
    } catch (e) { /* no store yet: no suggestions */ }
  }
  const box = $('#top-dyads');
  box.replaceChildren(...(dyadCache.length ? [h('span', { class: 'muted' }, 'Frequent dyads: ')] : []),
    ...dyadCache.map((d) => h('a', { class: 'chip', href: `#/timeline?${new URLSearchParams({ a: d.pair[0], b: d.pair[1], by: $('#timeline-form').elements.by.value })}` },
      `${d.pair[0]}–${d.pair[1]} (${d.n})`)));
  return dyadCache;
}

const STEP = { day: [0, 0, 1], week: [0, 0, 7], month: [0, 1, 0], year: [1, 0, 0] };
// Fewer periods than this on the chart and its time axis is widened to this many, so that one
// busy day shows as a bar among empty days rather than as a wall.
const MIN_PERIODS = 14;

function shift(iso, by, times = 1) {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  const [y, m, days] = STEP[by];
  d.setUTCFullYear(d.getUTCFullYear() + y * times, d.getUTCMonth() + m * times, d.getUTCDate() + days * times);
  return d.toISOString().slice(0, 10);
}

function middle(from, to) {
  return new Date((Date.parse(`${from}T00:00:00Z`) + Date.parse(`${to}T00:00:00Z`)) / 2).toISOString();
}

function plural(n, word) { return `${n} ${word}${n === 1 ? '' : 's'}`; }

async function drawTimeline(params) {
  const by = params.get('by') || 'day';
  const a = params.get('a');
  const b = params.get('b');
  const undirected = params.get('undirected') !== 'false';
  const status = $('#timeline-status');
  const chart = $('#chart');
  chart.dataset.state = 'loading';
  setStatus(status, 'Loading…', 'busy');
  let items;
  try {
    ({ data: { items } } = await api('/api/stats', {
      dyad: `${a}-${b}`, undirected: undirected ? 'true' : '', by, per: 'none',
      since: params.get('since'), until: params.get('until'),
    }));
  } catch (e) {
    chart.replaceChildren();
    chart.dataset.state = 'error';
    setStatus(status, e.message, 'error');
    return;
  }
  const dated = items.filter((r) => r.period);
  const undated = items.filter((r) => !r.period).reduce((n, r) => n + r.events, 0);
  const total = dated.reduce((n, r) => n + r.events, 0);
  $('#chart-caption').textContent = `Events ${a} ${undirected ? '↔' : '→'} ${b} per ${by}, by quad class (bars, left axis), ` +
    'and their mean Goldstein score (line, right axis, −10 conflict … +10 cooperation).' +
    (undated ? ` ${plural(undated, 'undated event')} not shown.` : '');
  setStatus(status, total ? `${plural(total, 'event')} in ${plural(dated.length, by)}.` : `No dated events between ${a} and ${b}.`);
  timelineTable(dated);
  if (!dated.length) { chart.replaceChildren(); chart.dataset.state = 'empty'; return; }
  const keys = ['neutral', 'verbal_cooperation', 'material_cooperation', 'verbal_conflict', 'material_conflict'];
  // Stacked here rather than by Vega-Lite, which does not stack bars that span [x, x2].
  const bars = [];
  for (const r of dated) {
    let below = 0;
    keys.forEach((k, q) => {
      if (!r[k]) return;
      bars.push({ period: r.period, end: shift(r.period, by), label: r.period, quad: QUADS[q].label, events: r[k], y0: below, y1: below + r[k] });
      below += r[k];
    });
  }
  // `label` keeps the period as text for tooltips (Vega-Lite turns `period` into a timestamp)
  const line = dated.map((r) => ({ label: r.period, mid: middle(r.period, shift(r.period, by)), mean_goldstein: r.mean_goldstein, events: r.events }));
  let first = dated[0].period;
  let last = shift(dated[dated.length - 1].period, by);
  let n = 0;
  for (let d = first; d < last && n < MIN_PERIODS; d = shift(d, by)) n++;
  for (let k = 0; n < MIN_PERIODS; k++, n++) {  // widen both ways in turn
    if (k % 2) first = shift(first, by, -1); else last = shift(last, by);
  }
  const format = by === 'year' ? '%Y' : by === 'month' ? '%b %Y' : '%d %b %Y';
  // Both layers share this x (scale and axis); each names its own field.
  // domainMin/Max rather than domain (Vega-Lite 6 mismerges domain with x2); ISO strings with Z rather
  // than numbers, which vega-interpreter's datetime() reads as a year.
  const scale = { type: 'utc', domainMin: `${first}T00:00:00Z`, domainMax: `${last}T00:00:00Z` };
  const x = { type: 'temporal', title: null, scale, axis: { format, labelAngle: 0, labelOverlap: true } };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container', height: 280, background: null,
    encoding: { x },
    layer: [
      {
        data: { values: bars },
        mark: { type: 'rect', tooltip: true, stroke: '#fff', strokeWidth: 1 },
        encoding: {
          x: { field: 'period' }, x2: { field: 'end' },
          y: { field: 'y0', type: 'quantitative', title: 'events', axis: { tickMinStep: 1 } }, y2: { field: 'y1' },
          color: { field: 'quad', type: 'nominal', title: 'quad class', scale: { domain: QUADS.map((q) => q.label), range: QUADS.map((q) => q.color) }, legend: { orient: 'bottom', columns: 5 } },
          tooltip: [{ field: 'label', type: 'nominal', title: by }, { field: 'quad', title: 'quad class' }, { field: 'events', title: 'events' }],
        },
      },
      {
        data: { values: line },
        mark: { type: 'line', point: { filled: true, size: 60, color: '#222' }, color: '#222', strokeWidth: 2, tooltip: true },
        encoding: {
          x: { field: 'mid' },
          y: { field: 'mean_goldstein', type: 'quantitative', title: 'mean Goldstein', scale: { domain: [-10, 10] } },
          tooltip: [{ field: 'label', type: 'nominal', title: by }, { field: 'mean_goldstein', title: 'mean Goldstein' }, { field: 'events', title: 'events' }],
        },
      },
    ],
    resolve: { scale: { y: 'independent' } },
    config: { font: 'system-ui, sans-serif', view: { stroke: null }, axis: { grid: true, gridColor: '#eee' } },
  };
  try {
    // ast + interpreter: Vega evaluates expressions without eval, as the CSP requires.
    await vegaEmbed(chart, spec, {
      renderer: 'svg', actions: false, ast: true, expr: vega.expressionInterpreter, defaultStyle: false,
      tooltip: { disableDefaultStyle: true },
    });
    chart.dataset.state = 'ready';
  } catch (e) {
    chart.dataset.state = 'error';
    setStatus(status, `The chart could not be drawn: ${e.message}`, 'error');
  }
}

function timelineTable(rows) {
  $('#timeline-table').replaceChildren(rows.length ? h('table', { class: 'grid' },
    h('caption', { class: 'muted' }, 'The same numbers'),
    h('thead', {}, h('tr', {}, ['period', 'events', ...QUADS.map((q) => q.label), 'mean Goldstein'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {},
      h('td', {}, r.period), h('td', { class: 'num' }, String(r.events)),
      ['neutral', 'verbal_cooperation', 'material_cooperation', 'verbal_conflict', 'material_conflict'].map((k) => h('td', { class: 'num' }, String(r[k]))),
      h('td', { class: 'num' }, signed(r.mean_goldstein)))))) : '');
}

// ------------------------------------------------------------------ start

let storeInfo = null;

async function refreshStoreInfo() {
  try {
    const { data } = await api('/api/health');
    storeInfo = data.store.available ? data.store : null;
    $('#store-status').textContent = storeInfo
      ? `store: ${storeInfo.articles} articles, ${storeInfo.events} events`
      : 'no store yet';
    $('#store-status').title = data.store.detail || data.store.path;
    dyadCache = null;
  } catch (e) {
    $('#store-status').textContent = 'server not reachable';
  }
}

document.addEventListener('DOMContentLoaded', async () => {
  $('#extract-form').addEventListener('submit', extract);
  $('#input-file').addEventListener('change', () => { if ($('#input-file').files.length) $('#input-text').value = ''; });
  $('#browse-form').addEventListener('submit', (ev) => { ev.preventDefault(); location.hash = `#/browse?${browseParams()}`; });
  $('#browse-form').elements.kind.addEventListener('change', enableFilters);
  $('#timeline-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = ev.target.elements;
    const p = new URLSearchParams({ a: f.a.value.trim(), b: f.b.value.trim(), by: f.by.value });
    if (!f.undirected.checked) p.set('undirected', 'false');
    if (f.since.value) p.set('since', f.since.value);
    if (f.until.value) p.set('until', f.until.value);
    location.hash = `#/timeline?${p}`;
  });
  window.addEventListener('hashchange', route);
  await refreshStoreInfo();
  await route();
});
